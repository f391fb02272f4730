"""Records read back from an export, added to the diary without duplicates.

A record is "the same" as one already saved when every value it is saved with is equal: its
time, and all its content (a diary entry's pain, texts and symptoms; a check's answers; a
timer's kind, minutes, seconds and end; a dose's medicine and mg). The ids are not compared:
the diary that made the file numbered its records, this one numbers its own. No column is
added for it: the time and the content are what a person would call the same record, and
they survive any number of exports and imports unchanged.

The comparison counts: a file holding two equal entries (two logged at the same moment) adds
both to an empty diary, and only the one missing to a diary holding one of them. So an import
run twice adds nothing the second time, and a file that overlaps the diary adds only what the
diary lacks.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import insert, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..limits import DOSE_MAX_MG, PAIN_MAX, PAIN_MIN
from ..sessions import TIMER_KINDS
from .errors import RecordError
from .ids import fresh_id
from .models import CheckRow, DoseRow, EntryRow, TimerRow
from .values import check_int, check_json, check_text, check_time

# Times asked for at once when looking for the records already saved (well under every
# database's limit on parameters), and rows inserted at once.
LOOKUP_BATCH: Final = 500
INSERT_BATCH: Final = 1000


@dataclass(frozen=True)
class ImportedCheck:
    """A saved check from a file: its answers and result as they were saved."""

    created_at: datetime
    answers: dict[str, Any]
    result: dict[str, Any]
    version: str | None = None


@dataclass(frozen=True)
class ImportedEntry:
    """A diary entry from a file."""

    created_at: datetime
    pain: int
    where: str | None = None
    helped: str | None = None
    note: str | None = None
    symptoms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportedTimer:
    """An ice or heat session from a file."""

    started_at: datetime
    kind: str
    planned_minutes: int
    seconds: int
    completed: bool


@dataclass(frozen=True)
class ImportedDose:
    """A medicine dose from a file."""

    taken_at: datetime
    medicine: str
    dose_mg: int


@dataclass(frozen=True)
class Imported:
    """Everything a file holds, checked, in the file's order."""

    checks: Sequence[ImportedCheck] = ()
    entries: Sequence[ImportedEntry] = ()
    timers: Sequence[ImportedTimer] = ()
    doses: Sequence[ImportedDose] = ()


@dataclass(frozen=True)
class ImportCounts:
    """How many records of each kind were added (or would be, on a dry run), and how many of
    the file's records the diary held already."""

    checks: int = 0
    entries: int = 0
    timers: int = 0
    doses: int = 0
    already: int = 0

    @property
    def total(self) -> int:
        """The records added, of every kind."""
        return self.checks + self.entries + self.timers + self.doses


def _canonical(value: Any) -> str:
    # JSON that compares equal whatever the order of its keys (a database may reorder them).
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class _Kind:
    """How one kind of record is kept: its table, its time column, the columns compared."""

    model: type[CheckRow | EntryRow | TimerRow | DoseRow]
    moment: InstrumentedAttribute[datetime]
    columns: tuple[InstrumentedAttribute[Any], ...]
    json_columns: frozenset[str] = frozenset()

    def key(self, values: Sequence[Any]) -> Hashable:
        """The values compared, as a hashable tuple (JSON columns as canonical text)."""
        return tuple(
            _canonical(value) if column.key in self.json_columns else value
            for column, value in zip(self.columns, values, strict=True)
        )


CHECKS = _Kind(CheckRow, CheckRow.created_at, (CheckRow.created_at, CheckRow.answers),
               frozenset({"answers"}))
ENTRIES = _Kind(
    EntryRow, EntryRow.created_at,
    (EntryRow.created_at, EntryRow.pain, EntryRow.location, EntryRow.helped, EntryRow.note,
     EntryRow.symptoms),
    frozenset({"symptoms"}),
)
TIMERS = _Kind(TimerRow, TimerRow.started_at,
               (TimerRow.started_at, TimerRow.kind, TimerRow.planned_minutes, TimerRow.seconds,
                TimerRow.completed))
DOSES = _Kind(DoseRow, DoseRow.taken_at, (DoseRow.taken_at, DoseRow.medicine, DoseRow.dose_mg))


def _at(kind: str, index: int, name: str) -> str:
    return f"{kind}[{index}].{name}"




