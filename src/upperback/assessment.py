"""`assess(answers)`: likely causes with why, triage with why, and a safe relief plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from .answers import check_answers
from .bayes import WEAK_RATIO, CauseModel, Evidence
from .conditions import AnswerValue
from .explain import build_result
from .knowledge_base import KnowledgeBase, load_knowledge
from .levels import Level
from .ranking import RankedCause, likely, rank_causes
from .relief_plan import PlannedRelief, WithheldRelief, make_plan
from .result import AssessmentResult
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


@dataclass(frozen=True)
class Assessment:
    """The guide's answer for one person. `result()` gives the typed result, `to_dict()` its
    JSON form."""

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
        """True when the answers call for help now."""
        return self.triage == "emergency"

    def likely_causes(self) -> list[RankedCause]:
        """The causes worth naming: the top one, any over the guide's likely threshold, and
        any that a warning-sign rule guards against (even when unlikely, so the person sees
        why the level is what it is)."""
        return likely(self.kb, self.causes, with_flagged=True)

    def evidence(self, cause_id: str) -> list[Evidence]:
        """The answers that most raised and most lowered one cause (computed on demand)."""
        return self._evidence[cause_id]

    @cached_property
    def _evidence(self) -> dict[str, list[Evidence]]:
        return model_for(self.kb).strongest_evidence(self.answers, EVIDENCE_SHOWN, WEAK_RATIO)

    def result(self, explain: bool = True) -> AssessmentResult:
        """The typed result. `explain=False` leaves out each cause's `why` and the list of
        answers (the lean form the API sends unless asked for the explanation)."""
        if explain:
            return self._explained
        return self._build(explain=False)

    @cached_property
    def _explained(self) -> AssessmentResult:
        return self._build(explain=True)

    def _build(self, explain: bool) -> AssessmentResult:
        return build_result(
            self.kb, self.answers, self.triage, self.triage_reasons, self.causes,
            self.likely_causes(), self.relief, self.avoid, self.not_ruled_out,
            self.evidence if explain else None,
        )

    def to_dict(self, explain: bool = True) -> dict[str, Any]:
        """The result as plain JSON-ready data (see the README for the fields)."""
        return self.result(explain).model_dump(mode="json")


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
    reasons = red_flag_reasons(kb, answers)
    risk = risk_reason(kb, model, scores, answers)
    if risk is not None:
        reasons.append(risk)
    open_signs = open_warning_signs(kb, answers, (model, risk.level if risk else "self_care"))
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
    causes = rank_causes(scores.cause_ids, scores.shares, reasons, level)
    named = [c.id for c in likely(kb, causes)]
    shown = [c.id for c in likely(kb, causes, with_flagged=True)]
    relief, avoid = make_plan(kb, answers, named, level, shown=shown)
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
