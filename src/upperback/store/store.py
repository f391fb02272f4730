"""The Store: saved checks, the pain diary and timer sessions, in one database.

Each write is one transaction. Any database problem comes out as a StoreError with a message a
person can act on; a file that is damaged, locked, not ours or too new is never changed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from copy import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self, TypeVar, cast

from sqlalchemy import ColumnElement, Engine, delete, func, select, text, tuple_
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session

from .. import __version__
from ..limits import DOSE_MAX_MG, PAGE_MAX, PAIN_MAX, PAIN_MIN
from ..sessions import TIMER_KINDS, TimerKind
from . import errors, imports
from .engine import inspect_file, make_engine, make_read_only_engine, prepare_file, sqlite_path
from .errors import RecordError, StoreError
from .ids import PersonalRow, fresh_id
from .imports import ImportCounts, Imported
from .layout import HEAD_REVISION, REVISIONS
from .models import (
    BreakRow,
    CheckRow,
    DiaryRow,
    DoseRow,
    EntryRow,
    ExerciseSessionRow,
    RequestKeyRow,
    TimerRow,
)
from .records import (
    CheckRecord,
    Counts,
    DiaryEntry,
    ExerciseSession,
    MedicineDose,
    Page,
    PainPoint,
    TimerSession,
    Window,
)
from .request_keys import KEY_PATTERN, Reply, run_once
from .schema import current_revision, holds_only_ours, upgrade
from .settings import describe, resolve_url
from .values import INT_MAX, check_int, check_json, check_text, check_time

# Every read is bounded: at most PAGE_MAX records a page (limits.py), SCORES_MAX scores.
SCORES_MAX: Final = 10_000
DOSES_NEAR_MAX: Final = 1000
DAY: Final = timedelta(hours=24)
# How a visitor's Idempotency-Keys start in request_keys (see Store._diary_key).
DIARY_KEY_MARK: Final = "~d"
EACH_BATCH: Final = 500  # rows read at a time by each_check, each_entry and each_timer
CURSOR_ALLOWED: Final = "a cursor given by a page's link to the next or previous page, unchanged"
# What every cursor looks like (URL-safe base64 without padding), for documents to quote.
CURSOR_PATTERN: Final = r"^[A-Za-z0-9_-]{1,120}$"
_CURSOR_TEXT: Final = re.compile(CURSOR_PATTERN)

R = TypeVar("R")

# How each field of a diary entry is checked, for a new entry and a change to one alike,
# and the column a field is kept in when its name differs.
ENTRY_CHECKS: Final[dict[str, Callable[[Any], Any]]] = {
    "pain": lambda v: check_int("pain", v, PAIN_MIN, PAIN_MAX),
    "where": lambda v: check_text("where", v),
    "helped": lambda v: check_text("helped", v),
    "note": lambda v: check_text("note", v),
    "created_at": lambda v: check_time("created_at", v),
}
ENTRY_COLUMNS: Final = {"where": "location"}
RowT = TypeVar("RowT", CheckRow, EntryRow, TimerRow, DoseRow, ExerciseSessionRow, BreakRow)
# The most exercises one session may hold, and the length of an exercise id.
SESSION_EXERCISES_MAX: Final = 50
EXERCISE_ID_MAX: Final = 40


class Store:
    """The person's saved data. Open with `Store.open()`; close when done (or use `with`)."""

    def __init__(self, engine: Engine, where: str, path: Path | None) -> None:
        self._engine = engine
        self._writer = engine.execution_options(write=True)
        self.where = where
        self.path = path
        # The visitor's diary this store reads and writes (public mode), or None: the one
        # person's own records. Every query below is scoped to it by `_mine`.
        self._diary: int | None = None

    def for_diary(self, diary_id: int | None) -> Store:
        """This store (the same database and connections) seen from one diary: every read,
        change and delete touches only that diary's records. None: the one person's own."""
        scoped = copy(self)
        scoped._diary = diary_id
        return scoped

    @property
    def diary(self) -> int | None:
        """The diary this store is scoped to (None: the one person's own records)."""
        return self._diary

    def _mine(self, model: type[PersonalRow]) -> ColumnElement[bool]:
        column = model.diary_id
        return column.is_(None) if self._diary is None else column == self._diary

    def _add(self, session: Session, row: PersonalRow) -> None:
        # A visitor's record (public mode) gets a random id, not the next number: ids reveal
        # neither how many records the site holds nor where another visitor's are. (Every
        # lookup is scoped to the diary as well; the ids stay within the API's whole numbers.)
        if self._diary is not None:
            row.id = fresh_id(session, type(row))
        session.add(row)
        session.flush()

    def _get(self, session: Session, model: type[RowT], row_id: int) -> RowT | None:
        # By id, and only within this diary: another diary's id reads as no record at all.
        row = session.get(model, row_id)
        return row if row is not None and row.diary_id == self._diary else None

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls, url: str | None = None, *, busy_timeout: float = 5.0, read_only: bool = False
    ) -> Store:
        """Open (and on first use create) the database, migrating it to the newest schema.

        `url` is a SQLAlchemy URL or a file path; None means upperback.db in the user's
        data folder. Raises StoreError with a clear message if the
        file is locked, damaged, not ours, too new or cannot be written.

        With `read_only`, a SQLite file is only read (SQLite's `mode=ro`): nothing is
        created or migrated, and a write fails. (A server database opens as usual.)
        """
        try:
            resolved = resolve_url(url)
            where = describe(resolved)
            path = sqlite_path(resolved)
        except (ArgumentError, ValueError) as error:
            # The message may quote the URL, password and all: name only what is wrong.
            reason = "a part of it cannot be read" if isinstance(error, ValueError) else "no scheme"
            raise errors.invalid_url(reason) from None
        if path is not None and read_only:
            return cls._open_read_only(path, where, busy_timeout)
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

    @classmethod
    def _open_read_only(cls, path: Path, where: str, busy_timeout: float) -> Store:
        """A SQLite diary opened to read only; it must exist and be of the newest schema."""
        if not path.is_file():
            raise StoreError("unavailable", f"There is no diary at {where}.")
        revision = inspect_file(path, busy_timeout)
        if revision is not None and revision not in REVISIONS:
            raise errors.too_new(where, revision)
        if revision not in (None, HEAD_REVISION):
            raise StoreError(
                "unwritable",
                f"The diary at {where} was made by an older upperback and cannot be written, "
                "so it cannot be brought up to date. Make the file writable and try again.",
            )
        return cls(make_read_only_engine(path, busy_timeout), where, path)

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

    def writing(self) -> AbstractContextManager[Session]:
        """One write transaction, for the store's own modules (comments.py, diaries.py...):
        committed whole or not at all; database errors come out as StoreError."""
        return self._write()

    def reading(self) -> AbstractContextManager[Session]:
        """A session to read with, for the store's own modules."""
        return self._read()

    @property
    def dialect(self) -> str:
        """The database's dialect name: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

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
            diary_id=self._diary,
            created_at=check_time("created_at", created_at),
            answers=check_json("answers", answers),
            result=check_json("result", result),
            version=__version__,
        )
        with self._write() as session:
            self._add(session, row)
            return _check(row)

    def latest_check(self) -> CheckRecord | None:
        """The most recent saved check, or None."""
        with self._read() as session:
            query = (select(CheckRow).where(self._mine(CheckRow))
                     .order_by(CheckRow.created_at.desc(), CheckRow.id.desc()))
            row = session.scalars(query.limit(1)).first()
            return _check(row) if row is not None else None

    def check(self, check_id: int) -> CheckRecord | None:
        """One saved check by id, or None."""
        with self._read() as session:
            row = self._get(session, CheckRow, check_id)
            return _check(row) if row is not None else None

    def checks(self) -> list[CheckRecord]:
        """Every saved check, oldest first."""
        with self._read() as session:
            query = (select(CheckRow).where(self._mine(CheckRow))
                     .order_by(CheckRow.created_at, CheckRow.id))
            return [_check(row) for row in session.scalars(query)]

    def each_check(self) -> Iterator[CheckRecord]:
        """Every saved check, oldest first, read a batch at a time (memory stays bounded)."""
        return self._each(CheckRow, CheckRow.created_at, _check)

    def checks_between(self, start: datetime, end: datetime, limit: int = PAGE_MAX
                       ) -> Window[CheckRecord]:
        """The saved checks from `start` up to (not including) `end`: the newest `limit`,
        oldest first, and how many there are."""
        return self._between(CheckRow, CheckRow.created_at, start, end, limit, _check)

    def checks_page(self, limit: int = 50, before: str | None = None) -> Page[CheckRecord]:
        """Up to `limit` saved checks older than the cursor `before` (from the first page
        when None), newest first, with the cursors of the pages either side (see Page)."""
        return self._page(CheckRow, CheckRow.created_at, limit, before, _check)

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
        given = {"pain": pain, "where": where, "helped": helped, "note": note,
                 "created_at": created_at}
        values = {ENTRY_COLUMNS.get(k, k): ENTRY_CHECKS[k](v) for k, v in given.items()}
        row = EntryRow(**values, symptoms=symptom_list, diary_id=self._diary)
        with self._write() as session:
            self._add(session, row)
            return _entry(row)

    def entries(self) -> list[DiaryEntry]:
        """Every diary entry, oldest first."""
        with self._read() as session:
            query = (select(EntryRow).where(self._mine(EntryRow))
                     .order_by(EntryRow.created_at, EntryRow.id))
            return [_entry(row) for row in session.scalars(query)]

    def entry(self, entry_id: int) -> DiaryEntry | None:
        """One diary entry by id, or None."""
        with self._read() as session:
            row = self._get(session, EntryRow, check_int("entry_id", entry_id, 1))
            return _entry(row) if row is not None else None

    def update_entry(self, entry_id: int, changes: Mapping[str, Any]) -> DiaryEntry | None:
        """Change some fields of an entry (pain, where, helped, note, created_at), in one
        transaction; None when there is no such entry. Checked like a new entry."""
        unknown = set(changes) - set(ENTRY_CHECKS)
        if unknown:
            raise RecordError("changes", f"some of {', '.join(ENTRY_CHECKS)}", sorted(unknown))
        if "created_at" in changes and changes["created_at"] is None:
            raise RecordError("created_at", "a date and time", None)  # None would mean now
        checked = {name: ENTRY_CHECKS[name](value) for name, value in changes.items()}
        with self._write() as session:
            row = self._get(session, EntryRow, check_int("entry_id", entry_id, 1))
            if row is None:
                return None
            for name, value in checked.items():
                setattr(row, ENTRY_COLUMNS.get(name, name), value)
            session.flush()
            return _entry(row)

    def delete_entry(self, entry_id: int) -> bool:
        """Delete one diary entry; False when there was none."""
        with self._write() as session:
            row = self._get(session, EntryRow, check_int("entry_id", entry_id, 1))
            if row is None:
                return False
            session.delete(row)
            return True

    def each_entry(self) -> Iterator[DiaryEntry]:
        """Every diary entry, oldest first, read a batch at a time (memory stays bounded)."""
        return self._each(EntryRow, EntryRow.created_at, _entry)

    def entries_between(self, start: datetime, end: datetime, limit: int = PAGE_MAX
                        ) -> Window[DiaryEntry]:
        """The diary entries from `start` up to (not including) `end`: the newest `limit`,
        oldest first, and how many there are."""
        return self._between(EntryRow, EntryRow.created_at, start, end, limit, _entry)

    def entries_page(self, limit: int = 50, before: str | None = None) -> Page[DiaryEntry]:
        """Up to `limit` diary entries older than the cursor `before` (from the newest when
        None), newest first, with the cursors of the pages either side (see Page)."""
        return self._page(EntryRow, EntryRow.created_at, limit, before, _entry)

    def pain_scores(self, limit: int) -> list[PainPoint]:
        """The newest `limit` entries' times and pain scores, oldest first: what the chart and
        the trend read, without the notes."""
        limit = check_int("limit", limit, 1, SCORES_MAX)
        with self._read() as session:
            query = (
                select(EntryRow.created_at, EntryRow.pain)
                .where(self._mine(EntryRow))
                .order_by(EntryRow.created_at.desc(), EntryRow.id.desc())
                .limit(limit)
            )
            rows = session.execute(query).all()
        return [PainPoint(created_at=moment, pain=pain) for moment, pain in reversed(rows)]

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
            diary_id=self._diary,
            kind=kind,
            planned_minutes=check_int("planned_minutes", planned_minutes, 1),
            seconds=check_int("seconds", seconds, 0),
            completed=completed,
            started_at=check_time("started_at", started_at),
        )
        with self._write() as session:
            self._add(session, row)
            return _timer(row)

    def timers(self) -> list[TimerSession]:
        """Every timer session, oldest first."""
        with self._read() as session:
            query = (select(TimerRow).where(self._mine(TimerRow))
                     .order_by(TimerRow.started_at, TimerRow.id))
            return [_timer(row) for row in session.scalars(query)]

    def each_timer(self) -> Iterator[TimerSession]:
        """Every timer session, oldest first, read a batch at a time (memory stays bounded)."""
        return self._each(TimerRow, TimerRow.started_at, _timer)

    def timers_between(self, start: datetime, end: datetime, limit: int = PAGE_MAX
                       ) -> Window[TimerSession]:
        """The timer sessions started from `start` up to (not including) `end`: the newest
        `limit`, oldest first, and how many there are."""
        return self._between(TimerRow, TimerRow.started_at, start, end, limit, _timer)

    def timers_page(self, limit: int = 50, before: str | None = None) -> Page[TimerSession]:
        """Up to `limit` timer sessions that started before the cursor `before` (from the
        newest when None), newest first, with the cursors of the pages either side."""
        return self._page(TimerRow, TimerRow.started_at, limit, before, _timer)

    # -- medicines -----------------------------------------------------------------------------

    def log_dose(self, medicine: str, dose_mg: int, taken_at: datetime | None = None
                 ) -> MedicineDose:
        """Record a dose of a medicine (its id in the knowledge base) in milligrams."""
        if not isinstance(medicine, str) or not 1 <= len(medicine) <= 40 or "\x00" in medicine:
            raise RecordError("medicine", "a medicine id of 1 to 40 characters", medicine)
        row = DoseRow(
            diary_id=self._diary,
            medicine=medicine,
            dose_mg=check_int("dose_mg", dose_mg, 1, DOSE_MAX_MG),
            taken_at=check_time("taken_at", taken_at),
        )
        with self._write() as session:
            self._add(session, row)
            return _dose(row)

    def doses_near(self, moment: datetime, medicine: str | None = None) -> list[MedicineDose]:
        """The doses taken within 24 hours either side of `moment` (of one medicine, or all),
        oldest first: what the label's limits are counted over. Bounded (DOSES_NEAR_MAX)."""
        moment = check_time("moment", moment) or datetime.now(UTC)
        with self._read() as session:
            query = select(DoseRow).where(
                self._mine(DoseRow),
                DoseRow.taken_at > moment - DAY,
                DoseRow.taken_at < moment + DAY,
            )
            if medicine is not None:
                query = query.where(DoseRow.medicine == medicine)
            query = query.order_by(DoseRow.taken_at, DoseRow.id).limit(DOSES_NEAR_MAX)
            return [_dose(row) for row in session.scalars(query)]

    def each_dose(self) -> Iterator[MedicineDose]:
        """Every medicine dose, oldest first, read a batch at a time."""
        return self._each(DoseRow, DoseRow.taken_at, _dose)

    def doses_between(self, start: datetime, end: datetime, limit: int = PAGE_MAX
                      ) -> Window[MedicineDose]:
        """The medicine doses taken from `start` up to (not including) `end`: the newest
        `limit`, oldest first, and how many there are."""
        return self._between(DoseRow, DoseRow.taken_at, start, end, limit, _dose)

    def doses_page(self, limit: int = 50, before: str | None = None) -> Page[MedicineDose]:
        """Up to `limit` doses taken before the cursor `before` (from the newest when None),
        newest first, with the cursors of the pages either side."""
        return self._page(DoseRow, DoseRow.taken_at, limit, before, _dose)

    # -- exercise sessions ---------------------------------------------------------------------

    def log_exercise_session(self, exercises: list[tuple[str, bool]], planned: bool,
                             started_at: datetime | None = None) -> ExerciseSession:
        """Record an exercise session: each exercise's id, done (True) or skipped (False);
        `planned` when it was a session of the day's plan."""
        if not isinstance(planned, bool):
            raise RecordError("planned", "true or false", planned)
        allowed = (f"a list of 1 to {SESSION_EXERCISES_MAX} (exercise id, done) pairs, "
                   f"ids of 1 to {EXERCISE_ID_MAX} letters and _")
        if (not isinstance(exercises, list | tuple)
                or not 1 <= len(exercises) <= SESSION_EXERCISES_MAX):
            raise RecordError("exercises", allowed, exercises)
        items = []
        for item in exercises:
            if (not isinstance(item, tuple | list) or len(item) != 2
                    or not isinstance(item[0], str) or not isinstance(item[1], bool)
                    or not 1 <= len(item[0]) <= EXERCISE_ID_MAX
                    or not item[0].replace("_", "").isalpha()):
                raise RecordError("exercises", allowed, exercises)
            items.append({"id": item[0], "done": item[1]})
        row = ExerciseSessionRow(diary_id=self._diary,
                                 started_at=check_time("started_at", started_at),
                                 planned=planned, exercises=items)
        with self._write() as session:
            self._add(session, row)
            return _exercise_session(row)

    def exercise_sessions_between(self, start: datetime, end: datetime, limit: int = PAGE_MAX
                                  ) -> Window[ExerciseSession]:
        """The exercise sessions started from `start` up to (not including) `end`: the newest
        `limit`, oldest first, and how many there are."""
        return self._between(ExerciseSessionRow, ExerciseSessionRow.started_at, start, end,
                             limit, _exercise_session)

    def each_exercise_session(self) -> Iterator[ExerciseSession]:
        """Every exercise session, oldest first, read a batch at a time (for the exports)."""
        return self._each(ExerciseSessionRow, ExerciseSessionRow.started_at, _exercise_session)

    def each_break(self) -> Iterator[tuple[datetime, int]]:
        """Every break taken, oldest first, as (when, seconds), a batch at a time."""
        return self._each(BreakRow, BreakRow.started_at, lambda row: (row.started_at, row.seconds))

    def log_break(self, seconds: int, started_at: datetime | None = None) -> tuple[datetime, int]:
        """Record a break taken from sitting: when, and how many seconds it lasted."""
        row = BreakRow(diary_id=self._diary, seconds=check_int("seconds", seconds, 0, 24 * 3600),
                       started_at=check_time("started_at", started_at))
        with self._write() as session:
            self._add(session, row)
            return row.started_at, row.seconds

    def breaks_between(self, start: datetime, end: datetime, limit: int = PAGE_MAX
                       ) -> Window[tuple[datetime, int]]:
        """The breaks taken from `start` up to (not including) `end`: (when, seconds)."""
        return self._between(BreakRow, BreakRow.started_at, start, end, limit,
                             lambda row: (row.started_at, row.seconds))

    # -- pages and counts ----------------------------------------------------------------------

    def counts(self) -> Counts:
        """How many checks, diary entries, timer sessions and medicine doses are saved."""
        with self._read() as session:

            def count(model: type[CheckRow | EntryRow | TimerRow | DoseRow]) -> int:
                query = select(func.count()).select_from(model).where(self._mine(model))
                return session.scalar(query) or 0

            return Counts(checks=count(CheckRow), entries=count(EntryRow), timers=count(TimerRow),
                          doses=count(DoseRow))

    def _each(
        self,
        model: type[RowT],
        moment: InstrumentedAttribute[datetime],
        convert: Callable[[RowT], R],
    ) -> Iterator[R]:
        # Keyset batches, oldest first, each read in a short session of its own: nothing is
        # held open between batches, so the caller may take its time (e.g. writing a file).
        key = tuple_(moment, model.id)
        last: tuple[datetime, int] | None = None
        while True:
            with self._read() as session:
                query = (select(model).where(self._mine(model))
                         .order_by(moment, model.id).limit(EACH_BATCH))
                if last is not None:
                    query = query.where(key > last)
                rows = list(session.scalars(query))
                batch = [convert(row) for row in rows]
            yield from batch
            if len(rows) < EACH_BATCH:
                return
            last = (cast(datetime, getattr(rows[-1], moment.key)), rows[-1].id)

    def _between(
        self,
        model: type[RowT],
        moment: InstrumentedAttribute[datetime],
        start: datetime,
        end: datetime,
        limit: int,
        convert: Callable[[RowT], R],
    ) -> Window[R]:
        limit = check_int("limit", limit, 1, PAGE_MAX)
        # Any zone-aware times will do (a period may end after the latest time a record may
        # hold); stored times are UTC.
        for field, value in (("start", start), ("end", end)):
            if not isinstance(value, datetime) or value.utcoffset() is None:
                raise RecordError(field, "a date and time with a time zone", value)
        inside = (self._mine(model), moment >= start.astimezone(UTC),
                  moment < end.astimezone(UTC))
        with self._read() as session:
            total = session.scalar(select(func.count()).select_from(model).where(*inside)) or 0
            query = (select(model).where(*inside)
                     .order_by(moment.desc(), model.id.desc()).limit(limit))
            items = [convert(row) for row in session.scalars(query)]
        return Window(list(reversed(items)), total)

    def _page(
        self,
        model: type[RowT],
        moment: InstrumentedAttribute[datetime],
        limit: int,
        before: str | None,
        convert: Callable[[RowT], R],
    ) -> Page[R]:
        # Keyset paging on (time, id), which the time column's index serves on every backend
        # (SQLite's indexes end with the row id; PostgreSQL sorts the rare ties incrementally).
        limit = check_int("limit", limit, 1, PAGE_MAX)
        start = None if before is None else read_cursor(before)
        key = tuple_(moment, model.id)
        with self._read() as session:
            query = (select(model).where(self._mine(model))
                     .order_by(moment.desc(), model.id.desc()).limit(limit + 1))
            if start is not None:
                query = query.where(key < start)
            rows = list(session.scalars(query))
            keys = [(cast(datetime, getattr(row, moment.key)), row.id) for row in rows]
            items = [convert(row) for row in rows[:limit]]
            older = page_cursor(*keys[limit - 1]) if len(rows) > limit else None
            if start is None:
                return Page(items, older)
            # The newer page holds the `limit` rows just after this one: its cursor is the row
            # after those, and without one it is the first page.
            after = key > keys[0] if keys else key >= start
            newer_query = select(moment, model.id).where(self._mine(model), after)
            newer = session.execute(newer_query.order_by(moment, model.id).limit(limit + 1)).all()
        newer_cursor = page_cursor(*newer[limit]) if len(newer) > limit else None
        return Page(items, older, newer_cursor, has_previous=bool(newer))

    # -- import --------------------------------------------------------------------------------

    def import_records(self, records: Imported, dry_run: bool = False) -> ImportCounts:
        """Add the records the diary does not hold yet (see store/imports.py for what counts
        as the same record), all in one transaction: a refused record writes nothing.
        `dry_run` only counts what would be added."""
        rows = imports.check_rows(records)
        with self._read() if dry_run else self._write() as session:
            return imports.add_missing(session, rows, write=not dry_run, diary=self._diary)

    # -- retried writes ------------------------------------------------------------------------

    def once(self, key: str, fingerprint: str, write: Callable[[], tuple[int, Any]]) -> Reply:
        """Run `write` (it returns a status and a JSON body) once for `key`: a later call with
        the same key and fingerprint gets the first reply back, marked `replayed`, and writes
        nothing. Raises KeyConflict for a key used by another request or still under way."""
        # Each diary has keys of its own: another diary's key can neither replay nor block.
        scoped_key = key if self._diary is None else self._diary_key(key)
        return run_once(self._write, scoped_key, fingerprint, write)

    def _diary_key(self, key: str) -> str:
        # "~d<id>~" then the key's hash: within the keys' allowed form whatever the key's
        # length, and the prefix finds a diary's keys when it is deleted.
        if not isinstance(key, str) or re.fullmatch(KEY_PATTERN, key) is None:
            return key  # refused as it is by run_once, naming the key the caller gave
        digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
        return f"{DIARY_KEY_MARK}{self._diary}~{digest}"

    # -- your data -----------------------------------------------------------------------------

    def forget(self) -> None:
        """Delete every record of this diary (checks, entries, timers, doses, exercise
        sessions, breaks and retried writes' answers), in one transaction. A visitor's diary
        (public mode) is deleted with them, so its key opens nothing any more.

        SQLite: secure delete overwrites the freed space, and the write-ahead log is emptied, so
        the deleted answers do not linger in the file. PostgreSQL, for the one person's own
        database: TRUNCATE swaps in new, empty table files (the old rows do not wait for a
        vacuum) and numbering starts again, as on SQLite.
        """
        tables: tuple[type[PersonalRow], ...] = (
            CheckRow, EntryRow, TimerRow, DoseRow, ExerciseSessionRow, BreakRow)
        with self._write() as session:
            shared = session.scalar(select(func.count()).select_from(DiaryRow)) or 0
            if self._diary is None and not shared and self.dialect == "postgresql":
                names = ", ".join(t.__tablename__ for t in (*tables, RequestKeyRow))
                session.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
            elif self._diary is None and not shared:
                for table in (*tables, RequestKeyRow):
                    session.execute(delete(table))
            else:
                # A database shared by visitors: only this diary's rows go.
                for table in tables:
                    session.execute(delete(table).where(self._mine(table)))
                keys = delete(RequestKeyRow)
                if self._diary is not None:
                    prefix = f"{DIARY_KEY_MARK}{self._diary}~"
                    keys = keys.where(RequestKeyRow.key.startswith(prefix, autoescape=True))
                else:
                    keys = keys.where(~RequestKeyRow.key.startswith(DIARY_KEY_MARK,
                                                                    autoescape=True))
                session.execute(keys)
                if self._diary is not None:
                    session.execute(delete(DiaryRow).where(DiaryRow.id == self._diary))
        if self.dialect == "sqlite":
            with self._errors(), self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_ok(self) -> bool:
        """Whether SQLite's integrity check passes (always True for other databases)."""
        if self._engine.dialect.name != "sqlite":
            return True
        with self._errors(), self._engine.connect() as connection:
            return connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def page_cursor(moment: datetime, row_id: int) -> str:
    """The opaque cursor of a record's place in its list: its time and id, base64 (URL-safe)."""
    text = f"{moment.astimezone(UTC).isoformat()}|{row_id}"
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode("ascii")


