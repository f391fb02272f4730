"""The terminal's pain chart is honest about time: round ticks that differ, entries placed
by their time, and no line drawn across weeks nobody logged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from upperback.cli.diary import pain_chart
from upperback.store import DiaryEntry

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def entries_at(offsets: list[timedelta], pain: int = 5) -> list[DiaryEntry]:
    return [DiaryEntry(id=i + 1, created_at=T0 + o, pain=pain) for i, o in enumerate(offsets)]


def plot_rows(chart: str) -> list[str]:
    """The rows inside the chart's frame (between the axis and the right edge)."""
    return [line.split("│", 1)[1].rsplit("│", 1)[0] if line.count("│") >= 2
            else line.split("┤", 1)[1].rsplit("│", 1)[0]
            for line in chart.splitlines() if "┤" in line or line.count("│") >= 2]


def used_columns(chart: str) -> list[bool]:
    rows = plot_rows(chart)
    width = max(len(row) for row in rows)
    return [any(col < len(row) and row[col] != " " for row in rows) for col in range(width)]


def axis_labels(chart: str) -> list[str]:
    return chart.splitlines()[-1].split()


def test_entries_on_one_day_get_times_of_day_that_differ() -> None:
    chart = pain_chart(entries_at([timedelta(hours=h) for h in (0, 2, 5, 8)]), 80)
    labels = axis_labels(chart)
    assert len(labels) >= 2 and len(set(labels)) == len(labels)
    assert all(":" in label for label in labels)


def test_a_long_gap_leaves_the_chart_empty_between_the_runs() -> None:
    days = [0, 1, 2, 3, 4, 30, 31, 32, 33, 34]
    chart = pain_chart(entries_at([timedelta(days=d) for d in days]), 80)
    used = used_columns(chart)
    # The middle of the gap (days 10 to 25 of 34) has no line at all; both runs are drawn.
    width = len(used)
    assert not any(used[int(width * 10 / 34): int(width * 25 / 34)])
    assert any(used[: width // 8]) and any(used[-width // 8:])


def test_entries_a_day_apart_are_one_line() -> None:
    chart = pain_chart(entries_at([timedelta(days=d) for d in range(10)]), 80)
    used = used_columns(chart)
    inside = used[1:-1]
    assert all(inside[2:-2])


def test_a_month_of_entries_is_labelled_by_day_with_round_ticks() -> None:
    chart = pain_chart(entries_at([timedelta(days=d) for d in range(0, 31, 3)]), 100)
    labels = axis_labels(chart)
    assert "Nov" in labels or any(label.endswith("Nov") for label in labels)
    assert len(labels) >= 4


def test_the_chart_has_no_trailing_spaces() -> None:
    chart = pain_chart(entries_at([timedelta(days=d) for d in range(5)]), 60)
    assert all(line == line.rstrip() for line in chart.splitlines())


def test_entries_out_of_order_and_decades_apart_still_draw_in_time_order() -> None:
    # A time an old row could not keep reads as 1970, and may come last from the database.
    odd = [DiaryEntry(1, T0, 5), DiaryEntry(2, T0 + timedelta(days=1), 6),
           DiaryEntry(3, datetime(1970, 1, 1, tzinfo=UTC), 4)]
    chart = pain_chart(odd, 80)
    labels = axis_labels(chart)
    assert labels[0] == "1970" or labels[0].startswith("19")
    assert "Pain (0-10)" in chart
