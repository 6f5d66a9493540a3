"""The one-line errors the command line prints are in the user's language: Chinese with
`--lang zh` or a zh_* locale, English otherwise; a message nobody translated stays English."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kuajing.errors import KuajingError, LocatedError

ROOT = Path(__file__).resolve().parents[2]
BATCH = str(ROOT / "examples" / "trial-batch.csv")
ZH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}
EN = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}


def kuajing(tmp: Path, *args: str, env: dict[str, str]) -> str:
    """The error line of a command expected to fail."""
    exe = shutil.which("kuajing", path=str(Path(sys.executable).parent)) or "kuajing"
    ledger = {
        "KUAJING_DATABASE_URL": f"sqlite:///{tmp / 'ledger.sqlite3'}",
        "KUAJING_KEY_FILE": str(tmp / "ledger.key"),
    }
    run = subprocess.run(
        [exe, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp,
        env={**os.environ, **ledger, **env},
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    return run.stderr


BAD_FIELD = "processor: {name: X}\ntransfers:\n  - id: a\n    personal: -5\n"
BAD_DATE = "processor: {name: X}\ndate: 2026-13-01\ntransfers:\n  - id: a\n"
RECORD = ["ledger", "record", "--processor", "X", "--date", "2026-02-10", "--file", BATCH]

# (files to write, arguments, Chinese error, English error)
CASES = [
    ({}, ["assess", "nope.yaml"], "nope.yaml: 文件不存在", "nope.yaml: no such file"),
    ({}, ["scan", "nope.csv"], "nope.csv: 文件不存在", "nope.csv: no such file"),
    (
        {"bad.yaml": BAD_FIELD},
        ["assess", "bad.yaml"],
        "bad.yaml:4: transfers[0].personal: 应大于或等于 0",
        "bad.yaml:4: transfers[0].personal: Input should be greater than or equal to 0",
    ),
    (
        {"date.yaml": BAD_DATE},
        ["assess", "date.yaml"],
        "date.yaml:2: date: 不是有效日期（YYYY-MM-DD）",
        "date.yaml:2: date: Input should be a valid date",
    ),
    (
        {},
        ["scan", BATCH, "--date", "2026-99-01"],
        "--date: 不是日期（YYYY-MM-DD）：'2026-99-01'",
        "--date: not a date (YYYY-MM-DD): '2026-99-01'",
    ),
    (
        {},
        ["ledger", "status", "--processor", "X", "--as-of", "2026-02-30"],
        "--as-of: 应为日期 YYYY-MM-DD，收到 '2026-02-30'",
        "--as-of: expected a date YYYY-MM-DD, got '2026-02-30'",
    ),
    (
        {},
        [*RECORD, "--key", "nope"],
        "未知的 --key 列 'nope'；文件中的列为：受试者编号",
        "unknown --key column 'nope'; the file has: 受试者编号",
    ),
    (
        {},
        ["assess", BATCH],
        "请求应为包含 processor 和 transfers 的映射",
        "a request is a mapping with 'processor' and 'transfers'",
    ),
    (
        {},
        ["ledger", "status", "--processor", "Nobody"],
        "台账中没有名为 'Nobody' 的处理者",
        "no processor named 'Nobody' in the ledger",
    ),
    (
        {"zone.yaml": "processor: {name: X, zone: atlantis}\ntransfers: [{id: a}]\n"},
        ["assess", "zone.yaml"],
        "processor.zone: 规则库中没有名称 'atlantis'",
        "processor.zone: unknown name 'atlantis' in the catalogue",
    ),
]


@pytest.mark.parametrize(
    ("files", "args", "zh", "en"),
    CASES,
    ids=[" ".join(c[1][:2]).replace(BATCH, "batch") for c in CASES],
)
def test_common_errors_in_both_languages(
    tmp_path: Path, files: dict[str, str], args: list[str], zh: str, en: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert kuajing(tmp_path, *args, "--lang", "zh", env=EN).startswith("kuajing: 错误: ")
    assert zh in kuajing(tmp_path, *args, "--lang", "zh", env=EN)
    assert zh in kuajing(tmp_path, *args, env=ZH)  # the locale alone
    english = kuajing(tmp_path, *args, env=EN)
    assert english.startswith("kuajing: error: ") and en in english
    assert en in kuajing(tmp_path, *args, "--lang", "en", env=ZH)


def test_a_database_url_error_in_chinese(tmp_path: Path) -> None:
    env = {**ZH, "KUAJING_DATABASE_URL": "foo://"}
    line = kuajing(tmp_path, "ledger", "status", "--processor", "X", env=env)
    assert "数据库地址 'foo://' 无法使用" in line


def test_an_untranslated_message_stays_english() -> None:
    assert KuajingError("no such thing").in_lang("zh") == "no such thing"
    plain = LocatedError("is required", file="a.yaml", line=3, path="date")
    assert plain.in_lang("zh") == "a.yaml:3: date: is required"
    both = LocatedError("is required", zh="为必填项", file="a.yaml", line=3, path="date")
    assert (str(both), both.in_lang("zh")) == (
        "a.yaml:3: date: is required",
        "a.yaml:3: date: 为必填项",
    )
