"""`assess(answers)`: likely causes with why, triage with why, and a safe relief plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from .answers import check_answers
from .bayes import CauseModel, Evidence
from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase, load_knowledge
from .levels import Level
from .relief_plan import PlannedRelief, WithheldRelief, make_plan
from .triage import TriageReason, cause_reasons, decide, red_flag_reasons

# How many answers to show for and against each cause.
EVIDENCE_SHOWN = 4
# Ratios closer to 1 than this are too weak to be worth showing as a reason.
WEAK_RATIO = 1.25


@dataclass(frozen=True)
class RankedCause:
    """A cause with its share of the probability and its probability against ordinary pain."""

    id: str
    probability: float
    against_ordinary: float


@dataclass(frozen=True)
class Assessment:
    """The guide's answer for one person. `to_dict()` gives the JSON form."""

    kb: KnowledgeBase
    answers: Mapping[str, AnswerValue]
    triage: Level
    triage_reasons: tuple[TriageReason, ...]
    causes: tuple[RankedCause, ...]
    relief: tuple[PlannedRelief, ...]
    avoid: tuple[WithheldRelief, ...]

    @property
    def is_emergency(self) -> bool:
        return self.triage == "emergency"

    def likely_causes(self) -> list[RankedCause]:
        """The causes worth naming: the top one, and any over the guide's likely threshold."""
        threshold = self.kb.guide.likely_threshold
        return [c for i, c in enumerate(self.causes) if i == 0 or c.probability >= threshold]

    def evidence(self, cause_id: str) -> list[Evidence]:
        """The answers that most raised and most lowered one cause (computed on demand)."""
        return self._evidence[cause_id]

    @cached_property
    def _evidence(self) -> dict[str, list[Evidence]]:
        return model_for(self.kb).strongest_evidence(self.answers, EVIDENCE_SHOWN, WEAK_RATIO)

    def to_dict(self) -> dict[str, Any]:
        """The assessment as plain JSON-ready data."""
        from .serialize import assessment_to_dict

        return assessment_to_dict(self)


@cache
def _model(kb: KnowledgeBase) -> CauseModel:
    return CauseModel(kb)


def model_for(kb: KnowledgeBase) -> CauseModel:
    """The cause model for a knowledge base (built once and kept)."""
    return _model(kb)


def assess(
    answers: Mapping[str, object], knowledge: KnowledgeBase | None = None
) -> Assessment:
    """Assess a person's answers (finding id -> bool, int, enum string, or None)."""
    kb = knowledge or load_knowledge()
    checked = check_answers(kb, answers)
    return assess_checked(kb, checked)


def assess_checked(kb: KnowledgeBase, answers: Mapping[str, AnswerValue]) -> Assessment:
    """Assess answers that have already been validated."""
    model = model_for(kb)
    scores = model.scores(answers)
    shares = scores.shares
    order = sorted(range(len(shares)), key=lambda i: -shares[i])
    against = scores.against_ordinary
    causes = tuple(RankedCause(scores.cause_ids[i], shares[i], against[i]) for i in order)
    reasons = red_flag_reasons(kb, answers) + cause_reasons(kb, model, scores, answers)
    level = decide(reasons)
    if not reasons:
        reasons = [
            TriageReason(
                "none", "no_warning_signs", level, kb.guide.no_warning_signs, (),
                kb.guide.follow_up.sources,
            )
        ]
    threshold = kb.guide.likely_threshold
    likely = [c.id for i, c in enumerate(causes) if i == 0 or c.probability >= threshold]
    relief, avoid = make_plan(kb, answers, likely, level)
    return Assessment(kb, dict(answers), level, tuple(reasons), causes, tuple(relief), tuple(avoid))
