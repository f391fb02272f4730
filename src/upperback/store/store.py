"""The Store: saved checks, the pain diary and timer sessions, in one database.

Each write is one transaction. Any database problem comes out as a StoreError with a message a
person can act on; a file that is damaged, locked, not ours or too new is never changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast

from sqlalchemy import Engine, delete, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from .. import __version__
from . import errors
from .engine import inspect_file, make_engine, prepare_file, sqlite_path
from .errors import RecordError, StoreError
from .models import CheckRow, EntryRow, TimerRow
from .records import TIMER_KINDS, CheckRecord, DiaryEntry, TimerKind, TimerSession
from .schema import HEAD_REVISION, REVISIONS, current_revision, upgrade
from .settings import describe, resolve_url

PAIN_MIN, PAIN_MAX = 0, 10


def _now() -> datetime:
    return datetime.now(UTC)


def _check_int(field: str, value: object, low: int, high: int | None = None) -> int:
    allowed = (
        f"a whole number from {low} to {high}"
        if high is not None
        else (f"a whole number of at least {low}")
    )
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(field, allowed, value)
    if value < low or (high is not None and value > high):
        raise RecordError(field, allowed, value)
    return value


def _check_text(field: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(field, "text or nothing", value)
    return value.strip() or None


def _check_time(field: str, value: object) -> datetime:
    if value is None:
        return _now()
    if not isinstance(value, datetime):
        raise RecordError(field, "a date and time", value)
    return value.astimezone(UTC)  # a naive time is taken as local time


class Store:
    """The person's saved data. Open with `Store.open()`; close when done (or use `with`)."""

    def __init__(self, engine: Engine, where: str, path: Path | None) -> None:
        self._engine = engine
        self._writer = engine.execution_options(write=True)
        self.where = where
        self.path = path

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, *, busy_timeout: float = 5.0) -> Store:
        """Open (and on first use create) the database, migrating it to the newest schema.

        `url` is a SQLAlchemy URL or a file path; None means $UPPERBACK_DATABASE_URL, else
        upperback.db in the user's data folder. Raises StoreError with a clear message if the
        file is locked, damaged, not ours, too new or cannot be written.
        """
        resolved = resolve_url(url)
        where = describe(resolved)
        path = sqlite_path(resolved)
        if path is not None:
            prepare_file(path)
            revision = inspect_file(path, busy_timeout)
            if revision is not None and revision not in REVISIONS:
                raise errors.too_new(where, revision)
        try:
            engine = make_engine(resolved, busy_timeout)
        except (SQLAlchemyError, ImportError) as error:
            raise StoreError("unavailable", f"Cannot use the database {where}: {error}") from error
        store = cls(engine, where, path)
        try:
            store._migrate()
        except BaseException:
            engine.dispose()
            raise
        return store

    def _migrate(self) -> None:
        with self._errors():
            with self._engine.connect() as connection:
                revision = current_revision(connection)
            if revision is not None and revision not in REVISIONS:
                raise errors.too_new(self.where, revision)
            if revision != HEAD_REVISION:
                upgrade(self._engine)

    def close(self) -> None:
        """Release the database (connections and file handles)."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as error:
            raise errors.translate(error, self.where) from error
        except SQLAlchemyError as error:
            raise StoreError("unavailable", f"The diary at {self.where}: {error}") from error

    @contextmanager
    def _write(self) -> Iterator[Session]:
        # One transaction per write: committed whole, or not at all.
        with (
            self._errors(),
            Session(self._writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._errors(), Session(self._engine) as session:
            yield session

    # -- checks --------------------------------------------------------------------------------

    def save_check(
        self, answers: dict[str, Any], result: dict[str, Any], created_at: datetime | None = None
    ) -> CheckRecord:
        """Save a finished check: the answers and the assessment (Assessment.to_dict())."""
        if not isinstance(answers, dict):
            raise RecordError("answers", "a dict of finding ids to answers", answers)
        if not isinstance(result, dict):
            raise RecordError("result", "an assessment as a dict", result)
        row = CheckRow(
            created_at=_check_time("created_at", created_at),
            answers=answers,
            result=result,
            version=__version__,
        )
        with self._write() as session:
            session.add(row)
            session.flush()
            return _check(row)

    def latest_check(self) -> CheckRecord | None:
        """The most recent saved check, or None."""
        with self._read() as session:
            query = select(CheckRow).order_by(CheckRow.created_at.desc(), CheckRow.id.desc())
            row = session.scalars(query.limit(1)).first()
            return _check(row) if row is not None else None

    def checks(self) -> list[CheckRecord]:
        """Every saved check, oldest first."""
        with self._read() as session:
            query = select(CheckRow).order_by(CheckRow.created_at, CheckRow.id)
            return [_check(row) for row in session.scalars(query)]

    # -- diary ---------------------------------------------------------------------------------

    def add_entry(
        self,
        pain: int,
        where: str | None = None,
        helped: str | None = None,
        note: str | None = None,
        symptoms: list[str] | None = None,
        created_at: datetime | None = None,
    ) -> DiaryEntry:
        """Add a diary entry: pain from 0 (none) to 10 (worst), and optional notes."""
        symptom_list = list(symptoms or [])
        if not all(isinstance(s, str) for s in symptom_list):
            raise RecordError("symptoms", "a list of text", symptoms)
        row = EntryRow(
            pain=_check_int("pain", pain, PAIN_MIN, PAIN_MAX),
            location=_check_text("where", where),
            helped=_check_text("helped", helped),
            note=_check_text("note", note),
            symptoms=symptom_list,
            created_at=_check_time("created_at", created_at),
        )
        with self._write() as session:
            session.add(row)
            session.flush()
            return _entry(row)

    def entries(self) -> list[DiaryEntry]:
        """Every diary entry, oldest first."""
        with self._read() as session:
            query = select(EntryRow).order_by(EntryRow.created_at, EntryRow.id)
            return [_entry(row) for row in session.scalars(query)]

    # -- timers --------------------------------------------------------------------------------

    def log_timer(
        self,
        kind: str,
        planned_minutes: int,
        seconds: int,
        completed: bool,
        started_at: datetime | None = None,
    ) -> TimerSession:
        """Record an ice or heat session: planned length, seconds actually run, finished or not."""
        if kind not in TIMER_KINDS:
            raise RecordError("kind", f"one of {', '.join(TIMER_KINDS)}", kind)
        if not isinstance(completed, bool):
            raise RecordError("completed", "true or false", completed)
        row = TimerRow(
            kind=kind,
            planned_minutes=_check_int("planned_minutes", planned_minutes, 1),
            seconds=_check_int("seconds", seconds, 0),
            completed=completed,
            started_at=_check_time("started_at", started_at),
        )
        with self._write() as session:
            session.add(row)
            session.flush()
            return _timer(row)

    def timers(self) -> list[TimerSession]:
        """Every timer session, oldest first."""
        with self._read() as session:
            query = select(TimerRow).order_by(TimerRow.started_at, TimerRow.id)
            return [_timer(row) for row in session.scalars(query)]

    # -- your data -----------------------------------------------------------------------------

    def forget(self) -> None:
        """Delete every check, diary entry and timer session, in one transaction.

        Secure delete overwrites the freed space, and the write-ahead log is emptied, so the
        deleted answers do not linger in the file.
        """
        with self._write() as session:
            for table in (CheckRow, EntryRow, TimerRow):
                session.execute(delete(table))
        if self._engine.dialect.name == "sqlite":
            with self._errors(), self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_ok(self) -> bool:
        """Whether SQLite's integrity check passes (always True for other databases)."""
        if self._engine.dialect.name != "sqlite":
            return True
        with self._errors(), self._engine.connect() as connection:
            return connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def _check(row: CheckRow) -> CheckRecord:
    return CheckRecord(
        id=row.id,
        created_at=row.created_at,
        answers=dict(row.answers),
        result=dict(row.result),
        version=row.version,
    )


def _entry(row: EntryRow) -> DiaryEntry:
    return DiaryEntry(
        id=row.id,
        created_at=row.created_at,
        pain=row.pain,
        where=row.location,
        helped=row.helped,
        note=row.note,
        symptoms=list(row.symptoms or []),
    )


def _timer(row: TimerRow) -> TimerSession:
    return TimerSession(
        id=row.id,
        started_at=row.started_at,
        kind=cast(TimerKind, row.kind),
        planned_minutes=row.planned_minutes,
        seconds=row.seconds,
        completed=row.completed,
    )
