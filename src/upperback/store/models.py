"""The tables, as SQLAlchemy 2 models. Portable types only (SQLite by default, PostgreSQL by URL).

The schema is created and changed only by the Alembic migrations in upperback/migrations; a test
checks that the migrations and these models agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: What a stored time that cannot be read at all is read as (the start of Unix time, UTC).
UNREADABLE_TIME = datetime(1970, 1, 1, tzinfo=UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores times in UTC and always returns timezone-aware UTC datetimes.

    SQLite has no time zones, so the UTC value is stored without one; naive datetimes given to
    the store are taken as local time.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        # SQLite keeps times as text: one that is not a time (a file edited by another
        # program) is read as UNREADABLE_TIME rather than failing every read of the diary.
        inner = super().result_processor(dialect, coltype)
        if inner is None:
            return None

        def process(value: Any) -> datetime | None:
            try:
                return inner(value)
            except (ValueError, TypeError, OverflowError):
                return UNREADABLE_TIME

        return process


class StoredJSON(TypeDecorator[Any]):
    """JSON, read leniently: a value that is not valid JSON (SQLite keeps JSON as text, and
    another program may have written anything) comes back as its text instead of failing
    every read of the diary. The records then show it as text or leave it out."""

    impl = JSON
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        inner = super().result_processor(dialect, coltype)
        if inner is None:
            return None

        def process(value: Any) -> Any:
            try:
                return inner(value)
            except (ValueError, TypeError):
                return value if isinstance(value, str) else repr(value)

        return process


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CheckRow(Base):
    __tablename__ = "checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The visitor's diary in public mode; None in the one person's own database.
    diary_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(StoredJSON)
    result: Mapped[dict[str, Any]] = mapped_column(StoredJSON)
    version: Mapped[str | None] = mapped_column(String(40))


class EntryRow(Base):
    __tablename__ = "diary_entries"
    __table_args__ = (CheckConstraint("pain >= 0 AND pain <= 10", name="pain_range"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The visitor's diary in public mode; None in the one person's own database.
    diary_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    pain: Mapped[int] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(Text)
    helped: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    symptoms: Mapped[list[str]] = mapped_column(StoredJSON)


class TimerRow(Base):
    __tablename__ = "timer_sessions"
    __table_args__ = (
        CheckConstraint("planned_minutes > 0", name="planned_positive"),
        CheckConstraint("seconds >= 0", name="seconds_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The visitor's diary in public mode; None in the one person's own database.
    diary_id: Mapped[int | None] = mapped_column(Integer, index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    planned_minutes: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer)
    completed: Mapped[bool] = mapped_column(Boolean)


class DoseRow(Base):
    __tablename__ = "medicine_doses"
    __table_args__ = (CheckConstraint("dose_mg > 0", name="dose_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The visitor's diary in public mode; None in the one person's own database.
    diary_id: Mapped[int | None] = mapped_column(Integer, index=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    medicine: Mapped[str] = mapped_column(String(40))
    dose_mg: Mapped[int] = mapped_column(Integer)


class ExerciseSessionRow(Base):
    __tablename__ = "exercise_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The visitor's diary in public mode; None in the one person's own database.
    diary_id: Mapped[int | None] = mapped_column(Integer, index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # True for a session of the day's plan; False for one exercise played on its own.
    planned: Mapped[bool] = mapped_column(Boolean)
    # Each exercise of the session in order: {"id": ..., "done": true/false (skipped)}.
    exercises: Mapped[list[dict[str, Any]]] = mapped_column(StoredJSON)


class BreakRow(Base):
    __tablename__ = "breaks_taken"
    __table_args__ = (CheckConstraint("seconds >= 0", name="seconds_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The visitor's diary in public mode; None in the one person's own database.
    diary_id: Mapped[int | None] = mapped_column(Integer, index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    seconds: Mapped[int] = mapped_column(Integer)


class RequestKeyRow(Base):
    """The answer to a write sent with an Idempotency-Key; status and reply are None while the
    first request with the key is still being handled."""

    __tablename__ = "request_keys"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[int | None] = mapped_column(Integer)
    reply: Mapped[Any | None] = mapped_column(StoredJSON)


class DiaryRow(Base):
    """A visitor's private diary in public mode: only a hash of its key is kept."""

    __tablename__ = "diaries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class CommentRow(Base):
    """A reader's comment on a guide page; public only once a moderator approves it."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status_known"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random: not guessable
    page: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Why it waits for a moderator beyond the usual (a warning sign, contact details), or None.
    held_for: Mapped[str | None] = mapped_column(String(40))


class ModeratorRow(Base):
    """Someone who may approve comments; the password is kept as an argon2 hash."""

    __tablename__ = "moderators"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ModeratorSessionRow(Base):
    """A signed-in moderator's session (only a hash of its token is kept)."""

    __tablename__ = "moderator_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    moderator: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class RateCountRow(Base):
    """How many actions one bucket (an address's hash and an action) made in one window.

    Kept in the database so that every worker and every machine on it count together.
    """

    __tablename__ = "rate_counts"

    bucket: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[int] = mapped_column(Integer, primary_key=True)  # Unix seconds
    count: Mapped[int] = mapped_column(Integer)
