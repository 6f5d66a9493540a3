"""The counters recounted from the live batches. Each pool's seen-set and daily counts must be
what the stored persons of its live batches give: a batch deleted behind the ledger's back (with
its audit entry) leaves its persons counted, and `status` reads those counts. Set-based SQL that
runs on SQLite and PostgreSQL, like `record`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, select, text

from kuajing.catalog.base import Text
from kuajing.ledger.models import NATIONAL, CounterCounts, CounterProblem
from kuajing.ledger.record import member_rows
from kuajing.ledger.schema import batches, pools, processors

_DAY = {  # day of the year of a batch's export date, as `record.day_of_year`
    "sqlite": "CAST(strftime('%j', b.export_date) AS INTEGER)",
    "postgresql": "CAST(EXTRACT(DOY FROM CAST(b.export_date AS DATE)) AS INTEGER)",
}

# Each person of the pool's live counted batches once, with the first day their PI and their
# sensitive PI left: what `record` keeps in `seen`. A sensitive batch sets both days, so
# p_day <= s_day and p_day is also the day the person is first counted in `persons`. Then the
# persons first counted on each day, as `daily` keeps them, and (day NULL) how many persons the
# live batches give and how many of them `seen` holds with the same days. Materialised: read
# twice, and grouping every member by hash is the costly part.
_LIVE = """
WITH live AS MATERIALIZED (
  SELECT m.hash, MIN({day}) AS p_day, MIN(CASE WHEN b.sensitive THEN {day} END) AS s_day
  FROM batches b JOIN member_rows m ON m.batch_id = b.id
  WHERE b.processor_id = :processor AND b.year = :year AND b.exemption IS NULL {scoped}
  GROUP BY m.hash
), firsts AS (
  SELECT p_day AS day, 1 AS personal, 0 AS sensitive, 1 AS persons FROM live
  UNION ALL SELECT s_day, 0, 1, 0 FROM live WHERE s_day IS NOT NULL
)
SELECT day, SUM(personal), SUM(sensitive), SUM(persons) FROM firsts GROUP BY day
UNION ALL
SELECT NULL, COUNT(*), COUNT(s.hash), 0 FROM live l
LEFT JOIN seen s ON s.pool_id = :pool AND s.hash = l.hash AND s.p_day = l.p_day
  AND (s.s_day = l.s_day OR (s.s_day IS NULL AND l.s_day IS NULL))
