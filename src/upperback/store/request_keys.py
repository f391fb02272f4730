"""Writes sent with an Idempotency-Key: each key's answer is kept, so a retry saves once.

A client that lost the answer to a write sends it again with the same key and gets the first
answer back (`Reply.replayed`), with nothing saved twice. The key is claimed in its own
transaction before the write runs, so two copies of one request sent at once cannot both
write: the second is told the first is still under way. A claim whose write never finished
(the server stopped mid-way) is taken over after `PENDING_FOR`. Keys are kept for
`KEY_LIFETIME`, then forgotten.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import UpperbackError
from .errors import RecordError
from .models import RequestKeyRow

#: What a key may be: 1 to 255 visible ASCII characters (a UUID is a good choice).
KEY_PATTERN: Final = r"^[!-~]{1,255}$"
KEY_ALLOWED: Final = (
    "1 to 255 visible ASCII characters, new for each write (a UUID is a good choice)"
)
KEY_LIFETIME: Final = timedelta(hours=24)
PENDING_FOR: Final = timedelta(minutes=1)

ConflictKind = Literal["reused", "in_progress"]


@dataclass(frozen=True)
class Reply:
    """A write's answer: its status and JSON body, and whether it is a stored one replayed."""

    status: int
    body: Any
    replayed: bool = False


class KeyConflict(UpperbackError):
    """The key was used for another request (`reused`), or its first request is still being
    handled (`in_progress`)."""

    def __init__(self, kind: ConflictKind) -> None:
        self.kind = kind
        super().__init__(
            "This Idempotency-Key was already used for a different request; use a new key "
            "for each new write." if kind == "reused" else
            "A request with this Idempotency-Key is still being handled; try again in a moment."
        )


def claim(session: Session, key: str, fingerprint: str, now: datetime) -> Reply | None:
    """Claim `key` for a new write, or return the stored reply of the write that used it.

    Raises KeyConflict when the key belongs to another request or to one still under way.
    """
    session.execute(delete(RequestKeyRow).where(RequestKeyRow.created_at < now - KEY_LIFETIME))
    row = session.get(RequestKeyRow, key)
    if row is None:
        session.add(RequestKeyRow(key=key, fingerprint=fingerprint, created_at=now))
        try:
            session.flush()
        except IntegrityError:  # PostgreSQL: the same key claimed a moment ago by another call
            raise KeyConflict("in_progress") from None
        return None
    if row.fingerprint != fingerprint:
        raise KeyConflict("reused")
    if row.status is not None:
        return Reply(row.status, row.reply, replayed=True)
    if row.created_at.astimezone(UTC) > now - PENDING_FOR:
        raise KeyConflict("in_progress")
    row.created_at = now  # abandoned by a write that never finished: this one takes it over
    return None


def record(session: Session, key: str, reply: Reply) -> None:
    """Keep the answer of the write that claimed `key`."""
    row = session.get(RequestKeyRow, key)
    if row is not None:  # None only if everything was deleted meanwhile: nothing to keep
        row.status, row.reply = reply.status, reply.body


def release(session: Session, key: str) -> None:
    """Give up the claim on `key` after its write failed, so that a retry can run it."""
    session.execute(delete(RequestKeyRow).where(RequestKeyRow.key == key))


def run_once(
    write_session: Callable[[], Any],
    key: str,
    fingerprint: str,
    write: Callable[[], tuple[int, Any]],
) -> Reply:
    """Claim `key`, run `write` (which returns the status and JSON body), keep its answer.

    `write_session()` is a context manager giving a session in a transaction of its own.
    """
    if not isinstance(key, str) or re.fullmatch(KEY_PATTERN, key) is None:
        raise RecordError("Idempotency-Key", KEY_ALLOWED, key)
    if not isinstance(fingerprint, str) or not 1 <= len(fingerprint) <= 64:
        raise RecordError("fingerprint", "1 to 64 characters (e.g. a SHA-256 in hex)", fingerprint)
    with write_session() as session:
        stored = claim(session, key, fingerprint, datetime.now(UTC))
    if stored is not None:
        return stored
    try:
        status, body = write()
    except BaseException:
        with write_session() as session:
            release(session, key)
        raise
    reply = Reply(status, body)
    with write_session() as session:
        record(session, key, reply)
    return reply
