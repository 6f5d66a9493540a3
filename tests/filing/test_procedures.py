"""Procedures read like the law: deadlines on the PRC calendar across Spring Festival and National
Day, the 60-working-day extension window at its edges, and events refused with the reason."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from kuajing.catalog import default_catalog, load_catalog
from kuajing.catalog.loader import RULES_DIR
from kuajing.catalog.procedures import Procedure
from kuajing.engine import Request, assess
from kuajing.errors import CatalogInvalid, InvalidTransition
from kuajing.filing.deadlines import statuses
from kuajing.filing.machine import advance
from kuajing.filing.models import DeadlineStatus, Event
from kuajing.filing.required import required
from kuajing.services.documents import _zone
from kuajing.services.filings import Source
from kuajing.workdays import add_working_days, default_calendar, working_days_between

D = dt.date


def _procedure(pid: str) -> Procedure:
    return default_catalog().procedures[pid]


def _run(pid: str, *steps: tuple[str, dt.date]) -> tuple[str, list[Event]]:
    """The state and history after recording `steps` from the start."""
    p = _procedure(pid)
    state, events = p.start or "", []
    for name, on in steps:
        state = advance(p, state, events, name, on, default_calendar())
        events.append(Event(event=name, on=on, recorded_at="t", state=state))
    return state, events


def _deadline(pid: str, events: list[Event], rule_id: str, as_of: dt.date) -> DeadlineStatus:
    found = statuses(_procedure(pid), events, False, as_of, default_calendar(), "en")
    return next(d for d in found if d.id == rule_id)


def test_scc_filing_within_10_working_days_across_spring_festival_2026() -> None:
    # Contract in effect Thu 12 Feb 2026. Working days after it: Fri 13 (1), Sat 14 make-up (2);
    # 15-23 Feb Spring Festival; Tue 24-Fri 27 (3-6), Sat 28 make-up (7), Mon 2-Wed 4 Mar (8-10).
    _, events = _run("scc-filing", ("contract_effective", D(2026, 2, 12)))
    due = _deadline("scc-filing", events, "file", D(2026, 2, 20))
    assert (due.date, due.state, due.provisional) == (D(2026, 3, 4), "due", False)
    assert _deadline("scc-filing", events, "file", D(2026, 3, 5)).state == "overdue"


def test_scc_filing_within_10_working_days_across_national_day_2025() -> None:
    # In effect Fri 26 Sep 2025: Sun 28 make-up (1), Mon 29 (2), Tue 30 (3); 1-8 Oct holiday;
    # Thu 9 (4), Fri 10 (5), Sat 11 make-up (6), Mon 13-Thu 16 (7-10).
    _, events = _run("scc-filing", ("contract_effective", D(2025, 9, 26)))
    assert _deadline("scc-filing", events, "file", D(2025, 9, 30)).date == D(2025, 10, 16)


def test_submitting_meets_the_filing_deadline() -> None:
    _, events = _run(
        "scc-filing", ("contract_effective", D(2026, 2, 12)), ("submit", D(2026, 3, 3))
    )
    assert _deadline("scc-filing", events, "file", D(2026, 3, 10)).state == "met"
    review = _deadline("scc-filing", events, "review", D(2026, 3, 10))
    assert review.state == "in_review" and review.confidence == "L"


def test_a_deadline_running_into_an_unannounced_year_is_provisional() -> None:
    _, events = _run("scc-filing", ("contract_effective", D(2026, 12, 24)))
    due = _deadline("scc-filing", events, "file", D(2026, 12, 24))
    assert due.provisional and due.assumption and "2027" in due.assumption


def _passed(on: dt.date) -> list[Event]:
    steps = [("submit", on - dt.timedelta(days=90)), ("accept", on - dt.timedelta(days=80))]
    return _run("sa-declaration", *steps, ("pass", on))[1]


def test_the_assessment_is_valid_three_years_and_the_window_is_the_last_60_working_days() -> None:
    events = _passed(D(2023, 12, 1))
    validity = _deadline("sa-declaration", events, "validity", D(2026, 9, 1))
    assert validity.date == D(2026, 12, 1)  # Civil Code 201-202: the corresponding day
    opens = _deadline("sa-declaration", events, "extension_window", D(2026, 9, 1))
    assert opens.date is not None and opens.state == "not_yet_open"
    assert working_days_between(opens.date, validity.date) == 60
    p, cal = _procedure("sa-declaration"), default_calendar()
    too_early = add_working_days(opens.date, -1, calendar=cal).date  # 61 working days before
    with pytest.raises(InvalidTransition, match="too early: the window opens on"):
        advance(p, "passed", events, "request_extension", too_early, cal)
    assert advance(p, "passed", events, "request_extension", opens.date, cal) == (
        "extension_requested"
    )
    assert advance(p, "passed", events, "request_extension", validity.date, cal)
    with pytest.raises(InvalidTransition, match="too late"):
        advance(p, "passed", events, "request_extension", D(2026, 12, 2), cal)
    with pytest.raises(InvalidTransition, match="过早：窗口期自"):
        advance(p, "passed", events, "request_extension", too_early, cal, "zh")


def test_an_extension_granted_runs_three_more_years() -> None:
    events = _passed(D(2023, 12, 1))
    p, cal = _procedure("sa-declaration"), default_calendar()
    for name, on in (("request_extension", D(2026, 10, 9)), ("extension_granted", D(2026, 11, 2))):
        state = advance(
            p,
            "passed" if name == "request_extension" else "extension_requested",
            events,
            name,
            on,
            cal,
        )
        events.append(Event(event=name, on=on, recorded_at="t", state=state))
    extended = _deadline("sa-declaration", events, "extended_validity", D(2026, 11, 3))
    assert extended.date == D(2029, 12, 1) and extended.state == "running"
    assert _deadline("sa-declaration", events, "validity", D(2026, 11, 3)).state == "met"


@pytest.mark.parametrize(
    ("state", "event", "on", "message"),
    [
        ("preparing", "submit", D(2026, 3, 1), "not allowed while preparing (allowed now:"),
        ("preparing", "approve", D(2026, 3, 1), "is not an event of scc-filing"),
        ("filed", "submit", D(2026, 3, 1), "the filing is closed (filed)"),
        ("contract_effective", "submit", D(2026, 1, 1), "before the last recorded event"),
    ],
)
def test_invalid_transitions_are_refused_with_the_reason(
    state: str, event: str, on: dt.date, message: str
) -> None:
    events = [Event(event="contract_effective", on=D(2026, 2, 12), recorded_at="t")]
    with pytest.raises(InvalidTransition, match=re.escape(message)):
        advance(_procedure("scc-filing"), state, events, event, on, default_calendar())


def test_an_unknown_procedure_records_nothing() -> None:
    p = _procedure("zhejiang-list-use")
    assert p.status == "unknown" and p.note is not None and not p.deadlines
    with pytest.raises(InvalidTransition, match="not encoded"):
        advance(p, None, [], "apply", D(2026, 3, 1), default_calendar())


def test_a_procedure_naming_an_unknown_state_is_refused_with_file_and_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    path = rules / "procedures" / "national.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("to: submitted}", "to: sent}", 1), encoding="utf-8")
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog(rules)
    line = text[: text.index("to: submitted}")].count("\n") + 1
    assert f"procedures/national.yaml:{line}" in str(caught.value)
    assert "unknown state 'sent'" in str(caught.value)


def test_a_change_text_naming_a_value_the_change_does_not_give_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    path = rules / "procedures" / "national.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("的{what}已变化", "的{whom}已变化", 1), encoding="utf-8")
    with pytest.raises(CatalogInvalid, match=r"\{whom\} is not given for facts_changed"):
        load_catalog(rules)


def test_a_company_registered_in_the_city_follows_its_citys_zone_procedures() -> None:
    """Beijing's 2025 edition covers the whole city: a company registered in Beijing outside the
    FTZ, governed by it, needs the 2025 edition's list-use procedure as an FTZ company does."""
    catalog = default_catalog()
    request = Request.model_validate(
        {
            "date": "2026-08-01",
            "processor": {"name": "P", "registered": {"city": "北京"}},
            "transfers": [{"id": "t1", "scenario": "临床试验", "sensitive": 30000}],
        }
    )
    source = Source(assess(request, catalog), request, None)
    zone = _zone(source, None, catalog)
    assert zone == "beijing"
    needed = {r.procedure.id for r in required(source.decision, zone, catalog)}
    assert "beijing-2025-list-use" in needed
    assert "beijing-list-use" not in needed  # the 2024 edition's procedure ended on 2026-05-10
