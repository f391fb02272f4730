"""The exercise programme, day by day: from a self-care or "soon" result, four weeks of
exercises that fit the likely causes, minus those unsafe for this person.

Every rule is data in exercises.yaml (`programme`): the levels a programme is made for, the
sessions a day by week, how the dose grows each week (each exercise's `add_reps_each_week`,
new exercises from their `start_week`), and when the diary's pain rises enough to ease back
(one week back, one session a day fewer). Urgent and emergency results get no programme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from .answers import AnswerError, check_answers
from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase
from .knowledge_models import EaseBack, Exercise, Lesson
from .relief_plan import withholding_reasons
from .result import AssessmentResult

# The most days one request may list: the whole programme of the longest allowed length.
DAYS_MAX = 84


@dataclass(frozen=True)
class PlannedExercise:
    """An exercise on one day, with that day's dose."""

    exercise: Exercise
    reps: int
    hold_seconds: int | None

    @property
    def sides(self) -> int:
        """1, or 2 when the exercise is done on each side."""
        return self.exercise.sides

    def dose(self) -> str:
        """The dose in words, e.g. '5 times, hold 5 seconds' or '2 times each side'."""
        each = " each side" if self.sides == 2 else ""
        held = f", hold {self.hold_seconds} seconds" if self.hold_seconds else ""
        return f"{self.reps} times{each}{held}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"id": self.exercise.id, "name": self.exercise.name, "reps": self.reps,
                "hold_seconds": self.hold_seconds, "sides": self.sides, "dose": self.dose()}


@dataclass(frozen=True)
class WithheldExercise:
    """An exercise that would fit the causes but is not safe for this person, and why."""

    exercise: Exercise
    reasons: tuple[str, ...]
    findings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"id": self.exercise.id, "name": self.exercise.name,
                "reasons": list(self.reasons), "findings": list(self.findings)}


@dataclass(frozen=True)
class PlanDay:
    """One day of the programme."""

    day: date
    number: int  # 1 on the day of the check
    week: int  # the week whose dose is used (one back when easing)
    sessions: int
    exercises: tuple[PlannedExercise, ...]
    notes: tuple[str, ...]
    lesson: Lesson

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: date, exercises, sessions, notes, and the day's lesson."""
        return {"date": self.day.isoformat(), "day": self.number, "week": self.week,
                "sessions": self.sessions,
                "exercises": [planned.to_dict() for planned in self.exercises],
                "notes": list(self.notes),
                "lesson": {"title": self.lesson.title, "text": self.lesson.text}}


