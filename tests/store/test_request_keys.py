"""A write sent with an Idempotency-Key is saved once, on every backend: a retry gets the first
answer back, another request with the key is refused, and a failed write can be retried."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from upperback.store import RecordError, Store
from upperback.store.models import RequestKeyRow
from upperback.store.request_keys import KEY_LIFETIME, PENDING_FOR, KeyConflict


def add_entry(store: Store, pain: int = 4) -> tuple[int, Any]:
    entry = store.add_entry(pain)
    return 201, {"id": entry.id, "pain": entry.pain}


def test_a_retry_with_the_same_key_saves_once_and_gets_the_first_answer(store: Store) -> None:
    first = store.once("k-1", "print", lambda: add_entry(store))
    again = store.once("k-1", "print", lambda: add_entry(store, 9))
    assert (first.replayed, again.replayed) == (False, True)
    assert again.status == 201 and again.body == first.body
    assert [e.pain for e in store.entries()] == [4]


def test_the_same_key_for_another_request_is_refused_and_nothing_is_saved(store: Store) -> None:
    store.once("k-1", "print", lambda: add_entry(store))
    with pytest.raises(KeyConflict) as refused:
        store.once("k-1", "another print", lambda: add_entry(store))
    assert refused.value.kind == "reused"
    assert len(store.entries()) == 1


def test_a_write_that_failed_can_be_retried_with_its_key(store: Store) -> None:
    def fails() -> tuple[int, Any]:
        raise RecordError("pain", "a whole number from 0 to 10", 11)

    with pytest.raises(RecordError):
        store.once("k-1", "print", fails)
    assert not store.once("k-1", "print", lambda: add_entry(store)).replayed
    assert len(store.entries()) == 1


def test_a_key_whose_first_request_is_under_way_is_answered_in_progress(store: Store) -> None:
    inside = threading.Event()
    release = threading.Event()
    outcome: list[BaseException | None] = []

    def slow() -> tuple[int, Any]:
        inside.set()
        release.wait(10)
        return add_entry(store)

    def second() -> None:
        inside.wait(10)
        try:
            store.once("k-1", "print", lambda: add_entry(store))
            outcome.append(None)
        except KeyConflict as conflict:
            outcome.append(conflict)
        finally:
            release.set()

    helper = threading.Thread(target=second)
    helper.start()
    store.once("k-1", "print", slow)
    helper.join(10)
    assert isinstance(outcome[0], KeyConflict) and outcome[0].kind == "in_progress"
    assert len(store.entries()) == 1


def _age_key(store: Store, key: str, by: timedelta) -> None:
    with Session(store._engine) as session, session.begin():
        row = session.get(RequestKeyRow, key)
        assert row is not None
        row.created_at = datetime.now(UTC) - by


def test_a_claim_abandoned_mid_write_is_taken_over_after_a_minute(store: Store) -> None:
    with Session(store._engine) as session, session.begin():
        session.add(RequestKeyRow(key="k-1", fingerprint="print", created_at=datetime.now(UTC)))
    with pytest.raises(KeyConflict):
        store.once("k-1", "print", lambda: add_entry(store))
    _age_key(store, "k-1", PENDING_FOR + timedelta(seconds=1))
    assert not store.once("k-1", "print", lambda: add_entry(store)).replayed


def test_keys_are_forgotten_after_a_day_and_with_everything_else(store: Store) -> None:
    store.once("k-1", "print", lambda: add_entry(store))
    _age_key(store, "k-1", KEY_LIFETIME + timedelta(seconds=1))
    assert not store.once("k-1", "print", lambda: add_entry(store)).replayed
    store.forget()
    with Session(store._engine) as session:
        assert session.query(RequestKeyRow).count() == 0


@pytest.mark.parametrize("key", ["", "a" * 256, "has space", "caf\u00e9", "\udc00", 7])
def test_a_key_that_is_not_visible_ascii_is_refused_naming_the_header(
    store: Store, key: Any
) -> None:
    with pytest.raises(RecordError) as refused:
        store.once(key, "print", lambda: add_entry(store))
    assert refused.value.field == "Idempotency-Key"
    assert store.entries() == []
