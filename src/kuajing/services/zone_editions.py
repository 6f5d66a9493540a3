"""List editions, for the API and the pages: a zone administrator imports the official table of
a new edition of the zone's list (a draft), reads its diff against the list it replaces and the
decisions it would change, and publishes it with an effective date; the companies whose
decisions change are notified, and the service's catalogue includes the edition from then on.

Impact: each logged decision of every company registered in the zone is assessed twice, under
the catalogue without and with the edition, as of the later of its request date and the
effective date (a request dated before the edition is moved to the day it takes effect; the
counts it gave are kept). The transfers whose pathway or status differ are the impact."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field
from sqlalchemy import Connection, and_, insert, select, update

from kuajing.accounts.models import Principal
from kuajing.accounts.schema import decisions, organisations
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog, default_catalog
from kuajing.catalog.base import Cite, Confidence, Text
from kuajing.catalog.importers.export import export_table, write_table
from kuajing.catalog.importers.lists import import_table, list_from
from kuajing.catalog.importers.load import load_table
from kuajing.catalog.loader import RULES_DIR, load_catalog
from kuajing.catalog.models import Entry, ZoneList
from kuajing.db.engine import reading, writing
from kuajing.engine import Request, assess
from kuajing.errors import CatalogError, CatalogInvalid, Forbidden, InvalidTransition, KuajingError
from kuajing.filing.schema import filings
from kuajing.i18n import PATHWAYS, STATUS
from kuajing.lang import Lang
from kuajing.services import edition_review, own_editions
from kuajing.services.diff import ListDiff, diff_lists
from kuajing.trail.record import edition_action
from kuajing.zone.editions import in_force_on, with_editions, zone_list
from kuajing.zone.models import Edition
from kuajing.zone.schema import list_editions
from kuajing.zone.store import ZoneStore, new_id, notify, now


class Outcome(BaseModel):
    pathway: str  # a Pathway value, or "refused" when the request no longer assesses
    status: str  # determined or needs_review (refused: the reason)

    def text(self, lang: Lang) -> str:
        if self.pathway not in PATHWAYS:
            return f"{self.pathway}: {self.status}"
        pathway, status = PATHWAYS[self.pathway].get(lang), STATUS[self.status].get(lang)
        return f"{pathway}（{status}）" if lang == "zh" else f"{pathway} ({status})"


class OpenFiling(BaseModel):
    id: str
    procedure: str
    state: str | None


class Impact(BaseModel):
    """One transfer of a company's logged decision whose answer the edition changes."""

    organisation_id: int
    company: str
    decision_id: str
    decided_at: str
    as_of: dt.date  # the day it was assessed on, both times
    transfer: str
    before: Outcome
    after: Outcome
    filings: list[OpenFiling] = Field(default_factory=list)  # open filings on the decision


@dataclass(frozen=True)
class EditionView:
    """An edition with what the page and the API show beside it."""

    edition: Edition
    zone_list: ZoneList
    before: ZoneList  # the list it replaces, read as a table would give it (ids as in `diff`)
    diff: ListDiff

    def lines(self) -> list[DiffLine]:
        """The diff's entries, named: added, removed, then changed."""
        new, old = _named_entries(self.zone_list), _named_entries(self.before)
        out = [_line("added", new, d, None, d) for d in self.diff.added]
        out += [_line("removed", old, d, d, None) for d in self.diff.removed]
        out += [_line("changed", new, c.after or "", c.before, c.after) for c in self.diff.changed]
        return out


@dataclass(frozen=True)
class DiffLine:
    change: Literal["added", "removed", "changed"]
    sector: Text | None  # None: a list-wide entry
    entry: Text  # the entry's sub-class
    pathway: str
    before: str | None  # its bounds and fields, as `diff` gives them
    after: str | None


def _named_entries(zl: ZoneList) -> dict[str, tuple[Text | None, Entry]]:
    out: dict[str, tuple[Text | None, Entry]] = {e.id: (None, e) for e in zl.entries}
    out.update({e.id: (s.name, e) for s in zl.sectors for e in s.entries})
    return out


def _line(
    change: Literal["added", "removed", "changed"],
    entries: dict[str, tuple[Text | None, Entry]],
    described: str,
    before: str | None,
    after: str | None,
) -> DiffLine:
    """`described` starts with the entry's id (services.diff)."""
    sector, entry = entries[described.split(":", 1)[0]]
    return DiffLine(
        change, sector, entry.sub_class, entry.pathway.value, _bounds(before), _bounds(after)
    )


