"""Medicine doses in the store, on every backend: saved, read near a moment, paged, deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from upperback.store import RecordError, Store

NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_a_dose_comes_back_as_saved(store: Store) -> None:
    saved = store.log_dose("ibuprofen", 400, taken_at=NOON)
    assert (saved.medicine, saved.dose_mg, saved.taken_at) == ("ibuprofen", 400, NOON)
    assert list(store.each_dose()) == [saved]
    assert store.counts().doses == 1


def test_the_doses_near_a_moment_are_those_within_a_day_either_side(store: Store) -> None:
    for hours in (-30, -23, -1, 5, 23, 30):
        store.log_dose("ibuprofen", 200, taken_at=NOON + timedelta(hours=hours))
    store.log_dose("acetaminophen", 500, taken_at=NOON)
    near = store.doses_near(NOON, "ibuprofen")
    assert [d.taken_at - NOON for d in near] == [timedelta(hours=h) for h in (-23, -1, 5, 23)]
    assert len(store.doses_near(NOON)) == 5


@pytest.mark.parametrize(("medicine", "mg", "field"), [
    ("", 100, "medicine"), ("x" * 41, 100, "medicine"), (7, 100, "medicine"),
    ("ibuprofen", 0, "dose_mg"), ("ibuprofen", 5001, "dose_mg"), ("ibuprofen", "200", "dose_mg"),
])
def test_a_bad_dose_is_refused_naming_the_field(
    store: Store, medicine: object, mg: object, field: str
) -> None:
    with pytest.raises(RecordError) as refused:
        store.log_dose(medicine, mg)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert store.counts().doses == 0


def test_doses_are_paged_and_deleted_with_everything_else(store: Store) -> None:
    for hours in range(5):
        store.log_dose("ibuprofen", 200, taken_at=NOON + timedelta(hours=hours))
    page = store.doses_page(limit=2)
    assert [d.taken_at for d in page.items] == [NOON + timedelta(hours=h) for h in (4, 3)]
    assert page.next is not None
    store.forget()
    assert store.counts().doses == 0 and list(store.each_dose()) == []
