"""The dashboard as a Chinese compliance officer reads it: the organisation's sector by its
name, and the ledger's caveat in words, with no command line."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.showcase import COMPANY, seed
from tests.web.support import sign_in


def test_the_dashboard_names_the_sector_and_gives_no_command(
    client: TestClient, web_db: str, tmp_path: Path
) -> None:
    seed(web_db, tmp_path / "ledger.key", lang="zh")
    sign_in(client, COMPANY)
    html = client.get("/dashboard").text
    assert 'data-testid="counters"' in html and "240" in html  # the recorded batch is counted
    profile = html.split('data-testid="profile"')[1].split("</article>")[0]
    assert "pharmaceuticals" not in profile and "医药" in profile
    assert "kuajing assess" not in html and "--ledger" not in html
    assert "出境台账中的此前出境人数" in html
