"""The diary charts' time axis: round ticks for any span, and no line across a long gap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from upperback.timeaxis import MAX_TICKS, runs, ticks

T0 = datetime(2026, 11, 1, 9, 17, tzinfo=UTC)


@pytest.mark.parametrize("span", [timedelta(minutes=3), timedelta(hours=5), timedelta(days=3),
                                  timedelta(days=20), timedelta(days=100), timedelta(days=900)])
def test_ticks_fall_within_the_span_in_order_and_are_few(span: timedelta) -> None:
    marks = ticks(T0, T0 + span)
    assert 1 <= len(marks) <= MAX_TICKS
    assert [m.at for m in marks] == sorted(m.at for m in marks)
    if span >= timedelta(hours=1):
        assert all(T0 <= m.at <= T0 + span for m in marks)
    assert len({m.label for m in marks}) == len(marks)  # no label twice


def test_same_day_entries_are_told_apart_by_the_hour() -> None:
    labels = [m.label for m in ticks(T0, T0 + timedelta(hours=4))]
    assert all(":" in label for label in labels)


def test_months_are_named_for_a_long_diary() -> None:
    labels = [m.label for m in ticks(T0, T0 + timedelta(days=120))]
    assert all(label[-4:].isdigit() and label[:3].isalpha() for label in labels)


def test_a_single_moment_has_one_tick() -> None:
    assert len(ticks(T0, T0)) == 1


def test_a_long_gap_splits_the_runs_and_regular_entries_stay_together() -> None:
    daily = [T0 + timedelta(days=d) for d in range(5)]
    later = [T0 + timedelta(days=d) for d in (30, 31, 32)]
    assert runs(daily + later) == [[0, 1, 2, 3, 4], [5, 6, 7]]
    weekly = [T0 + timedelta(days=7 * w) for w in range(6)]
    assert runs(weekly) == [list(range(6))]  # a steady weekly diary has no gap
    assert runs([]) == [] and runs([T0]) == [[0]]
