"""The CSV export: one table per kind of record, a zip of them all, or one table alone.

Tables (`CSV_KINDS`), each written a row at a time:

- `checks.csv`: one row per saved check: its level, the likely causes, and the top three
  causes with their ICD-10-CM codes and shares;
- `answers.csv`: one row per answer of a check (check_id, finding, question, answer: yes,
  no, don't know, a number or a choice). A long table, not a column per finding in
  `checks.csv`: the knowledge base has some 75 findings and a check asks a few of them, so a
  wide table would be mostly empty cells, and its columns would change whenever the knowledge
  base gains or loses a finding (an old check's answer to a finding no longer asked would have
  no column). A spreadsheet's pivot table turns the long table wide when one wants it;
- `entries.csv`, `medicines.csv`, `timers.csv`: the diary entries, logged doses and ice or
  heat sessions;
- `exercises.csv` (a row per exercise of each session, done or skipped) and `breaks.csv`.

Times are local time with their offset, to the second (`2026-11-20 08:00:00+01:00`): the
terminal uses this computer's zone, the web download the `tz` asked for (UTC by default).
Every text cell is made safe for a spreadsheet (`csv_cell`, see `documents/export.py`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, tzinfo
from typing import IO, Any, Final, TextIO

from ..errors import InputError
from ..knowledge_base import KnowledgeBase
from ..store import Store
from .export_text import csv_cell, plain_text
from .local_time import local_time_text

#: The tables, in the order the zip holds them.
CSV_KINDS: Final = ("checks", "answers", "entries", "medicines", "timers", "exercises",
                    "breaks")
CSV_KINDS_ALLOWED: Final = "one of " + ", ".join(CSV_KINDS)
#: How many of a check's causes (in the result's order) its row names.
TOP_CAUSES: Final = 3

Row = dict[str, Any]


def _columns(kind: str) -> tuple[str, ...]:
    if kind == "checks":
        causes = (
            (f"cause_{n}", f"cause_{n}_icd10", f"cause_{n}_probability")
            for n in range(1, TOP_CAUSES + 1)
        )
        return ("id", "time", "version", "triage", "triage_label", "likely_causes",
                *(column for three in causes for column in three))
    return {
        "answers": ("check_id", "finding", "question", "answer"),
        "entries": ("id", "time", "pain", "where", "helped", "note", "symptoms"),
        "medicines": ("id", "time", "medicine", "name", "dose_mg"),
        "timers": ("id", "time", "kind", "planned_minutes", "seconds", "completed", "ended"),
        "exercises": ("session_id", "time", "planned", "exercise", "name", "done"),
        "breaks": ("time", "seconds"),
    }[kind]


#: Each table's columns, in order.
CSV_COLUMNS: Final = {kind: _columns(kind) for kind in CSV_KINDS}


def _probability(value: object) -> object:
    if isinstance(value, float):
        return round(value, 4)
    return value


def _check_rows(store: Store, kb: KnowledgeBase, zone: tzinfo | None) -> Iterator[Row]:
    for check in store.each_check():
        row: Row = {"id": check.id, "time": local_time_text(check.created_at, zone),
                    "version": check.version}
        result = check.assessment()
        if result is None:  # a result of an older shape: the level as saved
            row["triage"] = check.triage or ""
            yield row
            continue
        row |= {
            "triage": result.triage,
            "triage_label": result.triage_label,
            "likely_causes": "; ".join(plain_text(c.name) for c in result.likely()),
        }
        for n, cause in enumerate(result.causes[:TOP_CAUSES], start=1):
            known = kb.causes.get(cause.id)
            row |= {
                f"cause_{n}": cause.name,
                f"cause_{n}_icd10": known.icd10 if known and known.icd10 else cause.icd10,
                f"cause_{n}_probability": _probability(cause.probability),
            }
        yield row


def _answer_value(value: Any) -> Any:
    """An answer as a cell: yes, no, don't know, a number, or the text of a choice."""
    if value is None:
        return "don't know"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _answer_rows(store: Store, kb: KnowledgeBase, zone: tzinfo | None) -> Iterator[Row]:
    order = {finding_id: index for index, finding_id in enumerate(kb.findings)}
    for check in store.each_check():
        for finding_id in sorted(check.answers, key=lambda f: order.get(f, len(order))):
            finding = kb.findings.get(finding_id)
            yield {"check_id": check.id, "finding": finding_id,
                   "question": finding.label if finding is not None else "",
                   "answer": _answer_value(check.answers[finding_id])}


