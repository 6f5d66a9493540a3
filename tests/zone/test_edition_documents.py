"""A list edition loaded from an official document, reviewed and published, on SQLite and
PostgreSQL: the Beijing centre's administrator loads the FICTIONAL two-page list (PDF), sees
each row and the one it could not read, corrects that row's description (the correction is
recorded with who and when), confirms the rows, and publishes. A company's decision through the
edition names the document's page and row and who confirmed it. Publishing with rows left
unconfirmed needs an explicit choice, and those rows then answer needs_review. A company's
administrator loads its own copy of a list, which governs that company's decisions alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.catalog.base import Text
from kuajing.catalog.layout import DESCRIPTION
from kuajing.engine import Request, assess
from kuajing.errors import Forbidden, InvalidTransition, NotFound, RequestError
from kuajing.services import edition_review as review
from kuajing.services import zone_editions as editions
from kuajing.zone.models import Edition
from tests.documents import fictional
from tests.documents.make_docx import build_docx
from tests.documents.make_pdf import build_pdf
from tests.zone.test_review import who

UNREAD = 10  # the row whose threshold names two kinds of PI (fictional.BODY[10])
FIXED = (
    "自当年1月1日起累计向境外提供100万人以上个人信息（不含敏感个人信息）的，"
    "包括客户名称、联系人姓名、联系人电话等。"
)


@pytest.fixture
def admin(db_url: str) -> Principal:
    return who(db_url, "bj-centre", "a@bj.example", "beijing", "admin", "zone")


def _load(db_url: str, admin: Principal, document: Path) -> Edition:
    with Accounts.open(db_url) as store:
        return editions.import_edition(
            store, admin, document, list_id="fictional-test", edition="测试版",
            title=Text(zh=fictional.TITLE, en="FICTIONAL test list"),
            published=dt.date(2026, 7, 1), source="FICTIONAL-DOC", source_title="虚构测试清单",
        )  # fmt: skip


def _request(scenario: str, personal: int) -> Request:
    return Request.model_validate(
        {
            "date": "2026-08-01",
            "processor": {"name": "Example Co", "zone": "beijing"},
            "transfers": [{"id": "t", "scenario": scenario, "personal": personal}],
        }
    )


def test_review_correct_confirm_publish(db_url: str, admin: Principal, tmp_path: Path) -> None:
    build_pdf(tmp_path / "list.pdf")
    draft = _load(db_url, admin, tmp_path / "list.pdf")
    with Accounts.open(db_url) as store:
        found = review.review(store, draft)
        assert found is not None and found.format == "pdf" and found.pages == 2
        assert len(found.rows) == len(fictional.BODY) and found.doubtful == 1
        assert [r.idx for r in found.rows if r.why] == [UNREAD]
        assert "two lower bounds" in (found.rows[UNREAD].why or {}).get("en", "")
        assert found.per_page() == {1: (9, 0), 2: (2, 1)}
        assert review.row_image(store, draft, 0) is not None  # a PNG of the row's region

        changed = review.correct(store, admin, draft, UNREAD, {DESCRIPTION: FIXED})
        assert changed == [DESCRIPTION]
        found = review.review(store, draft)
        assert found is not None and found.doubtful == 0
        [fix] = found.corrections
        assert (fix.idx, fix.column, fix.after) == (UNREAD, DESCRIPTION, FIXED)
        assert "a@bj.example" in fix.by and fix.at

        with pytest.raises(InvalidTransition, match="12 rows of the document are not confirmed"):
            editions.publish(store, admin, draft.id, dt.date(2026, 7, 1), default_catalog())
        assert review.confirm_read(store, admin, draft) == len(fictional.BODY)
        _published, _ = editions.publish(
            store, admin, draft.id, dt.date(2026, 7, 1), default_catalog()
        )
        catalog = editions.current(store)
    [t] = assess(_request("示例仓储协同", 2_000_000), catalog).transfers
    assert (t.pathway.value, t.status) == ("security_assessment", "determined")
    [loaded] = [r.source.loaded for r in t.reasons if r.source.loaded]
    assert "page 2, table 2" in loaded and "reviewed by" in loaded and "a@bj.example" in loaded


def test_publishing_with_rows_unconfirmed_keeps_them_for_review(
    db_url: str, admin: Principal, tmp_path: Path
) -> None:
    build_pdf(tmp_path / "list.pdf")
    draft = _load(db_url, admin, tmp_path / "list.pdf")
    with Accounts.open(db_url) as store:
        review.confirm(store, admin, draft, [0, 1, 2, 3])  # the first scenario's rows
        editions.publish(
            store, admin, draft.id, dt.date(2026, 7, 1), default_catalog(), leave_unconfirmed=True
        )
        catalog = editions.current(store)
        data = yaml.safe_load(editions.edition(store, admin, draft.id).data)
    entries = [e for s in data["sectors"] for e in s.get("entries", [])]
    held = [e for e in entries if e["trigger"] == "unknown"]
    assert len(held) == len(fictional.BODY) - 4
    assert all("not confirmed" in e["review"]["en"] for e in held if e is not entries[UNREAD])
    [t] = assess(_request("示例设备售后服务", 1_000_000), catalog).transfers
    assert (t.pathway.value, t.status) == ("security_assessment", "determined")  # confirmed
    [t] = assess(_request("示例研发协同", 600_000), catalog).transfers
    assert t.status == "needs_review"  # its rows were left unconfirmed


def test_a_docx_has_no_page_image(db_url: str, admin: Principal, tmp_path: Path) -> None:
    build_docx(tmp_path / "list.docx")
    draft = _load(db_url, admin, tmp_path / "list.docx")
    with Accounts.open(db_url) as store:
        found = review.review(store, draft)
        assert found is not None and found.format == "docx"
        assert review.row_image(store, draft, 0) is None


# --- a company's own copy of a list ---------------------------------------------------------


def _hainan(personal: int) -> Request:
    return Request.model_validate(
        {
            "date": "2026-08-01",
            "processor": {"name": "Example Co", "zone": "hainan"},
            "transfers": [{"id": "t", "scenario": "示例跨境包裹配送", "personal": personal}],
        }
    )


def test_a_companys_own_list_governs_its_decisions_only(db_url: str, tmp_path: Path) -> None:
    """A Hainan company's administrator loads the official Hainan list the company holds (here
    the fictional one) under the shipped list's id: it replaces the headers-only list for that
    company alone. Another Hainan company, the zone's staff and the service's catalogue do not
    see it."""
    mine = who(db_url, "hn-co", "a@hn.example", "hainan", "admin")
    other = who(db_url, "hn-other", "a@other.example", "hainan", "admin")
    member = who(db_url, "hn-co", "m@hn.example", "hainan", "member")
    centre = who(db_url, "hn-centre", "a@hncentre.example", "hainan", "admin", "zone")
    build_pdf(tmp_path / "list.pdf")
    with Accounts.open(db_url) as store:
        draft = editions.import_edition(
            store, mine, tmp_path / "list.pdf", list_id="hainan-2024", edition="官方文件",
            title=Text(zh=fictional.TITLE, en="FICTIONAL test list"),
            published=dt.date(2025, 2, 19), source="HN-OWN-COPY", source_title="虚构测试清单",
        )  # fmt: skip
        assert draft.private
        review.confirm_read(store, mine, draft)
        review.correct(store, mine, draft, UNREAD, {DESCRIPTION: FIXED})
        review.confirm(store, mine, draft, [UNREAD])
        editions.publish(store, mine, draft.id, dt.date(2025, 2, 19), default_catalog())
        service = editions.current(store)
        theirs, ours = (editions.catalog_for(store, service, p) for p in (other, mine))
        for outsider in (other, centre):
            with pytest.raises(NotFound):
                editions.edition(store, outsider, draft.id)
            assert draft.id not in {e.id for e in editions.editions(store, outsider)}
        with pytest.raises(Forbidden):
            editions.editions(store, member)
    [t] = assess(_hainan(600_000), ours).transfers
    assert (t.pathway.value, t.status) == ("standard_contract_or_certification", "determined")
    for catalog in (theirs, service):  # the scenario exists only in the company's own list
        with pytest.raises(RequestError, match="unknown name '示例跨境包裹配送'"):
            assess(_hainan(600_000), catalog)
    assert theirs is service  # a company with no list of its own uses the service's catalogue
