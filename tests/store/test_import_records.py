"""Store.import_records: what counts as the same record, and all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from upperback.store import RecordError, Store
from upperback.store import imports as store_imports
from upperback.store.imports import (
    ImportCounts,
    Imported,
    ImportedCheck,
    ImportedDose,
    ImportedEntry,
    ImportedTimer,
)

T0 = datetime(2025, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)


def _records(entries: int = 3) -> Imported:
    return Imported(
        checks=[ImportedCheck(T0, {"fever": False, "age": 40}, {"triage": "self_care"}, "0.1.0")],
        entries=[ImportedEntry(T0 + timedelta(minutes=i), 3, where="neck", symptoms=("stiff",))
                 for i in range(entries)],
        timers=[ImportedTimer(T0, "ice", 15, 900, True)],
        doses=[ImportedDose(T0, "ibuprofen", 200)],
    )


def test_records_are_added_with_their_times_and_content(store: Store) -> None:
    counts = store.import_records(_records())
    assert counts == ImportCounts(checks=1, entries=3, timers=1, doses=1, already=0)
    entry = store.entries()[0]
    assert (entry.created_at, entry.pain, entry.where, entry.symptoms) == (
        T0, 3, "neck", ["stiff"])
    check = store.checks()[0]
    assert (check.answers, check.result, check.version) == (
        {"fever": False, "age": 40}, {"triage": "self_care"}, "0.1.0")


def test_a_record_already_saved_by_hand_is_recognised(store: Store) -> None:
    store.add_entry(3, where=" neck ", symptoms=["stiff"], created_at=T0)
    store.save_check({"age": 40, "fever": False}, {"other": "result"}, created_at=T0)
    counts = store.import_records(_records())
    # The entry's text is kept trimmed, and the answers' order does not matter.
    assert (counts.entries, counts.checks, counts.already) == (2, 0, 2)


def test_a_record_differing_in_anything_is_another_record(store: Store) -> None:
    store.add_entry(3, where="neck", note="a note", symptoms=["stiff"], created_at=T0)
    store.log_timer("ice", 15, 899, True, started_at=T0)
    assert store.import_records(_records()).already == 0


def test_a_record_the_store_refuses_is_named_and_nothing_is_saved(store: Store) -> None:
    bad = Imported(entries=[ImportedEntry(T0, 3), ImportedEntry(T0, 11)])
    with pytest.raises(RecordError) as refused:
        store.import_records(bad)
    assert refused.value.field == "diary[1].pain"
    assert store.counts().entries == 0


def test_a_failure_half_way_through_leaves_the_diary_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_entry(1)
    real_insert = store_imports.insert
    made: list[Any] = []

    def failing_insert(model: Any) -> Any:
        made.append(model)
        if model.__tablename__ == "medicine_doses":  # the last kind: the others are written
            raise OperationalError("INSERT", {}, Exception("disk full"))
        return real_insert(model)

    monkeypatch.setattr(store_imports, "insert", failing_insert)
    with pytest.raises(Exception, match="disk full"):
        store.import_records(_records())
    assert len(made) == 4
    counts = store.counts()
    assert (counts.checks, counts.entries, counts.timers, counts.doses) == (0, 1, 0, 0)


def test_a_dry_run_writes_nothing(store: Store) -> None:
    assert store.import_records(_records(), dry_run=True).total == 6
    assert store.counts().entries == 0


def test_many_records_are_looked_up_and_written_in_batches(store: Store) -> None:
    many = store_imports.LOOKUP_BATCH * 2 + 7
    assert store.import_records(_records(many)).entries == many
    assert store.import_records(_records(many)).already == many + 3


def test_two_imports_of_one_file_at_once_add_it_once(store: Store, database_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    other = Store.open(database_url)
    try:
        with ThreadPoolExecutor(2) as pool:
            done = list(pool.map(lambda s: s.import_records(_records(300)), [store, other]))
    finally:
        other.close()
    assert sorted(counts.entries for counts in done) == [0, 300]
    assert store.counts().entries == 300
