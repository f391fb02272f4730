"""Medicines taken, checked against the label: a dose logged in the diary is warned about when
it is more than the label's single dose, pushes the day past its maximum (or its number of
doses), comes too soon after the last one, or is a medicine the person's last check withheld.

The limits are the knowledge base's (`label_limits` of a relief method, by age band, each with
its sources); the code only compares. The terminal's `upperback took`, the diary page's form
and `POST /api/v1/diary/medicines` all call `check_dose` and `dose_warnings`, so each warns
the same way.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, Literal, Protocol, TypeVar

from .clock import check_time
from .conditions import AnswerValue
from .errors import InputError
from .knowledge_base import KnowledgeBase
from .knowledge_models import ReliefMethod
from .limits import DOSE_MAX_MG

DAY = timedelta(hours=24)
WarningKind = Literal["single_dose", "daily_maximum", "doses_a_day", "too_soon", "withheld",
                      "not_for_age"]


class Dose(Protocol):
    """A dose already logged (the store's records have this shape)."""

    @property
    def medicine(self) -> str: ...

    @property
    def dose_mg(self) -> int: ...

    @property
    def taken_at(self) -> datetime: ...


@dataclass(frozen=True)
class NewDose:
    """A dose that passed the checks, ready to save."""

    medicine: str
    dose_mg: int
    taken_at: datetime | None = None


@dataclass(frozen=True)
class DoseWarning:
    """Why a dose goes against the label or the last check, in plain words, with sources."""

    kind: WarningKind
    message: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """The warning as plain data."""
        return {"kind": self.kind, "message": self.message, "sources": list(self.sources)}


def medicines(kb: KnowledgeBase) -> dict[str, ReliefMethod]:
    """The relief methods that are medicines taken by the dose, by id."""
    return {m.id: m for m in kb.relief.values() if m.is_medicine}


def medicine_allowed(kb: KnowledgeBase) -> str:
    """What the medicine field takes, in words."""
    names = [f"{m.id} ({', '.join(m.also_called)})" if m.also_called else m.id
             for m in medicines(kb).values()]
    return "one of " + ", ".join(names)


def find_medicine(kb: KnowledgeBase, name: object) -> ReliefMethod:
    """The medicine by its id or another name for it (any case), or InputError with a hint."""
    known = medicines(kb)
    text = name.strip().casefold() if isinstance(name, str) else ""
    for method in known.values():
        if text == method.id or text in (n.casefold() for n in method.also_called):
            return method
    names = [*known, *(n for m in known.values() for n in m.also_called)]
    hint = difflib.get_close_matches(text, names, n=1, cutoff=0.6)
    also = f" Did you mean {hint[0]!r}?" if hint else ""
    raise InputError("medicine", f"{name!r} is not a medicine the guide knows.{also}",
                     medicine_allowed(kb))


def check_dose(kb: KnowledgeBase, medicine: object, dose_mg: object,
               taken_at: object = None) -> NewDose:
    """A dose checked at the door: a known medicine, a whole number of mg from 1 to
    DOSE_MAX_MG, and a time (None: now). Raises InputError naming the first bad field."""
    method = find_medicine(kb, medicine)
    if isinstance(dose_mg, bool) or not isinstance(dose_mg, int) or not 1 <= dose_mg <= DOSE_MAX_MG:
        allowed = f"a whole number of milligrams from 1 to {DOSE_MAX_MG}"
        raise InputError("dose_mg", f"dose_mg must be {allowed}, not {dose_mg!r}.", allowed)
    return NewDose(method.id, dose_mg, check_time("taken_at", taken_at))


def _age(answers: Mapping[str, AnswerValue]) -> int | None:
    age = answers.get("age")
    return age if isinstance(age, int) and not isinstance(age, bool) else None


def dose_warnings(
    kb: KnowledgeBase,
    dose: NewDose,
    taken_at: datetime,
    others: Sequence[Dose],
    answers: Mapping[str, AnswerValue] | None = None,
) -> list[DoseWarning]:
    """What this dose, taken at `taken_at`, goes against: the label's limits for the age in
    the last check's `answers` (adults' when unknown), counting the `others` of the same
    medicine within 24 hours either side, and the last check's contraindications."""
    method = medicines(kb)[dose.medicine]
    answers = answers or {}
    found: list[DoseWarning] = []
    for contraindication in method.contraindications:
        if contraindication.when.holds(answers):
            found.append(DoseWarning(
                "withheld", f"Your last check left {method.name.lower()} out of your plan: "
                f"{contraindication.reason}", method.sources))
    age = _age(answers)
    band = method.limits_for(age)
    if band is None:
        found.append(DoseWarning(
            "not_for_age", f"The label gives no dose of {method.name.lower()} for age {age} "
            "without a doctor's advice. Ask a doctor or pharmacist.", method.sources))
        return found
    who = "adults" if band.max_age is None else f"ages {band.min_age} to {band.max_age}"
    same = [d for d in others if d.medicine == dose.medicine]
    if dose.dose_mg > band.single_max_mg:
        found.append(DoseWarning(
            "single_dose", f"{dose.dose_mg:,} mg is more than the label's single dose for "
            f"{who}: {band.single_max_mg:,} mg at a time.", band.sources))
    gaps = [abs(taken_at - d.taken_at) for d in same]
    if gaps and min(gaps) < timedelta(hours=band.hours_between):
        hours = min(gaps).total_seconds() / 3600
        found.append(DoseWarning(
            "too_soon", f"This dose is {_hours(hours)} from another dose of "
            f"{method.name.lower()}. The label says to wait at least {band.hours_between} hours "
            "between doses.", band.sources))
    # The worst 24 hours that hold this dose: each window starts at this dose or at one
    # taken less than a day before it.
    starts = [taken_at, *(d.taken_at for d in same if taken_at - DAY < d.taken_at <= taken_at)]
    windows = [[d for d in same if start <= d.taken_at < start + DAY] for start in starts]
    worst_mg = max(dose.dose_mg + sum(d.dose_mg for d in window) for window in windows)
    worst_count = max(len(window) + 1 for window in windows)
    if worst_mg > band.daily_max_mg:
        found.append(DoseWarning(
            "daily_maximum", f"With this dose you have taken {worst_mg:,} mg of "
            f"{method.name.lower()} within 24 hours. The label's maximum for {who} is "
            f"{band.daily_max_mg:,} mg in 24 hours. {method.too_much}",
            band.sources + method.sources))
    elif band.max_doses is not None and worst_count > band.max_doses:
        found.append(DoseWarning(
            "doses_a_day", f"This is dose {worst_count} of {method.name.lower()} within 24 "
            f"hours. The label says at most {band.max_doses} doses in 24 hours for {who}.",
            band.sources))
    return found


def _hours(hours: float) -> str:
    if hours * 60 < 1:
        return "less than a minute"
    if hours < 1:
        return f"{round(hours * 60)} minutes"
    return f"{hours:.1f} hours".replace(".0 hours", " hours")


Record = TypeVar("Record", covariant=True)


class SavedAnswers(Protocol):
    """What the checks need of the last saved check."""

    @property
    def answers(self) -> Mapping[str, AnswerValue]: ...


class MedicineLog(Protocol[Record]):
    """Where doses go (the store has this shape)."""

    def log_dose(self, medicine: str, dose_mg: int, taken_at: datetime | None = None
                 ) -> Record: ...

    def doses_near(self, moment: datetime, medicine: str | None = None) -> Sequence[Dose]: ...

    def latest_check(self) -> SavedAnswers | None: ...


@dataclass(frozen=True)
class LoggedDose(Generic[Record]):
    """A saved dose and what it goes against (often nothing)."""

    dose: Record
    warnings: list[DoseWarning]


def log_dose(kb: KnowledgeBase, log: MedicineLog[Record], dose: NewDose,
             now: datetime | None = None) -> LoggedDose[Record]:
    """Save a checked dose and say what it goes against: the one way to log a dose, for the
    terminal, the diary page and the API alike. The dose is saved even when warned about:
    it was taken, and the diary must add it up."""
    taken_at = dose.taken_at or now or datetime.now(UTC)
    others = log.doses_near(taken_at, dose.medicine)
    latest = log.latest_check()
    warnings = dose_warnings(kb, dose, taken_at, others, latest.answers if latest else None)
    return LoggedDose(log.log_dose(dose.medicine, dose.dose_mg, taken_at), warnings)


@dataclass(frozen=True)
class DoseSummary:
    """One medicine's doses over a period, by calendar day, against the label's maximum."""

    medicine: str
    name: str
    doses: int
    total_mg: int
    days: int
    most_in_a_day_mg: int
    daily_max_mg: int | None
    days_over: tuple[str, ...]  # the dates (YYYY-MM-DD, local) whose total passed it
    by_day: tuple[tuple[str, int], ...] = ()  # (date, mg taken that day), oldest first


def dose_summaries(kb: KnowledgeBase, doses: Sequence[Dose],
                   answers: Mapping[str, AnswerValue] | None = None) -> list[DoseSummary]:
    """Each medicine's doses in `doses`, added up by local calendar day, with the days over
    the label's daily maximum for the age in `answers` (adults' when unknown)."""
    from .clock import local

    known = medicines(kb)
    age = _age(answers or {})
    found: list[DoseSummary] = []
    for medicine_id, method in known.items():
        taken = [d for d in doses if d.medicine == medicine_id]
        if not taken:
            continue
        by_day: dict[str, int] = {}
        for dose in taken:
            day = local(dose.taken_at).date().isoformat()
            by_day[day] = by_day.get(day, 0) + dose.dose_mg
        band = method.limits_for(age)
        limit = band.daily_max_mg if band else None
        over = tuple(day for day, mg in sorted(by_day.items()) if limit is not None and mg > limit)
        found.append(DoseSummary(medicine_id, method.name, len(taken),
                                 sum(d.dose_mg for d in taken), len(by_day),
                                 max(by_day.values()), limit, over,
                                 tuple(sorted(by_day.items()))))
    return found
