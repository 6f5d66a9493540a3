"""The catalogue browser's pages, checked against the shipped catalogue's own data."""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterator
from importlib.resources import files

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from kuajing.catalog import Catalog, default_catalog
from kuajing.catalog.base import Confidence, Lang, Threshold
from kuajing.catalog.models import Category, Entry, Exemption, Knowledge, Prohibition, ZoneList
from kuajing.i18n import bound
from kuajing.services.catalog import show
from kuajing.services.in_force import in_force, measured
from kuajing.web.i18n import phrases
from kuajing.web.views import catalog as pages
from tests.web.support import add_user, sign_in

VIEWER = "reader@pharma.example"
PAGES = [
    "/catalog",
    "/catalog/lists/beijing-2024",
    "/catalog/items/bj24-pharma-pi-sa-1",
    "/catalog/coverage",
    "/catalog/search?q=%E4%B8%B4%E5%BA%8A%E8%AF%95%E9%AA%8C",
    "/catalog/national",
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture
def reader(client: TestClient, web_db: str) -> TestClient:
    """A viewer (the weakest role) signed in: the catalogue is for every user."""
    add_user(web_db, "pharma", VIEWER, "viewer")
    sign_in(client, VIEWER)
    return client


def shown(value: str) -> str:
    """`value` as the autoescaping templates write it."""
    return str(escape(value))


def entry(catalog: Catalog, list_id: str, entry_id: str) -> Entry:
    return next(e for e in Catalog.entries_of(catalog.lists[list_id]) if e.id == entry_id)


# -- access ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_signed_out_visitor_is_sent_to_sign_in(client: TestClient, path: str) -> None:
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=/catalog")


@pytest.mark.parametrize("path", PAGES)
def test_pages_keep_the_strict_content_security_policy(reader: TestClient, path: str) -> None:
    answer = reader.get(path)
    assert answer.status_code == 200
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert "<script" not in answer.text and 'style="' not in answer.text
    assert '<link rel="stylesheet" href="/static/catalog.css">' in answer.text


def test_catalog_stylesheet_is_served(reader: TestClient) -> None:
    answer = reader.get("/static/catalog.css")
    assert answer.status_code == 200 and ".grade-U" in answer.text


# -- /catalog --------------------------------------------------------------------------------------
def test_index_shows_zones_lists_and_adoptions(reader: TestClient, catalog: Catalog) -> None:
    html = reader.get("/catalog").text
    for zone in catalog.zones.values():
        assert shown(zone.name.en) in html
        assert f'href="/catalog/items/{zone.id}"' in html
    for zl in catalog.lists.values():
        assert shown(zl.title.en) in html
        assert f'href="/catalog/lists/{zl.id}"' in html
    for adoption in catalog.adoptions:
        assert adoption.rule in html
    assert html.count('data-testid="list-row"') == sum(len(z.zones) for z in catalog.lists.values())
    assert 'href="/catalog/national"' in html and 'action="/catalog/search"' in html


def test_index_shows_status_period_and_encoding(reader: TestClient) -> None:
    html = reader.get("/catalog").text
    row = _row(html, "beijing-2024")
    assert "superseded" in row and "2024-08-30 – 2026-05-10" in row and ">entries<" in row
    assert "28 / 48" in row  # entries encoded / items published
    guangdong = _row(html, "guangdong-2026")
    assert "headers only" in guangdong and 'class="grade grade-U"' in guangdong
    assert "unverified" in guangdong


def _row(html: str, list_id: str) -> str:
    """The table row of the list `list_id`."""
    found = re.search(
        rf'<tr data-testid="list-row">(?:(?!</tr>).)*?href="/catalog/lists/{list_id}".*?</tr>',
        html,
        re.S,
    )
    assert found, list_id
    return found.group(0)


# -- /catalog/lists/{id} ---------------------------------------------------------------------------
def test_list_page_shows_header_sectors_and_entries(reader: TestClient, catalog: Catalog) -> None:
    zl = catalog.lists["beijing-2024"]
    html = reader.get("/catalog/lists/beijing-2024").text
    assert f'<h1 data-testid="list-title">{shown(zl.title.en)}</h1>' in html
    assert zl.edition in html and str(zl.published) in html
    assert shown(catalog.lists["beijing-2025"].title.en) in html  # superseded by
    assert 'href="/catalog/lists/beijing-2025"' in html
    for sector in zl.sectors:
        assert f'id="sector-{sector.id}"' in html and shown(sector.name.en) in html
        for sc in sector.scenarios:
            assert f'href="/catalog/items/beijing-2024/{sector.id}/{sc.id}"' in html
    for e in Catalog.entries_of(zl):
        assert f'id="entry-{e.id}"' in html and e.rule in html
    for rule in (zl.applicability.registered_in_zone, *zl.obligations):
        assert shown(rule.text.en) in html


def test_list_page_links_the_edition_it_supersedes(reader: TestClient, catalog: Catalog) -> None:
    html = reader.get("/catalog/lists/beijing-2025").text
    header = html[html.index('data-testid="list-header"') : html.index("</dl>")]
    assert "Supersedes" in header and 'href="/catalog/lists/beijing-2024"' in header
    assert shown(catalog.lists["beijing-2024"].title.en) in header
    assert 'data-testid="not-encoded"' in html  # headers only


def test_an_entry_shows_pathway_threshold_fields_and_citations(
    reader: TestClient, catalog: Catalog
) -> None:
    e = entry(catalog, "beijing-2024", "bj24-pharma-pi-sa-1")
    html = reader.get("/catalog/lists/beijing-2024").text
    card = html[html.index('id="entry-bj24-pharma-pi-sa-1"') :]
    card = card[: card.index("</article>")]
    assert shown(e.sub_class.en) in card and "security assessment" in card
    assert e.threshold is not None and shown(bound(e.threshold, "en")) in card  # ≥ 50,000
    assert "50,000以上" in card
    for name in e.fields:
        assert f"<li>{name}</li>" in card
    for cite in e.cite:
        source = catalog.sources[cite.source]
        assert f'href="/catalog/items/{cite.source}"' in card
        assert shown(source.title.en) in card
        assert f'class="grade grade-{cite.confidence}"' in card
    assert 'href="/catalog/items/beijing-2024/pharmaceuticals/clinical_trial"' in card


def test_citations_give_the_public_address_not_the_seed_file(
    reader: TestClient, catalog: Catalog
) -> None:
    html = reader.get("/catalog/lists/beijing-2024").text
    hankun, seed = catalog.sources["HANKUN-BJ"], catalog.sources["SEED-BJ-2024"]
    assert f'<a href="{hankun.url}" rel="noopener noreferrer external"' in html
    assert seed.url and f'<a href="{seed.url}"' in html  # the seed as the article it is
    assert str(seed.seed) not in html


def test_list_page_has_a_grade_legend(reader: TestClient) -> None:
    html = reader.get("/catalog/lists/beijing-2024").text
    legend = html[html.index('data-testid="legend"') :]
    for grade in ("H", "M", "L", "U"):
        assert shown(phrases()[f"cat_grade_{grade}"]["en"]) in legend


def test_unencoded_scopes_are_marked_needs_review(reader: TestClient, catalog: Catalog) -> None:
    html = reader.get("/catalog/lists/beijing-2024").text
    rows = re.findall(r'<tr data-testid="scenario-row"(.*?)</tr>', html, re.S)
    unencoded = [r for r in rows if r.startswith(' class="unencoded"')]
    pharma = next(s for s in catalog.lists["beijing-2024"].sectors if s.id == "pharmaceuticals")
    expected = [sc for sc in pharma.scenarios if sc.coverage.personal_information != "complete"]
    assert len(unencoded) == len(expected) > 0
    assert all("not encoded · needs review" in r for r in unencoded)
    assert "needs review" not in next(r for r in rows if "/clinical_trial" in r)
    headers_only = reader.get("/catalog/lists/hainan-2024").text
    assert 'data-testid="not-encoded"' in headers_only and "&#39;needs review&#39;" in headers_only


def test_unverified_list_is_flagged(reader: TestClient) -> None:
    html = reader.get("/catalog/lists/guangdong-2026").text
    assert 'data-testid="unverified-banner"' in html
    assert html.count('data-testid="unverified"') >= 2
    assert "grade U" in html


def test_unknown_list_is_a_not_found_page(reader: TestClient) -> None:
    answer = reader.get("/catalog/lists/atlantis-2030")
    assert answer.status_code == 404
    assert '<h1 data-testid="error-code">Not found</h1>' in answer.text


# -- /catalog/items/{ident} ------------------------------------------------------------------------
def test_entry_item_page(reader: TestClient, catalog: Catalog) -> None:
    e = entry(catalog, "beijing-2024", "bj24-pharma-pi-sa-1")
    html = reader.get("/catalog/items/bj24-pharma-pi-sa-1").text
    crumbs = html[html.index('data-testid="crumbs"') : html.index("</nav>", html.index("crumbs"))]
    assert 'href="/catalog/lists/beijing-2024"' in crumbs
    assert 'href="/catalog/items/beijing-2024/pharmaceuticals"' in crumbs
    assert shown(e.sub_class.en) in crumbs
    assert shown(e.text.en) in html
    assert shown(catalog.sources["WANGXIN-BJ"].title.en) in html
    assert "the clinical-trial figure was relaxed to 50,000" in html  # the citation's note
    assert '{"' not in html  # readable, not a JSON dump


def test_entry_found_by_its_rule_code(reader: TestClient) -> None:
    html = reader.get("/catalog/items/BJ24-PHARMA-PI-SA-1").text
    assert 'data-testid="entry-title"' in html and "bj24-pharma-pi-sa-1" in html


def test_scenario_page_lists_entries_and_obligations_that_apply(
    reader: TestClient, catalog: Catalog
) -> None:
    trial = reader.get("/catalog/items/beijing-2024/pharmaceuticals/clinical_trial").text
    assert "Clinical trials" in trial and "BJ24-PHARMA-PI-SA-1" in trial
    assert "BJ24-PHARMA-PI-SA-2" not in trial  # pharmacovigilance only
    assert "BJ24-PHARMA-GCP" in trial  # an obligation for clinical trials and drug R&D
    for e in catalog.lists["beijing-2024"].entries:  # the list's entries for every sector
        assert e.rule in trial
    vigilance = reader.get("/catalog/items/beijing-2024/pharmaceuticals/pharmacovigilance").text
    assert "BJ24-PHARMA-PI-SA-2" in vigilance and "BJ24-PHARMA-GCP" not in vigilance


def test_sector_page(reader: TestClient) -> None:
    html = reader.get("/catalog/items/beijing-2024/automotive").text
    assert "Automotive" in html and "autonomous-driving" in html and "BJ24-AUTO-PI-SA-1" in html


def test_zone_page(reader: TestClient, catalog: Catalog) -> None:
    html = reader.get("/catalog/items/shanghai").text
    assert shown(catalog.zones["shanghai"].name.en) in html
    assert 'href="/catalog/lists/shanghai-2024"' in html and "SH-ADOPT-2025" in html


def test_source_page_lists_what_cites_it(reader: TestClient, catalog: Catalog) -> None:
    html = reader.get("/catalog/items/WANGXIN-BJ").text
    source = catalog.sources["WANGXIN-BJ"]
    assert shown(source.title.en) in html and shown(source.reference or "") in html
    assert 'href="/catalog/items/bj24-pharma-pi-sa-1"' in html
    national = reader.get("/catalog/items/S08").text
    assert f'href="{catalog.sources["S08"].url}"' in national
    assert 'href="/catalog/national#cbdf-2024"' in national and "CBDF-7-3" in national


def test_list_id_as_item_goes_to_the_list_page(reader: TestClient) -> None:
    answer = reader.get("/catalog/items/beijing-2024", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/catalog/lists/beijing-2024"


def test_unknown_item_is_a_not_found_page(reader: TestClient) -> None:
    answer = reader.get("/catalog/items/beijing-2024/no-such-sector")
    assert answer.status_code == 404
    assert 'data-testid="error-code"' in answer.text and "no-such-sector" in answer.text


def _idents(catalog: Catalog) -> Iterator[str]:
    yield from catalog.zones
    yield from catalog.sources
    for zl in catalog.lists.values():
        for sector in zl.sectors:
            yield f"{zl.id}/{sector.id}"
            yield from (f"{zl.id}/{sector.id}/{sc.id}" for sc in sector.scenarios)
        for e in Catalog.entries_of(zl):
            yield from (e.id, e.rule)


def test_items_are_found_as_the_cli_and_api_find_them(catalog: Catalog) -> None:
    today = dt.date.today()
    for ident in _idents(catalog):
        found = pages.item(catalog, ident, "en", today)
        assert found.kind == show(catalog, ident)["kind"], ident


# -- /catalog/coverage -----------------------------------------------------------------------------
def test_coverage_page(reader: TestClient, catalog: Catalog) -> None:
    html = reader.get("/catalog/coverage").text
    for zl in catalog.lists.values():
        assert f'id="cov-{zl.id}"' in html
    section = html[html.index('id="cov-beijing-2024"') : html.index('id="cov-beijing-2025"')]
    link = 'href="/catalog/items/beijing-2024/pharmaceuticals/diagnosis_treatment"'
    assert link in section and 'data-testid="not-encoded"' in section
    assert "Diagnosis and treatment services" in section
    assert 'data-testid="grades"' in section and "79%" in section  # 22 of 28 entries are M


# -- the lists in force ----------------------------------------------------------------------------
def _opening(html: str) -> str:
    """The text of the first paragraph of the page's main part, which must follow its heading."""
    main = html[html.index("<main>") : html.index("</main>")]
    first = re.search(r"<p[ >].*?</p>", main, re.S)
    assert first and main.index("</h1>") < first.start()
    assert 'data-testid="in-force"' in first.group(0)
    return re.sub(r"<[^>]+>", "", first.group(0))


@pytest.mark.parametrize("path", ["/catalog", "/catalog/coverage"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_catalogue_pages_open_with_the_lists_in_force(
    client: TestClient, web_db: str, catalog: Catalog, path: str, lang: Lang
) -> None:
    add_user(web_db, "pharma", VIEWER, "viewer", lang=lang)
    sign_in(client, VIEWER)
    expected = in_force(catalog, dt.date.today(), lang).line(lang)
    assert expected.startswith("现行清单：" if lang == "zh" else "Lists in force: ")
    assert _opening(client.get(path).text) == shown(expected)


def test_the_lists_in_force_are_measured_once_a_day_and_language(catalog: Catalog) -> None:
    day = dt.date(2026, 8, 1)
    first = measured(catalog, day, "en")
    assert first == in_force(catalog, day, "en") and first.published > first.decide > 0
    assert measured(catalog, day, "en") is first  # kept with the catalogue
    chinese = measured(catalog, day, "zh")
    assert chinese is not first and chinese.lists[0].title != first.lists[0].title
    march = measured(catalog, dt.date(2026, 3, 1), "en")
    assert march.date == dt.date(2026, 3, 1) and "beijing-2024" in {x.id for x in march.lists}
    assert "beijing-2024" not in {x.id for x in first.lists}
    assert pages.in_force_line(catalog, "zh", day) == chinese.line("zh")


# -- /catalog/search -------------------------------------------------------------------------------
def test_search_finds_clinical_trials(reader: TestClient) -> None:
    html = reader.get("/catalog/search", params={"q": "临床试验"}).text
    assert 'href="/catalog/items/beijing-2024/pharmaceuticals/clinical_trial"' in html
    assert 'href="/catalog/items/lingang-2024-general/biomedicine/clinical_trials_research"' in html
    # the 2025 edition incorporates the 2024 scenario: found under both editions
    assert 'href="/catalog/items/beijing-2025/pharmaceuticals/clinical_trial"' in html
    assert html.count('data-testid="hit-group"') == 3
    assert 'value="临床试验"' in html


def test_search_finds_entries_by_field(reader: TestClient) -> None:
    html = reader.get("/catalog/search", params={"q": "诊疗信息"}).text
    assert 'href="/catalog/items/bj24-ref-id-spi-accounts-100k"' in html
    assert 'href="/catalog/lists/beijing-2024"' in html  # grouped under its list


@pytest.mark.parametrize("query", ["", "   ", "·、。"])
def test_empty_search_asks_for_text(reader: TestClient, query: str) -> None:
    answer = reader.get("/catalog/search", params={"q": query})
    assert answer.status_code == 200
    assert 'data-testid="search-problem"' in answer.text and "Type the name" in answer.text


def test_too_long_search_is_refused_politely(reader: TestClient) -> None:
    answer = reader.get("/catalog/search", params={"q": "药" * (pages.MAX_QUERY + 1)})
    assert answer.status_code == 200
    assert "too long" in answer.text and 'data-testid="hit"' not in answer.text


def test_search_without_hits(reader: TestClient) -> None:
    html = reader.get("/catalog/search", params={"q": "zzzqqq"}).text
    assert 'data-testid="search-none"' in html and "zzzqqq" in html


def test_search_query_is_escaped(reader: TestClient) -> None:
    html = reader.get("/catalog/search", params={"q": '<b>"x"</b>'}).text
    assert "<b>" not in html and "&lt;b&gt;" in html


# -- /catalog/national -----------------------------------------------------------------------------
def test_national_page_shows_thresholds_exemptions_and_prohibitions(
    reader: TestClient, catalog: Catalog
) -> None:
    html = reader.get("/catalog/national").text
    for regime in catalog.regimes:
        assert f'id="{regime.id}"' in html and shown(regime.title.en) in html
        for th in regime.thresholds:
            assert shown(bound(th.threshold, "en")) in html and shown(th.text.en) in html
        for ex in regime.exemptions.values():
            assert ex.rule in html and shown(ex.text.en) in html
    assert "100,000以上、不满1,000,000" in html  # CBDF-8-1 in the words of the Provisions
    for rule in [*catalog.prohibitions, *catalog.obligations]:
        assert f'id="{rule.rule}"' in html
    assert shown(catalog.sources["S08"].title.en) in html


def test_drafting_words_follow_civil_code_1259() -> None:
    assert pages.drafting(Threshold(counter="personal", at_least=10000, below=50000)) == (
        "10,000以上、不满50,000"
    )
    assert pages.drafting(Threshold(counter="sensitive", more_than=5, at_most=9)) == "超过5、9以下"


# -- Chinese ---------------------------------------------------------------------------------------
def test_pages_in_chinese(client: TestClient, web_db: str, catalog: Catalog) -> None:
    add_user(web_db, "pharma", "zh@pharma.example", "member", lang="zh")
    sign_in(client, "zh@pharma.example")
    zl = catalog.lists["beijing-2024"]
    html = client.get("/catalog/lists/beijing-2024").text
    assert '<html lang="zh-CN">' in html
    assert shown(zl.title.zh) in html and shown(zl.title.en) not in html
    assert "置信度说明" in html and "已失效" in html and "个人信息" in html
    assert "≥ 10,000 且 &lt; 50,000" in html  # bound() in Chinese
    index = client.get("/catalog").text
    assert shown(catalog.zones["beijing"].name.zh) in index and "跨区参照适用" in index
    national = client.get("/catalog/national").text
    assert "全国规则" in national and "免除情形" in national
    found = client.get("/catalog/search", params={"q": "clinical trials"}).text
    assert "临床试验" in found


# -- phrases ---------------------------------------------------------------------------------------
def _choices(kind: object) -> tuple[str, ...]:
    return tuple(str(v) for v in typing.get_args(kind))


DYNAMIC = {
    "cat_grade_": _choices(Confidence),
    "cat_category_": _choices(Category),
    "cat_knowledge_": _choices(Knowledge),
    "exemption_": _choices(Exemption),  # named once for every page (phrases/common.yaml)
    "cat_kind_": _choices(ZoneList.model_fields["kind"].annotation),
    "cat_scope_": _choices(ZoneList.model_fields["scope"].annotation),
    "cat_encoded_": _choices(ZoneList.model_fields["encoded"].annotation),
    "cat_trigger_": _choices(Entry.model_fields["trigger"].annotation)
    + _choices(Prohibition.model_fields["trigger"].annotation),
    "cat_status_": ("in_force", "superseded", "not_yet_in_force"),
    "cat_item_": ("list", "zone", "source", "sector", "scenario", "entry", "field"),
    "cat_search_": ("empty", "too_long"),
}


def test_every_phrase_the_templates_use_exists(catalog: Catalog) -> None:
    folder = files("kuajing.web").joinpath("templates")
    used: set[str] = set()
    for template in folder.iterdir():
        if template.name.startswith("catalog"):
            used |= set(re.findall(r"t\('([a-z_]+)'[,)]", template.read_text(encoding="utf-8")))
    roles = {f"cat_role_{r}" for regime in catalog.regimes for r in pages.regime_rules(regime)}
    dynamic = {prefix + value for prefix, values in DYNAMIC.items() for value in values}
    missing = (used | roles | dynamic) - set(phrases())
    assert not missing
