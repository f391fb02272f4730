"""Storage errors as clear, user-facing messages (never a traceback, never a lost file)."""

from __future__ import annotations

import sqlite3
from typing import Literal

from sqlalchemy import exc as sa_exc

ErrorKind = Literal[
    "locked", "corrupt", "not_ours", "too_new", "unwritable", "unavailable", "invalid"
]

CHOOSE_ANOTHER = "Choose another file with --db PATH or UPPERBACK_DATABASE_URL."


class StoreError(Exception):
    """The diary could not be opened, read or written; the message says why and what to do."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        self.kind = kind
        self.message = message
        super().__init__(message)


class RecordError(StoreError, ValueError):
    """A value given to the store is not allowed: names the field and what is allowed."""

    def __init__(self, field: str, allowed: str, value: object) -> None:
        self.field, self.allowed, self.value = field, allowed, value
        super().__init__("invalid", f"{field} must be {allowed}, not {value!r}.")


def locked(where: str) -> StoreError:
    """Another process holds the write lock for longer than the busy timeout."""
    return StoreError(
        "locked",
        f"Another upperback is using the diary; try again in a moment. (File: {where})",
    )


def corrupt(where: str) -> StoreError:
    """The file is damaged or not a database at all."""
    return StoreError(
        "corrupt",
        f"{where}: the file is not a readable upperback database; it was left untouched. "
        + CHOOSE_ANOTHER,
    )


def not_ours(where: str) -> StoreError:
    """The file is a database, but some other program's."""
    return StoreError(
        "not_ours",
        f"{where} is a database that upperback did not make; it was left untouched. "
        + CHOOSE_ANOTHER,
    )


def too_new(where: str, revision: str) -> StoreError:
    """The file was written by a newer upperback whose schema we do not know."""
    return StoreError(
        "too_new",
        f"{where} was saved by a newer version of upperback (schema {revision}). "
        "Update upperback to open it; the file was left untouched.",
    )


def unwritable(where: str, reason: str) -> StoreError:
    """The file or its folder cannot be created or written."""
    return StoreError(
        "unwritable", f"Cannot write the diary at {where}: {reason}. " + CHOOSE_ANOTHER
    )


def _sqlite_error(error: sqlite3.Error) -> tuple[str, str]:
    name = getattr(error, "sqlite_errorname", "") or ""
    return name, str(error)


def translate(error: BaseException, where: str) -> StoreError:
    """Turn a database driver error into a StoreError with a message a person can act on."""
    original: BaseException = error
    if isinstance(error, sa_exc.DBAPIError) and error.orig is not None:
        original = error.orig
    if isinstance(original, sqlite3.Error):
        name, text = _sqlite_error(original)
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
            return locked(where)
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return corrupt(where)
        if name.startswith("SQLITE_FULL"):
            return unwritable(where, "the disk is full")
        if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR")):
            return unwritable(where, text)
        return StoreError("unavailable", f"The diary at {where} could not be used: {text}.")
    first_line = str(original).strip().splitlines()[0] if str(original).strip() else ""
    reason = first_line or type(original).__name__
    return StoreError("unavailable", f"The database {where} could not be used: {reason}.")
