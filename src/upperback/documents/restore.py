"""Your data, back in: the JSON export (`write_json`) read back into a diary.

`upperback import FILE`, `POST /api/v1/diary/import` and the page /diary/import all call
`read_export` then `import_export`:

- The file is read whole, so it is capped (`IMPORT_MAX_BYTES` in limits.py, 64 MiB): a bigger
  one is refused before it is parsed. It must be UTF-8 JSON, an object whose `format` is
  "upperback-export" and whose `format_version` this version reads (a newer one is refused:
  update upperback).
- Every record is checked as the terminal, the pages and the API check a new one (the pain
  scale, the text limits, a time from 1900 to tomorrow, the medicines and the ice and heat
  limits of the knowledge base). The first bad one refuses the whole file, naming the record
  and the field (`diary[3].pain: must be a whole number from 0 to 10 (not 11).`), and nothing
  is written.
- A saved check keeps the answers and the result it was saved with: the result is the advice
  the person was given then, so it is never made again silently. Only a check with no result
  (none, or an empty one) is assessed now, with this knowledge base.
- The store adds what it does not hold yet, in one transaction (store/imports.py says what
  counts as the same record), so importing a file twice adds nothing the second time.

The records' ids and the file's `trend`, `disclaimer` and other fields are not read: the diary
numbers its own records, and works out its own trend. Fields this version does not know are
left out, not refused.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import IO, Any, Final, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import __version__
from ..answers import check_answers
from ..assessment import assess_checked
from ..clock import TIME_ALLOWED, check_time
from ..diary import check_pain, check_text, clean_text
from ..errors import InputError, shown
from ..knowledge_base import KnowledgeBase
from ..limits import (
    DOSE_MAX_MG,
    IMPORT_MAX_BYTES,
    NOTE_MAX,
    PAIN_MAX,
    PAIN_MIN,
    SHORT_TEXT_MAX,
    SYMPTOMS_MAX,
    pain_allowed,
    text_allowed,
)
from ..medicines import check_dose
from ..sessions import check_session
from ..store import Store
from ..store.imports import (
    ImportCounts,
    Imported,
    ImportedCheck,
    ImportedDose,
    ImportedEntry,
    ImportedTimer,
)
from .export import EXPORT_FORMAT, EXPORT_VERSION

NOTHING_WRITTEN: Final = "Nothing was imported."
VERSIONS_READ: Final = "1" if EXPORT_VERSION == 1 else f"1 to {EXPORT_VERSION}"
FILE_ALLOWED: Final = (
    f"a JSON export made by upperback (format {EXPORT_FORMAT!r}, version {VERSIONS_READ}), "
    f"in UTF-8, of at most {IMPORT_MAX_BYTES // (1024 * 1024)} MB"
)
SYMPTOMS_ALLOWED: Final = f"a list of at most {SYMPTOMS_MAX} symptoms (finding ids) as text"
ANSWERS_ALLOWED: Final = "an object of finding ids to answers (true, false, a number, text or null)"
RESULT_ALLOWED: Final = "the check's result as an object, or null (it is then assessed again)"
ANSWER_VALUE = bool | int | str | None
T = TypeVar("T")

# What each field of a record allows, in words (the messages say it when a value is refused).
ALLOWED: Final[dict[str, str]] = {
    "format": f"{EXPORT_FORMAT!r}",
    "format_version": f"the export's format version, {VERSIONS_READ}",
    "checks": "a list of saved checks",
    "diary": "a list of diary entries",
    "timers": "a list of timer sessions",
    "medicines": "a list of medicine doses",
    "created_at": TIME_ALLOWED,
    "started_at": TIME_ALLOWED,
    "taken_at": TIME_ALLOWED,
    "pain": pain_allowed(),
    "where": text_allowed("where"),
    "helped": text_allowed("helped"),
    "note": text_allowed("note"),
    "symptoms": SYMPTOMS_ALLOWED,
    "answers": ANSWERS_ALLOWED,
    "result": RESULT_ALLOWED,
    "version": "the version of upperback that saved it, as text of at most 40 characters",
    "kind": "'ice' or 'heat'",
    "planned_minutes": "a whole number of minutes, from 1",
    "seconds": "a whole number of seconds, from 0",
    "completed": "true or false",
    "medicine": "a medicine id of 1 to 40 characters",
    "dose_mg": f"a whole number of milligrams from 1 to {DOSE_MAX_MG}",
}


class ImportRefused(InputError):
    """The file cannot be imported; the message names the record and field, and says that
    nothing was imported."""


# -- the file's shape -----------------------------------------------------------------------

_RECORD = ConfigDict(strict=True, extra="ignore", frozen=True)


def _described(name: str, **kwargs: Any) -> Any:
    return Field(description=ALLOWED[name], **kwargs)


class CheckIn(BaseModel):
    """A saved check as the export writes it."""

    model_config = _RECORD
    created_at: str = _described("created_at")
    answers: dict[str, ANSWER_VALUE] = _described("answers")
    result: dict[str, Any] | None = _described("result", default=None)
    version: str | None = _described("version", default=None, max_length=40)


class EntryIn(BaseModel):
    """A diary entry as the export writes it."""

    model_config = _RECORD
    created_at: str = _described("created_at")
    pain: int = _described("pain", ge=PAIN_MIN, le=PAIN_MAX)
    where: str | None = _described("where", default=None, max_length=SHORT_TEXT_MAX)
    helped: str | None = _described("helped", default=None, max_length=SHORT_TEXT_MAX)
    note: str | None = _described("note", default=None, max_length=NOTE_MAX)
    symptoms: list[str] = _described("symptoms", default_factory=list, max_length=SYMPTOMS_MAX)


class TimerIn(BaseModel):
    """An ice or heat session as the export writes it."""

    model_config = _RECORD
    started_at: str = _described("started_at")
    kind: Literal["ice", "heat"] = _described("kind")
    planned_minutes: int = _described("planned_minutes", ge=1)
    seconds: int = _described("seconds", ge=0)
    completed: bool = _described("completed")


class DoseIn(BaseModel):
    """A medicine dose as the export writes it."""

    model_config = _RECORD
    taken_at: str = _described("taken_at")
    medicine: str = _described("medicine", min_length=1, max_length=40)
    dose_mg: int = _described("dose_mg", ge=1, le=DOSE_MAX_MG)


class ExportIn(BaseModel):
    """The JSON export, as far as an import reads it (see `write_json`)."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True,
                              title="upperback JSON export")
    format: Literal["upperback-export"] = _described("format")
    format_version: int = _described("format_version", ge=1, le=EXPORT_VERSION)
    checks: list[CheckIn] = _described("checks", default_factory=list)
    diary: list[EntryIn] = _described("diary", default_factory=list)
    timers: list[TimerIn] = _described("timers", default_factory=list)
    medicines: list[DoseIn] = _described("medicines", default_factory=list)


