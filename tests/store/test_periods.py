"""Reading one period: the records from its start up to its end, the newest when there are
more than asked for, and how many it holds (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import upperback
from upperback.store import RecordError, Store

START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)


def test_entries_between_take_the_start_and_leave_out_the_end(store: Store) -> None:
    for day in range(5):
        store.add_entry(day, created_at=START + timedelta(days=day))
    window = store.entries_between(START + timedelta(days=1), START + timedelta(days=3))
    assert [entry.pain for entry in window.items] == [1, 2]
    assert window.total == 2 and not window.cut


def test_a_window_holds_the_newest_records_oldest_first_and_counts_them_all(store: Store
                                                                            ) -> None:
    for day in range(6):
        store.add_entry(day, created_at=START + timedelta(days=day))
    window = store.entries_between(START, START + timedelta(days=30), limit=3)
    assert [entry.pain for entry in window.items] == [3, 4, 5]
    assert window.total == 6 and window.cut


def test_checks_timers_and_doses_are_read_by_period_too(store: Store) -> None:
    answers = {"age": 40}
    result = upperback.assess(answers).to_dict()
    store.save_check(answers, result)
    store.log_timer("heat", 20, 1200, True, started_at=START)
    store.log_timer("ice", 10, 600, True, started_at=START + timedelta(days=5))
    store.log_dose("ibuprofen", 400, START + timedelta(days=5))
    later = START + timedelta(days=4)
    end = datetime.now(UTC) + timedelta(hours=1)
    assert store.checks_between(later, end).total == 1
    assert store.checks_between(START - timedelta(days=1), later).total == 0
    assert [t.kind for t in store.timers_between(later, end).items] == ["ice"]
    assert [d.dose_mg for d in store.doses_between(later, end).items] == [400]


def test_a_period_may_end_after_the_latest_time_a_record_may_hold(store: Store) -> None:
    store.add_entry(4)
    far = datetime.now(UTC) + timedelta(days=400)
    assert store.entries_between(START, far).total == 1


@pytest.mark.parametrize("bad", [None, "2026-11-01", datetime(2026, 11, 1)])
def test_a_period_without_zone_aware_times_is_refused(store: Store, bad: object) -> None:
    with pytest.raises(RecordError):
        store.entries_between(bad, datetime.now(UTC))  # type: ignore[arg-type]
