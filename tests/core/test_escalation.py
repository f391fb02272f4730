"""A symptom logged in the diary re-runs the triage in the core (one rule for every layer)."""

from __future__ import annotations

from typing import Any

import pytest

import upperback
from upperback.answers import AnswerError
from upperback.escalation import escalation, symptom_findings
from upperback.knowledge_base import KnowledgeBase


def test_a_chest_pain_symptom_after_a_self_care_check_is_an_emergency(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    raised = escalation(kb, ["chest_pain_pressure"], desk_worker, "self_care")
    assert raised is not None
    shown = raised.to_dict()
    assert shown["triage"] == "emergency" and shown["previous_triage"] == "self_care"
    assert "chest_pain" in [r["id"] for r in shown["triage_reasons"]]
    assert shown["emergency_steps"]


def test_a_symptom_that_changes_nothing_gives_no_escalation(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    assert escalation(kb, ["pain_dull_ache_tight"], desk_worker, "self_care") is None


def test_without_a_check_only_a_rise_the_symptom_causes_counts(kb: KnowledgeBase) -> None:
    # No check yet: unanswered warning signs already keep the level at "soon", so a
    # symptom that sets "soon" is no rise, while a fever (same day) is.
    assert escalation(kb, ["arm_numbness_tingling"]) is None
    raised = escalation(kb, ["fever"])
    assert raised is not None and raised.to_dict()["triage"] == "urgent"


def test_the_escalation_is_the_same_level_as_a_new_assessment(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    raised = escalation(kb, ["fever"], desk_worker, "self_care")
    assert raised is not None
    assert raised.assessment.triage == upperback.assess(desk_worker | {"fever": True}).triage


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["fevr"], "Did you mean 'fever'?"),
        (["age"], "is not a yes/no symptom"),
    ],
)
def test_an_unknown_symptom_is_refused_naming_it(
    kb: KnowledgeBase, given: list[str], message: str
) -> None:
    with pytest.raises(AnswerError, match=message) as caught:
        symptom_findings(kb, given)
    assert caught.value.finding == "symptoms"


def test_symptoms_are_normalised_and_kept_once(kb: KnowledgeBase) -> None:
    assert symptom_findings(kb, ["Chest pain pressure", "chest-pain-pressure"]) == [
        "chest_pain_pressure"
    ]


def test_no_symptoms_give_no_escalation_whatever_the_last_check_said(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    serious = desk_worker | {"chest_pain_pressure": True}
    assert escalation(kb, [], serious, "self_care") is None
    assert escalation(kb, []) is None
