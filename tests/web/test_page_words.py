"""Every page, walked in Chinese (as a company member and as a zone reviewer) and in English,
holds no internal words: no seed file name, no research-note (`.md`) reference, no command line,
no raw catalogue id and, on a Chinese page, no English sentence the catalogue or the phrases
have a Chinese text for. Text a page shows inside a "technical details" disclosure
(`<details class="tech">`) is internal on purpose; text marked `lang="en"` is declared English.

The walk covers every GET route of the web application: a route this test does not fill in
with sample data, nor names as skipped with a reason, fails the test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.catalog.base import Text
from kuajing.cli.main import Commands
from kuajing.register.models import Flow
from kuajing.register.store import FlowStore
from kuajing.services import register
from kuajing.web.i18n import phrases
from kuajing.web.routes import ROUTERS
from tests.web.support import form_csrf, web_client
from tests.web.test_zone_pages import World, _as, _world

CAT = default_catalog()

# Routes that answer with a file, not a page (their contents are the exports' concern).
NOT_PAGES = {
    "/decisions/{decision_id}.json": "a JSON export",
    "/decisions/{decision_id}/evidence.zip": "an archive",
    "/decisions/{decision_id}/documents/{name}": "a generated document (PDF, DOCX)",
    "/filings/calendar.ics": "an iCalendar file",
    "/zone/editions/{edition_id}/review/{idx}/image": "an image of a table row",
    "/scan/{pending_id}": "an upload kept between scanning and recording (scan tests)",
    "/zone/editions/{edition_id}": "needs an imported table (editions tests)",
    "/zone/editions/{edition_id}/review": "needs an imported table (editions tests)",
    "/spark/jobs": "only with a Spark cluster (test_spark_jobs_pages checks its words)",
    "/spark/jobs/{job_id}": "only with a Spark cluster (test_spark_jobs_pages checks its words)",
}

SEED = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")
NOTE = re.compile(r"[\w.-]+\.md\b")
PATH_ID = re.compile(r"(?<![\w:/.])[a-z][a-z0-9_-]*-\d{4}(?:-[a-z]+)?/[a-z0-9_*/-]+")
JSON_PATH = re.compile(r"\b[a-z_]+\[\d+\]\.[a-z_.]+")


def _command_line() -> re.Pattern[str]:
    names = "|".join(sorted(lazy.name for lazy in Commands.lazy))
    return re.compile(rf"\bkuajing\s+(?:{names})\b")


COMMAND = _command_line()


class _Visible(HTMLParser):
    """A page's visible text, without scripts, styles, technical-details disclosures, and (in
    `declared`) the text marked as English."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool, bool]] = []  # tag, hidden, declared English
        self.text: list[str] = []
        self.plain: list[str] = []  # outside lang="en"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        hidden, english = self.stack[-1][1:] if self.stack else (False, False)
        hidden = (
            hidden
            or tag in ("script", "style", "title")
            or (tag == "details" and "tech" in (a.get("class") or "").split())
        )
        english = english or a.get("lang") == "en"
        self.stack.append((tag, hidden, english))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        hidden, english = self.stack[-1][1:] if self.stack else (False, False)
        if not hidden:
            self.text.append(data)
            if not english:
                self.plain.append(data)


def _visible(html: str) -> tuple[str, str]:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.text), " ".join(parser.plain)


def _texts(value: object) -> Iterator[Text]:
    if isinstance(value, Text):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


def _english_needles() -> set[str]:
    """English sentences that have a Chinese text: the catalogue's and the phrases' (split at
    their placeholders), of three words or more."""
    found: set[str] = set()
    parts = [CAT.sources, CAT.zones, CAT.lists, CAT.regimes, CAT.prohibitions]
    parts += [CAT.obligations, CAT.adoptions, CAT.procedures]
    for text in _texts(parts):
        if text.en != text.zh:
            found.add(text.en)
    for entry in phrases().values():
        if entry["en"] != entry["zh"]:
            found.update(re.split(r"\{[^}]*\}", entry["en"]))
    return {s.strip(" .:;,") for s in found if len(s.strip().split()) >= 3}


NEEDLES = _english_needles()
ASCII_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 ,;:'’()./&-]{8,}")


def _raw_ids(lang: str) -> re.Pattern[str]:
    """A catalogue id as a word: edition ids everywhere; zone and sector ids on Chinese pages."""
    ids = set(CAT.lists)
    if lang == "zh":
        ids |= set(CAT.zones) | {s.id for zl in CAT.lists.values() for s in zl.sectors}
    words = "|".join(sorted((re.escape(i) for i in ids), key=len, reverse=True))
    return re.compile(rf"(?<![\w/.:#-])(?:{words})(?![\w/.-])")


def problems(html: str, lang: str) -> list[str]:
    shown, plain = _visible(html)
    found = [f"seed file {m}" for m in SEED.findall(shown)]
    found += [f"note {m}" for m in NOTE.findall(shown)]
    found += [f"command {m.group(0)}" for m in COMMAND.finditer(shown)]
    found += [f"raw id {m}" for m in PATH_ID.findall(shown) + JSON_PATH.findall(shown)]
    found += [f"raw id {m.group(0)}" for m in _raw_ids("en").finditer(shown)]
    # A zone or sector id is often an English word too ("retail", "transport"): in text declared
    # English (an English title, name or keyword) it is that word, not an id.
    found += [f"raw id {m.group(0)}" for m in _raw_ids(lang).finditer(plain)]
    if lang == "zh":
        runs = " | ".join(ASCII_RUN.findall(plain))
        found += [f"English {n!r}" for n in NEEDLES if n in runs]
    return found


