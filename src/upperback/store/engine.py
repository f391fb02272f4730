"""Engines with the SQLite settings the diary relies on, and a read-only look before writing.

Every SQLite connection gets WAL mode (readers never block the writer, and a killed process
cannot leave a half-written file), full fsync on commit, a busy timeout, and secure delete (so
`forget` really removes the data). Transactions are begun explicitly, so each Store write is one
transaction and migrations are all-or-nothing.

PostgreSQL (psycopg 3) connections get the same busy timeout as a connect timeout and a lock
timeout, so a server that is down or a table someone holds gives a clear error, not a hang.
None of the SQLite settings (pragmas, BEGIN IMMEDIATE, the file checks) touch other databases.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url

from . import errors
from .layout import OUR_TABLES, SQLITE_HEADER, VERSION_TABLE
from .settings import sqlite_file


def _use_wal(cursor: sqlite3.Cursor, busy_timeout: float) -> None:
    # Switching a new file to WAL needs a moment alone with it, and SQLite answers "locked" at
    # once, without waiting the busy timeout, if another upperback is creating it right now.
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _on_connect(busy_timeout: float) -> Callable[[Any, Any], None]:
    def connected(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself instead of the driver guessing.
        dbapi_connection.isolation_level = None
        # Text that is not valid UTF-8 (written by another program, or an older one) is read
        # with U+FFFD in place of the bad bytes, instead of failing every read of the diary.
        dbapi_connection.text_factory = _lenient_text
        cursor = dbapi_connection.cursor()
        try:
            _use_wal(cursor, busy_timeout)
            _set_pragmas(cursor)
        finally:
            cursor.close()

    return connected


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _set_pragmas(cursor: sqlite3.Cursor) -> None:
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")


def _on_begin(connection: Connection) -> None:
    # Writers take the write lock up front, so waiting for it uses the busy timeout.
    mode = "BEGIN IMMEDIATE" if connection.get_execution_options().get("write") else "BEGIN"
    connection.exec_driver_sql(mode)


# libpq drivers take these as connection parameters; a setting in the URL's query wins.
LIBPQ_DRIVERS = frozenset({"psycopg", "psycopg2"})


def postgresql_url(url: URL) -> URL:
    """A plain postgresql:// URL means psycopg 3 (the driver of the `postgres` extra)."""
    return url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url


def _libpq_settings(url: URL, busy_timeout: float) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "connect_timeout": max(2, math.ceil(busy_timeout)),  # libpq's least is 2 seconds
        "application_name": "upperback",
        "options": f"-c lock_timeout={max(1, round(busy_timeout * 1000))}",
    }
    return {key: value for key, value in settings.items() if key not in url.query}


def make_engine(url: str, busy_timeout: float = 5.0) -> Engine:
    """An engine for this URL; SQLite engines get WAL, fsync, busy timeout and explicit BEGIN,
    PostgreSQL engines a connect and lock timeout of `busy_timeout` seconds."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = postgresql_url(parsed)
        connect_args = (
            _libpq_settings(parsed, busy_timeout)
            if parsed.get_driver_name() in LIBPQ_DRIVERS
            else {}
        )
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    engine = create_engine(
        parsed, connect_args={"timeout": busy_timeout, "check_same_thread": False}
    )
    event.listen(engine, "connect", _on_connect(busy_timeout))
    event.listen(engine, "begin", _on_begin)
    return engine


def make_read_only_engine(path: Path, busy_timeout: float = 5.0) -> Engine:
    """An engine that only reads this SQLite file (`mode=ro`): for a diary file the person
    may read but not write. No WAL switch or pragmas (they write); if SQLite cannot open a
    WAL file read-only (its -shm cannot be made), the file is opened as immutable."""

    def connect() -> sqlite3.Connection:
        uri = path.resolve().as_uri()
        try:
            connection = sqlite3.connect(
                f"{uri}?mode=ro", uri=True, timeout=busy_timeout, check_same_thread=False
            )
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # A read-only folder: nobody can be writing the file, so immutable is safe.
            connection = sqlite3.connect(
                f"{uri}?immutable=1", uri=True, timeout=busy_timeout, check_same_thread=False
            )
        connection.isolation_level = None
        connection.text_factory = _lenient_text
        return connection

    engine = create_engine("sqlite+pysqlite://", creator=connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def prepare_file(path: Path) -> None:
    """Make the folder and an empty file for a new diary, readable by its owner only (SQLite
    gives its -wal and -shm files the same mode). Existing ones keep their modes. Fails clearly
    if they cannot be made."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # An existing file is left as it is: a diary, or something inspect_file will refuse.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise errors.unwritable(str(path), error.strerror or str(error)) from error


def inspect_file(path: Path, busy_timeout: float = 5.0) -> str | None:
    """Look at an existing SQLite file read-only, and return its schema revision (None if new).

    Raises StoreError, without changing a byte, if the file is damaged, locked, belongs to some
    other program, or was made by a newer upperback. The caller decides which revisions it knows.
    """
    where = str(path)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise errors.unwritable(where, error.strerror or str(error)) from error
    if not header:
        return None
    if header != SQLITE_HEADER:
        raise errors.corrupt(where)
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout
        )
    except sqlite3.Error as error:
        raise errors.translate(error, where) from error
    try:
        return _revision(connection, where)
    except sqlite3.Error as error:
        raise errors.translate(error, where) from error
    finally:
        connection.close()


def _revision(connection: sqlite3.Connection, where: str) -> str | None:
    if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
        raise errors.corrupt(where)
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    tables = {row[0] for row in rows if not row[0].startswith("sqlite_")}
    if not tables:
        return None
    if VERSION_TABLE not in tables or not tables <= OUR_TABLES:
        raise errors.not_ours(where)
    row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
    return str(row[0]) if row else None


def sqlite_path(url: str) -> Path | None:
    """The SQLite file of a URL, or None."""
    return sqlite_file(make_url(url))
