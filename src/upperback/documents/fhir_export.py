"""The FHIR R4B export: a Bundle of type "collection" a clinic's system can read.

What it holds, in order, written an entry at a time (`write_fhir`):

- a Patient, only when the person gives a name or a birth date (`patient_details`); every
  other resource then points at it (`subject`). Without one there is no Patient and no made-up
  person: the resources FHIR requires a subject of (RiskAssessment, MedicationStatement,
  Procedure) name "the person who kept this diary" in `subject.display`, and pointing at no
  resource; the others have no subject;
- per saved check, a QuestionnaireResponse (the answers) and a RiskAssessment (the triage
  level and the likely causes, each with its share as `probabilityDecimal` and its ICD-10-CM
  code), whose `basis` points at that QuestionnaireResponse. RiskAssessment, not
  ClinicalImpression: the guide's output is a model's estimate of how likely each cause is,
  which is what RiskAssessment.prediction holds (an outcome with a probability); a
  ClinicalImpression is a clinician's judgement and has no field for a probability;
- an Observation per diary entry (LOINC 72514-3 pain score, category survey, back of trunk);
- a MedicationStatement per logged dose (RxNorm ingredient, mg in UCUM);
- a Procedure per ice or heat timer session (code text "Cold pack" or "Heat pack", no SNOMED
  code; performedPeriod from the start and the seconds it ran; completed, stopped early, or
  not done when it ran no time at all).

Every entry's `fullUrl` is a urn:uuid made from the record's kind, number and time (UUID 5),
so the same diary exported twice gives the same ids, and references between entries use them.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import math
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.riskassessment import RiskAssessment

from ..errors import InputError
from ..knowledge_base import KnowledgeBase
from ..report_period import Subject, report_subject
from ..store import CheckRecord, DiaryEntry, MedicineDose, Store, TimerSession
from .export_text import (
    fhir_code,
    fhir_string,
    json_text,
    unicode_text,
    utc_time,
    write_json_head,
)

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
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
UCUM = "http://unitsofmeasure.org"
DIARY_KEEPER = "The person who kept this upperback diary"
CHECK_METHOD = "upperback symptom check (likely causes from the answers; not a diagnosis)"
CHECK_CODE = "Upper back pain: likely causes and how soon to get care"
# What each timer kind times, as FHIR code text (no SNOMED code: none is sure enough).
TIMER_TEXT = {"ice": "Cold pack", "heat": "Heat pack"}

# FHIR integer: a signed 32-bit number.
FHIR_INTEGER = range(-(2**31), 2**31)
# The ids of one export are UUID 5 names in this namespace.
EXPORT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:upperback:fhir-export")

@dataclass(frozen=True)
class PatientDetails(Subject):
    """Who the export is about, as far as the person chose to say (a name, a birth date):
    the report's Subject, with the Patient's stable id."""

    @property
    def full_url(self) -> str:
        """The Patient's urn:uuid: the same for the same name and birth date."""
        return _urn(f"patient/{self.name or ''}/{self.born or ''}")


def patient_details(
    name: str | None, born: str | None, name_field: str = "name", born_field: str = "born",
    today: date | None = None,
) -> PatientDetails | None:
    """The Patient's details from what the person typed (empty counts as not given), or None
    when neither is given. Checked as the report checks them (`report_period.report_subject`:
    one rule for a name and a birth date everywhere); InputError names the field as the
    caller calls it (e.g. "--born")."""
    try:
        subject = report_subject(name, born, today)
    except InputError as error:
        field = {"name": name_field, "born": born_field}.get(error.field, error.field)
        message = str(error)
        if message.startswith(f"{error.field} "):
            message = field + message[len(error.field):]
        raise InputError(field, message, error.allowed) from None
    if not subject.given:
        return None
    return PatientDetails(subject.name, subject.born)


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(EXPORT_NAMESPACE, name)}"


def record_url(kind: str, record_id: object, moment: datetime) -> str:
    """A record's urn:uuid, from its kind ("check", "assessment", "diary", "dose", "timer"),
    number and time: the same record gives the same id in every export."""
    return _urn(f"{kind}/{unicode_text(record_id)}/{utc_time(moment)}")


def patient_resource(details: PatientDetails) -> Patient:
    """The Patient: the name as given (as text) and the birth date, nothing made up."""
    data: dict[str, Any] = {"resourceType": "Patient", "id": "patient"}
    if details.name is not None:
        data["name"] = [{"text": details.name}]
    if details.born is not None:
        data["birthDate"] = details.born.isoformat()
    return Patient.model_validate(data)


def _subject(patient: PatientDetails | None) -> dict[str, Any] | None:
    """A reference to the Patient, or None when there is none."""
    if patient is None:
        return None
    reference: dict[str, Any] = {"reference": patient.full_url}
    if patient.name is not None:
        reference["display"] = patient.name
    return reference


def _required_subject(patient: PatientDetails | None) -> dict[str, Any]:
    """For resources FHIR requires a subject of: the Patient, or the diary's keeper by a
    description only (a reference to no resource, naming no one)."""
    return _subject(patient) or {"display": DIARY_KEEPER}


