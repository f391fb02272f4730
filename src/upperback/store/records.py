"""What the store hands back: plain, frozen records, detached from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..sessions import TimerKind

if TYPE_CHECKING:
    from ..result import AssessmentResult

R = TypeVar("R")


@dataclass(frozen=True)
class CheckRecord:
    """A saved check: the answers given and the assessment made from them (Assessment.to_dict)."""

    id: int
    created_at: datetime
    answers: dict[str, Any]
    result: dict[str, Any]
    version: str | None = None

    @property
    def triage(self) -> str | None:
        """The triage level of this check, e.g. 'soon'."""
        value = self.result.get("triage")
        return value if isinstance(value, str) else None

    def assessment(self) -> AssessmentResult | None:
        """The saved result read back into the typed result, or None when it cannot be (a
        result saved in an older shape): callers then show what the record itself holds."""
        from ..result import AssessmentResult

        return AssessmentResult.from_saved(self.result)


@dataclass(frozen=True)
class DiaryEntry:
    """One pain diary entry: a score from 0 to 10 and what the person noted."""

    id: int
    created_at: datetime
    pain: int
    where: str | None = None
    helped: str | None = None
    note: str | None = None
    symptoms: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The entry as plain data (times stay datetimes; JSON layers format them)."""
        return {
            "id": self.id,
            "created_at": self.created_at,
            "pain": self.pain,
            "where": self.where,
            "helped": self.helped,
            "note": self.note,
            "symptoms": list(self.symptoms),
        }


@dataclass(frozen=True)
class TimerSession:
    """One ice or heat session run with the timer."""

    id: int
    started_at: datetime
    kind: TimerKind
    planned_minutes: int
    seconds: int
    completed: bool

    def as_dict(self) -> dict[str, Any]:
        """The session as plain data (times stay datetimes; JSON layers format them)."""
        return {
            "id": self.id,
            "started_at": self.started_at,
            "kind": self.kind,
            "planned_minutes": self.planned_minutes,
            "seconds": self.seconds,
            "completed": self.completed,
        }


@dataclass(frozen=True)
class MedicineDose:
    """One dose of an over-the-counter medicine the person logged."""

    id: int
    taken_at: datetime
    medicine: str
    dose_mg: int

    def as_dict(self) -> dict[str, Any]:
        """The dose as plain data (times stay datetimes; JSON layers format them)."""
        return {"id": self.id, "taken_at": self.taken_at, "medicine": self.medicine,
                "dose_mg": self.dose_mg}


@dataclass(frozen=True)
class ExerciseSession:
    """One exercise session: which exercises, each done or skipped."""

    id: int
    started_at: datetime
    planned: bool
    exercises: list[tuple[str, bool]]

    @property
    def done(self) -> int:
        """How many of its exercises were done (not skipped)."""
        return sum(1 for _, done in self.exercises if done)

    def as_dict(self) -> dict[str, Any]:
        """The session as plain data (times stay datetimes; JSON layers format them)."""
        return {"id": self.id, "started_at": self.started_at, "planned": self.planned,
                "exercises": [{"id": i, "done": done} for i, done in self.exercises]}


@dataclass(frozen=True)
class PainPoint:
    """A diary entry as far as the chart and the trend care: when, and the pain (0-10)."""

    created_at: datetime
    pain: int


@dataclass(frozen=True)
class Page(Generic[R]):
    """One page of a list (`Store.entries_page`, `checks_page`, `timers_page`), newest first.

    Pages are keyed by each record's time and id, so rows added while someone pages through do
    not shift the pages: they appear only on the first page. `next` is the `before` cursor of
    the page of older records (None when there are none). `has_previous` says whether there are
    newer records; `previous` is then the `before` cursor of their page, or None when that page
    is the first one (asked for without a cursor). Cursors are opaque text.
    """

    items: list[R]
    next: str | None = None
    previous: str | None = None
    has_previous: bool = False


@dataclass(frozen=True)
class Window(Generic[R]):
    """The records of one period (`Store.entries_between` and the like): the newest `limit`
    of them, oldest first, and how many the period holds in all."""

    items: list[R]
    total: int

    @property
    def cut(self) -> bool:
        """Whether the period holds more records than `items`."""
        return self.total > len(self.items)


@dataclass(frozen=True)
class Counts:
    """How many records the store holds, of each kind."""

    checks: int
    entries: int
    timers: int
    doses: int = 0