"""

_STORED = "SELECT day, personal, sensitive, persons FROM daily WHERE pool_id = :pool"
_SEEN = "SELECT COUNT(p_day), COUNT(s_day), COUNT(*) FROM seen WHERE pool_id = :pool"

Key = tuple[int, str, int, str]  # processor id and name, year, scope


def check(conn: Connection) -> list[CounterProblem]:
    """Every pool whose counters or seen-set differ from what its live batches give."""
    problems: list[CounterProblem] = []
    counted = select(batches.c.id).where(batches.c.exemption.is_(None)).order_by(batches.c.id)
    with member_rows(conn, list(conn.execute(counted).scalars())):
        for key, pool in sorted(_pools(conn).items(), key=lambda kv: kv[0][1:]):
            problems += _pool_problems(conn, key, pool)
    return problems


def _pool_problems(conn: Connection, key: Key, pool: int | None) -> list[CounterProblem]:
    args = {"processor": key[0], "year": key[2], "pool": pool, "pattern": _like(key[3])}
    given, live, matched = _given(conn, key, args)
    problems = _days(conn, key, given, args)
    p, s, n = (int(x) for x in conn.execute(text(_SEEN), args).one())
    if matched != live or matched != n:  # hashes are unique in each: equal iff all match
        stored = CounterCounts(personal=p, sensitive=s, persons=n)
        totals = CounterCounts(**{c: sum(getattr(g, c) for g in given.values()) for c in _COUNTERS})
        problems.append(_problem(key, None, stored, totals, (n - matched, live - matched)))
    return problems


_COUNTERS = ("personal", "sensitive", "persons")


def _pools(conn: Connection) -> dict[Key, int | None]:
    """The pools the ledger holds and those its live counted batches need (id None if absent)."""
    found: dict[Key, int | None] = {}
    counted = select(batches.c.processor_id, processors.c.name, batches.c.year, batches.c.scopes)
    counted = counted.join(processors, processors.c.id == batches.c.processor_id)
    for pid, name, year, scopes in conn.execute(counted.where(batches.c.exemption.is_(None))):
        for scope in [NATIONAL, *filter(None, scopes.split(","))]:
            found[(pid, name, year, scope)] = None
    stored = select(
        pools.c.id, pools.c.processor_id, processors.c.name, pools.c.year, pools.c.scope
    )
    stored = stored.join(processors, processors.c.id == pools.c.processor_id)
    for pool, pid, name, year, scope in conn.execute(stored):
        found[(pid, name, year, scope)] = pool
    return found


def _live_sql(conn: Connection, key: Key) -> str:
    scoped = "" if key[3] == NATIONAL else "AND (',' || b.scopes || ',') LIKE :pattern ESCAPE '!'"
    return _LIVE.format(day=_DAY[conn.dialect.name], scoped=scoped)


def _like(scope: str) -> str:
    """A LIKE pattern matching `scope` as one item of a comma-separated list."""
    escaped = scope.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%,{escaped},%"


def _given(
    conn: Connection, key: Key, args: dict[str, Any]
) -> tuple[dict[int, CounterCounts], int, int]:
    """The daily counts the live batches give; their persons; of those, the ones `seen` holds
    with the same days."""
    given: dict[int, CounterCounts] = {}
    live = matched = 0
    for day, p, s, n in conn.execute(text(_live_sql(conn, key)), args):
        if day is None:
            live, matched = int(p), int(s)
        else:
            given[int(day)] = CounterCounts(personal=int(p), sensitive=int(s), persons=int(n))
    return given, live, matched


def _days(
    conn: Connection, key: Key, given: dict[int, CounterCounts], args: dict[str, Any]
) -> list[CounterProblem]:
    stored = {
        int(d): CounterCounts(personal=int(p), sensitive=int(s), persons=int(n))
        for d, p, s, n in conn.execute(text(_STORED), args)
    }
    none = CounterCounts()  # a day whose persons all moved earlier keeps a row of zeros
    return [
        _problem(key, day, stored.get(day, none), given.get(day, none))
        for day in sorted(given.keys() | stored.keys())
        if given.get(day, none) != stored.get(day, none)
    ]


def _problem(
    key: Key,
    day: int | None,
    stored: CounterCounts,
    live: CounterCounts,
    differ: tuple[int, int] = (0, 0),
) -> CounterProblem:
    _, processor, year, scope = key
    date = None if day is None else dt.date(year, 1, 1) + dt.timedelta(days=day - 1)
    return CounterProblem(
        processor=processor,
        year=year,
        scope=scope,
        day=date,
        stored=stored,
        live=live,
        message=_message(processor, year, scope, date, stored, live, differ),
    )


def _message(
    processor: str,
    year: int,
    scope: str,
    date: dt.date | None,
    stored: CounterCounts,
    live: CounterCounts,
    differ: tuple[int, int],
) -> Text:
    national = scope == NATIONAL
    zh = f"{processor}，{year} 年，{'全国计数器' if national else f'范围 {scope}'}"
    en = f"{processor}, {year}, {'national counters' if national else f'scope {scope}'}"
    s_zh, l_zh = _counts_zh(stored), _counts_zh(live)
    s_en, l_en = _counts_en(stored), _counts_en(live)
    why_zh = "（有批次在账本之外被删除，或计数被改动）"
    why_en = " (a batch deleted, or counts edited, outside the ledger)"
    if date is not None:
        return Text(
            zh=f"{zh}，{date}：每日计数器记有{s_zh}，现存批次得出{l_zh}{why_zh}。",
            en=f"{en}, {date}: the daily counters hold {s_en}; the live batches give {l_en}"
            f"{why_en}.",
        )
    extra, missing = differ
    return Text(
        zh=f"{zh}：已计人员集合中有 {extra} 人（或其首次出境日）不来自现存批次，缺少现存批次的 "
        f"{missing} 人；已计{s_zh}，现存批次得出{l_zh}{why_zh}。",
        en=f"{en}: the counted-persons set holds {extra} persons (or first days) the live "
        f"batches do not give and lacks {missing} they give; it counts {s_en}, the live "
        f"batches give {l_en}{why_en}.",
    )


def _counts_zh(c: CounterCounts) -> str:
    return f"个人信息 {c.personal} 人、敏感个人信息 {c.sensitive} 人、去重 {c.persons} 人"


def _counts_en(c: CounterCounts) -> str:
    return f"personal {c.personal}, sensitive {c.sensitive}, persons {c.persons}"
