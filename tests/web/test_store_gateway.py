"""The web app's store gateway runs store calls on a small pool of threads: a slow call (a PDF
report) does not hold up a quick one, and writes made at the same time are all kept.

No test here measures time: the calls wait for each other with events (the timeouts only stop
a broken gateway from hanging the suite).
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from fastapi.testclient import TestClient

from upperback.store import Store
from upperback.web import WebSettings, create_app
from upperback.web.context import WebContext
from upperback.web.storage import WORKERS, StoreGateway, workers_for

GUARD = 30  # seconds: only ever reached when the calls do not run side by side


def test_a_slow_store_call_does_not_hold_up_a_quick_one(tmp_path: Path) -> None:
    gateway = StoreGateway(f"sqlite:///{tmp_path / 'diary.db'}")
    slow_started = threading.Event()
    quick_done = threading.Event()

    def slow(store: Store) -> bool:
        slow_started.set()
        # Finishes only once the quick call has run: it can do so only beside this one.
        return quick_done.wait(GUARD)

    def quick(store: Store) -> int:
        assert slow_started.wait(GUARD)
        entry = store.add_entry(4)
        quick_done.set()
        return entry.pain

    async def both() -> tuple[bool, int]:
        return await asyncio.gather(gateway.run(slow), gateway.run(quick))

    try:
        waited, pain = asyncio.run(both())
    finally:
        gateway.close()
    assert waited is True, "the quick call waited for the slow one to finish"
    assert pain == 4


def test_writes_sent_at_the_same_time_are_all_kept(tmp_path: Path) -> None:
    gateway = StoreGateway(f"sqlite:///{tmp_path / 'diary.db'}")

    async def many() -> list[int]:
        saved = await asyncio.gather(*(gateway.run(lambda s, n=n: s.add_entry(n % 11).id)
                                       for n in range(40)))
        return list(saved)

    try:
        ids = asyncio.run(many())
        counted = asyncio.run(gateway.run(lambda store: store.counts().entries))
    finally:
        gateway.close()
    assert sorted(ids) == list(range(1, 41))
    assert counted == 40


def test_a_closed_gateway_opens_the_store_again_on_the_next_call(tmp_path: Path) -> None:
    gateway = StoreGateway(f"sqlite:///{tmp_path / 'diary.db'}")
    asyncio.run(gateway.run(lambda store: store.add_entry(3)))
    gateway.close()
    try:
        assert asyncio.run(gateway.run(lambda store: store.counts().entries)) == 1
    finally:
        gateway.close()


def test_an_in_memory_diary_is_used_from_one_thread_and_a_file_from_several() -> None:
    # An in-memory SQLite database lives in one connection, which the threads cannot share.
    assert workers_for("sqlite://") == 1
    assert workers_for("sqlite:///:memory:") == 1
    assert workers_for("/tmp/some/diary.db") == WORKERS
    assert workers_for("postgresql+psycopg://ann@db.example/upperback") == WORKERS
    assert StoreGateway("sqlite://").workers == 1


def test_the_app_answers_a_quick_page_while_a_report_is_being_built(tmp_path: Path) -> None:
    settings = WebSettings(db_url=f"sqlite:///{tmp_path / 'diary.db'}", secret_key="test",
                           testing=True)
    app = create_app(settings)
    context = app.state.web
    assert isinstance(context, WebContext)
    gateway = context.store
    release = threading.Event()
    holding = threading.Event()

    def hold(store: Store) -> bool:  # stands in for a slow report
        holding.set()
        return release.wait(GUARD)

    with TestClient(app) as client:
        portal = client.portal  # the app's event loop, which the requests also run on
        assert portal is not None
        outcome: list[bool] = []
        holder = threading.Thread(target=lambda: outcome.append(portal.call(gateway.run, hold)))
        holder.start()
        try:
            assert holding.wait(GUARD)
            # The timer page reads the store (the last check) while the slow call holds a worker.
            assert client.get("/timer").status_code == 200
            assert client.get("/api/v1/diary/entries").json() == []
        finally:
            release.set()
            holder.join(GUARD)
    assert outcome == [True]
