"""Save a finished check to a current SQLite diary without loading SQLAlchemy.

`upperback check --answers FILE` assesses, saves one row and exits. Importing SQLAlchemy
costs more than all the rest of that, so when the diary is an existing SQLite file at this
version's schema, the row is written with the standard library's sqlite3, with the same
checks, pragmas and stored format as `Store.save_check` (a test compares the two rows).

Anything else returns None and the caller opens the `Store`, which creates, migrates, checks
and explains: a new or older diary, another database, a file that is not ours or damaged, a
lock held too long. So this path can only ever save sooner, never differently.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from .errors import RecordError
from .layout import HEAD_REVISION, OUR_TABLES, SQLITE_HEADER, VERSION_TABLE
from .settings import resolve_url
from .values import check_json, check_time

SQLITE_SCHEME = "sqlite:///"
# The text SQLAlchemy's SQLite DateTime stores (UTC, without a zone, always microseconds).
STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"


def sqlite_file_of(url: str | None) -> Path | None:
    """The existing SQLite file a database choice names, or None when it is anything else (a
    server URL, a URL with options, in-memory SQLite, a file not made yet)."""
    # The same choice the Store makes (a path, a URL, or the default file).
    resolved = resolve_url(url)
    if not resolved.startswith(SQLITE_SCHEME) or "?" in resolved:
        return None
    name = resolved[len(SQLITE_SCHEME):]
    if not name:
        return None
    path = Path(name)
    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
    except OSError:
        return None
    return path.resolve()


def save_check_quickly(
    url: str | None,
    answers: Mapping[str, Any],
    result: Mapping[str, Any],
    created_at: datetime | None = None,
    busy_timeout: float = 5.0,
) -> int | None:
    """Save the check and return its id, or None when the Store must do it instead.

    Bad values raise RecordError exactly as `Store.save_check` does; nothing is written then.
    """
    if not isinstance(answers, dict):
        raise RecordError("answers", "a dict of finding ids to answers", answers)
    if not isinstance(result, dict):
        raise RecordError("result", "an assessment as a dict", result)
    row = (
        check_time("created_at", created_at).astimezone(UTC).strftime(STORED_TIME),
        json.dumps(check_json("answers", answers)),
        json.dumps(check_json("result", result)),
        __version__,
    )
    path = sqlite_file_of(url)
    if path is None:
        return None
    try:
        connection = sqlite3.connect(
            f"{path.as_uri()}?mode=rw", uri=True, timeout=busy_timeout, isolation_level=None
        )
    except sqlite3.Error:
        return None
    try:
        return _insert(connection, row)
    except sqlite3.Error:
        # Whatever it was (locked, damaged, read-only), the Store says it properly.
        if connection.in_transaction:
            connection.rollback()
        return None
    finally:
        connection.close()


def _insert(connection: sqlite3.Connection, row: tuple[str, str, str, str]) -> int | None:
    # The same settings as every Store connection (engine.py): a damaged file is refused, and
    # the write is durable and leaves nothing readable behind when deleted.
    if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
        return None
    if connection.execute("PRAGMA journal_mode").fetchone() != ("wal",):
        return None  # not a diary the Store has opened: let it set the file up
    for pragma in ("synchronous=FULL", "foreign_keys=ON", "secure_delete=ON"):
        connection.execute(f"PRAGMA {pragma}")
    tables = {
        name
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith("sqlite_")
    }
    if tables != OUR_TABLES:
        return None
    connection.execute("BEGIN IMMEDIATE")
    revision = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
    if revision != [(HEAD_REVISION,)]:
        connection.rollback()
        return None
    cursor = connection.execute(
        "INSERT INTO checks (created_at, answers, result, version) VALUES (?, ?, ?, ?)", row
    )
    connection.commit()
    return cursor.lastrowid
