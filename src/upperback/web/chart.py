"""The pain diary's chart as a small SVG drawn on the server (no chart library, no script).

Colours and fonts come from the page's stylesheet through classes, so the chart follows the
page's theme and needs no inline styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup, escape

from upperback.clock import local_text

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 24, 14, 40
PAIN_MAX = 10


def _date(moment: datetime, with_time: bool = False) -> str:
    return local_text(moment, "%d %b %H:%M" if with_time else "%d %b")


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
    labels = [ordered[0][0]] if span == 0 else [first, last]
    same_days = span < 2 * 24 * 3600  # within two days the time tells entries apart
    for moment in labels:
        anchor = "middle" if span == 0 else ("start" if moment == first else "end")
        parts.append(
            f'<text class="chart-label" x="{x(moment):.1f}" y="{HEIGHT - BOTTOM + 24}" '
            f'text-anchor="{anchor}">{escape(_date(moment, same_days))}</text>'
        )
    if len(ordered) > 1:
        line = " ".join(f"{x(t):.1f},{y(p):.1f}" for t, p in ordered)
        parts.append(f'<polyline class="chart-line" points="{line}"/>')
    for moment, pain in ordered:
        label = f"{local_text(moment)}: pain {pain}"
        parts.append(
            f'<circle class="chart-point" cx="{x(moment):.1f}" cy="{y(pain):.1f}" r="5">'
            f"<title>{escape(label)}</title></circle>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
