"""Visitors' private diaries (public mode): made without an account, opened by a key.

The key is 32 random bytes (256 bits), shown to the visitor once and kept by their browser
(a cookie) or their program (a Bearer token). Only its SHA-256 hash is stored: the key is
random and long, so a plain hash is enough (a slow password hash is for guessable secrets),
and a stolen database opens no diary. Diaries unused for a while are deleted with all they hold.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import select, update

from .models import DiaryRow
from .store import Store

KEY_BYTES: Final = 32
#: What a diary key looks like: URL-safe base64 of 32 bytes (43 characters).
KEY_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{43}")
#: A diary's last use is written at most this often (a read is not a write every time).
TOUCH_EVERY: Final = timedelta(hours=1)
DEFAULT_KEEP_DAYS: Final = 180
PRUNE_BATCH: Final = 100


def key_hash(key: str) -> str:
    """The stored form of a diary key."""
    return hashlib.sha256(key.encode("ascii", "replace")).hexdigest()


def create_diary(store: Store, now: datetime | None = None) -> tuple[int, str]:
    """Make a new, empty diary: its id and its key (the only time the key is known)."""
    key = secrets.token_urlsafe(KEY_BYTES)
    moment = now or datetime.now(UTC)
    row = DiaryRow(key_hash=key_hash(key), created_at=moment, last_used_at=moment)
    with store.writing() as session:
        session.add(row)
        session.flush()
        return row.id, key


def open_diary(store: Store, key: object, now: datetime | None = None) -> int | None:
    """The id of the diary this key opens (its last use noted), or None for a key that is
    malformed or opens none."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        return None
    moment = now or datetime.now(UTC)
    with store.reading() as session:
        found = session.execute(
            select(DiaryRow.id, DiaryRow.last_used_at).where(DiaryRow.key_hash == key_hash(key))
        ).first()
    if found is None:
        return None
    diary_id, last_used = found
    if moment - last_used >= TOUCH_EVERY:
        with store.writing() as session:
            session.execute(
                update(DiaryRow).where(DiaryRow.id == diary_id).values(last_used_at=moment)
            )
    return int(diary_id)


def prune_diaries(store: Store, keep_days: int = DEFAULT_KEEP_DAYS,
                  now: datetime | None = None) -> int:
    """Delete the diaries not used for `keep_days` days, with everything they hold; how many."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    deleted = 0
    while True:
        with store.reading() as session:
            ids = list(session.scalars(
                select(DiaryRow.id).where(DiaryRow.last_used_at < cutoff).limit(PRUNE_BATCH)
            ))
        for diary_id in ids:
            store.for_diary(diary_id).forget()
        deleted += len(ids)
        if len(ids) < PRUNE_BATCH:
            return deleted


def count_diaries(store: Store) -> int:
    """How many diaries the database holds."""
    from sqlalchemy import func

    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(DiaryRow)) or 0
