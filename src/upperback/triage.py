"""Triage: the higher of the red-flag floor and the urgency of serious causes that stay likely."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .bayes import CauseModel, Scores
from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase
from .levels import Level, highest, rank


@dataclass(frozen=True)
class TriageReason:
    """Why triage is at least `level`: a red-flag rule that fired, or a likely serious cause."""

    kind: str  # "red_flag" or "cause"
    id: str
    level: Level
    message: str
    findings: tuple[str, ...]
    sources: tuple[str, ...]


def red_flag_reasons(
    kb: KnowledgeBase, answers: Mapping[str, AnswerValue]
) -> list[TriageReason]:
    """Every red-flag rule that fires on these answers, most urgent first."""
    fired = [
        TriageReason(
            "red_flag",
            rule.id,
            rule.level,
            rule.message,
            tuple(rule.when.met(answers)),
            rule.sources,
        )
        for rule in kb.red_flags
        if rule.when.holds(answers)
    ]
    return sorted(fired, key=lambda r: -rank(r.level))


def cause_reasons(
    kb: KnowledgeBase,
    model: CauseModel,
    scores: Scores,
    answers: Mapping[str, AnswerValue],
) -> list[TriageReason]:
    """Serious causes whose own probability reached their triage threshold."""
    out = []
    for cause_id, p in zip(scores.cause_ids, scores.against_ordinary, strict=True):
        cause = kb.causes[cause_id]
        if rank(cause.urgency) == 0 or p < cause.triage_threshold:
            continue
        raised = [e.finding for e in model.evidence(cause_id, answers) if e.raises][:5]
        message = kb.guide.cause_reason.format(
            cause=cause.name, level=kb.guide.levels[cause.urgency].label.lower()
        )
        out.append(
            TriageReason("cause", cause_id, cause.urgency, message, tuple(raised), cause.sources)
        )
    return sorted(out, key=lambda r: -rank(r.level))


def decide(reasons: list[TriageReason]) -> Level:
    """The triage level: the highest level any reason sets (self-care when none do)."""
    return highest([r.level for r in reasons])
