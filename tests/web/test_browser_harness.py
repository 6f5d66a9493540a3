"""The browser harness works end to end: Chromium loads a page from `live_server`, runs its
JavaScript on a click, and shows Chinese text."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.web.conftest import LiveServer

HTML = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>跨境 harness</title></head>
<body>
  <h1 id="heading">Not assessed</h1>
  <p id="zone">跨境数据出境：北京自贸区</p>
  <button id="assess" type="button">Assess</button>
  <script>
    document.getElementById("assess").addEventListener("click", function () {
      document.getElementById("heading").textContent = "Assessed: 安全评估";
    });
  </script>
</body>
</html>
"""


def test_click_runs_javascript_and_chinese_renders(
    tmp_path: Path, live_server: LiveServer, page: Page
) -> None:
    (tmp_path / "index.html").write_text(HTML, encoding="utf-8")
    base = live_server(tmp_path)

    response = page.goto(f"{base}/index.html")
    assert response is not None and response.ok

    assert page.title() == "跨境 harness"
    assert page.text_content("#heading") == "Not assessed"
    page.click("#assess")
    assert page.text_content("#heading") == "Assessed: 安全评估"  # only the script sets this

    assert page.text_content("#zone") == "跨境数据出境：北京自贸区"
    assert page.is_visible("#zone")
