"""Triage: the level from one posterior, with red-flag rules and open warning signs as floors.

The level is the highest of three things, so none of them can be argued away by another:

1. the red-flag rules that fire (explicit, tested rules: a floor);
2. the risk from the cause posterior: the lowest level whose chance of a cause needing more
   care stays under that level's tolerance (`guide.yaml`, `risk`);
3. warning signs that are not ruled out: self-care needs every warning sign answered "no".

Each of the three can only rise when a warning sign is turned on, so the level can too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .bayes import WEAK_RATIO, CauseModel, Scores
from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase
from .levels import LEVELS, Level, highest, rank

# How many causes to name in the risk reason.
RISK_CAUSES_NAMED = 3
# How many answers to show behind the risk reason.
RISK_ANSWERS_SHOWN = 5


@dataclass(frozen=True)
class TriageReason:
    """Why triage is at least `level`.

    kind is "red_flag" (a rule fired), "risk" (the chance of a more serious cause),
    "not_ruled_out" (warning signs left open) or "none" (self-care, nothing raised it).
    """

    kind: str
    id: str
    level: Level
    message: str
    findings: tuple[str, ...]
    sources: tuple[str, ...]
    causes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpenWarningSign:
    """A warning sign left unanswered or answered "don't know", and the level it would set."""

    finding: str
    level: Level


def red_flag_reasons(
    kb: KnowledgeBase, answers: Mapping[str, AnswerValue]
) -> list[TriageReason]:
    """Every red-flag rule that fires on these answers, most urgent first."""
    fired = [
        TriageReason(
            "red_flag",
            rule.id,
            rule.level,
            rule.message,
            tuple(rule.when.met(answers)),
            rule.sources,
            rule.guards,
        )
        for rule in kb.red_flags
        if rule.when.holds(answers)
    ]
    return sorted(fired, key=lambda r: -rank(r.level))


def rule_floor(kb: KnowledgeBase, answers: Mapping[str, AnswerValue]) -> Level:
    """The highest level of the red-flag rules that fire (self-care when none do)."""
    return highest([rule.level for rule in kb.red_flags if rule.when.holds(answers)])


def risk_level(kb: KnowledgeBase, scores: Scores) -> tuple[Level, float, dict[str, float]]:
    """The lowest level whose risk stays under its tolerance, with the risk that raised it
    there (the chance of a cause needing at least that level) and each cause's part."""
    tolerance = kb.guide.risk.tolerance
    risk, parts = 0.0, dict[str, float]()
    for level in LEVELS[:-1]:
        below, below_parts = scores.risk(rank(level))
        if below < tolerance[level]:
            return level, risk, parts
        risk, parts = below, below_parts
    return "emergency", risk, parts


def risk_reason(
    kb: KnowledgeBase,
    model: CauseModel,
    scores: Scores,
    answers: Mapping[str, AnswerValue],
) -> TriageReason | None:
    """The reason the cause posterior gives for a level above self-care, if it does."""
    level, risk, parts = risk_level(kb, scores)
    if level == "self_care":
        return None
    named = sorted(parts, key=lambda c: -parts[c])[:RISK_CAUSES_NAMED]
    evidence = model.strongest_evidence(answers, RISK_ANSWERS_SHOWN, WEAK_RATIO)
    # The answers a person would recognise as pointing there: yeses and numbers, not noes.
    raised = [
        e.finding
        for cause_id in named
        for e in evidence[cause_id]
        if e.raises and e.value is not False
    ]
    message = kb.guide.risk.message.format(
        percent=_percent(risk),
        level=kb.guide.levels[level].label,
        causes=", ".join(f"{kb.causes[c].name} ({_percent(parts[c])})" for c in named),
    )
    sources = tuple(dict.fromkeys(s for c in named for s in kb.causes[c].sources))
    return TriageReason(
        "risk",
        "cause_risk",
        level,
        message,
        tuple(dict.fromkeys(raised))[:RISK_ANSWERS_SHOWN],
        kb.guide.risk.sources + sources,
        tuple(named),
    )