def _entry_rows(store: Store, kb: KnowledgeBase, zone: tzinfo | None) -> Iterator[Row]:
    for entry in store.each_entry():
        yield {"id": entry.id, "time": local_time_text(entry.created_at, zone),
               "pain": entry.pain, "where": entry.where, "helped": entry.helped,
               "note": entry.note,
               "symptoms": "; ".join(plain_text(symptom) for symptom in entry.symptoms)}


def _dose_rows(store: Store, kb: KnowledgeBase, zone: tzinfo | None) -> Iterator[Row]:
    for dose in store.each_dose():
        method = kb.relief.get(dose.medicine)
        yield {"id": dose.id, "time": local_time_text(dose.taken_at, zone),
               "medicine": dose.medicine, "name": method.name if method else "",
               "dose_mg": dose.dose_mg}


def _timer_rows(store: Store, kb: KnowledgeBase, zone: tzinfo | None) -> Iterator[Row]:
    for timer in store.each_timer():
        ended = ""
        if isinstance(timer.seconds, int) and not isinstance(timer.seconds, bool):
            with contextlib.suppress(OverflowError):  # a row no version writes: no end
                ended = local_time_text(timer.started_at + timedelta(seconds=timer.seconds),
                                        zone)
        yield {"id": timer.id, "time": local_time_text(timer.started_at, zone),
               "kind": timer.kind, "planned_minutes": timer.planned_minutes,
               "seconds": timer.seconds, "completed": "yes" if timer.completed else "no",
               "ended": ended}


def _exercise_rows(store: Store, kb: KnowledgeBase, zone: tzinfo | None) -> Iterator[Row]:
    # One row per exercise of a session (done or skipped), as answers.csv is per answer.
    for session in store.each_exercise_session():
        for exercise_id, done in session.exercises:
            known = kb.exercises.get(exercise_id)
            yield {"session_id": session.id, "time": local_time_text(session.started_at, zone),
                   "planned": "yes" if session.planned else "no", "exercise": exercise_id,
                   "name": known.name if known else "", "done": "done" if done else "skipped"}


def _break_rows(store: Store, kb: KnowledgeBase, zone: tzinfo | None) -> Iterator[Row]:
    for moment, seconds in store.each_break():
        yield {"time": local_time_text(moment, zone), "seconds": seconds}


_ROWS: Final[dict[str, Callable[[Store, KnowledgeBase, tzinfo | None], Iterator[Row]]]] = {
    "checks": _check_rows,
    "answers": _answer_rows,
    "entries": _entry_rows,
    "medicines": _dose_rows,
    "timers": _timer_rows,
    "exercises": _exercise_rows,
    "breaks": _break_rows,
}


def write_csv(store: Store, kb: KnowledgeBase, out: TextIO, kind: str,
              zone: tzinfo | None = None) -> None:
    """One table (`kind`, one of `CSV_KINDS`) as CSV, written to `out` a row at a time;
    times in `zone` (None: this computer's zone)."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS[kind])
    writer.writeheader()
    for row in _ROWS[kind](store, kb, zone):
        writer.writerow({column: csv_cell(value) for column, value in row.items()})


def write_csv_zip(store: Store, kb: KnowledgeBase, out: IO[bytes],
                  zone: tzinfo | None = None) -> None:
    """Every table, as `KIND.csv` files in one zip written to `out` (which need not be
    seekable): a table at a time, a row at a time."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        made = datetime.now(zone).timetuple()[:6]  # the files' time, as a zip tool shows it
        for kind in CSV_KINDS:
            member = zipfile.ZipInfo(f"{kind}.csv", date_time=made)
            member.compress_type = zipfile.ZIP_DEFLATED
            with io.TextIOWrapper(archive.open(member, "w"), encoding="utf-8",
                                  newline="") as table:
                write_csv(store, kb, table, kind, zone)


def export_csv(store: Store, kb: KnowledgeBase, kind: str,
               zone: tzinfo | None = None) -> str:
    """`write_csv` as text."""
    buffer = io.StringIO()
    write_csv(store, kb, buffer, kind, zone)
    return buffer.getvalue()


def export_csv_zip(store: Store, kb: KnowledgeBase, zone: tzinfo | None = None) -> bytes:
    """`write_csv_zip` as bytes."""
    buffer = io.BytesIO()
    write_csv_zip(store, kb, buffer, zone)
    return buffer.getvalue()


def check_csv_kind(field: str, kind: str) -> str:
    """`kind` when it names a table, or InputError naming `field`."""
    if kind not in CSV_KINDS:
        raise InputError(field, f"{field} must be {CSV_KINDS_ALLOWED}.", CSV_KINDS_ALLOWED)
    return kind