def _answer(value: Any) -> list[dict[str, Any]] | None:
    if value is None:  # "don't know": the item is there, with no answer
        return None
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int) and value in FHIR_INTEGER:
        return [{"valueInteger": value}]
    text = fhir_string(value)  # anything else (a choice, or an odd value) as text
    return [{"valueString": text}] if text else None


def questionnaire_response(kb: KnowledgeBase, check: CheckRecord,
                           patient: PatientDetails | None = None) -> QuestionnaireResponse:
    """A check's answers as a FHIR QuestionnaireResponse, one item per finding answered."""
    order = {finding_id: index for index, finding_id in enumerate(kb.findings)}
    items = []
    for finding_id in sorted(check.answers, key=lambda f: order.get(f, len(order))):
        finding = kb.findings.get(finding_id)
        item: dict[str, Any] = {"linkId": fhir_string(finding_id) or "\ufffd"}
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
        "authored": utc_time(check.created_at),
    }
    if (subject := _subject(patient)) is not None:
        data["subject"] = subject
    if items:
        data["item"] = items
    return QuestionnaireResponse.model_validate(data)


def _prediction(kb: KnowledgeBase, cause_id: str, name: str, icd10: object,
                probability: object, urgency: object) -> dict[str, Any]:
    """One likely cause as a RiskAssessment prediction: the ICD-10-CM code of the knowledge
    base (the saved one for a cause it no longer has), and the share when it is a number
    from 0 to 1."""
    known = kb.causes.get(cause_id)
    code = fhir_code(known.icd10 if known is not None and known.icd10 else icd10)
    text = fhir_string(name) or fhir_string(cause_id) or "\ufffd"
    outcome: dict[str, Any] = {"text": text}
    if code:
        outcome["coding"] = [{"system": ICD10CM, "code": code, "display": text}]
    prediction: dict[str, Any] = {"outcome": outcome}
    if (isinstance(probability, int | float) and not isinstance(probability, bool)
            and math.isfinite(probability) and 0 <= probability <= 1):
        prediction["probabilityDecimal"] = probability
    if urgency_text := fhir_string(urgency):
        prediction["rationale"] = f"How soon this cause needs care on its own: {urgency_text}"
    return prediction


def risk_assessment(kb: KnowledgeBase, check: CheckRecord,
                    patient: PatientDetails | None = None) -> RiskAssessment:
    """A check's triage level and likely causes as a FHIR RiskAssessment: one prediction per
    likely cause (ICD-10-CM outcome, probabilityDecimal), the level and its label in `note`,
    what to do in `mitigation`, and `basis` pointing at the check's QuestionnaireResponse."""
    result = check.assessment()
    data: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "id": f"assessment-{check.id}",
        "status": "final",
        "subject": _required_subject(patient),
        "occurrenceDateTime": utc_time(check.created_at),
        "code": {"text": CHECK_CODE},
        "method": {"text": CHECK_METHOD},
        "basis": [{"reference": record_url("check", check.id, check.created_at)}],
    }
    if result is not None:
        data["prediction"] = [
            _prediction(kb, c.id, c.name, c.icd10, c.probability, c.urgency)
            for c in result.likely()
        ] or None
        level: str = result.triage
        label, action = result.triage_label, result.action
    else:  # a result of an older shape: the level as saved, if there is one
        level, label, action = check.triage or "", "", ""
    level_text = fhir_string(level)
    label_text = fhir_string(label)
    if level_text:
        note = f"Triage level: {level_text}" + (f" ({label_text})" if label_text else "")
        data["note"] = [{"text": note}]
    if action_text := fhir_string(action):
        data["mitigation"] = action_text
    return RiskAssessment.model_validate({k: v for k, v in data.items() if v is not None})


