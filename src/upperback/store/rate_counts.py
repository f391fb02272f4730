"""Rate limits counted in the database, so that every worker and machine on it count as one.

A fixed window per bucket: one upsert a hit (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`,
on SQLite and PostgreSQL alike), which both counts the hit and reads the count. Old windows
are swept now and then by the same call, so the table stays small.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Final

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from .models import RateCountRow
from .store import Store

# One sweep of old windows every this many hits (on average, by the hit's own count).
SWEEP_EVERY: Final = 200
BUCKET_MAX: Final = 100


def bucket_for(action: str, who: str) -> str:
    """A bucket name for an action by someone (an address, a diary): the `who` is hashed, so
    no address is kept in the database."""
    digest = hashlib.sha256(who.encode("utf-8", "replace")).hexdigest()[:40]
    return f"{action[:50]}:{digest}"


def hit(store: Store, bucket: str, limit: int, window_seconds: int,
        clock: Callable[[], float] = time.time) -> int:
    """Count one action in `bucket`: 0 when it is within `limit` per `window_seconds`, else
    the whole seconds to wait until the window ends (the action is then not allowed)."""
    now = clock()
    start = int(now // window_seconds) * window_seconds
    table = RateCountRow.__table__
    dialect = postgresql if store.dialect == "postgresql" else sqlite
    statement = dialect.insert(table).values(bucket=bucket[:BUCKET_MAX], window_start=start,
                                             count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.bucket, table.c.window_start],
        set_={"count": table.c.count + 1},
    ).returning(table.c.count)
    with store.writing() as session:
        count = int(session.execute(statement).scalar_one())
        if count % SWEEP_EVERY == 0:
            session.execute(delete(RateCountRow).where(RateCountRow.window_start < start))
    if count <= limit:
        return 0
    return max(1, int(start + window_seconds - now + 0.999))
