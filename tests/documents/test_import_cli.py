"""`kuajing catalog import` on official documents, as a user runs it: the report per page, the
provenance `catalog show` prints, and one line, exit 2 and nothing written for a file that is
not what its name says, is encrypted or damaged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.documents.make_html import build_html
from tests.documents.make_pdf import build_encrypted_pdf, build_pdf
from tests.unit.test_cli import kuajing

ARGS = ["--list", "hainan-2024", "--zone", "hainan", "--title-zh", "虚构测试清单",
        "--edition", "测试版", "--published", "2025-02-19", "--source", "HN-TEST-DOC",
        "--source-title", "虚构测试清单（测试用）"]  # fmt: skip


def test_import_reports_per_page_and_show_prints_provenance(tmp_path: Path) -> None:
    build_pdf(tmp_path / "list.pdf")
    overlay = tmp_path / "overlay"
    run = kuajing("catalog", "import", str(tmp_path / "list.pdf"), "--out", str(overlay), *ARGS,
                  "--lang", "en")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "12 rows, 11 read, 1 need review" in run.stdout
    assert (
        "page 1: 9 read, 0 to review" in run.stdout and "page 2: 2 read, 1 to review" in run.stdout
    )
    assert "to review: page 2, table 2, row 4 (threshold)" in run.stdout
    shown = kuajing("--rules", str(overlay), "catalog", "show", "HAINAN-2024-009",
                    "--format", "json")  # fmt: skip
    document = json.loads(shown.stdout)["item"]["cite"][0]["document"]
    assert (document["page"], document["table"], document["row"]) == (1, 1, 10)
    assert len(document["sha256"]) == 64 and "分页处" in document["raw"]


def test_import_report_as_json_in_chinese_too(tmp_path: Path) -> None:
    build_html(tmp_path / "list.html")
    run = kuajing("catalog", "import", str(tmp_path / "list.html"), "--out",
                  str(tmp_path / "o"), *ARGS, "--format", "json")  # fmt: skip
    report = json.loads(run.stdout)
    assert report["format"] == "html" and report["rows"] == 12
    assert [x["row"] for x in report["needs_review"]] == [13]
    zh = kuajing("catalog", "import", str(tmp_path / "list.html"), "--out",
                 str(tmp_path / "z"), *ARGS, "--lang", "zh")  # fmt: skip
    assert "共12行，已读取11行，1行需人工核对" in zh.stdout
    assert "同时写有两个下限" in zh.stdout


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("list.docx", "pdf", "named .docx but is a PDF document"),
        ("list.pdf", "encrypted", "encrypted"),
        ("list.pdf", "damaged", "damaged"),
        ("list.html", "empty-page", "holds no table"),
    ],
)
def test_a_bad_document_is_one_line_and_writes_nothing(
    tmp_path: Path, name: str, make: str, reason: str
) -> None:
    path = tmp_path / name
    if make == "pdf":
        build_pdf(tmp_path / "real.pdf")
        shutil.copy(tmp_path / "real.pdf", path)
    elif make == "encrypted":
        build_encrypted_pdf(path)
    elif make == "damaged":
        build_pdf(tmp_path / "real.pdf")
        data = (tmp_path / "real.pdf").read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_text("<html><body><p>没有表格</p></body></html>", encoding="utf-8")
    overlay = tmp_path / "overlay"
    run = kuajing("catalog", "import", str(path), "--out", str(overlay), *ARGS)
    assert run.returncode == 2 and reason in run.stderr and name in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert not overlay.exists()