def _bounds(described: str | None) -> str | None:
    """What `services.diff` says of an entry, without its id (shown apart)."""
    return described.split(": ", 1)[1] if described else None


def store(accounts: Accounts) -> ZoneStore:
    return ZoneStore(accounts.engine)


def current(accounts: Accounts, base: Catalog | None = None) -> Catalog:
    """`base` (default: the shipped catalogue) with every published edition in force."""
    return with_editions(base or default_catalog(), store(accounts).published())


# --- who may ---------------------------------------------------------------------------------


def _staff(who: Principal) -> None:
    """A zone's staff see its editions; a company's administrators see the company's own."""
    if who.organisation.zone is None or not (who.zone_staff or who.may("admin")):
        raise Forbidden(
            "only a zone's staff, or a company's administrator for its own lists, see list"
            " editions / 仅自贸区工作人员（或企业管理员就本企业清单）可查看清单版本"
        )


def admin_zone(who: Principal) -> str:
    """The zone of the lists the caller may import and publish: a zone's administrator, its
    zone's; a company's administrator, its own copies of the lists of its zone."""
    _staff(who)
    if not who.may("admin"):
        raise Forbidden(
            "only a zone's administrator imports and publishes list editions"
            " / 仅自贸区管理员可导入和发布清单版本"
        )
    return str(who.organisation.zone)


def catalog_for(accounts: Accounts, catalog: Catalog, who: Principal) -> Catalog:
    """`catalog` (the service's, with the zones' published editions) and, for a company, the
    lists it loaded for itself: they govern its own decisions only."""
    if who.zone_staff:
        return catalog
    own = own_editions.published(accounts.engine, who.organisation.id)
    if not own:
        return catalog
    key = (catalog.digest, *(f"{e.id}@{e.effective_from}" for e in own))
    found = _OWN_CATALOGS.get(key)
    if found is None:  # published editions never change: the catalogue is made once
        if len(_OWN_CATALOGS) > 64:
            _OWN_CATALOGS.clear()
        found = _OWN_CATALOGS[key] = with_editions(catalog, own)
    return found


_OWN_CATALOGS: dict[tuple[str, ...], Catalog] = {}


def edition(accounts: Accounts, who: Principal, edition_id: str) -> Edition:
    _staff(who)
    return store(accounts).edition(who, edition_id)


def editions(accounts: Accounts, who: Principal) -> list[Edition]:
    _staff(who)
    return store(accounts).editions(who)


# --- import ----------------------------------------------------------------------------------


def import_edition(
    accounts: Accounts,
    who: Principal,
    table_path: Path,
    *,
    list_id: str,
    edition: str,
    title: Text,
    published: dt.date,
    source: str,
    source_title: str | None = None,
    source_url: str | None = None,
    confidence: Confidence = "H",
    supersedes: str | None = None,
    kind: Literal["negative", "general"] = "negative",
    table_name: str | None = None,
) -> Edition:
    """The official table of a new edition of the caller's zone's list, as a draft. Checked
    with the shipped catalogue and the published editions, as if in force from `published`;
    the first problem is raised, located (`CatalogError`)."""
    zone = admin_zone(who)
    private = not who.zone_staff
    loaded = load_table(table_path)
    data = list_from(
        loaded, table_path.name, list_id, zone, title=title, edition=edition,
        published=published, in_force_from=published,
        cite=Cite(source=source, confidence=confidence), kind=kind, supersedes=supersedes,
    ).data  # fmt: skip
    published_ones = _published_for(accounts, who)
    _unused(accounts, who, list_id)
    sources = _new_source(published_ones, source, source_title, source_url, table_name)
    draft = Edition(
        id=new_id(),
        organisation_id=who.organisation.id,
        zone=zone,
        list_id=list_id,
        edition=edition,
        data=yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
        sources=sources,
        replaces=supersedes,
        state="draft",
        created_at=now(),
        private=private,
    )
    check([*published_ones, draft])
    row = draft.model_dump()
    row.update(sources=json.dumps(sources, ensure_ascii=False), effective_from=None)
    with writing(accounts.engine) as conn:
        conn.execute(insert(list_editions).values(**row))
        if loaded.document is not None:  # kept for the review beside the page images
            edition_review.store_document(conn, draft.id, table_path, loaded)
        edition_action(conn, accounts.keyring, who, draft, "uploaded")
    return draft


