"""Answers the benchmarks send: one person's finished check, and a way to vary it.

The knowledge base is loaded from the package's folder by path, which is never cached, so a
benchmark neither reads nor writes the person's own knowledge-base cache.
"""

from __future__ import annotations

from pathlib import Path

import upperback
from upperback.knowledge_base import KnowledgeBase

# A desk worker's answers; every other question gets its first (or lowest) answer.
YES = frozenset({"hunched_posture", "pain_between_shoulder_blades", "pain_dull_ache_tight",
                 "pain_worse_after_sitting"})
NUMBERS = {"age": 34, "duration_days": 10, "desk_hours_per_day": 9, "pain_severity": 4}


def bundled_knowledge() -> KnowledgeBase:
    """The bundled knowledge base, loaded (and checked) from its folder, without a cache."""
    return upperback.load_knowledge(Path(upperback.__file__).parent / "knowledge")


def complete_check(kb: KnowledgeBase | None = None) -> dict[str, object]:
    """Every answer of a desk worker's finished self-care check, as the interview asks them."""
    kb = kb or bundled_knowledge()
    interview = upperback.Interview(kb)
    while (question := interview.next_question()) is not None:
        answers: dict[str, object] = {}
        for finding_id in question.findings:
            finding = kb.findings[finding_id]
            if finding.type == "bool":
                answers[finding_id] = finding_id in YES
            elif finding.type == "int":
                assert finding.min is not None and finding.max is not None
                wanted = NUMBERS.get(finding_id, finding.min)
                answers[finding_id] = min(finding.max, max(finding.min, wanted))
            else:
                answers[finding_id] = (finding.values or ("",))[0]
        interview.answer(answers)
    return dict(interview.answers)


def number_ranges(kb: KnowledgeBase, answers: dict[str, object]) -> dict[str, tuple[int, int]]:
    """The range of each number finding among the answers (what a varied body may send)."""
    ranges = {}
    for finding_id in answers:
        finding = kb.findings[finding_id]
        if finding.type == "int" and finding.min is not None and finding.max is not None:
            ranges[finding_id] = (finding.min, finding.max)
    return ranges


def ordinary_yes_no(kb: KnowledgeBase, answers: dict[str, object]) -> list[str]:
    """The yes/no answers that no warning-sign rule looks at: turning them on and off changes
    the likely causes and the plan, never the urgency rules."""
    red = kb.red_flag_findings()
    return [f for f in answers if kb.findings[f].type == "bool" and f not in red]
