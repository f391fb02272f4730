"""Build the typed result (result.py) from the parts of an assessment, with the words and
sources of the knowledge base. Nothing here decides anything: the level, the order of the
causes and the plan arrive decided; this module only says them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from .bayes import Evidence
from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase
from .levels import Level, rank
from .ranking import RankedCause
from .relief_plan import PlannedRelief, WithheldRelief, worded_lines
from .result import (
    AnswerShown,
    AssessmentResult,
    CauseFollowUp,
    CauseShown,
    CauseWhy,
    EvidenceShown,
    FlagShown,
    FollowUp,
    NotRuledOut,
    ReasonShown,
    ReliefShown,
    SourceShown,
    WithheldShown,
)
from .triage import OpenWarningSign, TriageReason


@lru_cache(maxsize=8192, typed=True)  # typed: True and 1 are different answers
def answer_shown(kb: KnowledgeBase, finding_id: str, value: AnswerValue) -> AnswerShown:
    """One answer, with the words a person would use for it."""
    # A few dozen answers per result, from a small set of possible ones: say each once (the
    # models are frozen, so one can be shared by many results).
    text = kb.findings[finding_id].describe_value(value)
    return AnswerShown(finding=finding_id, value=value, text=text)


@lru_cache(maxsize=1024)
def _source_shown(kb: KnowledgeBase, source_id: str) -> SourceShown:
    # Every result cites a few dozen of the same sources: make each once (they are frozen).
    s = kb.sources[source_id]
    return SourceShown(
        id=s.id, title=s.title, publisher=s.publisher, url=str(s.url),
        checked=s.checked.isoformat(),
    )


def _evidence(kb: KnowledgeBase, evidence: Evidence) -> EvidenceShown:
    shown = answer_shown(kb, evidence.finding, evidence.value)
    return EvidenceShown(
        finding=shown.finding, value=shown.value, text=shown.text,
        likelihood_ratio=round(evidence.ratio, 2),
    )


def build_result(
    kb: KnowledgeBase,
    answers: Mapping[str, AnswerValue],
    triage: Level,
    reasons: Sequence[TriageReason],
    causes: Sequence[RankedCause],
    likely: Sequence[RankedCause],
    relief: Sequence[PlannedRelief],
    avoid: Sequence[WithheldRelief],
    not_ruled_out: Sequence[OpenWarningSign],
    evidence: Callable[[str], list[Evidence]] | None,
) -> AssessmentResult:
    """The result in words. With `evidence` (the explained form), each cause says which
    answers raised and lowered it, and the answers are listed; without, `why` is null."""
    advice = kb.guide.levels[triage]
    rules = kb.red_flag_by_id
    cited: list[str] = []

    def shown_answers(findings: Sequence[str]) -> list[AnswerShown]:
        return [answer_shown(kb, f, answers.get(f)) for f in findings]

    def own_advice(urgency: Level) -> bool:
        # At "see a doctor today" and above, a milder cause's self-care advice (heat,
        # stretches, "if not better in weeks") would contradict the level: left out.
        return rank(triage) < rank("urgent") or rank(urgency) >= rank(triage)

    reasons_shown = []
    for reason in reasons:
        cited.extend(reason.sources)
        reasons_shown.append(
            ReasonShown(
                kind=reason.kind, id=reason.id, level=reason.level, message=reason.message,
                causes=list(reason.causes), answers=shown_answers(reason.findings),
                sources=list(reason.sources),
            )
        )

    causes_shown = []
    for ranked in causes:
        cause = kb.causes[ranked.id]
        cited.extend(cause.sources)
        why = None
        if evidence is not None:
            found = evidence(ranked.id)
            why = CauseWhy(
                raised_by=[_evidence(kb, e) for e in found if e.raises],
                lowered_by=[_evidence(kb, e) for e in found if not e.raises],
            )
        advised = own_advice(cause.urgency)
        causes_shown.append(
            CauseShown(
                id=cause.id,
                name=cause.name,
                probability=round(ranked.probability, 4),
                urgency=cause.urgency,
                flagged_by=[
                    FlagShown(rule=rule_id, message=rules[rule_id].message)
                    for rule_id in ranked.flagged_by
                ],
                shown_because=(
                    kb.guide.guarded_cause.format(rule=rules[ranked.flagged_by[0]].message)
                    if ranked.flagged_by
                    else None
                ),
                icd10=cause.icd10,
                summary=cause.summary,
                why=why,
                what_to_do=(list(worded_lines(cause.worded_for, cause.what_to_do, answers))
                            if advised else []),
                when_to_get_help=cause.when_to_get_help if advised else "",
                sources=list(cause.sources),
            )
        )

    relief_shown = []
    for planned in relief:
        method = planned.method
        cited.extend(method.sources)
        relief_shown.append(
            ReliefShown(
                id=method.id,
                name=method.name,
                summary=method.summary,
                instructions=list(planned.how_to),
                safety=list(planned.safety),
                max_minutes=method.max_minutes,
                why=list(planned.why),
                for_causes=list(planned.causes),
                answers=shown_answers(planned.findings),
                check_first=[
                    kb.guide.check_first.format(
                        finding=" or ".join(kb.findings[f].label.lower() for f in findings),
                        reason=reason,
                    )
                    for findings, reason in planned.check_first
                ],
                sources=list(method.sources),
            )
        )

    avoid_shown = []
    for withheld in avoid:
        cited.extend(withheld.method.sources)
        avoid_shown.append(
            WithheldShown(
                id=withheld.method.id,
                name=withheld.method.name,
                reason=" ".join(withheld.reasons),
                reasons=list(withheld.reasons),
                answers=shown_answers(withheld.findings),
                sources=list(withheld.method.sources),
            )
        )

    follow = kb.guide.follow_up
    cited.extend(follow.sources)
    # The follow-up matches the level: at urgent and above, a cause's own "if it is not
    # better in a few weeks" advice would contradict "be seen today", so only causes at least
    # as urgent as the level keep theirs.
    follow_up = FollowUp(
        if_not_improving=follow.if_not_improving.get(triage),
        come_back_if=list(follow.come_back_if),
        for_likely_causes=[
            CauseFollowUp(id=c.id, name=kb.causes[c.id].name, when=kb.causes[c.id].when_to_get_help)
            for c in likely
            if own_advice(kb.causes[c.id].urgency)
        ],
    )
    open_signs = [
        NotRuledOut(
            finding=sign.finding,
            text=kb.findings[sign.finding].label,
            level=sign.level,
            if_present=(
                kb.guide.not_ruled_out.if_number_missing
                if kb.findings[sign.finding].type != "bool"
                else kb.guide.not_ruled_out.if_present.format(
                    action=kb.guide.levels[sign.level].headline.rstrip(".")
                )
            ),
        )
        for sign in not_ruled_out
    ]
    return AssessmentResult(
        triage=triage,
        triage_label=advice.label,
        headline=advice.headline,
        action=advice.action,
        emergency_steps=list(advice.steps),
        triage_reasons=reasons_shown,
        explained=evidence is not None,
        causes=causes_shown,
        likely_causes=[c.id for c in likely],
        not_ruled_out=open_signs,
        relief=relief_shown,
        avoid=avoid_shown,
        follow_up=follow_up,
        answers=shown_answers(list(answers)) if evidence is not None else [],
        sources=[_source_shown(kb, source_id) for source_id in dict.fromkeys(cited)],
        disclaimer=kb.guide.disclaimer,
    )