def check_rows(records: Imported) -> list[tuple[_Kind, list[dict[str, Any]]]]:
    """Each kind's rows, as the store keeps them, checked like any other write (RecordError
    names the record, e.g. `diary[3].pain`)."""

    def check(item: ImportedCheck) -> dict[str, Any]:
        if item.version is not None and (not isinstance(item.version, str)
                                         or len(item.version) > 40):
            raise RecordError("version", "text of at most 40 characters, or nothing",
                              item.version)
        return {"created_at": check_time("created_at", item.created_at),
                "answers": check_json("answers", item.answers),
                "result": check_json("result", item.result), "version": item.version}

    def entry(item: ImportedEntry) -> dict[str, Any]:
        symptoms = list(item.symptoms)
        if not all(isinstance(s, str) and "\x00" not in s for s in symptoms):
            raise RecordError("symptoms", "a list of text (without NUL characters)", symptoms)
        return {"created_at": check_time("created_at", item.created_at),
                "pain": check_int("pain", item.pain, PAIN_MIN, PAIN_MAX),
                "location": check_text("where", item.where),
                "helped": check_text("helped", item.helped),
                "note": check_text("note", item.note), "symptoms": symptoms}

    def timer(item: ImportedTimer) -> dict[str, Any]:
        if item.kind not in TIMER_KINDS:
            raise RecordError("kind", f"one of {', '.join(TIMER_KINDS)}", item.kind)
        if not isinstance(item.completed, bool):
            raise RecordError("completed", "true or false", item.completed)
        return {"started_at": check_time("started_at", item.started_at), "kind": item.kind,
                "planned_minutes": check_int("planned_minutes", item.planned_minutes, 1),
                "seconds": check_int("seconds", item.seconds, 0), "completed": item.completed}

    def dose(item: ImportedDose) -> dict[str, Any]:
        medicine = item.medicine
        if not isinstance(medicine, str) or not 1 <= len(medicine) <= 40 or "\x00" in medicine:
            raise RecordError("medicine", "a medicine id of 1 to 40 characters", medicine)
        return {"taken_at": check_time("taken_at", item.taken_at), "medicine": medicine,
                "dose_mg": check_int("dose_mg", item.dose_mg, 1, DOSE_MAX_MG)}

    def rows(name: str, items: Iterable[Any], make: Callable[[Any], dict[str, Any]]
             ) -> list[dict[str, Any]]:
        # The store checks every value again (as for any write); a refusal names the record.
        made = []
        for index, item in enumerate(items):
            try:
                made.append(make(item))
            except RecordError as error:
                raise RecordError(_at(name, index, error.field), error.allowed,
                                  error.value) from None
        return made

    return [
        (CHECKS, rows("checks", records.checks, check)),
        (ENTRIES, rows("diary", records.entries, entry)),
        (TIMERS, rows("timers", records.timers, timer)),
        (DOSES, rows("medicines", records.doses, dose)),
    ]


def _saved(session: Session, kind: _Kind, moments: set[datetime], diary: int | None
           ) -> Counter[Hashable]:
    """How many records of this kind, at these times, the diary holds, by their key."""
    found: Counter[Hashable] = Counter()
    ordered = sorted(moments)
    for start in range(0, len(ordered), LOOKUP_BATCH):
        mine = kind.model.diary_id.is_(None) if diary is None else kind.model.diary_id == diary
        query = select(*kind.columns).where(
            mine, kind.moment.in_(ordered[start:start + LOOKUP_BATCH])
        )
        found.update(kind.key(tuple(row)) for row in session.execute(query))
    return found


def add_missing(session: Session, rows: list[tuple[_Kind, list[dict[str, Any]]]],
                write: bool, diary: int | None = None) -> ImportCounts:
    """Add the rows the diary does not hold yet (each kind looked up by its times); with
    `write` False only count them. The caller's transaction makes it all or nothing.
    `diary`: the visitor's diary the rows belong to (None: the one person's own)."""
    added: dict[str, int] = {}
    already = 0
    if write and session.get_bind().dialect.name == "postgresql":
        # Two imports of one file at once must not both find a record missing and both add
        # it: they take turns (SQLite's writers already do, each holding the write lock).
        names = ", ".join(kind.model.__tablename__ for kind, _ in rows)
        session.execute(text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
    for kind, values in rows:
        saved = _saved(session, kind, {row[kind.moment.key] for row in values}, diary)
        missing = []
        for row in values:
            key = kind.key(tuple(row[column.key] for column in kind.columns))
            if saved[key] > 0:
                saved[key] -= 1
                already += 1
            else:
                missing.append(row)
        if write:
            for start in range(0, len(missing), INSERT_BATCH):
                batch = [{**row, "diary_id": diary} for row in missing[start:start + INSERT_BATCH]]
                if diary is not None:  # a visitor's records get random ids (Store._add)
                    drawn: set[int] = set()
                    for row in batch:
                        while (row_id := fresh_id(session, kind.model)) in drawn:
                            pass
                        drawn.add(row_id)
                        row["id"] = row_id
                session.execute(insert(kind.model), batch)
        added[kind.model.__tablename__] = len(missing)
    return ImportCounts(
        checks=added["checks"], entries=added["diary_entries"],
        timers=added["timer_sessions"], doses=added["medicine_doses"], already=already,
    )
