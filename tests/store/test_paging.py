"""The store reads its lists a page at a time: newest first, keyed by time and id, with opaque
cursors that stay right while rows are added, and a clear refusal of a cursor it did not make.

Every test here that takes `store` runs on each backend (SQLite and PostgreSQL, see
conftest.py).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from upperback.store import Store
from upperback.store.errors import RecordError
from upperback.store.records import Page
from upperback.store.store import PAGE_MAX, page_cursor

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Kind:
    """One kind of record: how to add one at a time, read a page, and read them all."""

    name: str
    add: Callable[[Store, datetime], Any]
    page: Callable[[Store, int, str | None], Page[Any]]
    every: Callable[[Store], list[Any]]
    moment: str


def _add_check(store: Store, moment: datetime) -> Any:
    return store.save_check({"age": 30}, {"triage": "self_care"}, created_at=moment)


KINDS = [
    Kind("entries", lambda s, t: s.add_entry(3, created_at=t),
         lambda s, n, b: s.entries_page(n, b), Store.entries, "created_at"),
    Kind("checks", _add_check, lambda s, n, b: s.checks_page(n, b), Store.checks, "created_at"),
    Kind("timers", lambda s, t: s.log_timer("ice", 10, 600, True, started_at=t),
         lambda s, n, b: s.timers_page(n, b), Store.timers, "started_at"),
]


@pytest.fixture(params=KINDS, ids=[kind.name for kind in KINDS])
def kind(request: pytest.FixtureRequest) -> Kind:
    return request.param  # type: ignore[no-any-return]


def fill(store: Store, kind: Kind, count: int) -> None:
    """`count` records, added out of time order, three at a time sharing one time (so the
    ids must break the ties)."""
    for n in range(count):
        kind.add(store, T0 + timedelta(hours=(n * 7) % count // 3))


def newest_first(store: Store, kind: Kind) -> list[int]:
    records = kind.every(store)
    return [r.id for r in sorted(records, key=lambda r: (getattr(r, kind.moment), r.id),
                                 reverse=True)]


def walk(store: Store, kind: Kind, limit: int) -> list[Page[Any]]:
    """Every page from the newest, following each page's `next` cursor."""
    pages = [kind.page(store, limit, None)]
    while pages[-1].next is not None:
        pages.append(kind.page(store, limit, pages[-1].next))
        assert len(pages) < 100, "the pages never end"
    return pages


def test_the_pages_cover_every_record_once_newest_first(store: Store, kind: Kind) -> None:
    fill(store, kind, 17)
    pages = walk(store, kind, 5)
    assert [len(page.items) for page in pages] == [5, 5, 5, 2]
    assert [r.id for page in pages for r in page.items] == newest_first(store, kind)
    assert pages[-1].next is None


def test_a_page_that_holds_everything_has_no_other_pages(store: Store, kind: Kind) -> None:
    fill(store, kind, 4)
    page = kind.page(store, 4, None)
    assert [r.id for r in page.items] == newest_first(store, kind)
    assert (page.next, page.previous, page.has_previous) == (None, None, False)


def test_an_empty_list_is_one_empty_page(store: Store, kind: Kind) -> None:
    page = kind.page(store, 50, None)
    assert page == Page(items=[], next=None, previous=None, has_previous=False)


def test_records_added_while_paging_do_not_move_the_older_pages(
    store: Store, kind: Kind
) -> None:
    fill(store, kind, 12)
    expected = newest_first(store, kind)
    first = kind.page(store, 5, None)
    for n in range(4):  # newer than everything
        kind.add(store, T0 + timedelta(days=30, minutes=n))
    # As old as the last record on the first page: its higher id puts it before the cursor.
    kind.add(store, getattr(first.items[-1], kind.moment))
    second = kind.page(store, 5, first.next)
    third = kind.page(store, 5, second.next)
    assert [r.id for page in (first, second, third) for r in page.items] == expected
    assert third.next is None


def test_a_record_added_before_a_cursor_shows_on_the_page_after_it(
    store: Store, kind: Kind
) -> None:
    fill(store, kind, 9)
    first = kind.page(store, 3, None)
    older = kind.add(store, T0 - timedelta(days=1))
    pages = [kind.page(store, 3, first.next)]
    while pages[-1].next is not None:
        pages.append(kind.page(store, 3, pages[-1].next))
    ids = [r.id for page in pages for r in page.items]
    assert ids[-1] == older.id and len(ids) == len(set(ids)) == 7


def test_the_previous_cursor_leads_back_to_the_same_pages(store: Store, kind: Kind) -> None:
    fill(store, kind, 14)
    pages = walk(store, kind, 4)
    assert not pages[0].has_previous
    # The second page's newer page is the first, asked for without a cursor.
    assert pages[1].has_previous and pages[1].previous is None
    for page, newer in zip(pages[2:], pages[1:], strict=False):
        assert page.has_previous and page.previous is not None
        back = kind.page(store, 4, page.previous)
        assert [r.id for r in back.items] == [r.id for r in newer.items]


