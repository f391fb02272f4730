"""Your data, out: JSON (everything), CSV (one table) and FHIR R4 (for a clinic's records).

FHIR: a Bundle of type "collection" with one QuestionnaireResponse per saved check (the answers)
and one Observation per diary entry (LOINC 72514-3 pain score, category survey, back of trunk).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from .. import __version__
from ..knowledge_base import KnowledgeBase
from ..store import CheckRecord, DiaryEntry, Store, TimerSession
from ..trend import pain_trend

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
    "triage",
    "likely_causes",
    "answers",
)


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


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


def export_json(store: Store, kb: KnowledgeBase) -> str:
    """Everything saved, as one JSON document (checks, diary, timers, and the diary's trend)."""
    entries = store.entries()
    verdict = pain_trend(entries, kb)
    document = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "upperback_version": __version__,
        "exported_at": _time(datetime.now(UTC)),
        "disclaimer": kb.guide.disclaimer,
        "checks": [check_dict(check) for check in store.checks()],
        "diary": [entry_dict(entry) for entry in entries],
        "timers": [timer_dict(timer) for timer in store.timers()],
        "trend": None
        if verdict is None
        else {
            "kind": verdict.kind,
            "message": verdict.message,
            "level": verdict.level,
            "sources": list(verdict.sources),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _answers_text(kb: KnowledgeBase, answers: dict[str, Any]) -> str:
    said = []
    for finding_id, value in answers.items():
        finding = kb.findings.get(finding_id)
        said.append(finding.describe_value(value) if finding else f"{finding_id}: {value}")
    return "; ".join(said)


def export_csv(store: Store, kb: KnowledgeBase) -> str:
    """One table, one row per record; the `record` column says diary, timer or check."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for entry in store.entries():
        writer.writerow(
            {
                "record": "diary",
                "id": entry.id,
                "time": _time(entry.created_at),
                "pain": entry.pain,
                "where": entry.where or "",
                "helped": entry.helped or "",
                "note": entry.note or "",
                "symptoms": "; ".join(entry.symptoms),
            }
        )
    for timer in store.timers():
        writer.writerow(
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
    for check in store.checks():
        writer.writerow(
            {
                "record": "check",
                "id": check.id,
                "time": _time(check.created_at),
                "triage": _triage_label(check),
                "likely_causes": "; ".join(_likely_names(check)),
                "answers": _answers_text(kb, check.answers),
            }
        )
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
    if isinstance(value, int):
        return [{"valueInteger": value}]
    return [{"valueString": str(value)}]


def questionnaire_response(kb: KnowledgeBase, check: CheckRecord) -> QuestionnaireResponse:
    """A check's answers as a FHIR QuestionnaireResponse, one item per finding answered."""
    order = {finding_id: index for index, finding_id in enumerate(kb.findings)}
    items = []
    for finding_id in sorted(check.answers, key=lambda f: order.get(f, len(order))):
        finding = kb.findings.get(finding_id)
        item: dict[str, Any] = {"linkId": finding_id}
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
    notes = [
        text
        for text in (
            entry.note,
            f"Where: {entry.where}" if entry.where else None,
            f"Helped: {entry.helped}" if entry.helped else None,
            f"Symptoms: {', '.join(entry.symptoms)}" if entry.symptoms else None,
        )
        if text
    ]
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
        "valueInteger": entry.pain,
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


def fhir_bundle(store: Store, kb: KnowledgeBase) -> Bundle:
    """Everything the clinic can use, as a FHIR R4 Bundle (type collection)."""
    resources: list[QuestionnaireResponse | Observation]
    resources = [questionnaire_response(kb, check) for check in store.checks()]
    resources += [pain_observation(entry) for entry in store.entries()]
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": _time(datetime.now(UTC)),
            "entry": [
                BundleEntry.model_validate({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": r})
                for r in resources
            ],
        }
    )


def export_fhir(store: Store, kb: KnowledgeBase) -> str:
    """The FHIR R4 Bundle as JSON text."""
    return str(fhir_bundle(store, kb).model_dump_json(indent=2))
