"""Request and response models of the JSON API (they also make the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from upperback.clock import TIME_ALLOWED, check_time
from upperback.conditions import AnswerValue
from upperback.errors import InputError
from upperback.knowledge_base import KnowledgeBase
from upperback.levels import Level
from upperback.limits import (
    DOSE_MAX_MG,
    NOTE_MAX,
    PAIN_MAX,
    PAIN_MIN,
    SHORT_TEXT_MAX,
    SYMPTOMS_MAX,
    pain_allowed,
    text_allowed,
)
from upperback.result import AssessmentResult, EscalationResult, SourceShown, TriageResult
from upperback.sessions import TIMER_KINDS, session_limit

ANSWERS_ALLOWED = (
    "an object of finding id to true, false, a whole number, a value name, or null "
    "(don't know); see GET /api/v1/knowledge/findings"
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- requests --------------------------------------------------------------------------------


def _whole(value: object) -> object:
    """6.0 -> 6: JSON Schema counts a number whose fraction is zero as an integer, so the API
    does too. 6.5 and true are left as they are, for the strict integer check to refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A strict integer (never a bool, never a string of digits) that may be written 6.0. The
# schema stays {"type": "integer"}: the validator runs before the strict check.
WholeNumber = Annotated[int, BeforeValidator(_whole)]


def _time(value: object) -> object:
    """A time as the core accepts it (upperback.clock): ISO 8601 text with a zone, from 1900 to
    tomorrow. Pydantic alone would also take a number, or digits, as seconds since 1970."""
    try:
        return check_time("the time", value)
    except InputError as error:  # one error of the request, named by its field (created_at)
        raise PydanticCustomError("time", str(error)) from None


# The schema stays {"type": "string", "format": "date-time"}.
Time = Annotated[datetime, BeforeValidator(_time)]


