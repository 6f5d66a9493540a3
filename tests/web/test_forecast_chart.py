"""The forecast chart: well-formed SVG with a title and a description, threshold lines labelled
in the reader's language, the projection's band, the forecast's day, and every text escaped."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from kuajing.catalog import default_catalog
from kuajing.ledger.forecast import CounterForecast, build_forecast
from kuajing.ledger.lead_time import Leads
from kuajing.ledger.models import NATIONAL, CounterCounts
from kuajing.web.views import forecast_chart
from kuajing.web.views.forecast_chart import chart

CAT = default_catalog()
SVG = "{http://www.w3.org/2000/svg}"
AS_OF = dt.date(2026, 6, 30)


def sensitive() -> CounterForecast:
    regime = CAT.regime_on(AS_OF)
    assert regime is not None
    daily = {
        NATIONAL: [(d, CounterCounts(personal=30, sensitive=30, persons=30)) for d in range(1, 182)]
    }
    fc = build_forecast("Acme", AS_OF, regime, daily, [], "rate", Leads(CAT.procedures))
    return next(c for c in fc.counters if c.counter == "sensitive")


def test_the_chart_is_well_formed_svg_with_a_title_and_its_parts() -> None:
    root = ET.fromstring(str(chart(sensitive(), AS_OF, "en", "fc1")))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "fc1-t fc1-d"
    assert root.find(f"{SVG}title").text == "persons whose sensitive PI left: the year"  # type: ignore[union-attr]
    kinds = {el.get("class") for el in root.iter()}
    assert {"actual", "projected", "range", "today"} <= kinds
    labels = [el.text for el in root.iter(f"{SVG}text") if el.get("class") == "threshold-label"]
    assert "security assessment · 10,000" in labels


def test_threshold_labels_follow_the_readers_language() -> None:
    zh = str(chart(sensitive(), AS_OF, "zh", "fc1"))
    ET.fromstring(zh)
    assert "数据出境安全评估 · 10,000 人" in zh and "截至 6月30日" in zh and "1月" in zh
    assert "security assessment" not in zh


def test_text_is_escaped(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def hostile(key: str, lang: str, **values: object) -> str:
        return '<script>alert(1)</script> & "x"'

    monkeypatch.setattr(forecast_chart, "t", hostile)
    svg = str(chart(sensitive(), AS_OF, "en", "fc1"))
    root = ET.fromstring(svg)  # still well-formed
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert root.find(f"{SVG}script") is None


def test_a_band_from_the_first_person_is_said_not_drawn() -> None:
    """Sensitive PI needs a standard contract from the first person: no line at 1 on the chart,
    and the threshold table says "from the first person", not "1"."""
    from kuajing.web.views.forecast import crossing_words  # noqa: PLC0415

    c = sensitive()
    first = next(x for x in c.crossings if x.bound == 1)
    labels = [el.text or "" for el in ET.fromstring(str(chart(c, AS_OF, "en", "f"))).iter()]
    assert not any(label.endswith("· 1") for label in labels)
    assert crossing_words(first, "en").en.startswith("from the first person")
    assert crossing_words(first, "zh").zh.startswith("自第一人起")
