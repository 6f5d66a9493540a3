"""The audit trail on SQLite and PostgreSQL: every user and role change, API token, ledger batch,
list edition, company's own list and review names who acted (the user, the API token they used,
or the operator at the command line), in the acting organisation's trail only, which that
organisation's admins alone read, newest first, a page at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.api.app import create_app
from kuajing.catalog import default_catalog
from kuajing.catalog.base import Text
from kuajing.catalog.layout import DESCRIPTION
from kuajing.ledger.ledger import Ledger
from kuajing.services import edition_review, zone_inspections, zone_review
from kuajing.services import zone_editions as editions
from kuajing.services.audit_trail import trail_page
from kuajing.services.recording import record_file
from kuajing.trail.models import Entry
from tests.documents import fictional
from tests.documents.make_pdf import build_pdf
from tests.tenants import PASSWORD, api_token
from tests.zone.test_edition_documents import FIXED, UNREAD
from tests.zone.test_editions import import_beijing, new_table
from tests.zone.test_review import beijing_filing, who

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "trial-batch.csv"
NEW = {"email": "new@pharma.example", "name": "Li Lei", "lang": "en", "password": PASSWORD}


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _trail(client: TestClient, token: str, **params: Any) -> dict[str, Any]:
    answer = client.get("/v1/audit", headers=_auth(token), params=params)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def _by_token(entry: dict[str, Any], email: str, role: str) -> bool:
    actor = entry["actor"]
    return (actor["kind"], actor["token"], actor["email"], actor["role"]) == (
        "token",
        "test",
        email,
        role,
    ) and isinstance(actor["token_id"], int)


def test_user_and_token_changes_name_the_token_that_made_them(
    client: TestClient, db_url: str
) -> None:
    admin = api_token(db_url, "pharma", "a@pharma.example", "admin")
    made = client.post("/v1/users", json=NEW, headers=_auth(admin))
    assert made.status_code == 201, made.text
    uid = made.json()["id"]
    assert client.patch(
        f"/v1/users/{uid}", json={"role": "viewer"}, headers=_auth(admin)
    ).is_success
    assert client.delete(f"/v1/users/{uid}", headers=_auth(admin)).status_code == 204
    created = client.post("/v1/tokens", json={"name": "ci"}, headers=_auth(admin)).json()
    tid = created["token"]["id"]
    assert client.delete(f"/v1/tokens/{tid}", headers=_auth(admin)).status_code == 204

    trail = _trail(client, admin)
    assert trail["chain"]["ok"] and trail["chain"]["problem"] is None
    newest = trail["entries"][:5]
    assert [e["action"] for e in newest] == [
        "token.revoked",
        "token.created",
        "user.disabled",
        "user.role_changed",
        "user.created",
    ]
    assert all(_by_token(e, "a@pharma.example", "admin") for e in newest)
    assert [e["subject"] for e in newest] == [str(tid), str(tid), str(uid), str(uid), str(uid)]
    assert newest[3]["detail"] == {"before": "member", "after": "viewer"}
    assert newest[1]["detail"] == {"name": "ci"}
    # Before: the operator made the organisation and the admin (command line), and the admin
    # made the token the test uses, signed in by password (a user, no token).
    older = [(e["action"], e["actor"]["kind"]) for e in trail["entries"][5:]]
    assert older == [("token.created", "user"), ("user.created", "operator"),
                     ("organisation.created", "operator")]  # fmt: skip
    text = str(trail)
    assert created["secret"] not in text and created["secret"][:10] not in text
    assert PASSWORD not in text and admin not in text


def test_ledger_batches_name_who_recorded_and_removed_them(
    client: TestClient, db_url: str, tmp_path: Path
) -> None:
    member = api_token(db_url, "pharma", "m@pharma.example", "member")
    admin = api_token(db_url, "pharma", "a@pharma.example", "admin")
    with SAMPLE.open("rb") as handle:
        made = client.post(
            "/v1/ledger/batches",
            headers=_auth(member),
            data={"date": "2026-02-10", "scenario": "临床试验"},
            files={"file": ("trial-batch.csv", handle, "text/csv")},
        )
    assert made.status_code == 201, made.text
    batch = made.json()["batch"]
    removed = client.delete(
        f"/v1/ledger/batches/{batch['digest'][:12]}",
        headers=_auth(admin),
        params={"reason": "recorded twice"},
    )
    assert removed.status_code == 200, removed.text
    again = tmp_path / "again.csv"  # the operator records another batch at the command line
    again.write_text(SAMPLE.read_text(encoding="utf-8") + "S9999,110105196505047390,,无\n")
    with Ledger.open(db_url, tmp_path / "ledger.key") as ledger:
        record_file(
            ledger, default_catalog(), who=None, processor="pharma Co., Ltd.",
            date=dt.date(2026, 2, 11), path=again,
        )  # fmt: skip

    trail = _trail(client, admin)
    operator, gone, recorded = trail["entries"][:3]
    assert (
        recorded["action"] == "ledger.batch_recorded" and gone["action"] == "ledger.batch_removed"
    )
    assert _by_token(recorded, "m@pharma.example", "member")
    assert _by_token(gone, "a@pharma.example", "admin")
    assert recorded["subject"] == gone["subject"] == batch["digest"][:12]
    assert recorded["detail"] == {
        "processor": "pharma Co., Ltd.",
        "export_date": "2026-02-10",
        "rows": batch["rows"],
        "persons": batch["persons"],
    }
    assert (operator["action"], operator["actor"]["kind"]) == ("ledger.batch_recorded", "operator")
    assert trail["chain"]["ok"]
    raw = SAMPLE.read_text(encoding="utf-8").splitlines()[1].split(",")
    assert not any(value in str(trail) for value in raw[1:3])  # no resident ID, no mobile


def _actions(entries: list[Entry], prefix: str) -> list[tuple[str, str | None]]:
    """Oldest first: (action, acting e-mail)."""
    return [(e.action, e.actor.email) for e in reversed(entries) if e.action.startswith(prefix)]


def test_list_editions_and_a_companys_own_lists_name_who_acted(db_url: str, tmp_path: Path) -> None:
    centre = who(db_url, "bj-centre", "a@bj.example", "beijing", "admin", "zone")
    company = who(db_url, "hn-co", "a@hn.example", "hainan", "admin")
    build_pdf(tmp_path / "list.pdf")
    with Accounts.open(db_url) as store:
        first = import_beijing(store, centre, new_table(tmp_path))
        editions.discard(store, centre, first.id)
        second = import_beijing(store, centre, new_table(tmp_path))
        editions.publish(store, centre, second.id, dt.date(2026, 3, 1), default_catalog())
        own = editions.import_edition(
            store, company, tmp_path / "list.pdf", list_id="hainan-2024", edition="官方文件",
            title=Text(zh=fictional.TITLE, en="FICTIONAL test list"),
            published=dt.date(2025, 2, 19), source="HN-OWN-COPY", source_title="虚构测试清单",
        )  # fmt: skip
        edition_review.confirm_read(store, company, own)
        edition_review.correct(store, company, own, UNREAD, {DESCRIPTION: FIXED})
        edition_review.confirm(store, company, own, [UNREAD])
        editions.publish(store, company, own.id, dt.date(2025, 2, 19), default_catalog())
        zone_side = trail_page(store, centre).entries
        company_side = trail_page(store, company).entries
    bj = "a@bj.example"
    assert _actions(zone_side, "edition.") == [
        ("edition.uploaded", bj), ("edition.discarded", bj),
        ("edition.uploaded", bj), ("edition.published", bj),
    ]  # fmt: skip
    published = next(e for e in zone_side if e.action == "edition.published")
    assert published.subject == second.id and published.detail["effective_from"] == "2026-03-01"
    assert published.detail["list_id"] == "beijing-2026"
    hn = "a@hn.example"
    assert _actions(company_side, "overlay.") == [
        ("overlay.uploaded", hn), ("overlay.rows_confirmed", hn), ("overlay.row_corrected", hn),
        ("overlay.rows_confirmed", hn), ("overlay.published", hn),
    ]  # fmt: skip
    corrected = next(e for e in company_side if e.action == "overlay.row_corrected")
    assert corrected.detail["columns"] == [DESCRIPTION] and FIXED not in str(corrected.detail)
    assert not _actions(company_side, "edition.") and not _actions(zone_side, "overlay.")


def test_reviews_and_inspections_are_in_the_acting_organisations_trail(db_url: str) -> None:
    company = who(db_url, "pharma", "m@pharma.example", "beijing")
    admin = who(db_url, "pharma", "a@pharma.example", "beijing", "admin")
    centre = who(db_url, "bj-centre", "r@bj.example", "beijing", "reviewer", "zone")
    centre_admin = who(db_url, "bj-centre", "a@bj.example", "beijing", "admin", "zone")
    cat, on = default_catalog(), dt.date(2026, 9, 28)
    with Accounts.open(db_url) as store:
        filing_id = beijing_filing(store, company)
        s = zone_review.submit(store, company, filing_id, on, cat)
        zone_review.act(store, centre, s.id, "request_info", on, cat, "penalties missing")
        zone_review.act(store, company, s.id, "answer", on, cat, "none")
        zone_inspections.open_inspection(store, centre, filing_id, on, cat, "sampling")
        theirs = trail_page(store, admin).entries
        ours = trail_page(store, centre_admin).entries
    assert _actions(theirs, "review.") == [
        ("review.submit", "m@pharma.example"), ("review.answer", "m@pharma.example"),
    ]  # fmt: skip
    assert _actions(ours, "review.") == [("review.request_info", "r@bj.example")]
    assert _actions(ours, "inspection.") == [("inspection.open", "r@bj.example")]
    assert all("penalties" not in str(e.detail) for e in ours)  # the reason's text stays out


def test_only_the_organisations_admins_read_its_trail(client: TestClient, db_url: str) -> None:
    pharma = api_token(db_url, "pharma", "a@pharma.example", "admin")
    bank = api_token(db_url, "bank", "a@bank.example", "admin")
    for role in ("member", "viewer"):
        token = api_token(db_url, "pharma", f"{role}@pharma.example", role)  # type: ignore[arg-type]
        refused = client.get("/v1/audit", headers=_auth(token))
        assert refused.status_code == 403, refused.text
    assert client.get("/v1/audit").status_code == 401
    theirs = _trail(client, bank)
    assert [e["action"] for e in theirs["entries"]] == [
        "token.created", "user.created", "organisation.created",
    ]  # fmt: skip
    assert "pharma" not in str(theirs)
    ours = _trail(client, pharma)
    assert len(ours["entries"]) == 7 and ours["before"] is None  # the organisation, 3 users
    first = _trail(client, pharma, limit=3)
    second = _trail(client, pharma, limit=3, before=first["before"])
    ids = [e["id"] for e in first["entries"] + second["entries"]]
    assert ids == [e["id"] for e in ours["entries"][:6]] and ids == sorted(ids, reverse=True)


def test_an_action_is_refused_whole_when_its_entry_cannot_be_written(
    db_url: str, tmp_path: Path
) -> None:
    """The trail is keyed by the installation's secret: accounts given another key refuse to
    act (their entries would never verify) and leave nothing half-written."""
    api_token(db_url, "pharma", "a@pharma.example", "admin")
    with Accounts.open(db_url, tmp_path / "other.key") as store:
        admin: Principal = store.principal_by_email("a@pharma.example")
        with pytest.raises(Exception, match="another secret"):
            store.add_user(admin, "new@pharma.example", PASSWORD)
        assert [u.email for u in store.users(admin)] == ["a@pharma.example"]
