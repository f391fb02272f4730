"""Exercise sessions in the store, on every backend: saved, read by period, refused when
bad, deleted with everything else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from upperback.store import RecordError, Store

NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_a_session_comes_back_with_each_exercise_done_or_skipped(store: Store) -> None:
    saved = store.log_exercise_session([("chin_tuck", True), ("cat_camel", False)], planned=True,
                                       started_at=NOON)
    assert saved.exercises == [("chin_tuck", True), ("cat_camel", False)]
    assert saved.planned and saved.done == 1 and saved.started_at == NOON
    window = store.exercise_sessions_between(NOON, NOON + timedelta(days=1))
    assert window.items == [saved] and window.total == 1


def test_sessions_are_read_by_period_oldest_first(store: Store) -> None:
    for hours in (-30, -1, 2, 30):
        store.log_exercise_session([("wall_angels", True)], planned=False,
                                   started_at=NOON + timedelta(hours=hours))
    window = store.exercise_sessions_between(NOON - timedelta(hours=2), NOON + timedelta(days=1))
    assert [s.started_at - NOON for s in window.items] == [timedelta(hours=-1),
                                                          timedelta(hours=2)]


@pytest.mark.parametrize(("exercises", "planned", "field"), [
    ([], True, "exercises"), ([("chin_tuck", "yes")], True, "exercises"),
    ([("../etc", True)], True, "exercises"), ([("x" * 41, True)], True, "exercises"),
    ("chin_tuck", True, "exercises"), ([("chin_tuck", True)] * 51, True, "exercises"),
    ([("chin_tuck", True)], "yes", "planned"),
])
def test_a_bad_session_is_refused_naming_the_field(
    store: Store, exercises: object, planned: object, field: str
) -> None:
    with pytest.raises(RecordError) as refused:
        store.log_exercise_session(exercises, planned)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert store.exercise_sessions_between(NOON - timedelta(days=999),
                                           NOON + timedelta(days=999)).total == 0


def test_forgetting_deletes_the_exercise_sessions(store: Store) -> None:
    store.log_exercise_session([("chin_tuck", True)], planned=True, started_at=NOON)
    store.forget()
    assert store.exercise_sessions_between(NOON - timedelta(days=1),
                                           NOON + timedelta(days=1)).total == 0


def test_a_break_taken_is_logged_and_read_by_period(store: Store) -> None:
    store.log_break(60, started_at=NOON)
    window = store.breaks_between(NOON - timedelta(hours=1), NOON + timedelta(hours=1))
    assert window.items == [(NOON, 60)]
    with pytest.raises(RecordError) as refused:
        store.log_break(-1)
    assert refused.value.field == "seconds"
    store.forget()
    assert store.breaks_between(NOON - timedelta(hours=1), NOON + timedelta(hours=1)).total == 0
