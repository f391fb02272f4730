"""Saving a diary entry, and the raised level its symptoms call for (the page and the API)."""

from __future__ import annotations

from datetime import datetime

from upperback.escalation import Escalation, escalation
from upperback.store import CheckRecord, DiaryEntry, Store

from .context import WebContext


async def add_entry(
    context: WebContext,
    *,
    pain: int,
    where: str | None,
    helped: str | None,
    note: str | None,
    symptoms: list[str],
    created_at: datetime | None = None,
) -> tuple[DiaryEntry, Escalation | None]:
    """Save the entry; with symptoms (finding ids), re-run the triage on the last check."""

    def add(store: Store) -> tuple[DiaryEntry, CheckRecord | None]:
        entry = store.add_entry(
            pain=pain, where=where, helped=helped, note=note, symptoms=symptoms,
            created_at=created_at,
        )
        return entry, store.latest_check() if symptoms else None

    entry, latest = await context.store.run(add)
    if not symptoms:
        return entry, None
    if latest is None:
        return entry, escalation(context.kb, symptoms)
    return entry, escalation(context.kb, symptoms, latest.answers, latest.triage)
