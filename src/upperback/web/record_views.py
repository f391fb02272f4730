"""The diary's records as plain data, shared by the diary pages and their JSON twins."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from upperback import LEVELS, KnowledgeBase, __version__
from upperback.store import CheckRecord, DiaryEntry, TimerSession
from upperback.store.settings import describe, resolve_url

from .context import WebContext
from .knowledge_views import sources_of
from .visitors import in_diary


def entry_dict(entry: DiaryEntry) -> dict[str, Any]:
    """A diary entry as data."""
    return entry.as_dict()


def timer_dict(session: TimerSession) -> dict[str, Any]:
    """A timer session as data."""
    return session.as_dict()


async def find_check(request: Request, check_id: int) -> CheckRecord | None:
    """One saved check by id (None when there is none), read on the store's thread."""
    return await in_diary(request, lambda store: store.check(check_id))


PUBLIC_STORE = "this website's database, in a private diary only you can open"


def about_data(context: WebContext) -> dict[str, Any]:
    """What the about page and GET /api/v1/about show."""
    return {
        "version": __version__,
        # A public site names no path or setting: only where a visitor's data is.
        "database": (PUBLIC_STORE if context.settings.public
                     else describe(resolve_url(context.settings.db_url))),
        "offline": True,
        "disclaimer": context.kb.guide.disclaimer,
    }


def check_summary(kb: KnowledgeBase, record: CheckRecord) -> dict[str, Any]:
    """A saved check in brief: when, and how urgent."""
    level = record.triage if record.triage in LEVELS else None
    return {
        "id": record.id,
        "created_at": record.created_at,
        "triage": level,
        "triage_label": kb.guide.levels[level].label if level else None,
    }


def check_dict(kb: KnowledgeBase, record: CheckRecord) -> dict[str, Any]:
    """A saved check with its answers and result."""
    return check_summary(kb, record) | {"answers": record.answers, "result": record.result}


def trend_dict(kb: KnowledgeBase, verdict: Any) -> dict[str, Any] | None:
    """What the diary's pain scores say (None when they say nothing worrying)."""
    if verdict is None:
        return None
    sources = [s if isinstance(s, str) else s.id for s in verdict.sources]
    return {
        "message": verdict.message,
        "level": verdict.level,
        "sources": sources_of(kb, sources),
    }
