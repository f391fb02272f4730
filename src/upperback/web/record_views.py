"""The diary's records as plain data, shared by the diary pages and their JSON twins."""

from __future__ import annotations

from typing import Any

from upperback import LEVELS, KnowledgeBase, __version__
from upperback.store import CheckRecord, DiaryEntry, TimerSession
from upperback.store.settings import describe, resolve_url

from .context import WebContext
from .knowledge_views import sources_of


def entry_dict(entry: DiaryEntry) -> dict[str, Any]:
    """A diary entry as data."""
    return entry.as_dict()


def timer_dict(session: TimerSession) -> dict[str, Any]:
    """A timer session as data."""
    return session.as_dict()


async def find_check(context: WebContext, check_id: int) -> CheckRecord | None:
    """One saved check by id (None when there is none), read on the store's thread."""
    return await context.store.run(lambda store: store.check(check_id))


def about_data(context: WebContext) -> dict[str, Any]:
    """What the about page and GET /api/v1/about show."""
    return {
        "version": __version__,
        "database": describe(resolve_url(context.settings.db_url)),
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