def test_going_back_after_records_were_added_finds_the_same_pages_then_the_new_ones(
    store: Store, kind: Kind
) -> None:
    fill(store, kind, 12)
    first, second, third = walk(store, kind, 4)
    for n in range(2):
        kind.add(store, T0 + timedelta(days=30, minutes=n))
    back = kind.page(store, 4, third.previous)
    assert [r.id for r in back.items] == [r.id for r in second.items]
    # Six are newer now (the old first page and the two new ones), so the way back goes on
    # to the old first page by a cursor, and from there to the newest page.
    assert back.previous is not None
    again = kind.page(store, 4, back.previous)
    assert [r.id for r in again.items] == [r.id for r in first.items]
    assert again.has_previous and again.previous is None
    newest = kind.page(store, 4, None)
    assert [r.id for r in newest.items][:2] == newest_first(store, kind)[:2]


def test_a_cursor_past_every_record_gives_an_empty_page_that_leads_back(
    store: Store, kind: Kind
) -> None:
    fill(store, kind, 3)
    page = kind.page(store, 5, page_cursor(T0 - timedelta(days=1), 1))
    assert page.items == [] and page.next is None
    assert page.has_previous and page.previous is None
    store.forget()
    assert not kind.page(store, 5, page_cursor(T0, 1)).has_previous


def _encoded(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


GOOD = page_cursor(T0, 7)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        "!!!!",
        "x",
        "a" * 500,
        GOOD + "=",  # padded: not as the store writes it
        GOOD[:-2],  # cut short
        _encoded("2025-03-01T09:30:00|7"),  # a time without a zone
        _encoded("2025-03-01T09:30:00+02:00|7"),  # not in UTC
        _encoded("2025-03-01T09:30:00+00:00|0"),
        _encoded("2025-03-01T09:30:00+00:00|-3"),
        _encoded("2025-03-01T09:30:00+00:00|99999999999"),
        _encoded("2025-03-01T09:30:00+00:00"),
        _encoded("2025-03-01T09:30:00+00:00|7|8"),
        _encoded("yesterday|7"),
        _encoded("2025-03-01T09:30:00+00:00|\u0667"),  # a digit, but not an ASCII one
        base64.urlsafe_b64encode(b"\xff\xfe|7").decode().rstrip("="),
    ],
)
def test_a_cursor_the_store_did_not_make_is_refused_naming_before(
    store: Store, kind: Kind, cursor: str
) -> None:
    with pytest.raises(RecordError) as caught:
        kind.page(store, 10, cursor)
    assert caught.value.field == "before"
    assert "cursor" in caught.value.allowed
    assert len(caught.value.message) < 250  # a long cursor is not echoed whole


def test_a_cursor_that_is_not_text_is_refused(store: Store) -> None:
    with pytest.raises(RecordError) as caught:
        store.entries_page(10, 12)  # type: ignore[arg-type]
    assert caught.value.field == "before"


def test_a_good_cursor_is_accepted(store: Store, kind: Kind) -> None:
    assert kind.page(store, 10, GOOD).items == []


@pytest.mark.parametrize("limit", [0, -1, PAGE_MAX + 1, True, 2.5, "5"])
def test_a_page_size_outside_one_to_the_maximum_is_refused(store: Store, limit: Any) -> None:
    with pytest.raises(RecordError) as caught:
        store.entries_page(limit)
    assert caught.value.field == "limit"


def test_counts_count_each_kind_of_record(store: Store) -> None:
    assert (store.counts().checks, store.counts().entries, store.counts().timers) == (0, 0, 0)
    fill(store, KINDS[0], 5)
    fill(store, KINDS[1], 2)
    fill(store, KINDS[2], 3)
    counts = store.counts()
    assert (counts.checks, counts.entries, counts.timers) == (2, 5, 3)


def test_pain_scores_are_the_newest_entries_oldest_first(store: Store) -> None:
    for n, pain in enumerate([4, 6, 2, 8, 5]):
        store.add_entry(pain, note="a long note " * 50, created_at=T0 + timedelta(days=n))
    scores = store.pain_scores(3)
    assert [(s.created_at, s.pain) for s in scores] == [
        (T0 + timedelta(days=2), 2), (T0 + timedelta(days=3), 8), (T0 + timedelta(days=4), 5)
    ]
    assert [s.pain for s in store.pain_scores(100)] == [4, 6, 2, 8, 5]
    with pytest.raises(RecordError):
        store.pain_scores(0)


@pytest.mark.parametrize("kind", ["entry", "check", "timer"])
def test_each_record_is_read_oldest_first_a_batch_at_a_time(
    store: Store, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    import upperback.store.store as store_module

    monkeypatch.setattr(store_module, "EACH_BATCH", 3)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(8):  # two share a time: the id orders them
        moment = start + timedelta(hours=min(n, 6))
        if kind == "entry":
            store.add_entry(n % 11, created_at=moment)
        elif kind == "check":
            store.save_check({"n": n}, {}, created_at=moment)
        else:
            store.log_timer("ice", 10, n, True, started_at=moment)
    listed = {"entry": store.entries, "check": store.checks, "timer": store.timers}[kind]()
    each = {"entry": store.each_entry, "check": store.each_check, "timer": store.each_timer}
    assert list(each[kind]()) == listed
    assert len(listed) == 8
