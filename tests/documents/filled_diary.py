"""A diary with one of every record, for the export tests: a check, two diary entries, an
ice and a heat session (one stopped early) and a dose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from upperback.store import Store

T0 = datetime(2025, 2, 3, 7, 15, tzinfo=UTC)
AWKWARD = 'Said "ouch", then; a comma,\nnew line and ünïcode — fine'


def fill(store: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]) -> Store:
    """Save the records into `store` and give it back."""
    answers, result = desk_check
    store.save_check(answers | {"sex": "female", "fever": None}, result, created_at=T0)
    store.add_entry(
        6,
        where="between the shoulder blades",
        helped="heat",
        note=AWKWARD,
        symptoms=["stiff", "tired"],
        created_at=T0 + timedelta(hours=1),
    )
    store.add_entry(4, created_at=T0 + timedelta(days=1))
    store.log_timer("heat", 20, 1200, True, started_at=T0 + timedelta(hours=2))
    store.log_timer("ice", 15, 420, False, started_at=T0 + timedelta(hours=3))
    store.log_dose("ibuprofen", 400, taken_at=T0 + timedelta(hours=4))
    return store
