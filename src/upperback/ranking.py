"""The order of the causes: by share, with the causes a deciding warning sign guards first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .knowledge_base import KnowledgeBase
from .levels import Level, rank
from .triage import TriageReason

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


def rank_causes(
    cause_ids: Sequence[str],
    shares: Sequence[float],
    reasons: Sequence[TriageReason],
    level: Level,
) -> tuple[RankedCause, ...]:
    """The causes, most likely first; at urgent and emergency, the causes the deciding
    warning-sign rules guard against come first (up to PROMOTED), so the person reads what
    the advice is about and still sees what is common."""
    guarded: dict[str, list[str]] = {}
    for reason in reasons:
        if reason.kind == "red_flag":
            for cause_id in reason.causes:
                guarded.setdefault(cause_id, []).append(reason.id)
    order = sorted(range(len(shares)), key=lambda i: -shares[i])
    if rank(level) >= rank("urgent"):
        deciding = {
            c for r in reasons if r.kind == "red_flag" and r.level == level for c in r.causes
        }
        promoted = [
            i for i in order if cause_ids[i] in deciding and shares[i] >= PROMOTED_MIN_SHARE
        ][:PROMOTED]
        order = promoted + [i for i in order if i not in promoted]
    return tuple(
        RankedCause(cause_ids[i], shares[i], tuple(guarded.get(cause_ids[i], ()))) for i in order
    )


def likely(
    kb: KnowledgeBase, causes: Sequence[RankedCause], with_flagged: bool = False
) -> list[RankedCause]:
    """The top cause and any over the likely threshold (and, with_flagged, any that a
    warning-sign rule guards against, even when unlikely, so the person sees why)."""
    threshold = kb.guide.likely_threshold
    return [
        c
        for i, c in enumerate(causes)
        if i == 0 or c.probability >= threshold or (with_flagged and c.flagged_by)
    ]
