"""Reader comments, moderators and their sessions, kept in the store's database.

Comments come in checked by the core (`upperback.comments`); here they are kept, listed a
bounded number at a time, and moved from pending to approved or rejected. A comment's id is
random (32 hex characters), so one that is not public cannot be found by counting.

Moderators' passwords are kept as argon2id hashes (argon2-cffi), and a signed-in moderator's
session only as the SHA-256 of its token, with an expiry: a copy of the database lets no one
sign in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..comments import NAME_MAX, PAGE_PATH_MAX, STATUSES, TEXT_MAX, Status
from ..limits import PAGE_MAX
from .errors import RecordError
from .models import CommentRow, ModeratorRow, ModeratorSessionRow
from .store import Store

ID_PATTERN: Final = re.compile(r"[0-9a-f]{32}")
ID_ALLOWED: Final = "a comment id: 32 characters, 0-9 and a-f (see: upperback comments list)"
#: How long a moderator stays signed in.
SESSION_LIFETIME: Final = timedelta(hours=12)
TOKEN_MAX: Final = 100


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Comment:
    """A reader's comment as kept: public once its status is "approved"."""

    id: str
    page: str
    name: str
    text: str
    status: str
    created_at: datetime
    held_for: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """As plain data (the time stays a datetime; JSON layers format it)."""
        return {"id": self.id, "page": self.page, "name": self.name, "text": self.text,
                "status": self.status, "created": self.created_at, "held_for": self.held_for}


def _comment(row: CommentRow) -> Comment:
    return Comment(row.id, row.page, row.name, row.text, row.status, row.created_at,
                   row.held_for)


def _stored_text(field: str, value: object, limit: int) -> str:
    # The core checked it; the store refuses anything no database column can hold as it is.
    if not isinstance(value, str) or "\x00" in value or not value or len(value) > limit:
        raise RecordError(field, f"text of 1 to {limit} characters, without NUL", value)
    return value


def add_comment(store: Store, page: str, name: str, text: str, held_for: str | None = None,
                created_at: datetime | None = None) -> Comment:
    """Keep a new comment, pending a moderator; its id is new and random."""
    row = CommentRow(
        id=secrets.token_hex(16),
        page=_stored_text("page", page, PAGE_PATH_MAX),
        name=_stored_text("name", name, NAME_MAX),
        text=_stored_text("text", text, TEXT_MAX),
        status="pending",
        created_at=created_at or _now(),
        held_for=held_for,
    )
    with store.writing() as session:
        session.add(row)
    return _comment(row)


def _rows(result: object) -> int:
    """How many rows a DELETE or UPDATE touched (its CursorResult's rowcount)."""
    return int(getattr(result, "rowcount", 0))


def _bounded(limit: int) -> int:
    return max(1, min(limit, PAGE_MAX))


def approved_comments(store: Store, page: str, limit: int = 200) -> list[Comment]:
    """A page's approved comments, oldest first (the newest `limit` of them)."""
    query = (select(CommentRow)
             .where(CommentRow.page == page, CommentRow.status == "approved")
             .order_by(CommentRow.created_at.desc(), CommentRow.id.desc())
             .limit(_bounded(limit)))
    with store.reading() as session:
        return [_comment(row) for row in reversed(session.scalars(query).all())]


def latest_approved(store: Store, limit: int = 50, page: str | None = None) -> list[Comment]:
    """The newest approved comments, newest first (of one page, or of every page)."""
    query = select(CommentRow).where(CommentRow.status == "approved")
    if page is not None:
        query = query.where(CommentRow.page == page)
    query = query.order_by(CommentRow.created_at.desc(), CommentRow.id.desc())
    with store.reading() as session:
        return [_comment(row) for row in session.scalars(query.limit(_bounded(limit)))]


def comments(store: Store, pending_only: bool = False, limit: int = PAGE_MAX) -> list[Comment]:
    """Comments for a moderator: the pending ones oldest first (a queue), or every comment
    newest first; at most `limit`."""
    query = select(CommentRow)
    if pending_only:
        query = query.where(CommentRow.status == "pending").order_by(
            CommentRow.created_at, CommentRow.id)
    else:
        query = query.order_by(CommentRow.created_at.desc(), CommentRow.id.desc())
    with store.reading() as session:
        return [_comment(row) for row in session.scalars(query.limit(_bounded(limit)))]


def comment(store: Store, comment_id: str) -> Comment | None:
    """One comment by its id, or None (also for text that is no comment id)."""
    if not ID_PATTERN.fullmatch(comment_id):
        return None
    with store.reading() as session:
        row = session.get(CommentRow, comment_id)
        return _comment(row) if row is not None else None


