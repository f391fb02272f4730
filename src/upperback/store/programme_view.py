"""The exercise programme as the diary holds it: built from the last saved check and the pain
scores since, and how many of its planned sessions were done. Shared by the terminal, the
pages and the API, so all three show the same plan."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Final

from ..knowledge_base import KnowledgeBase
from ..programme import Programme, programme_for_check, sessions_done

if TYPE_CHECKING:
    from .store import Store

# The newest pain scores read for the ease-back rule (it needs only a few).
SCORES_READ: Final = 50
# The days over which `history` and the diary page count sessions done.
DONE_WINDOW_DAYS: Final = 7


def current_programme(kb: KnowledgeBase, store: Store, today: date, days: int = 7
                      ) -> Programme | None:
    """The plan from the last check, for `days` days from `today` (None: no check saved)."""
    latest = store.latest_check()
    if latest is None:
        return None
    checked_at = latest.created_at.astimezone()
    scores = [point.pain for point in store.pain_scores(SCORES_READ)
              if point.created_at >= latest.created_at]
    return programme_for_check(kb, latest.answers, latest.result, checked_at.date(), today,
                               days, scores)


def done_by_day(store: Store, first: date, last: date) -> dict[date, int]:
    """How many planned sessions with at least one exercise done, by local day."""
    start = datetime.combine(first, time.min).astimezone()
    end = datetime.combine(last + timedelta(days=1), time.min).astimezone()
    counted: dict[date, int] = {}
    for session in store.exercise_sessions_between(start, end).items:
        if session.planned and session.done:
            day = session.started_at.astimezone().date()
            counted[day] = counted.get(day, 0) + 1
    return counted


def planned_sessions_done(kb: KnowledgeBase, store: Store, today: date
                          ) -> tuple[int, int] | None:
    """(done, planned) over the last DONE_WINDOW_DAYS days of the plan, up to today; None
    when there is no plan."""
    first = today - timedelta(days=DONE_WINDOW_DAYS - 1)
    programme = current_programme(kb, store, first, DONE_WINDOW_DAYS)
    if programme is None or not programme.offered or not programme.days:
        return None
    done, planned = sessions_done(programme, done_by_day(store, first, today), today)
    return (done, planned) if planned else None
