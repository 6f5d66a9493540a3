"""Each company's own published list editions, read from the database once, not on every
assessment (`POST /v1/assess` asked on each call: a query, about 0.2 ms). An edition becomes
published only through `zone_editions.publish`, which calls `forget` once it is committed; like
the service's catalogue (`app.state.catalog`), this is kept per process."""

from __future__ import annotations

import threading
import weakref

from sqlalchemy import Engine

from kuajing.zone.models import Edition
from kuajing.zone.store import ZoneStore

_lock = threading.Lock()
_known: weakref.WeakKeyDictionary[Engine, dict[int, list[Edition]]] = weakref.WeakKeyDictionary()
_generation = 0  # a read begun before a `forget` is not kept: it may miss the new edition


def published(engine: Engine, organisation_id: int) -> list[Edition]:
    """The company's own published editions (shared: do not change them)."""
    with _lock:
        found = _known.get(engine, {}).get(organisation_id)
        began = _generation
    if found is None:
        found = ZoneStore(engine).published(organisation_id)
        with _lock:
            if began == _generation:
                _known.setdefault(engine, {})[organisation_id] = found
    return found


def forget() -> None:
    """Every company's, of every database: publishing is rare."""
    global _generation  # noqa: PLW0603 (the module is the cache)
    with _lock:
        _generation += 1
        _known.clear()
