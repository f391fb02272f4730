"""Symptoms logged in the diary: when one raises the level, a new result says so.

The terminal's `log --symptom`, the web diary form and `POST /api/v1/diary/entries` all call
`escalation()`, so the same symptom gives the same level everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .answers import AnswerError, check_answers
from .assessment import Assessment, assess_checked
from .knowledge_base import KnowledgeBase
from .levels import LEVELS, Level, rank
from .result import EscalationResult


def symptom_findings(kb: KnowledgeBase, symptoms: Sequence[str]) -> list[str]:
    """Symptoms as yes/no finding ids ("Chest pain pressure" -> chest_pain_pressure), once
    each; an unknown one raises AnswerError naming it, with the closest id."""
    checked = []
    for raw in symptoms:
        symptom = raw.strip().lower().replace("-", "_").replace(" ", "_")
        finding = kb.findings.get(symptom)
        if finding is None:
            hint = kb.suggest_finding(symptom)
            also = f" Did you mean {hint!r}?" if hint else ""
            raise AnswerError("symptoms", f"unknown symptom {raw!r}.{also}", "yes/no finding ids")
        if finding.type != "bool":
            raise AnswerError("symptoms", f"{symptom!r} is not a yes/no symptom",
                              "yes/no finding ids")
        checked.append(symptom)
    return list(dict.fromkeys(checked))


@dataclass(frozen=True)
class Escalation:
    """A raised level after new symptoms: the new result, and the level it rose from."""

    assessment: Assessment
    previous: Level

    def result(self) -> EscalationResult:
        """The new level, its headline and why (the API's `escalation` object)."""
        full = self.assessment.result(explain=False)
        return EscalationResult(
            triage=full.triage,
            triage_label=full.triage_label,
            headline=full.headline,
            action=full.action,
            emergency_steps=full.emergency_steps,
            triage_reasons=full.triage_reasons,
            previous_triage=self.previous,
        )

    def to_dict(self) -> dict[str, Any]:
        """`result()` as plain JSON-ready data."""
        return self.result().model_dump(mode="json")


def escalation(
    kb: KnowledgeBase,
    symptoms: Sequence[str],
    previous_answers: Mapping[str, object] | None = None,
    previous_triage: str | None = None,
) -> Escalation | None:
    """The new result when the symptoms raise the level above the last check's, else None.

    The symptoms are added, as "yes", to the last check's answers. Only a rise that the
    symptoms cause counts: answers the last check left open do not raise it here.
    """
    findings = symptom_findings(kb, symptoms)
    if not findings:
        return None
    base = check_answers(
        kb, {k: v for k, v in (previous_answers or {}).items() if k in kb.findings}
    )
    before = assess_checked(kb, base).triage
    if previous_triage in LEVELS:
        before = max(before, previous_triage, key=LEVELS.index)
    after = assess_checked(kb, base | dict.fromkeys(findings, True))
    if rank(after.triage) > rank(before):
        return Escalation(after, before)
    return None
