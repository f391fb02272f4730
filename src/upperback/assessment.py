"""`assess(answers)`: likely causes with why, triage with why, and a safe relief plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from .answers import check_answers
from .bayes import WEAK_RATIO, CauseModel, Evidence
from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase, load_knowledge
from .levels import Level, rank
from .relief_plan import PlannedRelief, WithheldRelief, make_plan
from .triage import (
    OpenWarningSign,
    TriageReason,
    decide,
    not_ruled_out_reason,
    open_warning_signs,
    red_flag_reasons,
    risk_reason,
)

# How many answers to show for and against each cause.
EVIDENCE_SHOWN = 4
# How many causes a deciding warning-sign rule may move to the front of the list, and the
# least share they need for it (a cause the answers all but rule out is listed, not put first).
PROMOTED = 2
PROMOTED_MIN_SHARE = 0.002


@dataclass(frozen=True)
class RankedCause:
    """A cause with its share of the probability, and the warning-sign rules that guard it."""

    id: str
    probability: float
    flagged_by: tuple[str, ...] = ()


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
    not_ruled_out: tuple[OpenWarningSign, ...] = ()

    @property
    def is_emergency(self) -> bool:
        return self.triage == "emergency"

    def likely_causes(self) -> list[RankedCause]:
        """The causes worth naming: the top one, any over the guide's likely threshold, and
        any that a warning-sign rule guards against (even when unlikely, so the person sees
        why the level is what it is)."""
        return _likely(self.kb, self.causes, with_flagged=True)

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
    """Assess answers that have already been validated.

    One posterior (the cause shares) ranks the causes and sets the risk part of the level;
    the level then chooses the plan and the follow-up, so none of them can disagree.
    """
    model = model_for(kb)
    scores = model.scores(answers)
    shares = scores.shares
    reasons = red_flag_reasons(kb, answers)
    risk = risk_reason(kb, model, scores, answers)
    if risk is not None:
        reasons.append(risk)
    open_signs = open_warning_signs(kb, answers)
    if open_signs:
        reasons.append(not_ruled_out_reason(kb, open_signs))
    level = decide(reasons)
    if not reasons:
        reasons = [
            TriageReason(
                "none", "no_warning_signs", level, kb.guide.no_warning_signs, (),
                kb.guide.follow_up.sources,
            )
        ]
    guarded: dict[str, list[str]] = {}
    for reason in reasons:
        if reason.kind == "red_flag":
            for cause_id in reason.causes:
                guarded.setdefault(cause_id, []).append(reason.id)
    order = sorted(range(len(shares)), key=lambda i: -shares[i])
    order = _serious_first(kb, scores.cause_ids, shares, order, reasons, level)
    causes = tuple(
        RankedCause(
            scores.cause_ids[i], shares[i], tuple(guarded.get(scores.cause_ids[i], ()))
        )
        for i in order
    )
    likely = [c.id for c in _likely(kb, causes)]
    shown = [c.id for c in _likely(kb, causes, with_flagged=True)]
    relief, avoid = make_plan(kb, answers, likely, level, shown=shown)
    return Assessment(
        kb,
        dict(answers),
        level,
        tuple(reasons),
        causes,
        tuple(relief),
        tuple(avoid),
        tuple(open_signs),
    )


def _serious_first(
    kb: KnowledgeBase,
    cause_ids: tuple[str, ...],
    shares: tuple[float, ...],
    order: list[int],
    reasons: list[TriageReason],
    level: Level,
) -> list[int]:
    """When a warning-sign rule sets an urgent or emergency level, the causes it guards
    against come first (up to PROMOTED, most likely first), then the most likely cause and
    the rest: the person reads what the advice is about, and still sees what is common."""
    if rank(level) < rank("urgent"):
        return order
    deciding = {
        c for r in reasons if r.kind == "red_flag" and r.level == level for c in r.causes
    }
    promoted = [
        i for i in order if cause_ids[i] in deciding and shares[i] >= PROMOTED_MIN_SHARE
    ][:PROMOTED]
    return promoted + [i for i in order if i not in promoted]


def _likely(
    kb: KnowledgeBase, causes: tuple[RankedCause, ...], with_flagged: bool = False
) -> list[RankedCause]:
    """The top cause and any over the likely threshold (and, with_flagged, any that a
    warning-sign rule guards against)."""
    threshold = kb.guide.likely_threshold
    return [
        c
        for i, c in enumerate(causes)
        if i == 0 or c.probability >= threshold or (with_flagged and c.flagged_by)
    ]
