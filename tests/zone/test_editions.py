"""List editions, on SQLite and PostgreSQL: the Beijing centre's administrator imports a new
edition of the Beijing list (the 2024 list's official table with the clinical-trial contract band
raised from 10,000 to 20,000 persons), reads the one change, sees which companies' decisions it
changes, and publishes it; the Beijing company whose 12,000-person transfer becomes exempt is
notified, a company registered in Shanghai is not, and decisions dated from the effective date
on use the new edition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.catalog.base import Text
from kuajing.engine import Request, assess
from kuajing.errors import CatalogError, Forbidden, InvalidTransition, KuajingError, NotFound
from kuajing.filing.store import Filings
from kuajing.services import filings as filing_service
from kuajing.services import zone_editions as editions
from kuajing.services.decisions import assess_and_log
from kuajing.services.tables import export_list
from kuajing.zone.editions import placement, with_editions
from kuajing.zone.models import Edition
from tests.zone.test_review import who

D = dt.date
OLD_BAND, NEW_BAND = "1万人以上、不满5万人", "2万人以上、不满5万人"
# The new edition's fields, as the import form and the API take them.
FORM = {
    "list_id": "beijing-2026",
    "edition": "2026版",
    "title_zh": "北京数据出境负面清单（2026版）",
    "title_en": "Beijing negative list, 2026",
    "published": "2026-02-20",
    "source": "BJ-2026-TABLE",
    "source_title": "北京清单2026版官方表格",
    "supersedes": "beijing-2024",
}


def trial_request(day: str, zone: str = "beijing") -> Request:
    return Request.model_validate(
        {
            "date": day,
            "processor": {"name": "Example Pharma", "zone": zone},
            "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
        }
    )


def new_table(folder: Path, before: str = OLD_BAND, after: str = NEW_BAND) -> Path:
    """The Beijing 2024 list's official table (`catalog export`) with one band changed."""
    table = folder / "beijing-2026.csv"
    export_list(default_catalog(), "beijing-2024", table)
    text = table.read_text(encoding="utf-8-sig")
    assert text.count(before) == 1  # the clinical-trial contract band, and only it
    table.write_text(text.replace(before, after), encoding="utf-8")
    return table


def import_beijing(store: Accounts, admin: Principal, table: Path, **extra: Any) -> Edition:
    fields: dict[str, Any] = {
        k: v for k, v in FORM.items() if k not in ("title_zh", "title_en", "published")
    }
    fields["title"] = Text(zh=FORM["title_zh"], en=FORM["title_en"])
    fields["published"] = D.fromisoformat(FORM["published"])
    return editions.import_edition(store, admin, table, **{**fields, **extra})


@pytest.fixture
def people(db_url: str) -> dict[str, Principal]:
    return {
        "pharma": who(db_url, "pharma", "m@pharma.example", "beijing"),
        "shanghai_co": who(db_url, "sh-pharma", "m@shpharma.example", "shanghai"),
        "admin": who(db_url, "bj-centre", "a@bj.example", "beijing", "admin", "zone"),
        "reviewer": who(db_url, "bj-centre", "r@bj.example", "beijing", "reviewer", "zone"),
        "sh_admin": who(db_url, "sh-centre", "a@sh.example", "shanghai", "admin", "zone"),
    }


def test_import_diff_impact_publish_and_notify(
    db_url: str, people: dict[str, Principal], tmp_path: Path
) -> None:
    cat, pharma, admin = default_catalog(), people["pharma"], people["admin"]
    with Accounts.open(db_url) as store:
        decision, record = assess_and_log(store, pharma, trial_request("2026-03-02"), cat)
        assert decision.transfers[0].pathway == "standard_contract_or_certification"
        source = filing_service.from_log(store, pharma, record.id)
        made = filing_service.create_filings(
            store, Filings(store.engine), pharma, source, cat, "en"
        )
        # The same export by a company registered in Shanghai: not the Beijing centre's concern.
        shanghai = people["shanghai_co"]
        assess_and_log(store, shanghai, trial_request("2026-03-02"), cat)

        draft = import_beijing(store, admin, new_table(tmp_path))
        assert (draft.state, draft.zone, draft.replaces) == ("draft", "beijing", "beijing-2024")
        assert "BJ-2026-TABLE" in draft.sources

        view = editions.diff_edition(store, admin, draft.id, cat, D(2026, 11, 1))
        assert (view.diff.a, view.diff.b) == ("beijing-2024", "beijing-2026")
        assert not view.diff.added and not view.diff.removed
        [change] = view.diff.changed
        assert "'at_least': 10000" in (change.before or "")
        assert "'at_least': 20000" in (change.after or "")

        [hit] = editions.impact(store, admin, draft.id, cat, D(2026, 3, 1))
        assert (hit.company, hit.decision_id, hit.transfer) == (
            pharma.organisation.name,
            record.id,
            "t1",
        )
        assert hit.before.pathway == "standard_contract_or_certification"
        assert hit.after.pathway == "exempt" and hit.as_of == D(2026, 3, 2)
        assert {f.id for f in hit.filings} == {f.id for f in made.filings}
        # Effective after the decision's date: assessed on the effective date, same change.
        [later] = editions.impact(store, admin, draft.id, cat, D(2026, 4, 1))
        assert later.as_of == D(2026, 4, 1)

        published, impacts = editions.publish(store, admin, draft.id, D(2026, 3, 1), cat)
        assert published.state == "published" and published.effective_from == D(2026, 3, 1)
        assert [i.organisation_id for i in impacts] == [pharma.organisation.id]

        [told] = editions.store(store).notifications(pharma)
        assert (told.subject, told.subject_id) == ("edition", draft.id)
        assert "2026版" in told.text["zh"] and "2026-03-01" in told.text["zh"]
        assert "Beijing negative list, 2026" in told.text["en"]
        assert "standard contract filing or certification" in told.text["en"]
        assert "→ exempt" in told.text["en"] and record.id[:8] in told.text["en"]
        assert editions.store(store).notifications(shanghai) == []

        now = editions.current(store)
        assert now.lists["beijing-2024"].in_force.until == D(2026, 2, 28)
        assert now.lists["beijing-2026"].in_force.until == D(2026, 5, 10)  # beijing-2025 next
        on_and_after = assess(trial_request("2026-03-01"), now).transfers[0]
        assert on_and_after.pathway == "exempt" and on_and_after.origin.startswith("zone edition")
        before = assess(trial_request("2026-02-27"), now).transfers[0]
        assert before.pathway == "standard_contract_or_certification"
        _, after_publishing = assess_and_log(store, pharma, trial_request("2026-03-05"), now)
        assert '"pathway":"exempt"' in after_publishing.decision.replace(" ", "")
        # Published: no longer a draft to publish, discard or preview.
        for attempt in (
            lambda: editions.publish(store, admin, draft.id, D(2026, 3, 2), now),
            lambda: editions.discard(store, admin, draft.id),
            lambda: editions.impact(store, admin, draft.id, now, D(2026, 3, 2)),
        ):
            with pytest.raises(InvalidTransition):
                attempt()
        # The published edition diffs against what was in force the day before.
        assert editions.diff_edition(store, admin, draft.id, now, D(2026, 11, 1)).diff.changed


