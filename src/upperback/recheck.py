"""When to check again: the follow-up's re-check days (kb.guide.follow_up.recheck_after_days)
counted from the last saved check, so the diary can bring the person back when the plan says
"if it is not better in 2 to 4 weeks". The terminal's `history`, the diary page and
GET /api/v1/diary/recheck all ask `recheck_due`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from .knowledge_base import KnowledgeBase
from .levels import LEVELS


@dataclass(frozen=True)
class Recheck:
    """The next re-check of the last check: when, and whether that day has come."""

    check_id: int
    level: str
    checked_at: datetime
    due: datetime
    overdue: bool
    weeks: int  # how long after the check it falls, in whole weeks

    def to_dict(self) -> dict[str, object]:
        """As plain data (times stay datetimes)."""
        return asdict(self)


def recheck_due(kb: KnowledgeBase, check_id: int, level: object, checked_at: datetime,
                now: datetime | None = None) -> Recheck | None:
    """The re-check of a check saved at `checked_at` with this level: the first of the
    level's re-check days while none has come, else the latest that has (overdue: the person
    should check again now). None when the level has no re-check (urgent, emergency) or is not
    a level at all."""
    if not isinstance(level, str) or level not in LEVELS:
        return None
    days = kb.guide.follow_up.recheck_after_days.get(level, ())
    if not days:
        return None
    now = now or datetime.now(UTC)
    dates = [checked_at + timedelta(days=d) for d in days]
    passed = [d for d in dates if d <= now]
    due = passed[-1] if passed else dates[0]
    return Recheck(check_id, level, checked_at, due, bool(passed),
                   round((due - checked_at).days / 7))
