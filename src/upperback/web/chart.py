"""The pain diary's chart as a small SVG drawn on the server (no chart library, no script).

Colours and fonts come from the page's stylesheet through classes, so the chart follows the
page's theme and needs no inline styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup, escape

from upperback.clock import local_text
from upperback.timeaxis import runs, ticks

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 24, 14, 40
PAIN_MAX = 10


def _date(moment: datetime) -> str:
    return local_text(moment, "%d %b")


def pain_chart(points: Sequence[tuple[datetime, int]]) -> Markup:
    """An SVG line chart of pain (0-10) over time; `points` are (time, pain), any order."""
    ordered = sorted(points)
    if not ordered:
        return Markup("")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = ordered[0][0], ordered[-1][0]
    span = (last - first).total_seconds()

    def x(moment: datetime) -> float:
        if span == 0:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (moment - first).total_seconds() / span

    def y(pain: int) -> float:
        return TOP + plot_h * (1 - pain / PAIN_MAX)

    latest = ordered[-1][1]
    description = (
        f"{len(ordered)} entries from {_date(first)} to {_date(last)}. "
        f"Latest pain: {latest} out of 10."
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="chart-title">Pain over time (0 = no pain, 10 = worst)</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
    ]
    for pain in range(0, PAIN_MAX + 1, 2):
        level = y(pain)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" y1="{level:.1f}" '
            f'x2="{WIDTH - RIGHT}" y2="{level:.1f}"/>'
            f'<text class="chart-label" x="{LEFT - 8}" y="{level + 4:.1f}" '
            f'text-anchor="end">{pain}</text>'
        )
    # A real time axis: round ticks (hours, days, weeks or months) and no line across a
    # long gap with no entries (upperback.timeaxis, as the terminal and the PDF draw it).
    marks = ticks(first, last, most=5)
    for mark in marks:
        at = x(mark.at)
        parts.append(
            f'<line class="chart-grid" x1="{at:.1f}" y1="{TOP}" x2="{at:.1f}" '
            f'y2="{HEIGHT - BOTTOM}"/>'
            f'<text class="chart-label" x="{at:.1f}" y="{HEIGHT - BOTTOM + 24}" '
            f'text-anchor="middle">{escape(mark.label)}</text>'
        )
    for run in runs([t for t, _ in ordered]):
        if len(run) > 1:
            line = " ".join(f"{x(ordered[i][0]):.1f},{y(ordered[i][1]):.1f}" for i in run)
            parts.append(f'<polyline class="chart-line" points="{line}"/>')
    for moment, pain in ordered:
        label = f"{local_text(moment)}: pain {pain}"
        parts.append(
            f'<circle class="chart-point" cx="{x(moment):.1f}" cy="{y(pain):.1f}" r="5">'
            f"<title>{escape(label)}</title></circle>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