def test_only_the_zone_administrator_writes_and_only_the_zone_reads(
    db_url: str, people: dict[str, Principal], tmp_path: Path
) -> None:
    cat, admin = default_catalog(), people["admin"]
    table = new_table(tmp_path)
    with Accounts.open(db_url) as store:
        for someone in (people["reviewer"], people["pharma"]):
            with pytest.raises(Forbidden):
                import_beijing(store, someone, table)
        draft = import_beijing(store, admin, table)
        assert [e.id for e in editions.editions(store, people["reviewer"])] == [draft.id]
        editions.diff_edition(store, people["reviewer"], draft.id, cat, D(2026, 11, 1))
        with pytest.raises(Forbidden):
            editions.publish(store, people["reviewer"], draft.id, D(2026, 3, 1), cat)
        with pytest.raises(Forbidden):
            editions.editions(store, people["pharma"])
        with pytest.raises(Forbidden):
            editions.diff_edition(store, people["pharma"], draft.id, cat, D(2026, 11, 1))
        sh = people["sh_admin"]
        assert editions.editions(store, sh) == []
        with pytest.raises(NotFound):
            editions.diff_edition(store, sh, draft.id, cat, D(2026, 11, 1))
        with pytest.raises(NotFound):
            editions.publish(store, sh, draft.id, D(2026, 3, 1), cat)
        with pytest.raises(NotFound):
            editions.discard(store, sh, draft.id)

        gone = editions.discard(store, admin, draft.id)
        assert gone.state == "discarded"
        with pytest.raises(InvalidTransition):
            editions.publish(store, admin, draft.id, D(2026, 3, 1), cat)
        assert import_beijing(store, admin, table).list_id == "beijing-2026"  # id free again
        assert editions.current(store).lists == cat.lists  # nothing published


def test_an_edition_that_does_not_fit_the_catalogue_is_refused_where_it_fails(
    db_url: str, people: dict[str, Principal], tmp_path: Path
) -> None:
    admin = people["admin"]
    with Accounts.open(db_url) as store:
        with pytest.raises(CatalogError, match="unknown list 'beijing-1999'") as located:
            import_beijing(store, admin, new_table(tmp_path), supersedes="beijing-1999")
        assert str(located.value).startswith("edition: lists/beijing/beijing-2026.yaml:")
        assert "\n" not in str(located.value)
        with pytest.raises(KuajingError, match="is a list of the catalogue"):
            import_beijing(store, admin, new_table(tmp_path), list_id="beijing-2024")
        with pytest.raises(KuajingError, match="give its title"):
            import_beijing(store, admin, new_table(tmp_path), source_title=None)
        bad = new_table(tmp_path, after="两万人左右")
        with pytest.raises(CatalogError, match="threshold"):
            import_beijing(store, admin, bad)
        assert editions.editions(store, admin) == []
        draft = import_beijing(store, admin, new_table(tmp_path))
        with pytest.raises(KuajingError, match="already takes effect on 2026-05-11"):
            editions.publish(store, admin, draft.id, D(2026, 5, 11), default_catalog())


def test_placement_ends_the_list_in_force_and_stops_before_the_next() -> None:
    cat = default_catalog()
    new = cat.lists["beijing-2024"].model_copy(update={"id": "beijing-x"})
    periods = placement(cat.lists.values(), new, D(2026, 7, 1))
    assert periods["beijing-x"].start == D(2026, 7, 1) and periods["beijing-x"].until is None
    assert periods["beijing-2025"].until == D(2026, 6, 30)
    assert "beijing-2024" not in periods and "shanghai-2025" not in periods
    early = placement(cat.lists.values(), new, D(2025, 1, 1))
    assert early["beijing-x"].until == D(2026, 5, 10)
    assert early["beijing-2024"].until == D(2024, 12, 31)


def test_with_no_editions_the_catalogue_is_unchanged() -> None:
    assert with_editions(default_catalog(), []) is default_catalog()