@dataclass(frozen=True)
class Programme:
    """The plan for a run of days, or why there is none (`message`)."""

    offered: bool
    level: str | None
    starts: date | None
    days: tuple[PlanDay, ...] = ()
    withheld: tuple[WithheldExercise, ...] = ()
    eased: bool = False
    message: str | None = None
    sources: tuple[str, ...] = field(default=())

    def day(self, when: date) -> PlanDay | None:
        """The plan for one date, if it is listed."""
        return next((d for d in self.days if d.day == when), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the API's and `upperback plan --json`'s)."""
        return {"offered": self.offered, "level": self.level,
                "starts": self.starts.isoformat() if self.starts else None,
                "eased": self.eased, "message": self.message,
                "days": [d.to_dict() for d in self.days],
                "withheld": [w.to_dict() for w in self.withheld],
                "sources": list(self.sources)}


def pain_rises(rule: EaseBack, scores: Sequence[int]) -> bool:
    """Whether the newest `average_of` pain scores (oldest first) average at least
    `rise_points` above the `average_of` before them."""
    n = rule.average_of
    if len(scores) < 2 * n:
        return False
    recent, before = scores[-n:], scores[-2 * n:-n]
    return fmean(recent) - fmean(before) >= rule.rise_points


def choose_exercises(
    kb: KnowledgeBase, answers: Mapping[str, AnswerValue], likely: Sequence[str]
) -> tuple[list[Exercise], list[WithheldExercise]]:
    """The exercises for the likely causes, and those withheld with the reasons (a
    contraindication that holds, or a likely cause the exercise is unsafe with)."""
    possible = set(likely)
    chosen: list[Exercise] = []
    withheld: list[WithheldExercise] = []
    for exercise in kb.exercises.values():
        if not set(exercise.for_causes) & possible:
            continue
        reasons, findings = withholding_reasons(exercise, answers, possible)
        if reasons:
            withheld.append(WithheldExercise(exercise, tuple(reasons),
                                             tuple(dict.fromkeys(findings))))
        else:
            chosen.append(exercise)
    return chosen, withheld


def make_programme(
    kb: KnowledgeBase,
    answers: Mapping[str, AnswerValue],
    result: AssessmentResult,
    checked_on: date,
    start: date,
    days: int = 7,
    pain_scores: Sequence[int] = (),
) -> Programme:
    """The programme from a check made on `checked_on`, listed for `days` days from `start`
    (only days inside the programme). None at a level the rules do not offer it at."""
    rules = kb.exercise_book.programme
    sources = rules.sources
    if result.triage not in rules.levels:
        return Programme(False, result.triage, None, message=rules.not_offered, sources=sources)
    chosen, withheld = choose_exercises(kb, answers, result.likely_causes)
    if not chosen:
        return Programme(False, result.triage, None, withheld=tuple(withheld),
                         message=rules.none_fit, sources=sources)
    eased = pain_rises(rules.ease_back, pain_scores)
    first_start = min(exercise.start_week for exercise in chosen)
    end = checked_on + timedelta(days=rules.weeks * 7)
    listed: list[PlanDay] = []
    for offset in range(max(0, min(days, DAYS_MAX))):
        day = max(start, checked_on) + timedelta(days=offset)
        if day >= end:
            break
        number = (day - checked_on).days + 1
        listed.append(_day(kb, result, chosen, day, number, first_start, eased))
    message = rules.ended if not listed and start >= end else None
    if eased and listed:
        message = rules.ease_back.message
    cited = tuple(dict.fromkeys([*sources, *(s for e in chosen for s in e.sources)]))
    return Programme(True, result.triage, checked_on, tuple(listed), tuple(withheld), eased,
                     message, cited)


def _day(kb: KnowledgeBase, result: AssessmentResult, chosen: Sequence[Exercise], day: date,
         number: int, first_start: int, eased: bool) -> PlanDay:
    rules = kb.exercise_book.programme
    week = (number - 1) // 7 + 1
    dose_week = max(1, week - 1) if eased else week
    sessions = max(1, rules.sessions_in_week(dose_week) - (1 if eased else 0))
    # Exercises open in their start week, counted from the first chosen one's: a plan whose
    # exercises all start in week 2 still has something to do on day 1.
    planned = tuple(
        PlannedExercise(exercise, exercise.reps_in_week(dose_week + first_start - 1),
                        exercise.hold_seconds)
        for exercise in chosen
        if exercise.start_week - first_start + 1 <= dose_week
    )
    notes: list[str] = []
    if eased:
        notes.append(rules.ease_back.message)
    for relief in result.relief:
        method = kb.relief.get(relief.id)
        if method is None or method.max_minutes is None:
            continue
        if number > rules.relief_days.get(relief.id, rules.weeks * 7):
            continue
        notes.append(rules.relief_note.format(name=method.name, minutes=method.max_minutes,
                                              repeat=method.repeat or "").strip())
    notes.append(rules.breaks)
    lessons = kb.exercise_book.lessons
    return PlanDay(day, number, dose_week, sessions, planned, tuple(notes),
                   lessons[(number - 1) % len(lessons)])


def no_programme(kb: KnowledgeBase) -> Programme:
    """What is shown before any check is saved."""
    rules = kb.exercise_book.programme
    return Programme(False, None, None, message=rules.no_check, sources=rules.sources)


def programme_for_check(
    kb: KnowledgeBase,
    answers: Mapping[str, object],
    saved_result: Mapping[str, Any],
    checked_on: date,
    start: date,
    days: int = 7,
    pain_scores: Sequence[int] = (),
) -> Programme:
    """The programme from a saved check (its answers and result as stored). A check this
    version cannot read gives no programme, with the message saying so."""
    rules = kb.exercise_book.programme
    result = AssessmentResult.from_saved(saved_result)
    try:
        checked = check_answers(kb, answers)
    except AnswerError:
        result = None
    if result is None:
        return Programme(False, None, None, message=rules.unreadable, sources=rules.sources)
    return make_programme(kb, checked, result, checked_on, start, days, pain_scores)


def sessions_done(programme: Programme, done_by_day: Mapping[date, int], until: date
                  ) -> tuple[int, int]:
    """(done, planned) over the programme's listed days up to and including `until`: a day
    counts at most the sessions planned for it."""
    past = [day for day in programme.days if day.day <= until]
    planned = sum(day.sessions for day in past)
    done = sum(min(day.sessions, done_by_day.get(day.day, 0)) for day in past)
    return done, planned