def _published_for(accounts: Accounts, who: Principal) -> list[Edition]:
    """The editions an edition of the caller's is checked and placed with: the zones' published
    ones, and for a company its own."""
    zones = store(accounts).published()
    return zones if who.zone_staff else [*zones, *store(accounts).published(who.organisation.id)]


def _unused(accounts: Accounts, who: Principal, list_id: str) -> None:
    """A zone's edition takes a new list id; a company's own copy may take a shipped list's id
    (it replaces that list for the company, as a `catalog import` overlay does), but not one
    of its own editions'."""
    if who.zone_staff and list_id in default_catalog().lists:
        raise KuajingError(
            f"list id {list_id!r} is a list of the catalogue: choose a new id"
            f" / 清单编号 {list_id} 已存在，请另取编号"
        )
    theirs = (
        list_editions.c.private.is_(False)
        if who.zone_staff
        else list_editions.c.organisation_id == who.organisation.id
    )
    with reading(accounts.engine) as conn:
        taken = conn.execute(
            select(list_editions.c.id).where(
                list_editions.c.list_id == list_id, list_editions.c.state != "discarded", theirs
            )
        ).first()
    if taken is not None:
        raise KuajingError(
            f"list id {list_id!r} is already an edition's: discard it first"
            f" / 清单编号 {list_id} 已被另一版本使用"
        )


def _new_source(
    published: list[Edition],
    source: str,
    title: str | None,
    url: str | None,
    table_name: str | None,
) -> dict[str, Any]:
    """The source the edition cites, when neither the catalogue nor an edition knows it."""
    known = set(default_catalog().sources).union(*(e.sources for e in published))
    if source in known:
        return {}
    if not title:
        raise KuajingError(
            f"source {source!r} is new: give its title (and URL)"
            f" / 来源 {source} 为新来源，请填写标题（及网址）"
        )
    where = (
        {"url": url}
        if url
        else {"issuer": "official table", "reference": f"official table {table_name or source}"}
    )
    return {source: {"title": {"zh": title, "en": title}, **where}}


def check(editions_in_order: list[Edition]) -> None:
    """Load the shipped catalogue with the editions placed in time (an overlay, as `catalog
    import` writes one); raise the loader's first problem, located in the edition's list."""
    placed = with_editions(default_catalog(), editions_in_order)
    with _overlay(placed, editions_in_order) as root:
        try:
            load_catalog(RULES_DIR, [root])
        except CatalogInvalid as exc:
            first = exc.errors[0]
            where = (first.file or "").replace(f"{root}/", "edition: ")
            raise CatalogError(
                first.message, file=where, line=first.line, path=first.path
            ) from None


@contextmanager
def _overlay(placed: Catalog, editions_in_order: list[Edition]) -> Iterator[Path]:
    """A scratch overlay holding every list whose content or dates differ from the shipped
    ones, and the editions' sources."""
    shipped, raw = default_catalog(), {e.list_id: e.data for e in editions_in_order}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for list_id, zl in placed.lists.items():
            if shipped.lists.get(list_id) == zl:
                continue
            text = raw.get(list_id) or _shipped_files()[list_id].read_text(encoding="utf-8")
            data = yaml.safe_load(text)
            data["in_force"] = zl.in_force.model_dump(mode="json", by_alias=True, exclude_none=True)
            path = root / "lists" / zl.zones[0] / f"{list_id}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        sources: dict[str, Any] = {}
        for e in editions_in_order:
            sources.update(e.sources)
        if sources:
            (root / "sources.yaml").write_text(
                yaml.safe_dump({"sources": sources}, allow_unicode=True), "utf-8"
            )
        yield root


@cache
def _shipped_files() -> dict[str, Path]:
    """The shipped lists' files by list id (file names are not ids)."""
    out = {}
    for path in sorted((RULES_DIR / "lists").rglob("*.yaml")):
        out[str(yaml.safe_load(path.read_text(encoding="utf-8"))["id"])] = path
    return out


# --- diff ------------------------------------------------------------------------------------


