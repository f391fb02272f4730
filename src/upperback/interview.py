"""The adaptive interview: red-flag screens first, then the most telling question, then safety.

1. Screens, in order: age first (so that age-dependent warning signs can fire on the first
   checklist), then grouped checklists of warning signs. Sex and how long it has hurt are
   explore questions: a half-met warning sign asks them as a follow-up, and the sweep asks
   them whenever a rule that reads them could still fire.
   The interview ends the moment the level is an emergency. Once it is urgent, it asks only
   what could still make it an emergency or keeps the plan safe, at most
   `MAX_AFTER_URGENT` more questions.
   Follow-ups: when a red-flag rule is half met (some of its answers are yes and the rest
   not yet asked) and could raise the triage, the questions that settle it come next.
2. Explore: each next question is the one with the highest expected information gain over
   the causes, until the leading cause is settled or no question would tell us much.
3. Sweep: any question that could still make a red-flag rule fire above the current level
   is asked, so the red flags are cleared before the end.
4. Plan: the questions that keep the relief plan safe (skipped in an emergency).

Answering a question that was not asked is allowed (its findings count, and it is not asked
again). Answering after the interview has finished raises `InterviewFinished`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from .answers import check_answers
from .assessment import Assessment, assess_checked, model_for
from .bayes import CauseModel
from .conditions import AnswerValue
from .errors import UpperbackError
from .knowledge_base import KnowledgeBase, load_knowledge
from .knowledge_models import Question, RedFlagRule
from .levels import rank
from .triage import rule_floor

# The leading cause counts as settled when it holds this share of the probability...
SETTLED_SHARE = 0.6
# ...or when the top three hold this much between them.
SETTLED_TOP3 = 0.9
# A question expected to tell us less than this (bits) is not worth asking. 0.15 rather than
# 0.05: on the case library's tuning part and the protocol's real-source cases, the questions
# between the two told nothing that changed a level or the first three causes, and they cost
# the person one more checklist (median 12.5 -> 12 on the real-source cases).
MIN_GAIN_BITS = 0.15
# Always ask at least this many explore questions: after the screens alone, the ranking
# still mostly reflects how common each cause is, not what this person has.
MIN_EXPLORE = 2
# Never ask more explore questions than this, so the interview stays short.
MAX_EXPLORE = 6
# Once the level is urgent, the person should be on their way: ask at most this many more.
MAX_AFTER_URGENT = 3


class InterviewFinished(UpperbackError, ValueError):
    """The interview has ended; start a new one to change the answers."""


class Interview:
    """One person's interview. `next_question()` gives None when it has finished."""

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        answers: Mapping[str, object] | None = None,
    ) -> None:
        self.kb = knowledge or load_knowledge()
        self._model: CauseModel = model_for(self.kb)
        self._answers: dict[str, AnswerValue] = {}
        self._asked: list[Question] = []
        # The rank of the level the rules set after each answered question (see _level).
        self._levels: list[int] = []
        self._pending: Question | None = None
        self._finished = False
        # The progress count shown at each question number (see questions_left).
        self._shown_left: dict[int, int | None] = {}
        if answers:
            self._answers.update(check_answers(self.kb, answers))

    @classmethod
    def replayed(cls, knowledge: KnowledgeBase, answers: Mapping[str, AnswerValue]
                 ) -> Interview:
        """An interview that has asked, in order, the questions these (checked) answers
        reply to, so that going back walks through them: a check resumed after a stop, or
        one kept between a web form's pages. Answers to questions not reached yet still
        count, and are not asked again."""
        interview = cls(knowledge)
        remaining = dict(answers)
        while remaining:
            question = interview.next_question()
            if question is None or any(f not in remaining for f in question.findings):
                break
            interview.progress_left()  # as each question was shown: the count only goes down
            interview.answer({f: remaining.pop(f) for f in question.findings})
        if remaining and not interview.finished:
            interview.answer(remaining)
        return interview

    @property
    def answers(self) -> dict[str, AnswerValue]:
        """The answers given so far (a copy)."""
        return dict(self._answers)

    @property
    def asked(self) -> list[Question]:
        """The questions answered so far, in order."""
        return list(self._asked)

    @property
    def finished(self) -> bool:
        """True once the interview has no more questions."""
        # next_question() keeps the question it chose, so this does not choose it again.
        return self.next_question() is None

    def next_question(self) -> Question | None:
        """The question to ask now, or None when the interview has finished."""
        if self._finished:
            return None
        if self._pending is None:
            self._pending = self._choose()
            if self._pending is None:
                self._finished = True
        return self._pending

    def answer(self, answers: Mapping[str, object]) -> None:
        """Record answers (finding id -> value, None for "don't know")."""
        if self._finished:
            raise InterviewFinished(
                "the interview has finished; start a new interview to change answers"
            )
        checked = check_answers(self.kb, answers)
        self._answers.update(checked)
        if self._pending is not None and set(self._pending.findings) <= set(self._answers):
            self._asked.append(self._pending)
            self._levels.append(self._level())
            self._pending = None
        elif self._pending is not None:
            # Answers to other questions (a person's own words, the body map) came first:
            # choose again, so that an emergency they state ends the interview at once.
            self._pending = None

    def back(self) -> Question | None:
        """Undo the last answered question and return it, so it can be asked again."""
        if not self._asked:
            return None
        question = self._asked.pop()
        self._levels.pop()
        # The counts shown from here on are shown afresh when these questions come again.
        self._shown_left = {n: c for n, c in self._shown_left.items() if n <= len(self._asked)}
        for finding_id in question.findings:
            self._answers.pop(finding_id, None)
        self._pending = question
        self._finished = False
        return question

    def is_emergency(self) -> bool:
        """True when the answers so far already call for emergency help."""
        return self._level() == rank("emergency")

    def result(self) -> Assessment:
        """The assessment of the answers so far."""
        return assess_checked(self.kb, self._answers)

    def questions_left(self) -> int:
        """A rough count of the questions still to come (at least 1 until the end, 0 after):
        the API's number. For words shown to a person, use progress_left()."""
        return 0 if self.finished else self._estimate_left()

    def progress_left(self) -> int | None:
        """An honest count of the questions still to come, for a progress display: it only
        ever goes down from one question to the next, and when the rough estimate would not
        go down (a follow-up came up, or the estimate is stuck at its floor) it is None, for
        "not sure" (show the question's number alone). 0 once the interview has finished."""
        if self.finished:
            return 0
        number = len(self._asked)
        if number in self._shown_left:
            return self._shown_left[number]
        earlier = [c for n, c in sorted(self._shown_left.items()) if n < number and c is not None]
        estimate = self._estimate_left()
        shown = estimate if not earlier or estimate < earlier[-1] else None
        self._shown_left[number] = shown
        return shown

    def _estimate_left(self) -> int:
        """A rough count of the questions still to come: the open screens, the explore
        questions still likely, and the open plan questions (at least 1)."""
        screens = sum(1 for q in self._stage("screen") if self._open(q))
        explore_done = sum(1 for q in self._asked if q.stage == "explore")
        explore_left = min(
            max(0, 3 - explore_done), sum(1 for q in self._stage("explore") if self._open(q))
        )
        plan = sum(1 for q in self._stage("plan") if self._open(q))
        return max(1, screens + explore_left + plan)

    # -- choosing -------------------------------------------------------------------------

    def _stage(self, stage: str) -> list[Question]:
        return [q for q in self.kb.questions if q.stage == stage]

    def _open(self, question: Question) -> bool:
        return any(f not in self._answers for f in question.findings)

    def _level(self) -> int:
        """The level the warning-sign rules set so far. The cause risk is left out while the
        interview runs: before the person has said much, it mostly reflects how common each
        cause is, and it must not cut the questions short. It counts in the result."""
        return rank(rule_floor(self.kb, self._answers))

    def _choose(self) -> Question | None:
        floor = self._level()
        if floor == rank("emergency"):
            return None
        if floor >= rank("urgent"):
            return self._after_urgent()
        for question in self._stage("screen"):
            if self._open(question):
                return question
        follow_up = self._open_red_flag(floor, half_met_only=True)
        if follow_up is not None:
            return follow_up
        explored = sum(1 for q in self._asked if q.stage == "explore")
        candidates = [q for q in self._stage("explore") if self._open(q)]
        if candidates and explored < MAX_EXPLORE:
            shares = self._model.scores(self._answers).shares
            if not _settled(shares, explored):
                best, gain = self._most_telling(candidates, shares)
                if gain >= MIN_GAIN_BITS:
                    return best
        sweep = self._open_red_flag(floor, half_met_only=False)
        if sweep is not None:
            return sweep
        for question in self._stage("plan"):
            if self._open(question):
                return question
        return None

    def _after_urgent(self) -> Question | None:
        """At urgent: only what could still make it an emergency, then the plan's safety
        questions, and at most MAX_AFTER_URGENT of them."""
        urgent_since = next(
            (i for i, level in enumerate(self._levels) if level >= rank("urgent")),
            len(self._levels),
        )
        if len(self._asked) - (urgent_since + 1) >= MAX_AFTER_URGENT:
            return None
        raising = self._most_raising(rank("urgent"))
        if raising is not None:
            return raising
        return next((q for q in self._stage("plan") if self._open(q)), None)

    def _most_raising(self, floor: int) -> Question | None:
        """The open question that could make the most rules above `floor` fire."""
        counts: dict[str, int] = {}
        for rule in self.kb.red_flags:
            if rank(rule.level) <= floor:
                continue
            needed = self._needed_to_fire(rule)
            for question_id in {self.kb.question_of[f].id for f in needed}:
                counts[question_id] = counts.get(question_id, 0) + 1
        if not counts:
            return None
        order = {q.id: i for i, q in enumerate(self.kb.questions)}
        best = max(counts, key=lambda q: (counts[q], -order[q]))
        return next(q for q in self.kb.questions if q.id == best)

    def _needed_to_fire(self, rule: RedFlagRule) -> list[str]:
        """The unanswered findings that, answered as the rule hopes, would make it fire
        (empty when the rule cannot fire, or fires already)."""
        hoped: dict[str, AnswerValue] = dict(self._answers)
        unanswered = []
        for test, negated in rule.when.tests():
            if test.finding in self._answers or negated:
                continue
            unanswered.append(test.finding)
            bound = test.at_least if test.at_least is not None else test.at_most
            hoped[test.finding] = test.equals if bound is None else bound
        return unanswered if unanswered and rule.when.holds(hoped) else []

    def _open_red_flag(self, floor: int, half_met_only: bool) -> Question | None:
        """A question that could still make a red-flag rule above the current floor fire.

        With half_met_only, only rules that some answer already points to (follow-ups);
        without, every rule (the safety sweep that clears the red flags before the end).
        `floor` is the rank of the level the rules already set.
        """
        for rule in self.kb.red_flags:
            if rank(rule.level) <= floor:
                continue
            if half_met_only and not rule.when.met(self._answers):
                continue
            needed = self._needed_to_fire(rule)
            if needed:
                return self.kb.question_of[needed[0]]
        return None

    def _most_telling(
        self, candidates: Sequence[Question], shares: Sequence[float]
    ) -> tuple[Question, float]:
        scored = [(self._gain(q, shares), i, q) for i, q in enumerate(candidates)]
        gain, _, best = max(scored, key=lambda item: (item[0], -item[1]))
        return best, gain

    def _gain(self, question: Question, shares: Sequence[float]) -> float:
        # A checklist's gain is taken as the sum of its items' gains: an upper bound that is
        # cheap to compute and ranks checklists well in practice.
        return sum(
            self._finding_gain(f, shares) for f in question.findings if f not in self._answers
        )

    def _finding_gain(self, finding_id: str, shares: Sequence[float]) -> float:
        table = self._model.probability.get(finding_id)
        if table is None:
            return 0.0
        before = _entropy(shares)
        expected = 0.0
        for likelihoods in table.values():
            joint = [s * p for s, p in zip(shares, likelihoods, strict=True)]
            total = sum(joint)
            if total > 0:
                expected += total * _entropy([j / total for j in joint])
        return before - expected


def _settled(shares: Sequence[float], explored: int) -> bool:
    """The leading cause is settled (after the minimum number of explore questions)."""
    if explored < MIN_EXPLORE:
        return False
    ordered = sorted(shares, reverse=True)
    return ordered[0] >= SETTLED_SHARE or sum(ordered[:3]) >= SETTLED_TOP3


def _entropy(shares: Sequence[float]) -> float:
    return -sum(p * math.log2(p) for p in shares if p > 0)
