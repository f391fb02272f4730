"""Storage errors as clear, user-facing messages (never a traceback, never a lost file)."""

from __future__ import annotations

import sqlite3
from typing import Literal

from ..errors import UpperbackError

ErrorKind = Literal[
    "locked", "corrupt", "not_ours", "too_new", "unwritable", "unavailable", "invalid"
]

CHOOSE_ANOTHER = "Choose another file or database with --db PATH or UPPERBACK_DATABASE_URL."


class StoreError(UpperbackError):
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
    """Another process holds the write lock (or a table lock) for longer than the busy timeout."""
    return StoreError(
        "locked",
        f"Another upperback is using the diary; try again in a moment. (Diary: {where})",
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


def invalid_url(reason: str) -> StoreError:
    """The database setting is not a URL SQLAlchemy can read (the text is not echoed: it may
    hold a password)."""
    return StoreError(
        "invalid",
        f"The database setting is not a valid database URL ({reason}). Use a file path, or a URL "
        "like postgresql+psycopg://user:password@host:5432/upperback, with --db or "
        "UPPERBACK_DATABASE_URL.",
    )


def missing_driver(where: str, backend: str, module: str | None) -> StoreError:
    """The Python driver for this kind of database is not installed."""
    extra = (
        " Install it with: pip install 'upperback[postgres]'." if backend == "postgresql" else ""
    )
    return StoreError(
        "unavailable",
        f"Cannot use the database {where}: its Python driver ({module or 'unknown'}) "
        f"is not installed.{extra}",
    )


def _sqlite_error(error: sqlite3.Error) -> tuple[str, str]:
    name = getattr(error, "sqlite_errorname", "") or ""
    return name, str(error)


# PostgreSQL's SQLSTATE codes that mean something a person can act on.
_PG_LOCKED = frozenset({"55P03", "40P01"})  # lock_not_available, deadlock_detected
_PG_FULL = frozenset({"53100", "53200"})  # disk_full, out_of_memory
_PG_NOT_ALLOWED = frozenset({"42501", "25006"})  # insufficient_privilege, read_only_transaction
_CONNECT_PROBLEMS = (
    "password authentication failed",
    "authentication failed",
    "no password supplied",
    "does not exist",
    "connection refused",
    "could not connect",
    "could not translate host name",
    "failed to resolve host",
    "timeout expired",
    "no pg_hba.conf entry",
    "connection failed",
    "server closed the connection",
)


def _server_reason(text: str) -> str:
    """The part of a libpq message that says what went wrong, on one line.

    libpq writes e.g. 'connection failed: connection to server at "h", port 5432 failed:
    FATAL:  password authentication failed for user "ann"'; the last 'failed:' piece is the news.
    """
    lines = [" ".join(line.split()) for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else ""
    reason = first.rsplit(" failed: ", 1)[-1]
    for prefix in ("connection failed: ", "FATAL: ", "ERROR: "):
        reason = reason.removeprefix(prefix)
    return reason.strip().rstrip(".")


def _server_error(original: BaseException, where: str) -> StoreError | None:
    """A StoreError for a database server's error (PostgreSQL), or None if it is not one."""
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    reason = _server_reason(str(original)) or type(original).__name__
    if code in _PG_LOCKED:
        return locked(where)
    if code in _PG_FULL:
        return unwritable(where, f"the database server is out of space ({reason})")
    if code in _PG_NOT_ALLOWED:
        return unwritable(where, f"the database user may not change it ({reason})")
    # Errors while connecting often come without a code; then the text tells.
    connecting = code is None and any(p in reason.lower() for p in _CONNECT_PROBLEMS)
    if connecting or (code is not None and (code.startswith("28") or code == "3D000")):
        return StoreError(
            "unavailable",
            f"Cannot connect to the database {where}: {reason}. Check that the server is "
            "running and that the address, user name and password in UPPERBACK_DATABASE_URL "
            "(or --db) are right.",
        )
    return None


def translate(error: BaseException, where: str) -> StoreError:
    """Turn a database driver error into a StoreError with a message a person can act on."""
    original: BaseException = error
    # SQLAlchemy wraps the driver's error in `orig` (read by name: this module must not
    # import SQLAlchemy, see quick_save.py).
    wrapped = getattr(error, "orig", None)
    if isinstance(wrapped, BaseException):
        original = wrapped
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
    server = _server_error(original, where)
    if server is not None:
        return server
    reason = _server_reason(str(original)) or type(original).__name__
    return StoreError("unavailable", f"The database {where} could not be used: {reason}.")
