"""The audit trail page (admins only) in a test client: who did what, in plain words in the
reader's language, with no internal codes, and a warning when the trail does not verify."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.lang import Lang
from kuajing.services.audit_lines import what
from kuajing.trail.models import Actor, Entry
from kuajing.trail.schema import audit_trail
from kuajing.web.i18n import phrases
from tests.web.support import PASSWORD, add_user, form_csrf, sign_in

NEW = {"email": "new@pharma.example", "name": "Li Lei", "role": "member", "lang": "en"}


def _admin_adds_a_user(client: TestClient, db: str, lang: Lang = "en") -> None:
    add_user(db, "pharma", "admin@pharma.example", "admin", lang=lang)
    sign_in(client, "admin@pharma.example")
    csrf = form_csrf(client.get("/users").text)
    added = client.post("/users", data={**NEW, "password": PASSWORD, "csrf": csrf})
    assert added.status_code == 200, added.text


def test_an_admin_reads_who_did_what(client: TestClient, web_db: str) -> None:
    _admin_adds_a_user(client, web_db)
    shown = client.get("/audit")
    assert shown.status_code == 200, shown.text
    html = shown.text
    assert 'href="/audit"' in html and "Audit trail of Pharma Co., Ltd." in html
    assert 'data-testid="audit-intact"' in html and "all 3 entries check out" in html
    assert "admin (admin)" in html and "added the user new@pharma.example as member" in html
    assert "The operator (command line)" in html and "created the organisation" in html
    for code in ("user.created", "organisation.created", "audit_what", "role_admin"):
        assert code not in html, code
    assert 'data-testid="audit-broken"' not in html


def test_the_page_in_chinese(client: TestClient, web_db: str) -> None:
    _admin_adds_a_user(client, web_db, lang="zh")
    html = client.get("/audit").text
    assert "Pharma Co., Ltd.的审计记录" in html and "全部 3 条记录均核验无误" in html
    assert "admin（管理员）" in html and "添加了用户 new@pharma.example，角色为成员" in html
    assert "系统操作员（命令行）" in html and "Audit trail" not in html


def test_others_are_kept_out(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "admin@pharma.example", "admin")
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    refused = client.get("/audit")
    assert refused.status_code == 403 and "admin@pharma.example" not in refused.text
    assert 'href="/audit"' not in client.get("/dashboard").text


def test_a_trail_that_does_not_verify_is_announced(client: TestClient, web_db: str) -> None:
    _admin_adds_a_user(client, web_db)
    with Accounts.open(web_db) as store, store.engine.begin() as conn:
        first = conn.execute(sa.select(sa.func.min(audit_trail.c.id))).scalar_one()
        conn.execute(sa.delete(audit_trail).where(audit_trail.c.id == first))
    html = client.get("/audit").text
    assert 'data-testid="audit-broken"' in html and 'role="alert"' in html
    assert "the audit trail does not verify" in html.lower()
    assert "an entry was deleted or the order changed" in html
    assert 'data-testid="audit-intact"' not in html


def test_a_list_is_named_by_its_title_not_its_id() -> None:
    catalog = default_catalog()
    [(list_id, zl)] = [(i, z) for i, z in catalog.lists.items() if "beijing" in i][:1]
    entry = Entry(
        id=1,
        at="2026-12-06T09:00:00+00:00",
        actor=Actor(kind="operator"),
        action="edition.uploaded",
        subject="e1",
        detail={"list_id": list_id, "edition": "2025"},
    )
    for lang in ("zh", "en"):
        titles = {i: z.title.get(lang) for i, z in catalog.lists.items()}
        said = what(entry, lang, phrases(), {}, titles)  # type: ignore[arg-type]
        assert zl.title.get(lang) in said and f" {list_id} " not in said, said