def pain_observation(entry: DiaryEntry, patient: PatientDetails | None = None) -> Observation:
    """A diary entry as a FHIR Observation: the 0-10 pain score, upper back, with the notes."""
    where, helped = fhir_string(entry.where), fhir_string(entry.helped)
    symptoms = ", ".join(s for s in (fhir_string(s) for s in entry.symptoms) if s)
    notes = [
        text
        for text in (
            fhir_string(entry.note),
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
        value = {"valueString": fhir_string(pain) or "\ufffd"}
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
        "effectiveDateTime": utc_time(entry.created_at),
        **value,
        "bodySite": {
            "coding": [
                {"system": SNOMED, "code": BACK_OF_TRUNK_CODE, "display": BACK_OF_TRUNK_DISPLAY}
            ],
            "text": BODY_SITE_TEXT,
        },
    }
    if (subject := _subject(patient)) is not None:
        data["subject"] = subject
    if notes:
        data["note"] = [{"text": text} for text in notes]
    return Observation.model_validate(data)


def medication_statement(kb: KnowledgeBase, dose: MedicineDose,
                         patient: PatientDetails | None = None) -> MedicationStatement:
    """A logged dose as a FHIR MedicationStatement: the medicine (RxNorm ingredient code from
    the knowledge base), when, and how many mg, about the Patient when there is one."""
    method = kb.relief.get(dose.medicine)
    concept: dict[str, Any] = {"text": fhir_string(method.name if method else dose.medicine)
                               or "\ufffd"}
    if method is not None and method.rxnorm:
        concept["coding"] = [{"system": RXNORM, "code": method.rxnorm,
                              "display": fhir_string(method.id)}]
    return MedicationStatement.model_validate({
        "resourceType": "MedicationStatement",
        "id": f"dose-{dose.id}",
        "status": "completed",
        "medicationCodeableConcept": concept,
        "subject": _required_subject(patient),
        "effectiveDateTime": utc_time(dose.taken_at),
        "dosage": [{"doseAndRate": [{"doseQuantity": {
            "value": dose.dose_mg, "unit": "mg", "system": UCUM, "code": "mg"}}]}],
    })


def _timer_status(timer: TimerSession) -> str:
    if timer.completed is True:
        return "completed"
    ran = isinstance(timer.seconds, int) and timer.seconds > 0
    return "stopped" if ran else "not-done"  # stopped early, or never ran


def timer_procedure(timer: TimerSession, patient: PatientDetails | None = None) -> Procedure:
    """An ice or heat session as a FHIR Procedure: "Cold pack" or "Heat pack", when it ran
    (start, and start plus the seconds it ran), and whether it ran its planned time."""
    period: dict[str, Any] = {"start": utc_time(timer.started_at)}
    seconds = timer.seconds
    if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds >= 0:
        with contextlib.suppress(OverflowError):  # a row no version writes: the start alone
            period["end"] = utc_time(timer.started_at + timedelta(seconds=seconds))
        ran = f"ran {seconds // 60} min {seconds % 60} s"
    else:
        ran = f"ran {fhir_string(seconds) or '?'} s"
    kind = fhir_string(timer.kind)
    data: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": f"timer-{timer.id}",
        "status": _timer_status(timer),
        "code": {"text": TIMER_TEXT.get(kind, kind or "\ufffd")},
        "subject": _required_subject(patient),
        "performedPeriod": period,
        "note": [{"text": f"Timed with the upperback timer: planned "
                          f"{fhir_string(timer.planned_minutes) or '?'} min, {ran}."}],
    }
    return Procedure.model_validate(data)


def _resources(
    store: Store, kb: KnowledgeBase, patient: PatientDetails | None
) -> Iterator[tuple[str, Resource]]:
    """Each resource with its fullUrl, a record at a time."""
    if patient is not None:
        yield patient.full_url, patient_resource(patient)
    for check in store.each_check():
        yield (record_url("check", check.id, check.created_at),
               questionnaire_response(kb, check, patient))
        yield (record_url("assessment", check.id, check.created_at),
               risk_assessment(kb, check, patient))
    rest: Iterable[tuple[str, Resource]] = itertools.chain(
        ((record_url("diary", e.id, e.created_at), pain_observation(e, patient))
         for e in store.each_entry()),
        ((record_url("dose", d.id, d.taken_at), medication_statement(kb, d, patient))
         for d in store.each_dose()),
        ((record_url("timer", t.id, t.started_at), timer_procedure(t, patient))
         for t in store.each_timer()),
    )
    yield from rest


def _bundle_entries(store: Store, kb: KnowledgeBase, patient: PatientDetails | None = None
                    ) -> Iterator[BundleEntry]:
    for full_url, resource in _resources(store, kb, patient):
        yield BundleEntry.model_validate({"fullUrl": full_url, "resource": resource})


def _bundle_head() -> Bundle:
    return Bundle.model_validate(
        {"resourceType": "Bundle", "type": "collection", "timestamp": utc_time(datetime.now(UTC))}
    )


def fhir_bundle(store: Store, kb: KnowledgeBase, patient: PatientDetails | None = None
                ) -> Bundle:
    """Everything the clinic can use, as a FHIR R4B Bundle (type collection), in memory."""
    bundle = _bundle_head()
    bundle.entry = list(_bundle_entries(store, kb, patient))
    return bundle


def write_fhir(store: Store, kb: KnowledgeBase, out: TextIO,
               patient: PatientDetails | None = None) -> None:
    """The FHIR R4B Bundle as JSON, written to `out` an entry at a time (each entry checked
    by fhir.resources as it is made): memory stays the same however big the diary."""
    write_json_head(out, json.loads(_bundle_head().model_dump_json()))
    out.write('  "entry": [')
    separator = "\n"
    for entry in _bundle_entries(store, kb, patient):
        text = json_text(unicode_text(entry.model_dump_json(indent=2)))
        out.write(separator + "    " + text.replace("\n", "\n    "))
        separator = ",\n"
    out.write("\n  ]\n}\n" if separator == ",\n" else "]\n}\n")


def export_fhir(store: Store, kb: KnowledgeBase, patient: PatientDetails | None = None) -> str:
    """`write_fhir` as text."""
    buffer = io.StringIO()
    write_fhir(store, kb, buffer, patient)
    return buffer.getvalue()
