"""The diary store, used from a small pool of worker threads, off the server's event loop.

The store is opened on first use (pages that do not need it keep working if it cannot be
opened) and shared by the workers: its engine hands each call a connection of its own.
Several calls run at once, so one slow call (a PDF report) does not hold up the others.
SQLite in WAL mode lets readers run beside the one writer, and writers take the write lock
up front (BEGIN IMMEDIATE) and wait for it up to the busy timeout, so writes stay whole and
in order. An in-memory SQLite database lives in one connection, so it gets one worker.
`close()` waits for the calls under way and releases the store; the next call opens it again.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Final, TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from upperback.store import Store
from upperback.store.settings import resolve_url, sqlite_file

T = TypeVar("T")

WORKERS: Final = 4


def workers_for(db_url: str | None, wanted: int = WORKERS) -> int:
    """How many threads may use this database at once: one for in-memory SQLite."""
    try:
        url = make_url(resolve_url(db_url))
    except (ArgumentError, ValueError):
        return wanted  # the store says what is wrong with the URL when it is opened
    if url.get_backend_name() == "sqlite" and sqlite_file(url) is None:
        return 1
    return wanted


class StoreGateway:
    """Runs work on the diary store from async code, on a few threads at once."""

    def __init__(self, db_url: str | None, workers: int = WORKERS) -> None:
        self._db_url = db_url
        self._workers = workers_for(db_url, workers)
        self._store: Store | None = None
        self._executor: ThreadPoolExecutor | None = None
        # Two locks: the event loop only ever waits for the short one (the pool), never for a
        # worker opening (and perhaps migrating) the store.
        self._pool_lock = threading.Lock()
        self._open_lock = threading.Lock()

    @property
    def workers(self) -> int:
        """How many store calls may run at the same time."""
        return self._workers

    async def run(self, work: Callable[[Store], T]) -> T:
        """Run `work(store)` on a worker thread and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool(), self._call, work)

    def _pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self._workers, thread_name_prefix="upperback-db"
                )
            return self._executor

    def _call(self, work: Callable[[Store], T]) -> T:
        return work(self._opened())

    def _opened(self) -> Store:
        with self._open_lock:
            if self._store is None:
                self._store = Store.open(self._db_url)
            return self._store

    def close(self) -> None:
        """Wait for the calls under way, stop the threads and close the store."""
        with self._pool_lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
        with self._open_lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()
