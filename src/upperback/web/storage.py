"""The diary store, used from one worker thread so the web server never shares a connection.

The store is opened on first use (pages that do not need it keep working if it cannot be
opened) and every call runs on the same thread, in order. `close()` releases it; the next call
opens it again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from upperback.store import Store

T = TypeVar("T")


class StoreGateway:
    """Runs work on the diary store from async code, one call at a time."""

    def __init__(self, db_url: str | None) -> None:
        self._db_url = db_url
        self._store: Store | None = None
        self._executor: ThreadPoolExecutor | None = None

    async def run(self, work: Callable[[Store], T]) -> T:
        """Run `work(store)` on the store's thread and return its result."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upperback-db")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, work)

    def _call(self, work: Callable[[Store], T]) -> T:
        if self._store is None:
            self._store = Store.open(self._db_url)
        return work(self._store)

    def close(self) -> None:
        """Close the store and stop its thread."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.submit(self._close).result()
            executor.shutdown(wait=True)

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
