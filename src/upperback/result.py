"""The assessment result: one typed, frozen contract for every layer.

`Assessment.result()` builds it (see explain.py). The JSON API's schema is these models, the
terminal renders them, the report and the exports read them, and a saved check is read back
into them with `AssessmentResult.from_saved()`. Field names are the JSON names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .conditions import AnswerValue
from .levels import Level
from .likelihood import Likelihood, likelihood_words


class _Part(BaseModel):
    # Frozen: a result cannot be changed after it is made. Extra fields are ignored so a
    # check saved by a later version still reads.
    model_config = ConfigDict(frozen=True, extra="ignore")


class AnswerShown(_Part):
    """One answer, with the words a person would use for it."""

    finding: str
    value: AnswerValue
    text: str


class EvidenceShown(AnswerShown):
    """An answer that raised or lowered a cause, and by how much (its likelihood ratio)."""

    likelihood_ratio: float


class ReasonShown(_Part):
    """Why the level is what it is: a warning-sign rule, the cause risk, or open signs."""

    kind: str
    id: str
    level: Level
    message: str
    causes: list[str] = Field(default_factory=list)
    answers: list[AnswerShown] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class FlagShown(_Part):
    """A warning-sign rule that guards against a cause."""

    rule: str
    message: str


class NotRuledOut(_Part):
    """A warning sign left unanswered or answered "don't know": never read as "no"."""

    finding: str
    text: str
    level: Level
    if_present: str


class CauseWhy(_Part):
    """The answers that most raised and most lowered a cause."""

    raised_by: list[EvidenceShown] = Field(default_factory=list)
    lowered_by: list[EvidenceShown] = Field(default_factory=list)


class CauseShown(_Part):
    """A cause with its share of the probability, and (explained) why."""

    id: str
    name: str
    probability: float
    likelihood: Likelihood = Field(
        default="less likely",
        description='the probability in words ("most likely", "possible", "less likely")',
    )
    urgency: Level
    flagged_by: list[FlagShown] = Field(default_factory=list)
    shown_because: str | None = None
    icd10: str | None = None
    summary: str = ""
    why: CauseWhy | None = Field(
        default=None, description="the answers behind the share; null unless explained"
    )
    what_to_do: list[str] = Field(default_factory=list)
    when_to_get_help: str = ""
    sources: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _words_from_probability(cls, data: Any) -> Any:
        # Always from the probability, so a check saved before the words existed gets them.
        if isinstance(data, Mapping) and isinstance(data.get("probability"), int | float):
            return {**data, "likelihood": likelihood_words(float(data["probability"]))}
        return data


class ReliefShown(_Part):
    """A relief method suggested to this person, with its safety rules and why."""

    id: str
    name: str
    summary: str
    instructions: list[str]
    safety: list[str]
    max_minutes: int | None = None
    why: list[str] = Field(default_factory=list)
    for_causes: list[str] = Field(default_factory=list)
    answers: list[AnswerShown] = Field(default_factory=list)
    check_first: list[str] = Field(
        default_factory=list,
        description="contraindications left unanswered: do not use it if one applies",
    )
    sources: list[str] = Field(default_factory=list)


class WithheldShown(_Part):
    """A method that would fit but is not suggested, with the reason."""

    id: str
    name: str
    reason: str
    reasons: list[str]
    answers: list[AnswerShown] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class CauseFollowUp(_Part):
    """When to get help, for one likely cause."""

    id: str
    name: str
    when: str


class FollowUp(_Part):
    """What to do next: when to come back, and (below urgent) when it is not improving."""

    if_not_improving: str | None = None
    come_back_if: list[str] = Field(default_factory=list)
    for_likely_causes: list[CauseFollowUp] = Field(default_factory=list)


class SourceShown(_Part):
    """A source the result cites."""

    id: str
    title: str
    publisher: str
    url: str
    checked: str


class TriageResult(_Part):
    """A triage level, what it means, what to do, and why."""

    triage: Level
    triage_label: str
    headline: str
    action: str
    emergency_steps: list[str] = Field(default_factory=list)
    triage_reasons: list[ReasonShown] = Field(default_factory=list)

    @property
    def is_emergency(self) -> bool:
        """True when the result shows only how to get help now."""
        return self.triage == "emergency"


class EscalationResult(TriageResult):
    """A level raised by the symptoms of a new diary entry, on top of the last check."""

    previous_triage: Level


class AssessmentResult(TriageResult):
    """The guide's answer: triage with reasons, likely causes with why, and the relief plan."""

    explained: bool = Field(
        default=True, description="true when each cause carries `why` and the answers are listed"
    )
    causes: list[CauseShown] = Field(default_factory=list)
    likely_causes: list[str] = Field(default_factory=list)
    not_ruled_out: list[NotRuledOut] = Field(default_factory=list)
    relief: list[ReliefShown] = Field(default_factory=list)
    avoid: list[WithheldShown] = Field(default_factory=list)
    follow_up: FollowUp = Field(default_factory=FollowUp)
    answers: list[AnswerShown] = Field(default_factory=list)
    sources: list[SourceShown] = Field(default_factory=list)
    disclaimer: str = ""

    def likely(self) -> list[CauseShown]:
        """The causes named as likely, in the result's order."""
        wanted = set(self.likely_causes)
        return [c for c in self.causes if c.id in wanted]

    def source(self, source_id: str) -> SourceShown | None:
        """A cited source by id."""
        return next((s for s in self.sources if s.id == source_id), None)

    @classmethod
    def from_saved(cls, saved: Mapping[str, Any]) -> AssessmentResult | None:
        """A saved check's result, or None when it cannot be read as one (a damaged row, or
        one saved before results were typed): the caller shows what it can instead."""
        try:
            return cls.model_validate(saved)
        except ValidationError:
            return None
