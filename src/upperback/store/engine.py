"""Engines with the SQLite settings the diary relies on, and a read-only look before writing.

Every SQLite connection gets WAL mode (readers never block the writer, and a killed process
cannot leave a half-written file), full fsync on commit, a busy timeout, and secure delete (so
`forget` really removes the data). Transactions are begun explicitly, so each Store write is one
transaction and migrations are all-or-nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url

from . import errors
from .settings import sqlite_file

SQLITE_HEADER = b"SQLite format 3\x00"
VERSION_TABLE = "alembic_version"
OUR_TABLES = frozenset({"checks", "diary_entries", "timer_sessions", VERSION_TABLE})


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself instead of the driver guessing.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _on_begin(connection: Connection) -> None:
    # Writers take the write lock up front, so waiting for it uses the busy timeout.
    mode = "BEGIN IMMEDIATE" if connection.get_execution_options().get("write") else "BEGIN"
    connection.exec_driver_sql(mode)


def make_engine(url: str, busy_timeout: float = 5.0) -> Engine:
    """An engine for this URL; SQLite engines get WAL, fsync, busy timeout and explicit BEGIN."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    engine = create_engine(
        parsed, connect_args={"timeout": busy_timeout, "check_same_thread": False}
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def prepare_file(path: Path) -> None:
    """Create the folder for a new diary file; fail clearly if it cannot be made."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
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
