"""Opening the service's database: SQLite by default, PostgreSQL by URL. Migrations run on open."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from kuajing.errors import LedgerError

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0013"  # the newest migration (a test checks it against Alembic's scripts)
LOCK_ID = 0x6B75616A  # PostgreSQL advisory lock that serialises ledger writes ("kuaj")


def default_url() -> str:
    """KUAJING_DATABASE_URL, else a SQLite file in the user's data directory."""
    url = os.environ.get("KUAJING_DATABASE_URL")
    if url:
        return url
    home = Path(platformdirs.user_data_dir("kuajing", appauthor=False))
    return f"sqlite:///{home / 'ledger.sqlite3'}"


def open_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            return _sqlite(url)
        engine = create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20)
    except (ArgumentError, NoSuchModuleError) as exc:
        shown = repr(_safe(url))
        raise LedgerError(
            f"database URL {shown}: {exc}", zh=f"数据库地址 {shown} 无法使用：{exc}"
        ) from None
    except ImportError as exc:
        shown = repr(_safe(url))
        raise LedgerError(
            f"database URL {shown} needs a driver: {exc.name}",
            zh=f"数据库地址 {shown} 需要驱动程序：{exc.name}",
        ) from None
    _migrate(engine)
    return engine


# The service runs its calls on anyio's 40 worker threads: a pool that keeps fewer connections
# closes and reopens one (and reruns its pragmas) on nearly every call under load.
POOL_SIZE = 40


def _sqlite(url: str) -> Engine:
    if ":memory:" in url or url.rstrip("/") == "sqlite:":
        engine = create_engine(url)  # one private database per connection: no pool to size
    else:
        engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=8)
    database = engine.url.database
    if database and database != ":memory:":
        folder = Path(database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(
                f"{folder}: cannot create the ledger's folder ({exc.strerror})",
                zh=f"{folder}：无法创建台账文件夹（{exc.strerror}）",
            ) from None

    event.listen(engine, "connect", lambda dbapi, _record: prepare(dbapi))

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
        mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    _migrate(engine)
    return engine


CACHE_KIB = 16_384  # SQLite's page cache per connection


def prepare(dbapi: sqlite3.Connection) -> None:
    """Settings every SQLite connection of the ledger gets as it opens."""
    dbapi.isolation_level = None  # we issue BEGIN ourselves, on "begin" above
    cursor = dbapi.cursor()
    cursor.execute("PRAGMA busy_timeout=600000")  # a second writer waits instead of failing
    # Takes effect on a new database only (in WAL mode the size stays once set): 16 KiB pages
    # hold four times the keyed hashes of SQLite's 4 KiB, so recording writes fewer pages
    # (bench/ledger.py: 6-7 % faster at 10M rows, 12 % at 3M; README, Benchmark).
    cursor.execute("PRAGMA page_size=16384")
    _wal(cursor)  # readers (status) never wait for a recording
    for pragma in (
        "foreign_keys=ON",
        "synchronous=FULL",
        # Recording writes its hashes in byte order, so each B-tree page is touched once: 16
        # MiB stores them as fast as 256 MiB did (bench/ledger.py, 10M rows, runs alternated:
        # 16.0-20.7 s against 16.0-19.9 s), and a transaction's dirty pages spill to the WAL
        # instead of growing a recording process by up to 256 MiB (Spark's driver: README).
        f"cache_size=-{CACHE_KIB}",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


WAL_WAIT = 60.0  # seconds


def _wal(cursor: sqlite3.Cursor) -> None:
    """Switch to WAL. On a new file this takes an exclusive lock without calling the busy
    handler, so two first users of one new ledger would fail here at random: retry instead."""
    deadline = time.monotonic() + WAL_WAIT
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction, serialised against every other ledger writer. Committed whole or
    rolled back whole: a crash part-way leaves the ledger as it was."""
    # SQLite's busy handler polls with growing sleeps, so writers of one process queue on a
    # lock instead: the next one starts the moment the last commits (p99 1.5 s -> 0.4 s, 32
    # clients of bench/api.py). Other processes still wait in the busy handler.
    with _writer_lock(engine), _connect(engine) as conn, _write_transaction(conn):
        yield conn


@contextmanager
def writing_on(conn: Connection) -> Iterator[Connection]:
    """`writing` on a connection its caller keeps open: a long-lived writer (the group commit's)
    saves a checkout from the pool and its return on each transaction (0.1 ms)."""
    with _writer_lock(conn.engine), _write_transaction(conn):
        yield conn


@contextmanager
def _write_transaction(conn: Connection) -> Iterator[Connection]:
    conn.execution_options(write=True)
    with conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})
        yield conn


_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


def _writer_lock(engine: Engine) -> AbstractContextManager[object]:
    if engine.dialect.name != "sqlite":
        return nullcontext()  # PostgreSQL queues writers on its advisory lock
    with _WRITERS_LOCK:
        return _WRITERS.setdefault(engine, threading.Lock())


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    with _connect(engine) as conn, conn.begin():
        yield conn


@contextmanager
def _connect(engine: Engine) -> Iterator[Connection]:
    with connect(engine) as conn:
        yield conn


def connect(engine: Engine) -> Connection:
    """A connection from the pool, for its caller to close."""
    try:
        return engine.connect()
    except DBAPIError as exc:
        why = _first_line(exc)
        raise LedgerError(
            f"cannot open the ledger database: {why}", zh=f"无法打开台账数据库：{why}"
        ) from None


def _migrate(engine: Engine) -> None:
    with reading(engine) as conn:
        if _revision(conn) == HEAD:
            return
    with writing(engine) as conn:  # re-checked under the lock: two first uses race here
        if _revision(conn) == HEAD:
            return
        # Alembic costs 0.15 s to import: only when there is something to migrate.
        from alembic import command  # noqa: PLC0415
        from alembic.config import Config  # noqa: PLC0415

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(found) if found is not None else None


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    head, sep, tail = url.partition("@")
    if not sep or "//" not in head:
        return url
    scheme, _, cred = head.partition("//")
    return f"{scheme}//{cred.split(':')[0]}:***@{tail}"
