"""Saving a diary entry from the page or the API, on the store's thread."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request

from upperback.diary import LoggedEntry, NewEntry, log_entry
from upperback.store import DiaryEntry, Store

from .context import web
from .visitors import in_diary


async def save_entry(
    request: Request, entry: NewEntry, created_at: datetime | None = None
) -> LoggedEntry[DiaryEntry]:
    """Save a checked entry with the core's `log_entry` (which re-runs the triage on the last
    check when the entry has symptoms)."""

    context = web(request)

    def save(store: Store) -> LoggedEntry[DiaryEntry]:
        return log_entry(context.kb, store, entry, created_at)

    return await in_diary(request, save)
