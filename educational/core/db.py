"""The database handle, naming conventions, and the per-connection settings SQLite needs."""

import fcntl
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import UTC, date, datetime

from flask import has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection, DateTime, Engine, MetaData, Pool, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """The day every status, validity and checklist is computed for: the UTC date, as
    certificates are issued on and accreditations run."""
    return utcnow().date()


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite has no timezone type, so without this a value would come back naive there and
    aware on PostgreSQL, and comparisons would fail on one of the two."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use educational.core.db.utcnow()")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


#: How long a writer waits for the write lock before giving up (as SQLite's busy_timeout).
WRITE_LOCK_TIMEOUT = 30.0


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Take transaction control from pysqlite so that _sqlite_begin decides how to begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    path = cursor.execute("PRAGMA database_list").fetchone()[2]
    if path:  # not for in-memory databases
        owner_only(path)  # before WAL mode creates the -wal and -shm files
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    if path:
        connection_record.info["write_lock"] = os.open(
            f"{path}-writelock", os.O_RDWR | os.O_CREAT, 0o600
        )


@event.listens_for(Engine, "connect")
def _postgres_connect(dbapi_connection, connection_record) -> None:
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    # Nothing is prepared by default: each execution is planned for its values. A read
    # transaction ends with COMMIT (``transaction.end_read``), so psycopg would keep what it
    # prepared from one request to the next, and PostgreSQL would plan a prepared statement
    # once for any values (a generic plan) after five executions, several times slower for
    # a search whose rows depend on the values. A look-up by key, which gains from one plan
    # for any values, asks for preparing (``generic_plans``). Set on the driver's
    # connection: no statement is sent.
    dbapi_connection.prepare_threshold = None


@contextmanager
def generic_plans(connection: Connection) -> Iterator[None]:
    """Prepare the statements run meanwhile, so that PostgreSQL may reuse one plan for any
    values (look-ups by key, whose best plan does not depend on the values: planning them
    costs more than running them). A switch of the driver's (psycopg's
    ``prepare_threshold``): it sends nothing. Nothing on SQLite."""
    driver = connection.connection.driver_connection
    if not hasattr(driver, "prepare_threshold"):
        yield
        return
    before = driver.prepare_threshold
    driver.prepare_threshold = 0
    try:
        yield
    finally:
        driver.prepare_threshold = before


def owner_only(path: str) -> None:
    """Make a SQLite database readable by its owner only: it holds password hashes and
    personal data. SQLite creates the -wal and -shm files with the database file's mode, so
    they follow; existing ones are tightened too. A file the app does not own is left as
    it is."""
    for name in (path, f"{path}-wal", f"{path}-shm"):
        with suppress(FileNotFoundError, PermissionError):
            mode = stat.S_IMODE(os.stat(name).st_mode)
            if mode & 0o077:
                os.chmod(name, mode & 0o700)


#: Set by ``reading()``: connections begun meanwhile only read.
_READING: ContextVar[bool] = ContextVar("reading", default=False)


@contextmanager
def reading() -> Iterator[Connection]:
    """A connection of its own that only reads, even in a request that writes: on SQLite it
    begins without the write lock, so slow work on what it read (checking a password) keeps
    other writers waiting for nothing. Closed on leaving."""
    token = _READING.set(True)
    try:
        with db.engine.connect() as connection:
            yield connection
    finally:
        _READING.reset(token)


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when
    # another writer committed in between. Writers therefore take the write lock up front;
    # safe requests read concurrently.
    if (has_request_context() and request.method in SAFE_METHODS) or _READING.get():
        connection.exec_driver_sql("BEGIN")
        return
    _take_write_lock(connection.connection.info)
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _take_write_lock(info: dict) -> None:
    """Queue writers on a file lock beside the database before BEGIN IMMEDIATE.

    SQLite's own busy handler sleeps in steps of up to 100 ms while it waits, so under many
    concurrent writers the lock sits free while they sleep and throughput collapses. A
    flock is handed over within a millisecond, across processes (gunicorn workers) and
    threads alike, since every connection opens its own descriptor."""
    descriptor = info.get("write_lock")
    if descriptor is None or info.get("write_lock_held"):
        return
    if not take_lock(descriptor, WRITE_LOCK_TIMEOUT, pause=0.0005):
        raise sqlite3.OperationalError("database is locked")
    info["write_lock_held"] = True


def take_lock(descriptor: int, timeout: float, *, pause: float) -> bool:
    """Take the exclusive flock on ``descriptor``, trying again every ``pause`` seconds;
    False when ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(pause)


def _release_write_lock(info: dict) -> None:
    if info.pop("write_lock_held", False):
        fcntl.flock(info["write_lock"], fcntl.LOCK_UN)


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _sqlite_end(connection) -> None:
    if connection.dialect.name == "sqlite":
        _release_write_lock(connection.connection.info)


@event.listens_for(Pool, "reset")
def _sqlite_reset(dbapi_connection, connection_record, reset_state) -> None:
    _release_write_lock(connection_record.info)


@event.listens_for(Pool, "close")
def _sqlite_closed(dbapi_connection, connection_record) -> None:
    _release_write_lock(connection_record.info)
    descriptor = connection_record.info.pop("write_lock", None)
    if descriptor is not None:
        os.close(descriptor)


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
