"""Request and response models of the JSON API (they also make the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from upperback.conditions import AnswerValue
from upperback.levels import Level
from upperback.limits import (
    NOTE_MAX,
    PAIN_MAX,
    PAIN_MIN,
    SHORT_TEXT_MAX,
    SYMPTOMS_MAX,
    pain_allowed,
    text_allowed,
)
from upperback.result import AssessmentResult, EscalationResult, SourceShown, TriageResult

ANSWERS_ALLOWED = (
    "an object of finding id to true, false, a whole number, a value name, or null "
    "(don't know); see GET /api/v1/knowledge/findings"
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- requests --------------------------------------------------------------------------------


class AnswersIn(Strict):
    """A person's answers: finding id -> value."""

    answers: dict[str, Any] = Field(
        description=ANSWERS_ALLOWED,
        examples=[{"age": 34, "hunched_posture": True, "chest_pain_pressure": False}],
    )


class DiaryEntryIn(Strict):
    """A new pain diary entry."""

    pain: int = Field(strict=True, ge=PAIN_MIN, le=PAIN_MAX, description=pain_allowed())
    where: str | None = Field(default=None, max_length=SHORT_TEXT_MAX,
                              description=text_allowed("where"))
    helped: str | None = Field(default=None, max_length=SHORT_TEXT_MAX,
                               description=text_allowed("helped"))
    note: str | None = Field(default=None, max_length=NOTE_MAX, description=text_allowed("note"))
    symptoms: list[str] = Field(
        default_factory=list, max_length=SYMPTOMS_MAX,
        description=f"at most {SYMPTOMS_MAX} yes/no finding ids (new symptoms)",
    )
    created_at: datetime | None = Field(
        default=None, description="an ISO 8601 date and time, or null for now"
    )


class TimerIn(Strict):
    """A finished (or stopped) ice or heat session."""

    kind: Literal["ice", "heat"] = Field(description="one of ice, heat")
    # The longest session is each method's max_minutes in the knowledge base, checked by the
    # core (upperback.sessions), so it is not written here again.
    planned_minutes: int = Field(
        strict=True, ge=1,
        description="a whole number of minutes from 1 to the method's limit "
        "(see max_minutes in GET /api/v1/knowledge/relief)",
    )
    seconds: int = Field(strict=True, ge=0,
                         description="the seconds the pack was on, from 0 to the planned time")
    completed: bool = Field(strict=True, description="true if the countdown ran to the end")
    started_at: datetime | None = Field(
        default=None, description="an ISO 8601 date and time, or null for now minus seconds"
    )


# -- knowledge -------------------------------------------------------------------------------


SourceOut = SourceShown


class FindingOut(Strict):
    id: str
    group: str
    type: Literal["bool", "int", "enum"]
    label: str
    meaning: str
    question: str
    item: str | None
    help: str
    min: int | None
    max: int | None
    unit: str | None
    values: list[str] | None
    value_labels: dict[str, str] | None
    allowed: str


class QuestionOut(Strict):
    id: str
    stage: Literal["screen", "explore", "plan"]
    kind: Literal["checklist", "yes_no", "number", "choice"]
    text: str
    why: str
    findings: list[FindingOut]


class CauseSummaryOut(Strict):
    id: str
    name: str
    summary: str
    urgency: Level
    urgency_label: str


class ReliefLink(Strict):
    id: str
    name: str
    why: str


class CauseOut(CauseSummaryOut):
    feels_like: str
    icd10: str | None
    what_to_do: list[str]
    when_to_get_help: str
    relief: list[ReliefLink]
    sources: list[SourceOut]


class ReliefSummaryOut(Strict):
    id: str
    name: str
    summary: str
    max_minutes: int | None
    default_minutes: int | None
    timer: Literal["ice", "heat"] | None


class ReliefOut(ReliefSummaryOut):
    how_to: list[str]
    safety: list[str]
    repeat: str | None
    not_for: list[str]
    for_causes: list[ReliefLink]
    sources: list[SourceOut]


class LevelOut(Strict):
    level: Level
    label: str
    headline: str
    action: str
    steps: list[str]


class GuideOut(Strict):
    title: str
    disclaimer: str
    get_help_now: LevelOut
    come_back_if: list[str]
    if_not_improving: str
    causes: list[CauseSummaryOut]
    relief: list[ReliefSummaryOut]
    sources: list[SourceOut]


# -- assessment: the core's typed result is the schema (upperback.result) ----------------------

AssessmentOut = AssessmentResult
TriageOut = TriageResult
EscalationOut = EscalationResult


class InterviewOut(Strict):
    """The next question to ask, or the result when the interview has finished."""

    status: Literal["question", "result"]
    should_stop: bool = Field(description="true when there are no more questions")
    has_emergency_evidence: bool = Field(description="true when the answers call for help now")
    question: QuestionOut | None
    questions_left: int
    asked: list[str] = Field(description="the questions answered so far, in order")
    result: AssessmentOut | None


# -- diary and checks -------------------------------------------------------------------------


class DiaryEntryOut(Strict):
    id: int
    created_at: datetime
    pain: int
    where: str | None
    helped: str | None
    note: str | None
    symptoms: list[str]


class NewDiaryEntryOut(DiaryEntryOut):
    """The saved entry, and `escalation`: null, or the new level its symptoms call for."""

    escalation: EscalationOut | None


class TrendOut(Strict):
    message: str
    level: Level
    sources: list[SourceOut]


class TimerOut(Strict):
    id: int
    started_at: datetime
    kind: Literal["ice", "heat"]
    planned_minutes: int
    seconds: int
    completed: bool


class NewTimerOut(TimerOut):
    """The saved session, and the cautions the last check's answers raise for it."""

    cautions: list[str] = Field(
        description="why this method may not be safe for you, from your last check's answers"
    )


class CheckSummaryOut(Strict):
    id: int
    created_at: datetime
    triage: Level | None
    triage_label: str | None


class CheckOut(CheckSummaryOut):
    answers: dict[str, AnswerValue]
    result: dict[str, Any] = Field(description="the assessment as it was saved (see AssessmentOut)")


class DeletedOut(Strict):
    deleted: bool


class HealthOut(Strict):
    status: Literal["ok"]


class AboutOut(Strict):
    version: str
    database: str
    offline: bool
    disclaimer: str
