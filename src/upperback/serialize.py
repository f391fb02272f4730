"""Turn an assessment into plain, JSON-ready data (the shape the CLI, web and API share)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .bayes import Evidence
from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase
from .levels import Level, rank

if TYPE_CHECKING:
    from .assessment import Assessment


def answer_dict(kb: KnowledgeBase, finding_id: str, value: AnswerValue) -> dict[str, Any]:
    """One answer, with the words a person would use for it."""
    return {"finding": finding_id, "value": value, "text": _answer_text(kb, finding_id, value)}


@lru_cache(maxsize=8192)
def _answer_text(kb: KnowledgeBase, finding_id: str, value: AnswerValue) -> str:
    # A few hundred answers per result, from a small set of possible ones: say each once.
    return kb.findings[finding_id].describe_value(value)


def _evidence(kb: KnowledgeBase, evidence: Evidence) -> dict[str, Any]:
    return answer_dict(kb, evidence.finding, evidence.value) | {
        "likelihood_ratio": round(evidence.ratio, 2),
    }


def assessment_to_dict(a: Assessment) -> dict[str, Any]:
    """The assessment as a dict; see the README for the fields."""
    kb = a.kb
    advice = kb.guide.levels[a.triage]
    rules = kb.red_flag_by_id

    def own_advice(urgency: Level) -> bool:
        return rank(a.triage) < rank("urgent") or rank(urgency) >= rank(a.triage)
    cited: list[str] = []

    reasons = []
    for reason in a.triage_reasons:
        cited.extend(reason.sources)
        reasons.append(
            {
                "kind": reason.kind,
                "id": reason.id,
                "level": reason.level,
                "message": reason.message,
                "causes": list(reason.causes),
                "answers": [answer_dict(kb, f, a.answers.get(f)) for f in reason.findings],
                "sources": list(reason.sources),
            }
        )

    causes = []
    for ranked in a.causes:
        cause = kb.causes[ranked.id]
        evidence = a.evidence(ranked.id)
        cited.extend(cause.sources)
        causes.append(
            {
                "id": cause.id,
                "name": cause.name,
                "probability": round(ranked.probability, 4),
                "urgency": cause.urgency,
                "flagged_by": [
                    {"rule": rule_id, "message": rules[rule_id].message}
                    for rule_id in ranked.flagged_by
                ],
                "shown_because": (
                    kb.guide.guarded_cause.format(rule=rules[ranked.flagged_by[0]].message)
                    if ranked.flagged_by
                    else None
                ),
                "icd10": cause.icd10,
                "summary": cause.summary,
                "why": {
                    "raised_by": [_evidence(kb, e) for e in evidence if e.raises],
                    "lowered_by": [_evidence(kb, e) for e in evidence if not e.raises],
                },
                # At "see a doctor today" and above, a milder cause's self-care advice (heat,
                # stretches, "if not better in weeks") would contradict the level: left out.
                "what_to_do": list(cause.what_to_do) if own_advice(cause.urgency) else [],
                "when_to_get_help": cause.when_to_get_help if own_advice(cause.urgency) else "",
                "sources": list(cause.sources),
            }
        )

    relief = []
    for planned in a.relief:
        method = planned.method
        cited.extend(method.sources)
        relief.append(
            {
                "id": method.id,
                "name": method.name,
                "summary": method.summary,
                "instructions": list(method.how_to),
                "safety": list(method.safety),
                "max_minutes": method.max_minutes,
                "why": list(planned.why),
                "for_causes": list(planned.causes),
                "answers": [answer_dict(kb, f, a.answers.get(f)) for f in planned.findings],
                "sources": list(method.sources),
            }
        )

    avoid = []
    for withheld in a.avoid:
        cited.extend(withheld.method.sources)
        avoid.append(
            {
                "id": withheld.method.id,
                "name": withheld.method.name,
                "reason": " ".join(withheld.reasons),
                "reasons": list(withheld.reasons),
                "answers": [answer_dict(kb, f, a.answers.get(f)) for f in withheld.findings],
                "sources": list(withheld.method.sources),
            }
        )

    follow = kb.guide.follow_up
    cited.extend(follow.sources)
    likely = a.likely_causes()
    # The follow-up matches the level: at urgent and above, a cause's own "if it is not
    # better in a few weeks" advice would contradict "be seen today", so only causes at least
    # as urgent as the level keep theirs.
    follow_up = {
        "if_not_improving": follow.if_not_improving.get(a.triage),
        "come_back_if": list(follow.come_back_if),
        "for_likely_causes": [
            {"id": c.id, "name": kb.causes[c.id].name, "when": kb.causes[c.id].when_to_get_help}
            for c in likely
            if own_advice(kb.causes[c.id].urgency)
        ],
    }
    not_ruled_out = [
        {
            "finding": sign.finding,
            "text": kb.findings[sign.finding].label,
            "level": sign.level,
            "if_present": (
                kb.guide.not_ruled_out.if_number_missing
                if kb.findings[sign.finding].type != "bool"
                else kb.guide.not_ruled_out.if_present.format(
                    action=kb.guide.levels[sign.level].headline.rstrip(".")
                )
            ),
        }
        for sign in a.not_ruled_out
    ]

    return {
        "triage": a.triage,
        "triage_label": advice.label,
        "headline": advice.headline,
        "action": advice.action,
        "emergency_steps": list(advice.steps),
        "triage_reasons": reasons,
        "causes": causes,
        "likely_causes": [c.id for c in likely],
        "not_ruled_out": not_ruled_out,
        "relief": relief,
        "avoid": avoid,
        "follow_up": follow_up,
        "answers": [answer_dict(kb, f, v) for f, v in a.answers.items()],
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "url": str(s.url),
                "checked": s.checked.isoformat(),
            }
            for s in kb.cited_sources(cited)
        ],
        "disclaimer": kb.guide.disclaimer,
    }
