"""The knowledge base as plain data for pages and their JSON twins (both use these, so they match).

Nothing here is medical text: every sentence comes from the knowledge base.
"""

from __future__ import annotations

from typing import Any

from upperback import KnowledgeBase, Question
from upperback.knowledge_models import Finding, Source
from upperback.sessions import TIMER_METHODS  # timer kind -> the relief method it times


def source_dict(source: Source) -> dict[str, Any]:
    """A source as data."""
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "url": str(source.url),
        "checked": source.checked.isoformat(),
    }


def sources_of(kb: KnowledgeBase, ids: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """The sources with these ids, once each, in order."""
    return [source_dict(s) for s in kb.cited_sources(ids)]


def timer_kind(method_id: str) -> str | None:
    """The timer kind for a relief method ('ice' or 'heat'), or None if it has no timer."""
    for kind, method in TIMER_METHODS.items():
        if method == method_id:
            return kind
    return None


def cause_summary(kb: KnowledgeBase, cause_id: str) -> dict[str, Any]:
    """A cause in brief, for lists."""
    cause = kb.causes[cause_id]
    return {
        "id": cause.id,
        "name": cause.name,
        "summary": cause.summary,
        "urgency": cause.urgency,
        "urgency_label": kb.guide.levels[cause.urgency].label,
    }


def cause_view(kb: KnowledgeBase, cause_id: str) -> dict[str, Any]:
    """Everything the guide says about one cause, with the relief methods suggested for it."""
    cause = kb.causes[cause_id]
    relief = [
        {"id": m.id, "name": m.name, "why": r.why}
        for m in kb.relief.values()
        for r in m.recommend
        if cause_id in r.causes
    ]
    return cause_summary(kb, cause_id) | {
        "feels_like": cause.feels_like,
        "icd10": cause.icd10,
        "what_to_do": list(cause.what_to_do),
        "when_to_get_help": cause.when_to_get_help,
        "relief": relief,
        "sources": sources_of(kb, cause.sources),
    }


def relief_summary(kb: KnowledgeBase, method_id: str) -> dict[str, Any]:
    """A relief method in brief, for lists."""
    method = kb.relief[method_id]
    return {
        "id": method.id,
        "name": method.name,
        "summary": method.summary,
        "max_minutes": method.max_minutes,
        "default_minutes": method.default_minutes,
        "timer": timer_kind(method.id),
    }


def relief_view(kb: KnowledgeBase, method_id: str) -> dict[str, Any]:
    """How to use a relief method safely, who should not, and for which causes it helps."""
    method = kb.relief[method_id]
    for_causes = [
        {"id": c, "name": kb.causes[c].name, "why": r.why}
        for r in method.recommend
        for c in r.causes
    ]
    not_for = [c.reason for c in method.contraindications] + [
        c.reason for c in method.unsafe_with_causes
    ]
    return relief_summary(kb, method_id) | {
        "how_to": list(method.how_to),
        "safety": list(method.safety),
        "repeat": method.repeat,
        "not_for": list(dict.fromkeys(not_for)),
        "for_causes": for_causes,
        "sources": sources_of(kb, method.sources),
    }


def finding_view(finding: Finding) -> dict[str, Any]:
    """A finding as data, with what it accepts."""
    return {
        "id": finding.id,
        "group": finding.group,
        "type": finding.type,
        "label": finding.label,
        "meaning": finding.meaning,
        "question": finding.question,
        "item": finding.item,
        "help": finding.help,
        "min": finding.min,
        "max": finding.max,
        "unit": finding.unit,
        "values": list(finding.values) if finding.values else None,
        "value_labels": dict(finding.value_labels) if finding.value_labels else None,
        "allowed": finding.allowed(),
    }


def question_view(kb: KnowledgeBase, question: Question) -> dict[str, Any]:
    """A question of the check, with its findings."""
    return {
        "id": question.id,
        "stage": question.stage,
        "kind": question.kind,
        "text": question.text,
        "why": question.why,
        "findings": [finding_view(kb.findings[f]) for f in question.findings],
    }


def level_view(kb: KnowledgeBase, level: str) -> dict[str, Any]:
    """What a triage level means and what to do."""
    advice = kb.guide.levels[level]  # type: ignore[index]
    return {
        "level": level,
        "label": advice.label,
        "headline": advice.headline,
        "action": advice.action,
        "steps": list(advice.steps),
        # The numbers to call, as the emergency page's tap-to-call links show them; the lines
        # for help that cannot wait also at urgent.
        "phones": _phones(kb, level),
    }


def _phones(kb: KnowledgeBase, level: str) -> list[dict[str, str]]:
    phones = kb.guide.phone_numbers
    if level == "emergency":
        return [p.model_dump() for p in (*phones.emergency, *phones.not_emergency)]
    if level == "urgent":
        return [p.model_dump() for p in phones.not_emergency]
    return []


def home_view(kb: KnowledgeBase) -> dict[str, Any]:
    """The guide's front page: when to get help now, the causes, and the relief methods."""
    follow = kb.guide.follow_up
    return {
        "title": kb.guide.title,
        "disclaimer": kb.guide.disclaimer,
        "get_help_now": level_view(kb, "emergency"),
        "come_back_if": list(follow.come_back_if),
        # The general page speaks to people who can look after their pain at home.
        "if_not_improving": follow.if_not_improving["self_care"],
        "causes": [cause_summary(kb, c) for c in kb.causes],
        "relief": [relief_summary(kb, m) for m in kb.relief],
        "sources": sources_of(kb, follow.sources),
    }
