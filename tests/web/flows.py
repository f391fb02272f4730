"""Helpers that answer the check like a person would, shared by the web tests."""

from __future__ import annotations

import re

from upperback import KnowledgeBase, Question
from upperback.conditions import AnswerValue

# A desk worker with a sore upper back and no warning signs.
SELF_CARE_YES = frozenset(
    {"hunched_posture", "pain_between_shoulder_blades", "pain_dull_ache_tight",
     "pain_worse_after_sitting"}
)
SELF_CARE_NUMBERS = {"age": 34, "duration_days": 10, "desk_hours_per_day": 9, "pain_severity": 4}
EMERGENCY_FINDING = "chest_pain_pressure"


def csrf_token(html: str) -> str:
    """The CSRF token in a page's first form."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def self_care_answer(kb: KnowledgeBase, finding_id: str) -> AnswerValue:
    """What the desk worker answers to one finding."""
    finding = kb.findings[finding_id]
    if finding.type == "bool":
        return finding_id in SELF_CARE_YES
    if finding.type == "int":
        assert finding.min is not None and finding.max is not None
        return min(finding.max, max(finding.min, SELF_CARE_NUMBERS.get(finding_id, finding.min)))
    assert finding.values
    return finding.values[0]


def self_care_answers(kb: KnowledgeBase, question: Question) -> dict[str, AnswerValue]:
    """The desk worker's answers to one question."""
    return {f: self_care_answer(kb, f) for f in question.findings}


def form_fields(
    kb: KnowledgeBase, question: Question, answers: dict[str, AnswerValue]
) -> dict[str, str]:
    """A question's answers as the HTML form posts them (unticked boxes are left out)."""
    fields: dict[str, str] = {"question_id": question.id}
    if question.kind == "checklist" and not any(v is True for v in answers.values()):
        fields["checklist_rest"] = "none"  # "None of these" must be ticked explicitly
    for finding_id, value in answers.items():
        if question.kind == "checklist":
            if value is True:
                fields[finding_id] = "yes"
        elif value is None:
            fields[finding_id] = "" if kb.findings[finding_id].type == "int" else "unknown"
        elif isinstance(value, bool):
            fields[finding_id] = "yes" if value else "no"
        else:
            fields[finding_id] = str(value)
    return fields


def question_by_id(kb: KnowledgeBase, question_id: str) -> Question:
    """A question of the knowledge base by its id."""
    return next(q for q in kb.questions if q.id == question_id)


def current_question(kb: KnowledgeBase, url: str) -> Question | None:
    """The question a /check/q/<id> URL shows, or None for any other page."""
    found = re.search(r"/check/q/([a-z0-9_]+)$", url)
    return question_by_id(kb, found.group(1)) if found else None