def _one_answer(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """One error naming the answer (answers.<id>) rather than one per type of the union."""
    try:
        return handler(_whole(value))
    except ValidationError:
        raise PydanticCustomError(
            "answer_type", "an answer is true, false, a whole number, a value name, or null"
        ) from None


# What the schema promises for each answer; which of these a finding takes (and its range or
# values) is checked by upperback.answers.check_answers, whose errors name answers.<id>.
AnswerIn = Annotated[bool | int | str | None, WrapValidator(_one_answer)]


class AnswersIn(Strict):
    """A person's answers: finding id -> value."""

    # Strict: true stays a bool, 1 an int and "1" a string (lax mode would turn them into
    # each other).
    model_config = ConfigDict(extra="forbid", strict=True)

    answers: dict[str, AnswerIn] = Field(
        description=ANSWERS_ALLOWED,
        examples=[{"age": 34, "hunched_posture": True, "chest_pain_pressure": False}],
    )


class _NoControlCharacters:
    """Says in the schema what upperback.diary.clean_text refuses in a diary text: a control
    character (Unicode category Cc) other than a tab or a line end. Only documented: the core
    checks it, and its error names the field."""

    PATTERN = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return handler(schema) | {"pattern": self.PATTERN}


DiaryText = Annotated[str, _NoControlCharacters()]


def answers_schema(kb: KnowledgeBase) -> dict[str, Any]:
    """The JSON Schema of `answers` for this knowledge base: each finding id, with what it
    takes (the same as upperback.answers.check_answer checks), and no other key.

    The model's own schema can only say "any key, a bool, int, string or null": the app puts
    this one in its OpenAPI document (see `document_knowledge`), so that what the document
    allows is what is accepted.
    """
    properties: dict[str, Any] = {}
    for finding in kb.findings.values():
        value: dict[str, Any]
        if finding.type == "bool":
            value = {"type": "boolean"}
        elif finding.type == "int":
            value = {"type": "integer", "minimum": finding.min, "maximum": finding.max}
        else:
            value = {"type": "string", "enum": list(finding.values or ())}
        properties[finding.id] = {"anyOf": [value, {"type": "null"}],
                                  "description": finding.allowed()}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def document_knowledge(document: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """The OpenAPI document with what the knowledge base allows, where the request models
    cannot say it: the answers' finding ids and values; the symptoms' yes/no finding ids (the
    core also takes a symptom written as its label, e.g. "Chest pain pressure"); the longest
    ice or heat session (each method's max_minutes: the longest of them, as one schema)."""
    schemas = document["components"]["schemas"]
    for model in ("AnswersIn", "InterviewIn"):
        schemas[model]["properties"]["answers"].update(answers_schema(kb))
    yes_no = [f.id for f in kb.findings.values() if f.type == "bool"]
    schemas["DiaryEntryIn"]["properties"]["symptoms"]["items"] = {"type": "string",
                                                                  "enum": yes_no}
    schemas["DiaryEntryIn"]["properties"]["regions"]["items"] = {
        "type": "string", "enum": [region.id for region in kb.body_map.regions]}
    longest = max(session_limit(kb, kind) for kind in TIMER_KINDS)
    timer = schemas["TimerIn"]["properties"]
    timer["planned_minutes"]["maximum"] = longest
    timer["seconds"]["maximum"] = longest * 60
    return document


# At most this many body map places on one entry (there are fewer places than this).
REGIONS_MAX = 30

# The diary's texts, as a new entry and a change to one both take them.
WhereText = Annotated[DiaryText | None, Field(max_length=SHORT_TEXT_MAX,
                                              description=text_allowed("where"))]
HelpedText = Annotated[DiaryText | None, Field(max_length=SHORT_TEXT_MAX,
                                               description=text_allowed("helped"))]
NoteText = Annotated[DiaryText | None, Field(max_length=NOTE_MAX,
                                             description=text_allowed("note"))]


class DiaryEntryIn(Strict):
    """A new pain diary entry."""

    pain: WholeNumber = Field(strict=True, ge=PAIN_MIN, le=PAIN_MAX,
                              description=pain_allowed())
    where: WhereText = None
    helped: HelpedText = None
    note: NoteText = None
    symptoms: list[str] = Field(
        default_factory=list, max_length=SYMPTOMS_MAX,
        description=f"at most {SYMPTOMS_MAX} yes/no finding ids (new symptoms)",
    )
    # The body map's places: kept, by their labels, at the start of the entry's `where`.
    regions: list[str] = Field(
        default_factory=list, max_length=REGIONS_MAX,
        description="body map region ids (listed in this schema's enum); kept as their "
                    "labels at the start of `where`",
    )
    created_at: Time | None = Field(default=None, description=f"{TIME_ALLOWED}, or null for now")


class DiaryEntryPatch(Strict):
    """Changes to a diary entry: only the fields given change (a text given as null clears
    it). The symptoms of an entry cannot be changed: they may have raised the level."""

    # Pain and the time can be changed but not cleared: not nullable in the schema (the
    # default is never used; only the fields sent count, `model_fields_set`).
    pain: WholeNumber = Field(default=None, strict=True, ge=PAIN_MIN,  # type: ignore[assignment]
                              le=PAIN_MAX, description=pain_allowed())
    where: WhereText = None
    helped: HelpedText = None
    note: NoteText = None
    created_at: Time = Field(default=None, description=TIME_ALLOWED)  # type: ignore[assignment]


class TimerIn(Strict):
    """A finished (or stopped) ice or heat session."""

    kind: Literal["ice", "heat"] = Field(description="one of ice, heat")
    # The longest session is each method's max_minutes in the knowledge base, checked by the
    # core (upperback.sessions), so it is not written here again.
    planned_minutes: WholeNumber = Field(
        strict=True, ge=1,
        description="a whole number of minutes from 1 to the method's limit "
        "(see max_minutes in GET /api/v1/knowledge/relief)",
    )
    seconds: WholeNumber = Field(
        strict=True, ge=0, description="the seconds the pack was on, from 0 to the planned time"
    )
    completed: bool = Field(strict=True, description="true if the countdown ran to the end")
    started_at: Time | None = Field(
        default=None, description=f"{TIME_ALLOWED}, or null for now minus seconds"
    )


class MedicineDoseIn(Strict):
    """A dose of an over-the-counter medicine, taken now or earlier."""

    medicine: str = Field(
        max_length=40, description="acetaminophen (or paracetamol) or ibuprofen: a relief "
        "method with label limits (see GET /api/v1/knowledge/relief)",
    )
    dose_mg: WholeNumber = Field(strict=True, ge=1, le=DOSE_MAX_MG,
                                 description=f"a whole number of milligrams from 1 to "
                                 f"{DOSE_MAX_MG}")
    at: Time | None = Field(default=None, description=f"{TIME_ALLOWED}, or null for now")


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


class PhoneOut(Strict):
    label: str = Field(description="Who answers and where, e.g. 'Emergency, UK'.")
    number: str = Field(description="The number to dial (digits only, for a tel: link).")


class LevelOut(Strict):
    level: Level
    label: str
    headline: str
    action: str
    steps: list[str]
    phones: list[PhoneOut] = Field(
        default_factory=list,
        description="Numbers to call: the emergency lines (and lines for urgent help) at "
        "emergency; the lines for urgent help at urgent; none otherwise.")


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


class TextIn(Strict):
    """A person's own words about their pain."""

    text: str = Field(max_length=2000, description="what the person wrote (at most 2,000 "
                      "characters); it is not kept", examples=["no fever, but it hurts to "
                                                               "breathe in since Tuesday"])


class InterviewIn(AnswersIn):
    """The answers so far, and optionally the person's own words: what the words state fills
    in the answers not given (a warning sign the words deny is still asked)."""

    answers: dict[str, AnswerIn] = Field(default_factory=dict, description=ANSWERS_ALLOWED)
    text: str | None = Field(default=None, max_length=2000,
                             description="the person's own words, parsed as POST /parse does")


class SpanOut(Strict):
    finding: str
    value: AnswerValue
    start: int
    end: int
    text: str
    certainty: Literal["affirmed", "negated", "uncertain", "hypothetical", "past",
                       "other_person"]


class ParsedOut(Strict):
    """What the words state: `findings` (affirmed as yes or a number, negated as no) and every
    mention with where it is and how sure (`spans`)."""

    findings: dict[str, AnswerValue]
    spans: list[SpanOut]


class InterviewOut(Strict):
    """The next question to ask, or the result when the interview has finished."""

    status: Literal["question", "result"]
    should_stop: bool = Field(description="true when there are no more questions")
    has_emergency_evidence: bool = Field(description="true when the answers call for help now")
    question: QuestionOut | None
    questions_left: int
    asked: list[str] = Field(description="the questions answered so far, in order")
    result: AssessmentOut | None
    understood: ParsedOut | None = Field(
        default=None, description="what the `text` stated, when one was sent")


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


class DoseWarningOut(Strict):
    kind: Literal["single_dose", "daily_maximum", "doses_a_day", "too_soon", "withheld",
                  "not_for_age"]
    message: str
    sources: list[str]


class MedicineDoseOut(Strict):
    id: int
    taken_at: datetime
    medicine: str
    dose_mg: int


class NewMedicineDoseOut(MedicineDoseOut):
    """The saved dose (it was taken, so it is saved even when warned about), and what it goes
    against: the label's single dose, the 24 hours' maximum or number of doses, the hours
    between doses, or the last check's reasons to leave the medicine out. Often empty."""

    warnings: list[DoseWarningOut]


class RecheckOut(Strict):
    """When to check again, counted from the last saved check's level."""

    check_id: int
    level: Level
    checked_at: datetime
    due: datetime
    overdue: bool = Field(description="true once the re-check day has come: check again now")
    weeks: int
    start_answers: dict[str, AnswerValue] = Field(
        default_factory=dict,
        description="the answers a re-check starts from (POST them to /api/v1/interview): the "
                    "last check's answers to the questions that no warning-sign rule reads; "
                    "everything else is asked again")


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


class NewDiaryIn(Strict):
    """Nothing is needed to start a diary: send `{}` (the API takes JSON objects only)."""


class NewDiaryOut(Strict):
    key: str = Field(description="The diary's key (256 random bits), shown this once: send it "
                     "as `Authorization: Bearer KEY`. Only a hash of it is kept.")
    recovery_link: str = Field(description="A link that opens the diary in a browser.")


class ImportOut(Strict):
    """What an import added (or, with `dry_run`, would add), by kind."""

    checks: int = Field(description="saved checks added")
    entries: int = Field(description="diary entries added")
    timers: int = Field(description="ice and heat sessions added")
    doses: int = Field(description="medicine doses added")
    already: int = Field(description="records of the file the diary held already (not added)")
    dry_run: bool = Field(description="true when nothing was saved (only counted)")
    message: str = Field(description="the same, in one sentence")


class HealthOut(Strict):
    status: Literal["ok"]


class AboutOut(Strict):
    version: str
    database: str
    offline: bool
    disclaimer: str


# -- the exercise programme ------------------------------------------------------------------


class PlannedExerciseOut(Strict):
    id: str
    name: str
    reps: int = Field(description="repetitions (each side when `sides` is 2)")
    hold_seconds: int | None = Field(description="how long each is held; null: a moving one")
    sides: int
    dose: str


class LessonOut(Strict):
    title: str
    text: str


class PlanDayOut(Strict):
    date: str = Field(description="the local day, YYYY-MM-DD")
    day: int = Field(description="the programme's day, 1 on the day of the check")
    week: int = Field(description="the week whose dose is used (one back when easing)")
    sessions: int
    exercises: list[PlannedExerciseOut]
    notes: list[str] = Field(description="ice or heat from the relief plan, breaks, easing")
    lesson: LessonOut


class WithheldExerciseOut(Strict):
    id: str
    name: str
    reasons: list[str]
    findings: list[str]


class PlanOut(Strict):
    offered: bool = Field(description="false: no programme (an urgent or emergency check, "
                                      "no check yet, or no exercise fits); `message` says why")
    level: Level | None
    starts: str | None = Field(description="the programme's first day (the check's day)")
    eased: bool = Field(description="true when the diary's pain rose and the plan eased back")
    message: str | None
    days: list[PlanDayOut]
    withheld: list[WithheldExerciseOut]
    sources: list[str]