# -- reading --------------------------------------------------------------------------------


def _place(loc: Sequence[str | int]) -> str:
    """A place in the file, as `diary[3].pain`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "file"


def _shown_value(value: object) -> str:
    if isinstance(value, str):
        brief = value if len(value) <= 40 else f"{value[:20]}... ({len(value)} characters)"
        return repr(shown(brief))
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return repr(value)


def refused(place: str, allowed: str | None, value: object = None, problem: str | None = None
            ) -> ImportRefused:
    """The refusal of a file, naming the place and what it allows."""
    if problem is None:
        given = "" if value is None else f" (not {_shown_value(value)})"
        problem = f"must be {allowed}{given}" if allowed else "is not allowed"
    stop = "" if problem.endswith((".", "?", "!")) else "."
    return ImportRefused(place, f"{place}: {problem}{stop} {NOTHING_WRITTEN}", allowed)


def _first_problem(error: ValidationError) -> ImportRefused:
    first = error.errors(include_url=False)[0]
    loc = tuple(first.get("loc", ()))
    if "answers" in loc:  # an answer's place, without the type pydantic tried ("bool")
        loc = loc[:loc.index("answers") + 2]
    place = _place(loc)
    names = [part for part in loc if isinstance(part, str)]
    allowed = next((ALLOWED[n] for n in reversed(names) if n in ALLOWED), None)
    if first.get("type") == "missing":
        also = f" (it must be {allowed})" if allowed else ""
        return refused(place, allowed, problem=f"is missing{also}")
    if allowed is None:  # an answer's value, a key of the answers
        return refused(place, ALLOWED["answers"], problem=str(first.get("msg", "not valid")))
    return refused(place, allowed, first.get("input"))


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def read_limited(stream: IO[bytes], limit: int = IMPORT_MAX_BYTES) -> bytes:
    """At most `limit` bytes of a file, or ImportRefused when it holds more (the rest is never
    read, so a huge file costs no memory)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_big(limit)
    return data