def diff_edition(
    accounts: Accounts, who: Principal, edition_id: str, catalog: Catalog, today: dt.date
) -> EditionView:
    """The edition against the list it replaces: the one it names as superseded, else the
    zone's list of its kind in force `today` (a published edition: the day before it took
    effect); none: every entry is new."""
    found = edition(accounts, who, edition_id)
    new = zone_list(found)
    if found.effective_from is not None:  # published: what was in force the day before
        today = found.effective_from - dt.timedelta(days=1)
    old = catalog.lists.get(found.replaces or "") or in_force_on(
        catalog, found.zone, today, new.kind
    )
    if old is None or old.id == new.id:
        old = new.model_copy(update={"id": "", "entries": [], "sectors": []})
    before = _as_imported(old, new)
    diff = diff_lists(before, new).model_copy(update={"a": old.id})
    return EditionView(found, new, before, diff)


def _as_imported(old: ZoneList, new: ZoneList) -> ZoneList:
    """The current list read back through the official table under the new list's id: a
    table's sectors and scenarios get ids from their names, so the two lists' entries match by
    what they govern, not by the catalogue's hand-made ids."""
    with tempfile.TemporaryDirectory() as scratch:
        table = Path(scratch) / "current.csv"
        write_table(export_table(old), table)
        try:
            data = import_table(
                table, new.id, new.zones[0], title=old.title, edition=old.edition,
                published=old.published, in_force_from=old.in_force.start,
                cite=Cite(source="current", confidence="H"), kind=old.kind,
            )  # fmt: skip
        except KuajingError:  # a list the official layout cannot hold: compare it as it is
            return old
    return ZoneList.model_validate(data)


# --- impact ----------------------------------------------------------------------------------


def impact(
    accounts: Accounts,
    who: Principal,
    edition_id: str,
    catalog: Catalog,
    effective_from: dt.date,
) -> list[Impact]:
    """The transfers of the zone's companies' logged decisions whose pathway or status would
    change if the draft took effect on `effective_from` (see the module's note)."""
    found = edition(accounts, who, edition_id)
    if found.state != "draft":
        raise InvalidTransition(
            f"the edition is {found.state}: its impact was shown on publishing"
            f" / 该版本已{_STATE_ZH[found.state]}"
        )
    after = with_editions(catalog, [found.model_copy(update={"effective_from": effective_from})])
    out: list[Impact] = []
    with reading(accounts.engine) as conn:
        whose = (  # a company's own copy changes its own decisions only
            organisations.c.id == found.organisation_id
            if found.private
            else and_(organisations.c.kind == "enterprise", organisations.c.zone == found.zone)
        )
        companies = dict(
            conn.execute(select(organisations.c.id, organisations.c.name).where(whose)).all()
        )
        logged = conn.execute(
            select(
                decisions.c.id,
                decisions.c.organisation_id,
                decisions.c.created_at,
                decisions.c.request,
            )
            .where(decisions.c.organisation_id.in_(list(companies)))
            .order_by(decisions.c.organisation_id, decisions.c.created_at, decisions.c.id)
        ).all()
        for row in logged:
            changes = _changes(row.request, catalog, after, effective_from)
            if not changes:
                continue
            open_filings = _open_filings(conn, row.id)
            out.extend(
                Impact(
                    organisation_id=row.organisation_id,
                    company=companies[row.organisation_id],
                    decision_id=row.id,
                    decided_at=row.created_at,
                    as_of=day,
                    transfer=transfer,
                    before=before,
                    after=now_,
                    filings=open_filings,
                )
                for day, transfer, before, now_ in changes
            )
    return out


_STATE_ZH = {"draft": "为草稿", "published": "发布", "discarded": "废弃"}


def _changes(
    request_json: str, before: Catalog, after: Catalog, effective_from: dt.date
) -> list[tuple[dt.date, str, Outcome, Outcome]]:
    request = Request.model_validate_json(request_json, context={"logged": True})
    day = max(request.date, effective_from)
    moved = request.model_copy(update={"date": day})
    old, new = _outcomes(moved, before), _outcomes(moved, after)
    return [
        (day, t, old.get(t, _GONE), new.get(t, _GONE))
        for t in dict.fromkeys([*old, *new])
        if old.get(t) != new.get(t)
    ]


_GONE = Outcome(pathway="refused", status="no such transfer")


def _outcomes(request: Request, catalog: Catalog) -> dict[str, Outcome]:
    try:
        decision = assess(request, catalog)
    except KuajingError as exc:  # e.g. a scenario the edition no longer names
        return {t.id: Outcome(pathway="refused", status=str(exc)) for t in request.transfers}
    return {t.id: Outcome(pathway=t.pathway.value, status=t.status) for t in decision.transfers}


