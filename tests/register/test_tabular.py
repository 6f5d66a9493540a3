"""The register's file layout: English or Chinese column names, `;` between list items, every
bad row named by row and column with nothing written, and export read back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuajing.accounts.store import Accounts
from kuajing.errors import RegisterInvalid
from kuajing.register import tabular
from kuajing.register.store import FlowStore
from kuajing.services import register
from tests.register.test_store import trial, who

HEADER = "key,name,scenario,recipient_country,frequency,personal,sensitive,fields,exemption\n"


def _csv(tmp_path: Path, text: str, name: str = "register.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_chinese_column_names_and_words_are_read(tmp_path: Path) -> None:
    head = "编号,名称,场景,接收方国家,频率,个人信息人数,字段,状态\n"
    row = 'Trial-Data,临床试验数据,临床试验,德国,每月,"1,000",姓名；年龄; 不良事件,计划\n'
    path = _csv(tmp_path, head + row)
    [flow] = tabular.read_flows(path)
    assert (flow.key, flow.recipient.country, flow.frequency, flow.status) == (
        "trial-data", "DE", "monthly", "planned",
    )  # fmt: skip
    assert (flow.personal, flow.fields) == (1000, ["姓名", "年龄", "不良事件"])


def test_every_bad_row_is_one_line_naming_row_and_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER
                + "a,A,临床试验,DE,monthly,10,0,,\n"
                + "b,B,临床试验,Germny,monthly,10,0,,\n"
                + "c,C,,DE,hourly,10,0,,\n"
                + "a,again,,DE,monthly,10,0,,\n"
                + "d,D,,DE,monthly,ten,0,,\n"
                + "e,E,,DE,monthly,10,20,,holiday\n")  # fmt: skip
    with pytest.raises(RegisterInvalid) as caught:
        tabular.read_flows(path)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("register.csv: row 3, column recipient_country: 'Germny' is not")
    assert [line.split(": ")[1] for line in lines] == [
        "row 3, column recipient_country",
        "row 4, column frequency",
        "row 5, column key",
        "row 6, column personal",
        "row 7, column exemption",
    ]
    assert "第 2 行重复" in caught.value.in_lang("zh")


def test_an_unknown_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RegisterInvalid, match="row 1, column recipent: is not a column"):
        tabular.read_flows(_csv(tmp_path, "key,name,recipent\na,A,X\n"))


def test_a_bad_file_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    me = who(url, "pharma", "a@pharma.example")
    path = _csv(tmp_path, HEADER + "a,A,,DE,monthly,10,0,,\nb,B,,XX,monthly,10,0,,\n")
    with Accounts.open(url) as accounts:
        store = FlowStore(accounts.engine)
        with pytest.raises(RegisterInvalid):
            register.import_file(store, me, path)
        assert store.all(me) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_export_reads_back_unchanged(tmp_path: Path, fmt: str, lang: str) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    me = who(url, "pharma", "a@pharma.example")
    flows = [
        trial(fields=["姓名", "年龄"], categories=["健康生理"], persons=1000, sensitive=200),
        trial(key="hr", name="-HR =export", exemption="hr", frequency="yearly", status="paused",
              starts="2026-07-01", recipient={"country": "SG", "foreign_authority": True}),
    ]  # fmt: skip
    with Accounts.open(url) as accounts:
        store = FlowStore(accounts.engine)
        store.import_all(me, flows)
        path = tmp_path / f"out.{fmt}"
        path.write_bytes(register.export(store, me, fmt, lang))  # type: ignore[arg-type]
        assert tabular.read_flows(path) == [s.flow for s in store.all(me)]
        again = register.import_file(store, me, path)
    assert (again.added, again.changed, again.unchanged) == ([], [], 2)


def test_a_word_the_pages_use_is_not_a_key(tmp_path: Path) -> None:
    """/register/new, /import and /whatif are pages: a file cannot make a flow of those keys."""
    path = tmp_path / "r.csv"
    path.write_text("key,name\nimport,A flow\n", encoding="utf-8")
    with pytest.raises(RegisterInvalid, match="row 2, column key"):
        tabular.read_flows(path)