def open_warning_signs(
    kb: KnowledgeBase, answers: Mapping[str, AnswerValue],
    risk: tuple[CauseModel, Level] | None = None,
) -> list[OpenWarningSign]:
    """Warning signs not answered, or answered "don't know", with the level each would set
    if it were present (most urgent first); and the numbers (an age) left unanswered that
    could still raise the level, through a rule or, given `risk` (the cause model and the
    level its risk sets now), the cause risk."""
    base = rule_floor(kb, answers)

    def floor_if_yes(fid: str) -> Level:
        # A yes can only make the rules that test this finding fire (no rule is stopped by a
        # warning sign's yes, checked at load), so only those are looked at again.
        with_yes = {**answers, fid: True}
        return highest(
            [base, *(r.level for r in kb.rules_testing.get(fid, ()) if r.when.holds(with_yes))]
        )

    out = [
        OpenWarningSign(fid, floor_if_yes(fid))
        for fid in kb.warning_signs
        if answers.get(fid) is None
    ]
    # Signs that do nothing alone, but with what the person said would make an emergency
    # (a swollen calf with pain on breathing), are open warning signs too.
    out += [
        OpenWarningSign(fid, "emergency")
        for fid in kb.combination_signs
        if answers.get(fid) is None and floor_if_yes(fid) == "emergency"
    ]
    out.sort(key=lambda w: -rank(w.level))
    numbers = kb.guide.not_ruled_out.numbers
    return out + [OpenWarningSign(fid, "soon") for fid in numbers
                  if answers.get(fid) is None
                  and _number_could_matter(kb, answers, fid, base, risk)]


def _number_could_matter(
    kb: KnowledgeBase, answers: Mapping[str, AnswerValue], fid: str, base: Level,
    risk: tuple[CauseModel, Level] | None,
) -> bool:
    """Whether some value of an unanswered number (an age) would raise the level with the
    other answers as they are: a warning-sign rule firing above `base`, or (given the model
    and the level its risk sets now) a higher cause risk. Only then is it left open: with
    every sign that needs an age answered "no", and a risk no age would raise, no age can
    change the level."""
    rules = kb.rules_testing.get(fid, ())
    bounds = {b for rule in rules for test, _ in rule.when.tests()
              if test.finding == fid for b in (test.at_least, test.at_most) if b is not None}
    if any(rank(rule.level) > rank(base) and rule.when.holds({**answers, fid: value})
           for value in {v for b in bounds for v in (b - 1, b, b + 1)} for rule in rules):
        return True
    if risk is None:
        return True  # without the model the risk cannot be ruled out
    model, now = risk
    # The model tells ages apart only by their ranges: one age from each covers them all.
    return any(rank(risk_level(kb, model.scores({**answers, fid: value}))[0]) > rank(now)
               for value in model.range_values(fid))


def not_ruled_out_reason(kb: KnowledgeBase, open_signs: list[OpenWarningSign]) -> TriageReason:
    """The reason self-care is not given while warning signs are open: "soon", or "urgent"
    when one of them, together with what the person said, would make it an emergency."""
    text = kb.guide.not_ruled_out
    completing = [
        w.finding
        for w in open_signs
        if w.level == "emergency" and kb.solo_levels.get(w.finding) != "emergency"
    ]
    if completing:
        return TriageReason(
            "not_ruled_out",
            "emergency_sign_not_answered",
            "urgent",
            text.message_with_what_you_said,
            tuple(completing),
            text.sources,
        )
    return TriageReason(
        "not_ruled_out",
        "warning_signs_not_answered",
        "soon",
        text.message,
        tuple(w.finding for w in open_signs),
        text.sources,
    )


def decide(reasons: list[TriageReason]) -> Level:
    """The triage level: the highest level any reason sets (self-care when none do)."""
    return highest([r.level for r in reasons])


def _percent(p: float) -> str:
    return "under 1%" if p < 0.01 else f"{round(100 * p)}%"
