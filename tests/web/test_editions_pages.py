"""The list-edition pages in a test client: the Beijing centre's administrator imports a table,
reads the diff and the decisions it changes, and publishes it (the company is notified and the
service assesses with it); a table that does not fit shows the form again with the reason; a
reviewer reads only, a company is refused, another zone finds nothing; every phrase exists."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.services.decisions import assess_and_log
from kuajing.web.i18n import phrases
from kuajing.zone.store import ZoneStore
from tests.tenants import add_user
from tests.web import support
from tests.web.support import form_csrf
from tests.zone.test_editions import FORM, new_table, trial_request


def sign_in(client: TestClient, email: str) -> None:
    """As another user: the last one's session is dropped first."""
    client.cookies.clear()
    support.sign_in(client, email)


@pytest.fixture
def people(web_db: str) -> dict[str, str]:
    add_user(web_db, "pharma", "m@pharma.example", "member", zone="beijing")
    add_user(web_db, "bj-centre", "a@bj.example", "admin", zone="beijing", kind="zone")
    add_user(web_db, "bj-centre", "r@bj.example", "reviewer", zone="beijing", kind="zone")
    add_user(web_db, "sh-centre", "a@sh.example", "admin", zone="shanghai", kind="zone")
    with Accounts.open(web_db) as store:
        company = store.principal_by_email("m@pharma.example")
        _, record = assess_and_log(store, company, trial_request("2026-03-02"), default_catalog())
    return {"decision": record.id}


def _import(client: TestClient, table: Path, **fields: str) -> Any:
    csrf = form_csrf(client.get("/zone/editions").text)
    with table.open("rb") as fh:
        return client.post(
            "/zone/editions",
            data={"csrf": csrf, **FORM, **fields},
            files={"file": (table.name, fh, "text/csv")},
        )


def test_import_review_and_publish(
    client: TestClient, web_db: str, people: dict[str, str], tmp_path: Path
) -> None:
    sign_in(client, "a@bj.example")
    assert 'data-testid="no-editions"' in client.get("/zone/editions").text
    made = _import(client, new_table(tmp_path))
    assert made.status_code == 200 and made.url.path.startswith("/zone/editions/")
    assert 'data-testid="edition-done"' in made.text
    [changed] = re.findall(r'data-testid="diff-changed">(.*?)</tr>', made.text, re.S)
    assert "10000" in changed and "20000" in changed and "受试者" in changed
    assert "diff-added" not in made.text and "diff-removed" not in made.text
    edition_url = made.url.path

    preview = client.get(edition_url, params={"effective_from": "2026-03-01"})
    [row] = re.findall(r'data-testid="impact-row">(.*?)</tr>', preview.text, re.S)
    assert "pharma Co., Ltd." in row and people["decision"][:8] in row
    assert "standard contract filing or certification" in row and "exempt" in row

    csrf = form_csrf(preview.text)
    done = client.post(
        f"{edition_url}/publish", data={"csrf": csrf, "effective_from": "2026-03-01"}
    )
    assert done.status_code == 200 and "done=published&notified=1" in str(done.url)
    assert 'data-testid="edition-state">published' in done.text
    assert 'data-testid="publish-form"' not in done.text
    listed = client.get("/zone/editions").text
    assert 'data-state="published"' in listed

    catalog = client.app.state.catalog  # type: ignore[attr-defined]
    assert catalog.lists["beijing-2026"].in_force.start.isoformat() == "2026-03-01"
    with Accounts.open(web_db) as store:
        company = store.principal_by_email("m@pharma.example")
        [notice] = ZoneStore(store.engine).notifications(company)
    assert "2026-03-01" in notice.text["en"] and "exempt" in notice.text["en"]


def test_a_table_that_does_not_fit_shows_the_form_again(
    client: TestClient, people: dict[str, str], tmp_path: Path
) -> None:
    sign_in(client, "a@bj.example")
    refused = _import(client, new_table(tmp_path), supersedes="beijing-1999")
    assert refused.status_code == 422
    assert 'data-testid="editions-error"' in refused.text
    assert "unknown list &#39;beijing-1999&#39;" in refused.text
    assert 'value="北京数据出境负面清单（2026版）"' in refused.text  # what was typed is kept
    blank = _import(client, new_table(tmp_path), published="")
    assert blank.status_code == 422 and "published" in blank.text


def test_only_the_zones_staff_see_and_only_its_administrator_acts(
    client: TestClient, people: dict[str, str], tmp_path: Path
) -> None:
    sign_in(client, "a@bj.example")
    url = _import(client, new_table(tmp_path)).url.path

    sign_in(client, "r@bj.example")
    shown = client.get(url)
    assert shown.status_code == 200 and 'data-testid="diff"' in shown.text
    assert 'data-testid="publish-form"' not in shown.text
    assert 'data-testid="import-form"' not in client.get("/zone/editions").text
    csrf = form_csrf(client.get("/zone/editions").text)
    publish = client.post(f"{url}/publish", data={"csrf": csrf, "effective_from": "2026-03-01"})
    assert publish.status_code == 403
    assert client.post(f"{url}/discard", data={"csrf": csrf}).status_code == 403

    sign_in(client, "a@sh.example")
    assert client.get(url).status_code == 404
    assert 'data-testid="no-editions"' in client.get("/zone/editions").text
    csrf = form_csrf(client.get("/zone/editions").text)
    assert client.post(f"{url}/discard", data={"csrf": csrf}).status_code == 404

    sign_in(client, "m@pharma.example")
    assert client.get("/zone/editions").status_code == 403
    assert client.get(url).status_code == 403


TEMPLATES = ("zone_editions.html", "zone_edition.html")


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_phrase_the_edition_pages_use_exists(template: str) -> None:
    text = files("kuajing.web").joinpath("templates", template).read_text(encoding="utf-8")
    used = set(re.findall(r"t\('([a-z_]+)'[,)]", text))
    used |= {f"editions_state_{s}" for s in ("draft", "published", "discarded")}
    used |= {f"editions_done_{s}" for s in ("imported", "published", "discarded")}
    used |= {f"editions_change_{s}" for s in ("added", "removed", "changed")}
    used |= {f"editions_kind_{s}" for s in ("negative", "general")}
    assert used and not used - set(phrases())


def test_a_company_administrator_loads_the_companys_own_list(
    client: TestClient, web_db: str, people: dict[str, str], tmp_path: Path
) -> None:
    """Our lists: a company's administrator loads a document as the company's own copy; the
    zone's staff do not see it, and a member of the company has no such page."""
    add_user(web_db, "pharma", "boss@pharma.example", "admin", zone="beijing")
    sign_in(client, "m@pharma.example")
    assert "/zone/editions" not in client.get("/dashboard").text
    assert client.get("/zone/editions").status_code == 403
    sign_in(client, "boss@pharma.example")
    assert 'href="/zone/editions"' in client.get("/dashboard").text
    listing = client.get("/zone/editions")
    assert 'data-testid="own-lists-lede"' in listing.text
    made = _import(client, new_table(tmp_path), list_id="pharma-own")
    assert made.status_code == 200 and 'data-testid="edition-done"' in made.text
    own = made.url.path
    sign_in(client, "a@bj.example")
    assert client.get(own).status_code == 404
    assert "pharma-own" not in client.get("/zone/editions").text
