"""What the emergency page shows besides the steps: the numbers to call, the answers that made
it an emergency, and the question to go back to when one of them was a mistake.

The same for a check that has just stopped at an emergency and for a saved emergency result,
so both pages say the same thing. Every word comes from the knowledge base or the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from upperback import KnowledgeBase


def phones_view(kb: KnowledgeBase) -> dict[str, Any]:
    """The numbers to call, as data for tap-to-call links."""
    phones = kb.guide.phone_numbers
    return {
        "emergency": [p.model_dump() for p in phones.emergency],
        "not_emergency": [p.model_dump() for p in phones.not_emergency],
    }


def _emergency_reasons(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The reasons for the emergency: the warning signs that fired (the chance of a serious
    cause only when no sign did, as its answers are many and weaker)."""
    reasons = [r for r in result.get("triage_reasons", [])
               if r.get("level") == "emergency" and r.get("kind") != "not_ruled_out"]
    signs = [r for r in reasons if r.get("kind") == "red_flag"]
    return signs or reasons


def emergency_said(kb: KnowledgeBase, result: Mapping[str, Any]) -> list[str]:
    """The answers behind an emergency result, in plain words, once each: a yes by its name
    ("Chest pain, pressure or tightness"), any other answer as the result says it."""
    said = []
    for reason in _emergency_reasons(result):
        for shown in reason.get("answers", []):
            finding = kb.findings.get(shown.get("finding", ""))
            yes = finding is not None and finding.type == "bool" and shown.get("value") is True
            said.append(finding.label if yes and finding is not None else shown["text"])
    return list(dict.fromkeys(said))


def mistake_question(kb: KnowledgeBase, result: Mapping[str, Any],
                     asked: Sequence[str]) -> str | None:
    """The question to go back to after "I ticked something by mistake": the last one asked
    that holds an answer behind the emergency (the last question when none is found)."""
    findings = {a["finding"] for r in _emergency_reasons(result) for a in r.get("answers", [])}
    holding = {q.id for q in kb.questions if findings & set(q.findings)}
    return next((q for q in reversed(asked) if q in holding), asked[-1] if asked else None)