def _routes() -> list[str]:
    return [r.path for ro in ROUTERS for r in ro.routes if "GET" in getattr(r, "methods", ())]


def _fill(path: str, ids: dict[str, str]) -> str | None:
    names = re.findall(r"\{(\w+)(?::\w+)?\}", path)
    if any(n not in ids for n in names):
        return None
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: ids[m.group(1)], path)


def _links(html: str, prefix: str) -> set[str]:
    return {h.split("#")[0] for h in re.findall(r'href="(/[^"?]*)"', html) if h.startswith(prefix)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, World, str]]:
    tmp = tmp_path_factory.mktemp("words")
    db = f"sqlite:///{tmp / 'web.db'}"
    with pytest.MonkeyPatch.context() as env:  # the accounts' audit trail keyed as the app's
        env.setenv("KUAJING_KEY_FILE", str(tmp / "ledger.key"))
        with web_client(db, tmp / "ledger.key") as client:
            world = _world(db)
            with Accounts.open(db) as store:
                who = store.principal_by_email("m@pharma.example")
                decision = store.decisions(who)[0].id
                _register(store, who, decision)
            yield client, world, decision


def _register(store: Accounts, who: Principal, decision: str) -> None:
    """A flow in the register, linked to the decision (its pages: details, history, latest
    decision)."""
    flows = FlowStore(store.engine)
    flow = Flow(key="trial-data", name="Trial data", scenario="临床试验", personal=1000,
                recipient={"name": "Sponsor GmbH", "country": "DE"})  # fmt: skip
    register.add(flows, who, flow)
    flows.link_decision(who, ["trial-data"], decision)


def _walk(client: TestClient, ids: dict[str, str], lang: str) -> dict[str, list[str]]:
    """Every page the routes give, and every catalogue item they link to: url -> problems."""
    client.post("/lang", data={"lang": lang, "csrf": form_csrf(client.get("/account").text)})
    todo = [u for p in _routes() if p not in NOT_PAGES and (u := _fill(p, ids))]
    seen: set[str] = set()
    bad: dict[str, list[str]] = {}
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        answer = client.get(url)
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        if found := problems(answer.text, lang):
            bad[url] = sorted(set(found))
        todo += _links(answer.text, "/catalog/") - seen
    return bad


def _ids(world: World, decision: str) -> dict[str, str]:
    return {
        "decision_id": decision,
        "filing_id": world.bj_filing,
        "submission_id": world.bj_submission,
        "inspection_id": world.bj_inspection,
        "list_id": "beijing-2025",
        "ident": "S08",
        "fmt": "csv",  # a table's export: not a page, so only fetched
        "key": "trial-data",  # a flow of the register
    }


def test_every_get_route_is_walked_or_named(site: tuple[TestClient, World, str]) -> None:
    _, world, decision = site
    missing = [
        p for p in _routes() if p not in NOT_PAGES and _fill(p, _ids(world, decision)) is None
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("email", "lang"),
    [("m@pharma.example", "zh"), ("r@bj.example", "zh"), ("m@pharma.example", "en")],
)
def test_no_internal_words_on_any_page(
    site: tuple[TestClient, World, str], email: str, lang: str
) -> None:
    client, world, decision = site
    _as(client, email)
    bad = _walk(client, _ids(world, decision), lang)
    report = "\n".join(f"{url}: {'; '.join(found[:6])}" for url, found in sorted(bad.items()))
    assert not bad, f"{len(bad)} pages with internal words:\n{report}"


def test_the_checks_catch_what_they_name() -> None:
    """Each check fires on a sample of what it forbids (a check that cannot fail is no check)."""
    html = (
        "<p>seed file 002_33fa8efdb930c60c.txt, national-rules.md AMB-3, use kuajing assess"
        " --ledger, beijing-2025/pharmaceuticals/*, transfers[1].recipient.restricted_list,"
        " 行业 pharmaceuticals</p><details class='tech'>lists-in-force.md</details>"
    )
    kinds = {p.split()[0] for p in problems(html, "zh")}
    assert kinds == {"seed", "note", "command", "raw"}
    assert not any("lists-in-force" in p for p in problems(html, "zh"))
    # a sector id that is also an English word, in text declared English, is that word
    assert not problems('<p lang="en">Waterway transport services</p>', "zh")
    assert problems('<p lang="en">beijing-2025</p>', "zh")  # a list id is an id in any language
    # The same needle every run (a set's order is not), and one that names no command.
    some = min(n for n in NEEDLES if n.isascii() and "kuajing" not in n and n[0].isalpha())
    assert problems(f"<p>{some}</p>", "zh") and not problems(f'<p lang="en">{some}</p>', "zh")
    assert not problems(f"<p>{some}</p>", "en")