def too_big(limit: int = IMPORT_MAX_BYTES) -> ImportRefused:
    """The refusal of a file over the size cap."""
    megabytes = limit / (1024 * 1024)
    size = f"{megabytes:g} MB" if megabytes >= 1 else f"{limit} bytes"
    return refused("file", FILE_ALLOWED, problem=f"is larger than {size}, the most an "
                   "import reads; split it or import it on the terminal")


def parse_json(data: bytes | str) -> Any:
    """The JSON of a file, or ImportRefused saying why it is not JSON."""
    if len(data) > IMPORT_MAX_BYTES:
        raise too_big(IMPORT_MAX_BYTES)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise refused("file", FILE_ALLOWED,
                          problem=f"is not UTF-8 text (byte {error.start + 1})") from None
    try:
        return json.loads(data, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise refused("file", FILE_ALLOWED, problem=f"is not JSON (line {error.lineno}, "
                      f"column {error.colno}: {error.msg})") from None
    except (ValueError, RecursionError):  # NaN, a number too long, nesting too deep
        raise refused("file", FILE_ALLOWED, problem="is not JSON that upperback can read") \
            from None


def _export_shape(data: object) -> ExportIn:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise refused("file", FILE_ALLOWED, problem="is not an upperback export (it has no "
                      f'"format": "{EXPORT_FORMAT}")')
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > EXPORT_VERSION:
        raise refused("format_version", ALLOWED["format_version"], problem=(
            f"is {version}: the file was made by a newer upperback, and this one reads up "
            f"to version {EXPORT_VERSION}; update upperback, then import it again"))
    try:
        return ExportIn.model_validate(data)
    except ValidationError as error:
        raise _first_problem(error) from None


def _json_problem(value: object, place: str) -> tuple[str, object] | None:
    """Where in JSON data something is that no database keeps as JSON: a NUL character or a
    lone surrogate in a text or a key, or a number too big."""
    if isinstance(value, str):
        bad = "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value)
        return (place, value) if bad else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return (place, value) if abs(value) >= 2**63 else None
    if isinstance(value, float):
        return None if math.isfinite(value) else (place, value)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := _json_problem(item, f"{place}[{index}]")) is not None:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if (found := _json_problem(key, f"{place} key")) is not None:
                return found
            if (found := _json_problem(item, f"{place}.{key}")) is not None:
                return found
    return None


def _checked(place: str, check: Callable[[], T]) -> T:
    """`check()`, with an InputError it raises named by the record it came from."""
    try:
        return check()
    except InputError as error:
        field = f"{place}.{error.field}" if error.field else place
        allowed = error.allowed or ALLOWED.get(error.field)
        raise refused(field, allowed, problem=None if allowed else str(error)) from None


def _time(place: str, name: str, value: str) -> datetime:
    moment = _checked(place, lambda: check_time(name, value))
    assert moment is not None  # a time is required by the file's shape
    return moment