def read_cursor(cursor: object, field: str = "before") -> tuple[datetime, int]:
    """The time and id a cursor made by `page_cursor` holds, or RecordError naming the field."""
    shown = cursor[:40] + "..." if isinstance(cursor, str) and len(cursor) > 40 else cursor
    refused = RecordError(field, CURSOR_ALLOWED, shown)
    if not isinstance(cursor, str) or not _CURSOR_TEXT.fullmatch(cursor):
        raise refused
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        moment_text, _, id_text = decoded.partition("|")
        moment = datetime.fromisoformat(moment_text)
        row_id = int(id_text) if id_text.isdigit() else 0
    except (ValueError, binascii.Error):
        raise refused from None
    # Only a cursor exactly as this store writes them: an aware time, a row id, nothing else.
    if moment.tzinfo is None or not 1 <= row_id <= INT_MAX:
        raise refused
    if page_cursor(moment, row_id) != cursor:
        raise refused
    return moment, row_id


def _check(row: CheckRow) -> CheckRecord:
    return CheckRecord(
        id=row.id,
        created_at=row.created_at,
        # Anything but an object (JSON that could not be read, an older shape) reads as none;
        # an answer of a type no version saves (a list, a number with a point) as its text.
        answers=(
            {str(k): _answer(v) for k, v in row.answers.items()}
            if isinstance(row.answers, dict) else {}
        ),
        result=dict(row.result) if isinstance(row.result, dict) else {},
        version=row.version,
    )


