"""Conditions over a person's answers, written as data in the knowledge base.

A condition is one of:

- a finding id on its own (``fever``): true when that yes/no answer is yes;
- ``{finding: age, at_least: 50}``, ``{finding: age, at_most: 19}`` or
  ``{finding: sex, equals: female}``: a test of one answer;
- ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``: combinations.

An unanswered or "don't know" finding never makes a test true, so a rule can only fire on
what the person actually said.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

AnswerValue = bool | int | str | None
Answers = Mapping[str, AnswerValue]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class FindingTest(_Frozen):
    """A test of one answer: yes, a value, or a numeric bound."""

    finding: str
    equals: bool | int | str = True
    at_least: int | None = None
    at_most: int | None = None

    def holds(self, answers: Answers) -> bool:
        value = answers.get(self.finding)
        if value is None:
            return False
        if self.at_least is not None or self.at_most is not None:
            if isinstance(value, bool) or not isinstance(value, int):
                return False
            low_ok = self.at_least is None or value >= self.at_least
            high_ok = self.at_most is None or value <= self.at_most
            return low_ok and high_ok
        return value == self.equals and type(value) is type(self.equals)

    def met(self, answers: Answers) -> list[str]:
        return [self.finding] if self.holds(answers) else []

    def tests(self, negated: bool = False) -> Iterator[tuple[FindingTest, bool]]:
        yield self, negated


class AllOf(_Frozen):
    """True when every part is true."""

    all: tuple[Condition, ...] = Field(min_length=1)

    def holds(self, answers: Answers) -> bool:
        return all(part.holds(answers) for part in self.all)

    def met(self, answers: Answers) -> list[str]:
        return _unique(f for part in self.all for f in part.met(answers))

    def tests(self, negated: bool = False) -> Iterator[tuple[FindingTest, bool]]:
        for part in self.all:
            yield from part.tests(negated)


class AnyOf(_Frozen):
    """True when at least one part is true."""

    any: tuple[Condition, ...] = Field(min_length=1)

    def holds(self, answers: Answers) -> bool:
        return any(part.holds(answers) for part in self.any)

    def met(self, answers: Answers) -> list[str]:
        return _unique(f for part in self.any if part.holds(answers) for f in part.met(answers))

    def tests(self, negated: bool = False) -> Iterator[tuple[FindingTest, bool]]:
        for part in self.any:
            yield from part.tests(negated)


class NotCond(_Frozen):
    """True when the part is not true (including when it is unanswered)."""

    not_: Condition = Field(alias="not")

    def holds(self, answers: Answers) -> bool:
        return not self.not_.holds(answers)

    def met(self, answers: Answers) -> list[str]:
        # An absence is not an answer that "led there"; explanations list positive answers.
        return []

    def tests(self, negated: bool = False) -> Iterator[tuple[FindingTest, bool]]:
        yield from self.not_.tests(not negated)


def _normalise(value: Any) -> Any:
    """Let a bare finding id stand for ``{finding: id}``."""
    if isinstance(value, str):
        return {"finding": value}
    return value


Condition = Annotated[
    Union[FindingTest, AllOf, AnyOf, NotCond],  # noqa: UP007 - pydantic needs the Union here
    BeforeValidator(_normalise),
]

for _model in (AllOf, AnyOf, NotCond):
    _model.model_rebuild()


def _unique(items: Iterator[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
