"""The Store: saved checks, the pain diary and timer sessions, in one database.

Each write is one transaction. Any database problem comes out as a StoreError with a message a
person can act on; a file that is damaged, locked, not ours or too new is never changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast

from sqlalchemy import Engine, delete, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from .. import __version__
from ..limits import PAIN_MAX, PAIN_MIN
from ..sessions import TIMER_KINDS, TimerKind
from . import errors
from .engine import inspect_file, make_engine, prepare_file, sqlite_path
from .errors import RecordError, StoreError
from .layout import HEAD_REVISION, REVISIONS
from .models import CheckRow, EntryRow, TimerRow
from .records import CheckRecord, DiaryEntry, TimerSession
from .schema import current_revision, holds_only_ours, upgrade
from .settings import describe, resolve_url
from .values import check_int, check_json, check_text, check_time


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

        `url` is a SQLAlchemy URL or a file path; None means upperback.db in the user's
        data folder. Raises StoreError with a clear message if the
        file is locked, damaged, not ours, too new or cannot be written.
        """
        try:
            resolved = resolve_url(url)
            where = describe(resolved)
            path = sqlite_path(resolved)
        except (ArgumentError, ValueError) as error:
            # The message may quote the URL, password and all: name only what is wrong.
            reason = "a part of it cannot be read" if isinstance(error, ValueError) else "no scheme"
            raise errors.invalid_url(reason) from None
        if path is not None:  # SQLite: look at the file, read-only, before anything writes to it
            prepare_file(path)
            revision = inspect_file(path, busy_timeout)
            if revision is not None and revision not in REVISIONS:
                raise errors.too_new(where, revision)
        try:
            engine = make_engine(resolved, busy_timeout)
        except ImportError as error:
            backend = make_url(resolved).get_backend_name()
            raise errors.missing_driver(where, backend, error.name) from error
        except SQLAlchemyError as error:
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
                # A SQLite file was checked before opening; a server database is checked here.
                if self.path is None and not holds_only_ours(connection):
                    raise errors.not_ours(self.where)
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
            raise self._without_password(errors.translate(error, self.where)) from error
        except SQLAlchemyError as error:
            raise self._without_password(
                StoreError("unavailable", f"The diary at {self.where}: {error}")
            ) from error

    def _without_password(self, error: StoreError) -> StoreError:
        # Drivers do not quote passwords, but a message must never show one, so make sure.
        password = self._engine.url.password
        if not password or password not in error.message:
            return error
        return StoreError(error.kind, error.message.replace(password, "***"))

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
            created_at=check_time("created_at", created_at),
            answers=check_json("answers", answers),
            result=check_json("result", result),
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

    def check(self, check_id: int) -> CheckRecord | None:
        """One saved check by id, or None."""
        with self._read() as session:
            row = session.get(CheckRow, check_id)
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
        if not all(isinstance(s, str) and "\x00" not in s for s in symptom_list):
            raise RecordError("symptoms", "a list of text (without NUL characters)", symptoms)
        row = EntryRow(
            pain=check_int("pain", pain, PAIN_MIN, PAIN_MAX),
            location=check_text("where", where),
            helped=check_text("helped", helped),
            note=check_text("note", note),
            symptoms=symptom_list,
            created_at=check_time("created_at", created_at),
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
            planned_minutes=check_int("planned_minutes", planned_minutes, 1),
            seconds=check_int("seconds", seconds, 0),
            completed=completed,
            started_at=check_time("started_at", started_at),
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

        SQLite: secure delete overwrites the freed space, and the write-ahead log is emptied, so
        the deleted answers do not linger in the file. PostgreSQL: TRUNCATE swaps in new, empty
        table files (the old rows do not wait for a vacuum) and numbering starts again, as on
        SQLite.
        """
        tables = (CheckRow, EntryRow, TimerRow)
        with self._write() as session:
            if self._engine.dialect.name == "postgresql":
                names = ", ".join(table.__tablename__ for table in tables)
                session.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
            else:
                for table in tables:
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