def _check(kb: KnowledgeBase, place: str, check: CheckIn) -> ImportedCheck:
    created_at = _time(place, "created_at", check.created_at)
    if not check.result:  # no result saved: assess the answers with this knowledge base
        answers = _checked(place + ".answers", lambda: check_answers(kb, check.answers))
        return ImportedCheck(created_at, dict(answers),
                             assess_checked(kb, answers).to_dict(), __version__)
    for name, value in (("answers", check.answers), ("result", check.result)):
        found = _json_problem(value, f"{place}.{name}")
        if found is not None:
            raise refused(found[0], "JSON without NUL characters or broken text", found[1])
    version = check.version
    if version is not None and _json_problem(version, "") is not None:
        raise refused(f"{place}.version", ALLOWED["version"], version)
    return ImportedCheck(created_at, dict(check.answers), dict(check.result), version)


def _entry(place: str, entry: EntryIn) -> ImportedEntry:
    symptoms = tuple(_checked(place, partial(clean_text, "symptoms", symptom, SYMPTOMS_ALLOWED))
                     for symptom in entry.symptoms)
    return ImportedEntry(
        created_at=_time(place, "created_at", entry.created_at),
        pain=_checked(place, lambda: check_pain(entry.pain)),
        where=_checked(place, lambda: check_text("where", entry.where)),
        helped=_checked(place, lambda: check_text("helped", entry.helped)),
        note=_checked(place, lambda: check_text("note", entry.note)),
        symptoms=symptoms,
    )


def _timer(kb: KnowledgeBase, place: str, timer: TimerIn) -> ImportedTimer:
    # The method's limit of the knowledge base: a file cannot log a session longer than it.
    _checked(place, lambda: check_session(kb, timer.kind, timer.planned_minutes, timer.seconds))
    return ImportedTimer(_time(place, "started_at", timer.started_at), timer.kind,
                         timer.planned_minutes, timer.seconds, timer.completed)


def _dose(kb: KnowledgeBase, place: str, dose: DoseIn) -> ImportedDose:
    taken_at = _time(place, "taken_at", dose.taken_at)
    checked = _checked(place, lambda: check_dose(kb, dose.medicine, dose.dose_mg, taken_at))
    return ImportedDose(taken_at, checked.medicine, checked.dose_mg)


def read_export(kb: KnowledgeBase, data: bytes | str | Mapping[str, Any]) -> Imported:
    """The records of a JSON export (its bytes, its text, or its parsed JSON), each checked;
    ImportRefused names the first place that is not allowed."""
    parsed = data if isinstance(data, Mapping) else parse_json(data)
    export = _export_shape(dict(parsed) if isinstance(parsed, Mapping) else parsed)
    return Imported(
        checks=[_check(kb, f"checks[{i}]", c) for i, c in enumerate(export.checks)],
        entries=[_entry(f"diary[{i}]", e) for i, e in enumerate(export.diary)],
        timers=[_timer(kb, f"timers[{i}]", t) for i, t in enumerate(export.timers)],
        doses=[_dose(kb, f"medicines[{i}]", d) for i, d in enumerate(export.medicines)],
    )


def import_export(store: Store, records: Imported, dry_run: bool = False) -> ImportCounts:
    """Add the records the diary does not hold yet, in one transaction (`dry_run`: only
    count them)."""
    return store.import_records(records, dry_run=dry_run)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def summary(counts: ImportCounts, dry_run: bool = False) -> str:
    """What an import did (or would do), in one sentence, e.g. "Imported 12 diary entries,
    3 checks, 2 medicine doses and 4 timer sessions; 40 were already there."."""
    parts = [
        _count(counts.entries, "diary entry", "diary entries"),
        _count(counts.checks, "check", "checks"),
        _count(counts.doses, "medicine dose", "medicine doses"),
        _count(counts.timers, "timer session", "timer sessions"),
    ]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    already = f"; {counts.already} {'was' if counts.already == 1 else 'were'} already there"
    if dry_run:
        return f"Would import {listed}{already}. Nothing was saved (dry run)."
    return f"Imported {listed}{already}."