def _open_filings(conn: Connection, decision_id: str) -> list[OpenFiling]:
    rows = conn.execute(
        select(filings.c.id, filings.c.procedure, filings.c.state)
        .where(filings.c.decision_id == decision_id, filings.c.closed.is_(False))
        .order_by(filings.c.created_at, filings.c.id)
    ).all()
    return [OpenFiling(id=r.id, procedure=r.procedure, state=r.state) for r in rows]


# --- publish and discard ---------------------------------------------------------------------


def publish(
    accounts: Accounts,
    who: Principal,
    edition_id: str,
    effective_from: dt.date,
    catalog: Catalog,
    *,
    leave_unconfirmed: bool = False,
) -> tuple[Edition, list[Impact]]:
    """Publish a draft in force from `effective_from` and notify the companies whose decisions
    it changes. `catalog` is the service's catalogue before it (with the published editions).
    A draft loaded from a document is published once every row is confirmed, or with
    `leave_unconfirmed` the rows not confirmed answer needs_review."""
    admin_zone(who)
    found = _draft(accounts, who, edition_id)
    with writing(accounts.engine) as conn:
        edition_review.before_publish(conn, found, leave_unconfirmed)
    found = _draft(accounts, who, edition_id)
    placed = found.model_copy(update={"effective_from": effective_from})
    check([*_published_for(accounts, who), placed])
    impacts = impact(accounts, who, edition_id, catalog, effective_from)
    title = zone_list(found).title
    with writing(accounts.engine) as conn:
        moved = conn.execute(
            update(list_editions)
            .where(list_editions.c.id == edition_id, list_editions.c.state == "draft")
            .values(
                state="published", effective_from=effective_from.isoformat(), published_at=now()
            )
        ).rowcount
        if moved != 1:  # published or discarded meanwhile
            raise InvalidTransition("the edition is no longer a draft / 该版本已不是草稿")
        day, told = effective_from.isoformat(), len(_by_company(impacts))
        edition_action(
            conn, accounts.keyring, who, found, "published", effective_from=day, notified=told
        )
        for org, theirs in _by_company(impacts).items():
            notify(conn, org, "edition", edition_id, notice(title, placed, theirs))
    own_editions.forget()  # committed: the next assessment reads the company's editions again
    return store(accounts).edition(who, edition_id), impacts


def discard(accounts: Accounts, who: Principal, edition_id: str) -> Edition:
    admin_zone(who)
    found = _draft(accounts, who, edition_id)
    with writing(accounts.engine) as conn:
        moved = conn.execute(
            update(list_editions)
            .where(list_editions.c.id == edition_id, list_editions.c.state == "draft")
            .values(state="discarded")
        ).rowcount
        if moved:
            edition_action(conn, accounts.keyring, who, found, "discarded")
    return store(accounts).edition(who, edition_id)


def _draft(accounts: Accounts, who: Principal, edition_id: str) -> Edition:
    found = store(accounts).edition(who, edition_id)
    if found.state != "draft":
        raise InvalidTransition(
            f"the edition is {found.state}, not a draft"
            f" / 该版本已{_STATE_ZH[found.state]}，不是草稿"
        )
    return found


def _by_company(impacts: list[Impact]) -> dict[int, list[Impact]]:
    out: dict[int, list[Impact]] = {}
    for i in impacts:
        out.setdefault(i.organisation_id, []).append(i)
    return out


def notice(title: Text, placed: Edition, impacts: list[Impact]) -> dict[str, str]:
    """What a company is told: the list, the edition, the day, and each change."""
    day = placed.effective_from
    zh = "；".join(_change_text(i, "zh") for i in impacts)
    en = "; ".join(_change_text(i, "en") for i in impacts)
    return {
        "zh": f"{title.zh}（{placed.edition}）自 {day} 起施行。将改变贵企业的决定：{zh}",
        "en": f"{title.en} ({placed.edition}) takes effect on {day}. It changes: {en}",
    }


def _change_text(i: Impact, lang: Lang) -> str:
    change = f"{i.before.text(lang)} → {i.after.text(lang)}"
    if lang == "zh":
        return f"决定 {i.decision_id[:8]} 的传输 {i.transfer}：{change}"
    return f"decision {i.decision_id[:8]} transfer {i.transfer}: {change}"
