"""The relief plan: methods that fit the likely causes, minus those unsafe for this person."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase
from .knowledge_models import Exercise, ReliefMethod, Wording
from .levels import Level, rank


@dataclass(frozen=True)
class PlannedRelief:
    """A method suggested to this person, and why."""

    method: ReliefMethod
    why: tuple[str, ...]
    causes: tuple[str, ...]
    findings: tuple[str, ...]
    # Contraindications not ruled out ((findings), reason): an unanswered or "don't know"
    # answer is never read as "no", so the person is told to check these first.
    check_first: tuple[tuple[tuple[str, ...], str], ...] = ()
    # The how-to and safety lines worded for this person (see worded_lines).
    how_to: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()


def worded_lines(
    wordings: Sequence[Wording], lines: Sequence[str], answers: Mapping[str, AnswerValue]
) -> tuple[str, ...]:
    """Lines for this person: each replaced by the first of `wordings` (a method's or a
    cause's `worded_for`) whose condition holds (a teenager's dose in place of an adult's), or
    left out when that text is empty; a line with no wording that holds stays as written."""
    if not wordings:
        return tuple(lines)
    shown: list[str] = []
    for line in lines:
        wording = next(
            (w for w in wordings if w.replace == line and w.when.holds(answers)), None
        )
        if wording is None:
            shown.append(line)
        elif wording.text:
            shown.append(wording.text)
    return tuple(shown)


def withholding_reasons(
    item: ReliefMethod | Exercise, answers: Mapping[str, AnswerValue], likely: set[str]
) -> tuple[list[str], list[str]]:
    """Why a relief method or an exercise must be withheld from this person: the reasons of
    the contraindications that hold and of the likely causes it is unsafe with, and the
    findings that made the contraindications hold (empty lists: nothing stands in the way)."""
    reasons: list[str] = []
    findings: list[str] = []
    for contraindication in item.contraindications:
        if contraindication.when.holds(answers):
            reasons.append(contraindication.reason)
            findings.extend(contraindication.when.met(answers))
    for caution in item.unsafe_with_causes:
        if set(caution.causes) & likely:
            reasons.append(caution.reason)
    return reasons, findings


def open_contraindications(
    method: ReliefMethod, answers: Mapping[str, AnswerValue]
) -> list[tuple[tuple[str, ...], str]]:
    """The contraindications that would hold if an unanswered finding were answered the
    worrying way: (those findings, the reason), once per reason."""
    found: dict[str, list[str]] = {}
    for contraindication in method.contraindications:
        for test, negated in contraindication.when.tests():
            if negated or answers.get(test.finding) is not None:
                continue
            worst = test.at_least if test.at_least is not None else test.at_most
            value = worst if worst is not None else test.equals
            if contraindication.when.holds({**answers, test.finding: value}):
                findings = found.setdefault(contraindication.reason, [])
                if test.finding not in findings:
                    findings.append(test.finding)
    return [(tuple(findings), reason) for reason, findings in found.items()]


@dataclass(frozen=True)
class WithheldRelief:
    """A method that would fit the causes but is not safe for this person, and why."""

    method: ReliefMethod
    reasons: tuple[str, ...]
    findings: tuple[str, ...]


def make_plan(
    kb: KnowledgeBase,
    answers: Mapping[str, AnswerValue],
    likely: Sequence[str],
    triage: Level,
    shown: Sequence[str] = (),
) -> tuple[list[PlannedRelief], list[WithheldRelief]]:
    """Choose relief methods for the likely causes (most likely first); none in an emergency.

    A method is withheld, with the reason, when the person has a contraindication, when a
    cause it is unsafe with is likely or `shown` (the likely causes and those a warning sign
    points to), or when the level is above the method's `offered_up_to`: then the person should be
    seen first, and only comfort measures that cannot hide the serious cause remain.
    """
    if triage == "emergency":
        return [], []
    possible = set(likely) | set(shown)
    planned: list[tuple[int, PlannedRelief]] = []
    withheld: list[WithheldRelief] = []
    order = {cause_id: i for i, cause_id in enumerate(likely)}
    for method in kb.relief.values():
        matches = [
            r
            for r in method.recommend
            if set(r.causes) & set(likely) and (r.when is None or r.when.holds(answers))
        ]
        if not matches:
            continue
        reasons, findings = withholding_reasons(method, answers, possible)
        if rank(triage) > rank(method.offered_up_to):
            reasons.append(kb.guide.held_until_seen)
        if reasons:
            withheld.append(WithheldRelief(method, tuple(reasons), tuple(dict.fromkeys(findings))))
            continue
        causes = tuple(c for r in matches for c in r.causes if c in order)
        used = [f for r in matches if r.when is not None for f in r.when.met(answers)]
        best = min(order[c] for c in causes)
        planned.append(
            (
                best,
                PlannedRelief(
                    method,
                    tuple(dict.fromkeys(r.why for r in matches)),
                    tuple(dict.fromkeys(causes)),
                    tuple(dict.fromkeys(used)),
                    tuple(open_contraindications(method, answers)),
                    worded_lines(method.worded_for, method.how_to, answers),
                    worded_lines(method.worded_for, method.safety, answers),
                ),
            )
        )
    planned.sort(key=lambda item: item[0])
    return [p for _, p in planned], withheld

