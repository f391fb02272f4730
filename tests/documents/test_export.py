"""Export: CSV that a spreadsheet reads, JSON that round-trips, FHIR R4 that re-parses."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from upperback import KnowledgeBase
from upperback.documents.export import entry_dict, export_csv, export_fhir, export_json, timer_dict
from upperback.store import Store

T0 = datetime(2025, 2, 3, 7, 15, tzinfo=UTC)
AWKWARD = 'Said "ouch", then; a comma,\nnew line and ünïcode — fine'


@pytest.fixture
def filled(store: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]) -> Store:
    answers, result = desk_check
    store.save_check(answers | {"sex": "female", "fever": None}, result, created_at=T0)
    store.add_entry(
        6,
        where="between the shoulder blades",
        helped="heat",
        note=AWKWARD,
        symptoms=["stiff", "tired"],
        created_at=T0 + timedelta(hours=1),
    )
    store.add_entry(4, created_at=T0 + timedelta(days=1))
    store.log_timer("heat", 20, 1200, True, started_at=T0 + timedelta(hours=2))
    return store


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_csv_parses_back_with_one_row_per_record(filled: Store, kb: KnowledgeBase) -> None:
    rows = _rows(export_csv(filled, kb))
    assert [row["record"] for row in rows] == ["diary", "diary", "timer", "check"]
    first = rows[0]
    assert (first["pain"], first["where"], first["helped"]) == (
        "6",
        "between the shoulder blades",
        "heat",
    )
    assert first["note"] == AWKWARD
    assert first["symptoms"] == "stiff; tired"
    assert datetime.fromisoformat(first["time"]) == T0 + timedelta(hours=1)
    timer = rows[2]
    assert (
        timer["timer_kind"],
        timer["planned_minutes"],
        timer["seconds"],
        timer["completed"],
    ) == (
        "heat",
        "20",
        "1200",
        "yes",
    )
    check = rows[3]
    assert check["triage"] == "Self-care at home"
    assert "Poor posture" in check["likely_causes"]
    assert "Age: 30 years" in check["answers"]
    assert "Fever, or hot and shivery: don't know" in check["answers"]


def test_an_empty_diary_exports_a_csv_with_only_the_header(store: Store, kb: KnowledgeBase) -> None:
    text = export_csv(store, kb)
    assert _rows(text) == []
    assert text.splitlines()[0].startswith("record,id,time,pain")


def test_the_json_export_holds_everything_as_saved(filled: Store, kb: KnowledgeBase) -> None:
    document = json.loads(export_json(filled, kb))
    assert document["format"] == "upperback-export"
    assert document["diary"] == [entry_dict(entry) for entry in filled.entries()]
    assert document["timers"] == [timer_dict(timer) for timer in filled.timers()]
    (check,) = document["checks"]
    saved = filled.checks()[0]
    assert check["answers"] == saved.answers
    assert check["result"] == saved.result
    assert document["diary"][0]["note"] == AWKWARD
    assert document["disclaimer"] == kb.guide.disclaimer


def test_the_json_export_carries_the_trend_when_pain_gets_worse(
    store: Store, kb: KnowledgeBase
) -> None:
    rise = kb.guide.trend.worse_by_points
    for day, pain in enumerate([2, 2, 2, 2 + rise, 2 + rise, 2 + rise]):
        store.add_entry(pain, created_at=T0 + timedelta(days=2 * day))
    trend = json.loads(export_json(store, kb))["trend"]
    assert trend["kind"] == "worse"
    assert trend["message"] == kb.guide.trend.message_worse


def _bundle(store: Store, kb: KnowledgeBase) -> Bundle:
    return Bundle.model_validate_json(export_fhir(store, kb))


def _resources(store: Store, kb: KnowledgeBase) -> list[Any]:
    return [entry.resource for entry in _bundle(store, kb).entry or []]


def test_the_fhir_export_is_a_collection_bundle_that_parses_again(
    filled: Store, kb: KnowledgeBase
) -> None:
    bundle = _bundle(filled, kb)
    assert bundle.type == "collection"
    entries = bundle.entry or []
    kinds = [type(entry.resource) for entry in entries]
    assert kinds == [QuestionnaireResponse, Observation, Observation]
    assert all(str(entry.fullUrl).startswith("urn:uuid:") for entry in entries)


def test_the_questionnaire_response_holds_each_answer_typed(
    filled: Store, kb: KnowledgeBase
) -> None:
    response = _resources(filled, kb)[0]
    assert response.status == "completed"
    assert response.authored == T0
    items = {item.linkId: item for item in response.item}
    assert set(items) == set(filled.checks()[0].answers)
    assert items["age"].text == kb.findings["age"].question
    assert items["age"].answer[0].valueInteger == 30
    assert items["hunched_posture"].answer[0].valueBoolean is True
    assert items["sex"].answer[0].valueString == "female"
    assert items["fever"].answer is None  # "don't know": asked, not answered


def test_each_diary_entry_is_a_loinc_pain_score_observation(
    filled: Store, kb: KnowledgeBase
) -> None:
    observations = _resources(filled, kb)[1:]
    assert [o.valueInteger for o in observations] == [6, 4]
    first = observations[0]
    assert first.status == "final"
    (coding,) = first.code.coding
    assert (coding.system, coding.code) == ("http://loinc.org", "72514-3")
    assert coding.display == "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
    (category,) = first.category[0].coding
    assert category.system == "http://terminology.hl7.org/CodeSystem/observation-category"
    assert category.code == "survey"
    (site,) = first.bodySite.coding
    assert (site.system, site.code) == ("http://snomed.info/sct", "77568009")
    assert first.bodySite.text == "Upper back"
    assert first.effectiveDateTime == T0 + timedelta(hours=1)
    notes = [note.text for note in first.note]
    assert AWKWARD in notes
    assert "Where: between the shoulder blades" in notes
    assert observations[1].note is None


def test_an_empty_diary_exports_an_empty_valid_bundle(store: Store, kb: KnowledgeBase) -> None:
    bundle = _bundle(store, kb)
    assert bundle.type == "collection"
    assert not bundle.entry


def test_each_dose_is_a_medication_statement_with_its_rxnorm_code_and_mg(
    store: Store, kb: KnowledgeBase
) -> None:
    store.log_dose("ibuprofen", 400, taken_at=T0)
    store.log_dose("acetaminophen", 1000, taken_at=T0 + timedelta(hours=1))
    statements = [e.resource for e in _bundle(store, kb).entry or []
                  if e.resource.get_resource_type() == "MedicationStatement"]
    codes = [(s.medicationCodeableConcept.coding[0].code, s.dosage[0].doseAndRate[0]
              .doseQuantity.value) for s in statements]
    assert codes == [("5640", 400), ("161", 1000)]
    assert all(s.status == "completed" and s.subject.display for s in statements)
    data = json.loads(export_json(store, kb))
    assert [d["dose_mg"] for d in data["medicines"]] == [400, 1000]
