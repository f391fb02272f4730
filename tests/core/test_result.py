"""The typed result: read back from a saved check (or None when damaged), sources by id."""

from __future__ import annotations

from typing import Any

import pytest

import upperback
from upperback.result import AssessmentResult


def test_a_saved_result_reads_back_as_the_same_result(desk_check: Any) -> None:
    answers, result = desk_check
    read = AssessmentResult.from_saved(result)
    assert read is not None
    assert read == upperback.assess(answers).result()


@pytest.mark.parametrize(
    "damage",
    [
        lambda r: r.__setitem__("causes", "not a list"),
        lambda r: r.__setitem__("triage", "panic"),
        lambda r: r["causes"][0].__setitem__("probability", "high"),
        lambda r: r.pop("triage"),
    ],
    ids=["causes_not_a_list", "unknown_level", "probability_not_a_number", "no_level"],
)
def test_a_damaged_saved_result_reads_back_as_none(desk_check: Any, damage: Any) -> None:
    _, result = desk_check
    damage(result)
    assert AssessmentResult.from_saved(result) is None


def test_a_cited_source_is_found_by_its_id(desk_check: Any) -> None:
    answers, _ = desk_check
    result = upperback.assess(answers).result()
    first = result.sources[0]
    assert result.source(first.id) == first
    assert result.source("no_such_source") is None

