"""Read the pain diary's direction: the knowledge base's rule for when to see a clinician.

The rule (kb.guide.trend): pain that is worse by `worse_by_points` or more, or that has not
improved after `not_improving_after_days` of entries, means the person should see a clinician
soon (`level`). Starting and recent pain are each the average of up to `average_of` entries,
so one bad day does not decide it. Entries after a long gap start a new episode. The rule
speaks only when the episode's entries span `min_span_days` on `min_days` different days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from statistics import fmean
from typing import Final, Literal, Protocol

from .knowledge_base import KnowledgeBase
from .levels import Level

TrendKind = Literal["worse", "not_improving"]

#: How many of the newest diary entries every reader of the trend passes to `pain_trend`
#: (the terminal, the pages, the API, the exports, the report): the same entries give the
#: same verdict everywhere, and the work stays bounded however long the diary is.
TREND_ENTRIES: Final = 1000


class PainScore(Protocol):
    """A diary entry as far as the trend cares: when, and how much it hurt (0-10)."""

    @property
    def created_at(self) -> datetime: ...

    @property
    def pain(self) -> int: ...


@dataclass(frozen=True)
class TrendVerdict:
    """The diary says: see a clinician. Why, how urgently, and the sources behind the rule."""

    kind: TrendKind
    message: str
    level: Level
    sources: tuple[str, ...]
    start_pain: float
    recent_pain: float
    days: int


def current_episode(entries: Sequence[PainScore], gap_days: int) -> list[PainScore]:
    """The entries since the last gap of more than `gap_days` with no entries, oldest first."""
    ordered = sorted(entries, key=lambda entry: entry.created_at)
    start = 0
    for index in range(1, len(ordered)):
        if ordered[index].created_at - ordered[index - 1].created_at > timedelta(days=gap_days):
            start = index
    return ordered[start:]


def pain_trend(entries: Sequence[PainScore], kb: KnowledgeBase) -> TrendVerdict | None:
    """A verdict if the diary shows pain getting worse or not improving; None otherwise."""
    rule = kb.guide.trend
    episode = current_episode(entries, rule.not_improving_after_days)
    if len(episode) < 2:
        return None
    span = episode[-1].created_at - episode[0].created_at
    days_logged = {entry.created_at.astimezone(UTC).date() for entry in episode}
    if span < timedelta(days=rule.min_span_days) or len(days_logged) < rule.min_days:
        return None  # too short a stretch, or too few days, to speak of a direction
    window = min(rule.average_of, len(episode) // 2)
    start = fmean(entry.pain for entry in episode[:window])
    recent = fmean(entry.pain for entry in episode[-window:])
    days = (episode[-1].created_at - episode[0].created_at).days

    def verdict(kind: TrendKind, message: str) -> TrendVerdict:
        return TrendVerdict(
            kind=kind,
            message=message,
            level=rule.level,
            sources=rule.sources,
            start_pain=round(start, 1),
            recent_pain=round(recent, 1),
            days=days,
        )

    if recent - start >= rule.worse_by_points:
        return verdict("worse", rule.message_worse)
    # Not improving: still hurting, and no lower than at the start, after the set time.
    if days >= rule.not_improving_after_days and recent > 0 and recent >= start:
        return verdict("not_improving", rule.message_not_improving)
    return None
