"""A cap on writes: per address and per diary, so one client cannot flood a diary or the disk.

Each address, and each diary, has a bucket of `per_minute` writes that refills steadily (a
token bucket): a person logging a few entries never meets it, a script writing hundreds a
minute is told to slow down with a 429 and Retry-After. Reads, the check's questions and
deleting your data are never capped. The buckets live in the server process (each worker has
its own); the oldest are dropped when there are too many, so memory stays bounded.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import Final

from fastapi import Request

from .context import web
from .errors import ApiError

#: The diary of a server run for one person (the public mode gives each visitor their own).
LOCAL_DIARY: Final = "local"
MAX_BUCKETS: Final = 10_000


class TokenBuckets:
    """`per_minute` actions for each key, refilled steadily; bounded in number of keys."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens a second
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """Spend one action for `key`: 0 when allowed, else the seconds until one is free."""
        now = self._clock()
        tokens, then = self._buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - then) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)
        return wait


class WriteLimits:
    """The two caps: writes a minute from one address, and into one diary."""

    def __init__(self, per_address: int | None, per_diary: int | None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._caps = [
            (kind, TokenBuckets(limit, clock))
            for kind, limit in (("address", per_address), ("diary", per_diary))
            if limit is not None
        ]

    def check(self, address: str, diary: str = LOCAL_DIARY) -> None:
        """Count one write, or raise the 429 ApiError saying when to try again."""
        for kind, buckets in self._caps:
            wait = buckets.take(address if kind == "address" else diary)
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                raise ApiError(
                    429, "too_many_writes",
                    f"Too many changes from this {'address' if kind == 'address' else 'diary'} "
                    f"in a short time. Wait {seconds} seconds and try again; nothing was saved.",
                    headers={"Retry-After": str(seconds)},
                )


async def count_write(request: Request) -> None:
    """FastAPI dependency on every route that saves: spend one write, or answer 429.

    In public mode the counts are kept in the database (store/rate_counts.py), so every
    worker and every machine on it count together: a minute's window per address, and per
    visitor's diary."""
    address = request.client.host if request.client else "unknown"
    context = web(request)
    per_minute = context.settings.writes_per_minute
    if not context.settings.public or per_minute is None:
        context.write_limits.check(address)
        return
    from upperback.store.rate_counts import bucket_for, hit

    from .visitors import current_diary

    caps = [("address", bucket_for("write", address), per_minute)]
    diary = await current_diary(request)
    per_diary = context.settings.diary_writes_per_minute
    if diary is not None and per_diary is not None:
        caps.append(("diary", f"diary_write:{diary}", per_diary))
    for kind, bucket, limit in caps:
        wait = await context.store.run(partial(hit, bucket=bucket, limit=limit,
                                               window_seconds=60))
        if wait > 0:
            raise ApiError(
                429, "too_many_writes",
                f"Too many changes from this {kind} in a short time. Wait {wait} seconds "
                "and try again; nothing was saved.",
                headers={"Retry-After": str(wait)},
            )
