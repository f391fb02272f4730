"""Bad answers raise a ValueError that names the finding and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest

import upperback
from upperback import AnswerError


def test_an_unknown_finding_suggests_the_closest_known_one() -> None:
    with pytest.raises(ValueError, match=r"unknown finding 'fevr'; did you mean 'fever'\?"):
        upperback.assess({"fevr": True})


def test_an_unknown_finding_far_from_any_known_one_gets_no_suggestion() -> None:
    with pytest.raises(AnswerError) as error:
        upperback.assess({"zzzzzz": True})
    assert "did you mean" not in str(error.value)
    assert error.value.finding == "zzzzzz"


@pytest.mark.parametrize(
    "finding, value, allowed",
    [
        ("fever", "yes", "true, false or null"),
        ("fever", 1, "true, false or null"),
        ("age", "34", "a whole number from 12 to 110"),
        ("age", 34.5, "a whole number from 12 to 110"),
        ("age", True, "a whole number from 12 to 110"),
        ("age", 7, "a whole number from 12 to 110"),
        ("age", 111, "a whole number from 12 to 110"),
        ("pain_severity", 11, "a whole number from 0 to 10"),
        ("pain_severity", -1, "a whole number from 0 to 10"),
        ("duration_days", 7301, "a whole number from 0 to 7300"),
        ("sex", "m", "one of female, male, other"),
        ("sex", 1, "one of female, male, other"),
    ],
)
def test_a_wrong_type_or_out_of_range_value_names_the_finding_and_what_is_allowed(
    finding: str, value: Any, allowed: str
) -> None:
    with pytest.raises(AnswerError) as error:
        upperback.assess({finding: value})
    message = str(error.value)
    assert message.startswith(f"{finding}: {value!r} is not allowed")
    assert allowed in message
    assert error.value.finding == finding


@pytest.mark.parametrize("finding", ["fever", "age", "sex", "pain_severity"])
def test_dont_know_is_allowed_for_every_kind_of_finding(finding: str) -> None:
    assert upperback.assess({finding: None}).triage in upperback.LEVELS


def test_answers_must_be_a_mapping() -> None:
    with pytest.raises(AnswerError, match="mapping"):
        upperback.assess([("fever", True)])  # type: ignore[arg-type]


def test_the_interview_checks_answers_the_same_way() -> None:
    interview = upperback.Interview()
    with pytest.raises(AnswerError, match="pain_severity: 11 is not allowed"):
        interview.answer({"pain_severity": 11})
    assert "pain_severity" not in interview.answers
