"""The relief plan speaks to the person: doses for their age band, warnings that apply to them,
desk advice only for people at a desk (relief.yaml's worded_for, chosen in relief_plan.py)."""

from __future__ import annotations

from typing import Any

import pytest

import upperback
from upperback.knowledge_base import KnowledgeBase
from upperback.knowledge_models import ReliefMethod, Wording
from upperback.relief_plan import worded_lines


def _plan(answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in upperback.assess(answers).to_dict()["relief"]}


def _lines(method: dict[str, Any]) -> str:
    return " ".join([*method["instructions"], *method["safety"]])


@pytest.mark.parametrize("method_id", ["acetaminophen", "ibuprofen"])
def test_a_teenager_is_given_the_labels_dose_for_ages_12_to_17_not_the_adults(
    desk_worker: dict[str, Any], kb: KnowledgeBase, method_id: str
) -> None:
    method = _plan(desk_worker | {"age": 13})[method_id]
    text = _lines(method)
    assert "Adults usually take" not in text
    assert "12 to 17" in text
    band = kb.relief[method_id].limits_for(13)
    assert band is not None
    assert f"{band.single_max_mg} mg" in text  # the dose said is the label's for the band


@pytest.mark.parametrize("method_id", ["acetaminophen", "ibuprofen"])
def test_an_adult_is_given_the_adults_dose(desk_worker: dict[str, Any], method_id: str) -> None:
    assert "Adults usually take" in _lines(_plan(desk_worker | {"age": 30})[method_id])


@pytest.mark.parametrize(("age", "warned"), [(30, False), (64, False), (70, True), (None, True)])
def test_the_over_65_warning_is_given_only_to_people_who_may_be_over_64(
    desk_worker: dict[str, Any], age: int | None, warned: bool
) -> None:
    text = _lines(_plan(desk_worker | {"age": age})["ibuprofen"])
    assert ("over 65" in text) is warned


@pytest.mark.parametrize(
    ("hunched", "hours", "advised"),
    [(False, 0, False), (False, None, False), (True, 0, True), (False, 8, True), (None, 0, False)],
)
def test_screen_advice_is_given_only_to_people_who_sit_hunched_or_at_a_desk(
    desk_worker: dict[str, Any], hunched: bool | None, hours: int | None, advised: bool
) -> None:
    answers = desk_worker | {"hunched_posture": hunched, "desk_hours_per_day": hours}
    method = _plan(answers)["posture_breaks"]
    assert any("screen" in line for line in method["instructions"]) is advised
    assert method["instructions"]  # the breaks and the way to sit stay


def test_a_wording_with_no_text_leaves_the_line_out_and_one_with_text_replaces_it(
    kb: KnowledgeBase,
) -> None:
    method = kb.relief["ibuprofen"]
    lines = worded_lines(method.worded_for, method.safety, {"age": 30})
    assert len(lines) == len(method.safety) - 1
    replaced = worded_lines(method.worded_for, method.how_to, {"age": 15})
    assert replaced[0] != method.how_to[0] and replaced[1:] == method.how_to[1:]


def test_a_wording_of_a_line_the_method_does_not_have_is_refused_at_load(
    kb: KnowledgeBase,
) -> None:
    data = kb.relief["ibuprofen"].model_dump()
    data["worded_for"] = [Wording(when={"finding": "age", "at_most": 17},  # type: ignore[arg-type]
                                  replace="A line that is not there.", text="x").model_dump()]
    with pytest.raises(ValueError, match="does not have"):
        ReliefMethod.model_validate(data)


def _cause_advice(answers: dict[str, Any], cause_id: str) -> list[str]:
    causes = upperback.assess(answers).to_dict()["causes"]
    return next(c["what_to_do"] for c in causes if c["id"] == cause_id)


def test_the_posture_cause_gives_no_desk_line_to_someone_at_no_desk(
    desk_worker: dict[str, Any]
) -> None:
    no_desk = desk_worker | {"desk_hours_per_day": 0, "hunched_posture": False}
    advice = " ".join(_cause_advice(no_desk, "poor_posture"))
    assert "desk" not in advice.lower()
    assert "phone or tablet up near eye level" in advice
    at_desk = " ".join(_cause_advice(desk_worker, "poor_posture"))
    assert "Set up your desk" in at_desk


def test_a_causes_wording_must_replace_one_of_its_own_lines(kb: KnowledgeBase) -> None:
    cause = kb.causes["poor_posture"]
    stray = Wording.model_validate({"when": {"not": "hunched_posture"}, "replace": "no such"})
    with pytest.raises(ValueError, match="replaces a line it does not have"):
        type(cause).model_validate(cause.model_dump() | {"worded_for": [stray.model_dump()]})