def set_status(store: Store, comment_id: str, status: Status) -> Comment | None:
    """Approve or reject a comment (or put it back to pending); None when there is none."""
    if status not in STATUSES:
        raise RecordError("status", "pending, approved or rejected", status)
    if not ID_PATTERN.fullmatch(comment_id):
        return None
    with store.writing() as session:
        row = session.get(CommentRow, comment_id)
        if row is None:
            return None
        row.status = status
        session.flush()
        return _comment(row)


def delete_comment(store: Store, comment_id: str) -> bool:
    """Delete a comment for good; False when there is none."""
    if not ID_PATTERN.fullmatch(comment_id):
        return False
    with store.writing() as session:
        return _rows(session.execute(delete(CommentRow).where(CommentRow.id == comment_id))) > 0


# -- moderators ----------------------------------------------------------------------------------


@cache
def _hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106's low-memory choice)."""
    return PasswordHasher()


@cache
def _stand_in_hash() -> str:
    # Checked against when the name is unknown, so an unknown name takes as long to refuse
    # as a wrong password (the time does not tell which names exist).
    return _hasher().hash(secrets.token_urlsafe(16))


def set_moderator(store: Store, name: str, password: str) -> bool:
    """Add a moderator, or give one a new password; True when the moderator is new. The name
    and password are checked by the core (`check_moderator_name`, `check_password`)."""
    hashed = _hasher().hash(password)
    with store.writing() as session:
        row = session.get(ModeratorRow, name)
        if row is not None:
            row.password_hash = hashed
            # A new password ends every session signed in with the old one.
            session.execute(delete(ModeratorSessionRow)
                            .where(ModeratorSessionRow.moderator == name))
            return False
        session.add(ModeratorRow(name=name, password_hash=hashed, created_at=_now()))
        return True


def moderator_names(store: Store) -> list[str]:
    """Every moderator's name, in order."""
    with store.reading() as session:
        return list(session.scalars(select(ModeratorRow.name).order_by(ModeratorRow.name)
                                    .limit(PAGE_MAX)))


def verify_moderator(store: Store, name: str, password: str) -> bool:
    """True when this moderator exists and the password is theirs (an old hash is renewed)."""
    if not isinstance(name, str) or not isinstance(password, str) or len(name) > NAME_MAX:
        return False
    with store.reading() as session:
        row = session.get(ModeratorRow, name)
        stored = row.password_hash if row is not None else None
    hasher = _hasher()
    try:
        hasher.verify(stored or _stand_in_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    if stored is None:
        return False
    if hasher.check_needs_rehash(stored):
        with store.writing() as session:
            found = session.get(ModeratorRow, name)
            if found is not None:
                found.password_hash = hasher.hash(password)
    return True


# -- moderator sessions ----------------------------------------------------------------------


def token_hash(token: str) -> str:
    """What the store keeps of a session token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def start_session(store: Store, moderator: str, lifetime: timedelta = SESSION_LIFETIME,
                  clock: Callable[[], datetime] = _now) -> str:
    """A new session for a moderator: the token to give the browser (kept only as a hash).
    Expired sessions are swept at the same time."""
    token = secrets.token_urlsafe(32)
    now = clock()
    with store.writing() as session:
        _sweep(session, now)
        session.add(ModeratorSessionRow(token_hash=token_hash(token), moderator=moderator,
                                        expires_at=now + lifetime))
    return token


def session_moderator(store: Store, token: object,
                      clock: Callable[[], datetime] = _now) -> str | None:
    """The moderator a session token belongs to, while it lasts and the moderator exists."""
    if not isinstance(token, str) or not 0 < len(token) <= TOKEN_MAX:
        return None
    query = (select(ModeratorSessionRow.moderator)
             .join(ModeratorRow, ModeratorRow.name == ModeratorSessionRow.moderator)
             .where(ModeratorSessionRow.token_hash == token_hash(token),
                    ModeratorSessionRow.expires_at > clock()))
    with store.reading() as session:
        return session.scalars(query).first()


def end_session(store: Store, token: object) -> bool:
    """Sign a session out; False when there was no such session."""
    if not isinstance(token, str) or not 0 < len(token) <= TOKEN_MAX:
        return False
    with store.writing() as session:
        done = session.execute(delete(ModeratorSessionRow)
                               .where(ModeratorSessionRow.token_hash == token_hash(token)))
        return _rows(done) > 0


def _sweep(session: Session, now: datetime) -> int:
    done = session.execute(delete(ModeratorSessionRow)
                           .where(ModeratorSessionRow.expires_at <= now))
    return _rows(done)


def sweep_sessions(store: Store, clock: Callable[[], datetime] = _now) -> int:
    """Delete the sessions that have expired; how many there were."""
    with store.writing() as session:
        return _sweep(session, clock())
