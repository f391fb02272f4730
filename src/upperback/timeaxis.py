"""A time axis that is honest about time, for every chart of the diary (the page's SVG, the
terminal's chart and the PDF's): ticks at round steps (hours, days, weeks or months, as the
span calls for), and the points split into runs wherever a long gap has no entries, so that
a line is never drawn across weeks nobody logged.

Times are read in this computer's zone (`clock.local`), as every reader shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from .clock import local

HOUR: Final = timedelta(hours=1)
DAY: Final = timedelta(days=1)
# A gap longer than this, and longer than GAP_TIMES the usual time between entries, breaks
# the line.
GAP_AT_LEAST: Final = timedelta(days=3)
GAP_TIMES: Final = 3
MAX_TICKS: Final = 7


@dataclass(frozen=True)
class Tick:
    """A mark on the time axis: when, and its label."""

    at: datetime
    label: str


# The steps a tick may take, smallest first, with how each tick's label is written.
STEPS: Final = (
    (HOUR, "%H:%M"), (3 * HOUR, "%H:%M"), (6 * HOUR, "%d %b %H:%M"), (12 * HOUR, "%d %b %H:%M"),
    (DAY, "%d %b"), (2 * DAY, "%d %b"), (7 * DAY, "%d %b"), (14 * DAY, "%d %b"),
    (30 * DAY, "%b %Y"), (91 * DAY, "%b %Y"), (182 * DAY, "%b %Y"), (365 * DAY, "%Y"),
)


def ticks(first: datetime, last: datetime, most: int = MAX_TICKS) -> list[Tick]:
    """Round marks from `first` to `last`: the smallest step that needs at most `most`."""
    start, end = local(first), local(last)
    span = end - start
    if span <= timedelta(0):
        return [Tick(first, start.strftime("%d %b %H:%M"))]
    step, form = next(((s, f) for s, f in STEPS if span / s <= most - 1), STEPS[-1])
    if step >= 30 * DAY:  # months and years: the first of each month
        return _month_ticks(start, end, max(1, round(step / (30 * DAY))), form)
    if step >= DAY:
        origin = start.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        origin = start.replace(minute=0, second=0, microsecond=0)
    found: list[Tick] = []
    moment = origin
    while moment <= end:
        if moment >= start:
            found.append(Tick(moment, moment.strftime(form)))
        moment += step
    return found or [Tick(first, start.strftime(form))]


def _month_ticks(start: datetime, end: datetime, months: int, form: str) -> list[Tick]:
    found: list[Tick] = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        moment = start.replace(year=year, month=month, day=1, hour=0, minute=0, second=0,
                               microsecond=0)
        if moment > end:
            break
        if (month - 1) % months == 0:
            found.append(Tick(moment, moment.strftime(form)))
    return found or [Tick(start, start.strftime(form))]


def runs(times: Sequence[datetime]) -> list[list[int]]:
    """The indexes of `times` (oldest first) in runs with no long gap inside: a chart draws
    a line within each run and leaves the gaps between runs empty."""
    if not times:
        return []
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    usual = sorted(gaps)[len(gaps) // 2] if gaps else timedelta(0)
    limit = max(GAP_AT_LEAST, GAP_TIMES * usual)
    found: list[list[int]] = [[0]]
    for index, gap in enumerate(gaps, start=1):
        if gap > limit:
            found.append([])
        found[-1].append(index)
    return found
