"""Reading a database table in batches through SQLAlchemy (any backend it has a driver for)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from kuajing.errors import DatasetError
from kuajing.scan.source import Batches, Source, text_frame


def safe_url(url: str) -> str:
    """The URL without its password, for reports and messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError):
        return url.rsplit("@", maxsplit=1)[-1]


@contextmanager
def table_source(url: str, table: str | None, batch_rows: int) -> Iterator[Source]:
    shown = safe_url(url)
    if not table:
        raise DatasetError("name the table to scan with --table", file=shown)
    try:
        engine = sa.create_engine(url)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        why = _first(exc)
        raise DatasetError(
            f"cannot use this database URL ({why})", zh=f"无法使用该数据库地址（{why}）", file=shown
        ) from None
    try:
        with engine.connect() as conn:
            columns = _columns(conn, table, shown)
            label = f"{shown}#{table}"
            yield Source(
                label, "table", [c.name for c in columns], _rows(conn, columns, batch_rows, label)
            )
    except SQLAlchemyError as exc:
        raise DatasetError(f"database error ({_first(exc)})", file=shown) from None
    finally:
        engine.dispose()


def _columns(conn: sa.Connection, table: str, shown: str) -> list[sa.Column[object]]:
    schema, _, name = table.rpartition(".")
    inspector = sa.inspect(conn)
    if not inspector.has_table(name, schema=schema or None):
        known = ", ".join(inspector.get_table_names(schema=schema or None)[:30]) or "none"
        raise DatasetError(f"no table '{table}'; the database has: {known}", file=shown)
    reflected = sa.Table(name, sa.MetaData(), schema=schema or None, autoload_with=conn)
    return list(reflected.columns)


def _rows(
    conn: sa.Connection, columns: list[sa.Column[object]], batch_rows: int, label: str
) -> Batches:
    query = sa.select(*columns)
    result = conn.execution_options(stream_results=True, yield_per=batch_rows).execute(query)
    first = 1
    try:
        for part in result.partitions(batch_rows):
            yield text_frame([tuple(row) for row in part], len(columns)), first
            first += len(part)
    except SQLAlchemyError as exc:
        raise DatasetError(f"database error ({_first(exc)})", file=label) from None
    finally:
        result.close()


def _first(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
