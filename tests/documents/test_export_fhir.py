"""The FHIR R4B export: a collection Bundle that fhir.resources parses again, with a Patient
only when one is given, a RiskAssessment per check, and stable ids."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.riskassessment import RiskAssessment

from upperback import KnowledgeBase
from upperback.documents.export import PatientDetails, export_fhir, patient_details
from upperback.errors import InputError
from upperback.store import Store

from .filled_diary import AWKWARD, T0, fill

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ME = PatientDetails("Ada Lovelace", date(1980, 4, 30))


@pytest.fixture
def filled(store: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]) -> Store:
    return fill(store, desk_check)


def _bundle(store: Store, kb: KnowledgeBase, patient: PatientDetails | None = None) -> Bundle:
    return Bundle.model_validate_json(export_fhir(store, kb, patient))


def _resources(store: Store, kb: KnowledgeBase, patient: PatientDetails | None = None
               ) -> list[Any]:
    return [entry.resource for entry in _bundle(store, kb, patient).entry or []]


def _of(resources: list[Any], kind: type) -> list[Any]:
    return [r for r in resources if type(r) is kind]


def test_the_fhir_export_is_a_collection_bundle_that_parses_again(
    filled: Store, kb: KnowledgeBase
) -> None:
    bundle = _bundle(filled, kb)
    assert bundle.type == "collection"
    entries = bundle.entry or []
    kinds = [type(entry.resource) for entry in entries]
    assert kinds == [QuestionnaireResponse, RiskAssessment, Observation, Observation,
                     MedicationStatement, Procedure, Procedure]
    assert all(str(entry.fullUrl).startswith("urn:uuid:") for entry in entries)


def test_without_a_name_or_birth_date_there_is_no_patient_and_no_made_up_person(
    filled: Store, kb: KnowledgeBase
) -> None:
    resources = _resources(filled, kb)
    assert not _of(resources, Patient)
    for resource in _of(resources, QuestionnaireResponse) + _of(resources, Observation):
        assert resource.subject is None
    required = (_of(resources, RiskAssessment) + _of(resources, MedicationStatement)
                + _of(resources, Procedure))
    for resource in required:  # FHIR needs a subject here: a description, pointing nowhere
        assert resource.subject.reference is None
        assert resource.subject.display == "The person who kept this upperback diary"


def test_a_patient_given_is_first_and_every_other_resource_points_at_it(
    filled: Store, kb: KnowledgeBase
) -> None:
    bundle = _bundle(filled, kb, ME)
    first, *rest = bundle.entry or []
    patient = first.resource
    assert isinstance(patient, Patient)
    assert patient.name[0].text == "Ada Lovelace"
    assert patient.birthDate == date(1980, 4, 30)
    assert len(rest) == 7
    for entry in rest:
        assert entry.resource.subject.reference == first.fullUrl, type(entry.resource)


def test_a_birth_date_alone_makes_a_patient_without_a_name(
    filled: Store, kb: KnowledgeBase
) -> None:
    patient = _resources(filled, kb, PatientDetails(born=date(1990, 1, 2)))[0]
    assert isinstance(patient, Patient)
    assert patient.name is None and patient.birthDate == date(1990, 1, 2)


def test_each_check_has_a_risk_assessment_with_the_saved_shares_and_icd10_codes(
    filled: Store, kb: KnowledgeBase
) -> None:
    bundle = _bundle(filled, kb)
    entries = bundle.entry or []
    response, assessment = entries[0], entries[1].resource
    saved = filled.checks()[0].assessment()
    assert saved is not None
    likely = saved.likely()
    assert likely  # the desk worker has likely causes
    assert assessment.status == "final"
    assert assessment.occurrenceDateTime == T0
    assert [b.reference for b in assessment.basis] == [response.fullUrl]
    got = [(p.outcome.coding[0].system, p.outcome.coding[0].code, p.outcome.text,
            float(p.probabilityDecimal)) for p in assessment.prediction]
    want = [(ICD10CM, kb.causes[c.id].icd10, c.name, c.probability) for c in likely]
    assert got == want
    assert all(code for _, code, _, _ in got)
    assert assessment.note[0].text == f"Triage level: {saved.triage} ({saved.triage_label})"
    assert assessment.mitigation == saved.action


def test_a_check_saved_in_an_older_shape_keeps_its_level_without_predictions(
    store: Store, kb: KnowledgeBase
) -> None:
    store.save_check({"age": 40}, {"triage": "soon"}, created_at=T0)
    assessment = _of(_resources(store, kb), RiskAssessment)[0]
    assert assessment.prediction is None
    assert assessment.note[0].text == "Triage level: soon"


def test_each_timer_session_is_a_procedure_with_its_period_and_status(
    filled: Store, kb: KnowledgeBase
) -> None:
    heat, ice = _of(_resources(filled, kb), Procedure)
    assert (heat.code.text, heat.status) == ("Heat pack", "completed")
    assert heat.performedPeriod.start == T0 + timedelta(hours=2)
    assert heat.performedPeriod.end == T0 + timedelta(hours=2, seconds=1200)
    assert (ice.code.text, ice.status) == ("Cold pack", "stopped")
    assert ice.performedPeriod.end == T0 + timedelta(hours=3, seconds=420)
    assert "planned 15 min, ran 7 min 0 s" in ice.note[0].text
    assert heat.code.coding is None  # no SNOMED code we could be sure of


def test_a_timer_session_that_never_ran_is_not_done(store: Store, kb: KnowledgeBase) -> None:
    store.log_timer("ice", 10, 0, False, started_at=T0)
    (procedure,) = _of(_resources(store, kb), Procedure)
    assert procedure.status == "not-done"


def test_exporting_twice_gives_the_same_ids(filled: Store, kb: KnowledgeBase) -> None:
    def ids() -> list[str]:
        return [str(e.fullUrl) for e in _bundle(filled, kb, ME).entry or []]

    first = ids()
    assert first == ids()
    assert len(set(first)) == len(first)
    without_patient = [str(e.fullUrl) for e in _bundle(filled, kb).entry or []]
    assert without_patient == first[1:]  # a record's id does not depend on the Patient


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
    observations = _of(_resources(filled, kb), Observation)
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
    statements = _of(_resources(store, kb), MedicationStatement)
    codes = [(s.medicationCodeableConcept.coding[0].code, s.dosage[0].doseAndRate[0]
              .doseQuantity.value) for s in statements]
    assert codes == [("5640", 400), ("161", 1000)]
    assert all(s.status == "completed" and s.subject.display for s in statements)


def test_the_streamed_bundle_is_the_bundle_in_memory(filled: Store, kb: KnowledgeBase) -> None:
    from upperback.documents.export import fhir_bundle

    streamed = json.loads(export_fhir(filled, kb, ME))
    whole = json.loads(fhir_bundle(filled, kb, ME).model_dump_json())
    for document in (streamed, whole):
        document.pop("timestamp")
    assert streamed == whole


# -- the Patient's details, as typed -------------------------------------------------------------


def test_no_name_and_no_birth_date_give_no_patient() -> None:
    assert patient_details(None, None) is None
    assert patient_details("  ", "") is None


def test_a_name_and_birth_date_are_taken_as_given() -> None:
    assert patient_details(" Ada  Lovelace ", "1980-04-30") == ME


@pytest.mark.parametrize("born", ["30/04/1980", "1980-13-01", "19800430", "yesterday",
                                  "1899-12-31", "2999-01-01"])
def test_a_birth_date_that_is_not_a_date_from_1900_to_today_is_refused_by_name(
    born: str
) -> None:
    with pytest.raises(InputError) as refused:
        patient_details(None, born, born_field="--born", today=date(2026, 12, 1))
    assert refused.value.field == "--born"
    assert str(refused.value).startswith("--born ")
    assert "YYYY-MM-DD" in str(refused.value)


def test_a_name_too_long_is_refused_by_name() -> None:
    with pytest.raises(InputError) as refused:
        patient_details("a" * 201, None, name_field="--name")
    assert refused.value.field == "--name"