def _entry(row: EntryRow) -> DiaryEntry:
    return DiaryEntry(
        id=row.id,
        created_at=row.created_at,
        pain=row.pain,
        where=_text(row.location),
        helped=_text(row.helped),
        note=_text(row.note),
        symptoms=[item if isinstance(item, str) else _text(item) or "" for item in
                  _listed(row.symptoms)],
    )


def _text(value: object) -> str | None:
    # Text as stored; anything else (a number, JSON) as its JSON text.
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=repr)


def _answer(value: object) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return _text(value)


def _listed(value: object) -> list[Any]:
    # A stored list as it is; one value (e.g. JSON that could not be read) as a list of one.
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _dose(row: DoseRow) -> MedicineDose:
    return MedicineDose(id=row.id, taken_at=row.taken_at, medicine=str(row.medicine),
                        dose_mg=row.dose_mg if isinstance(row.dose_mg, int) else 0)


def _exercise_session(row: ExerciseSessionRow) -> ExerciseSession:
    # A stored item that is not {"id": text, "done": bool} (another program's edit) is left
    # out rather than failing every read of the diary.
    items = [(item["id"], item["done"]) for item in _listed(row.exercises)
             if isinstance(item, dict) and isinstance(item.get("id"), str)
             and isinstance(item.get("done"), bool)]
    return ExerciseSession(id=row.id, started_at=row.started_at, planned=bool(row.planned),
                           exercises=items)


def _timer(row: TimerRow) -> TimerSession:
    return TimerSession(
        id=row.id,
        started_at=row.started_at,
        kind=cast(TimerKind, row.kind),
        planned_minutes=row.planned_minutes,
        seconds=row.seconds,
        completed=row.completed,
    )
