"""Rendering a result: the probability bar, and the emergency screen's single panel."""

from __future__ import annotations

import pytest
from rich.panel import Panel

import upperback
from upperback.cli.render import probability_bar, result_screen


@pytest.mark.parametrize(
    ("probability", "bar"),
    [
        (0.0, "░" * 20 + "   0%"),
        (0.5, "█" * 10 + "░" * 10 + "  50%"),
        (1.0, "█" * 20 + " 100%"),
        (0.001, "░" * 20 + "  <1%"),
    ],
)
def test_the_probability_bar_is_as_long_as_the_share(probability: float, bar: str) -> None:
    assert probability_bar(probability) == bar


def test_an_emergency_result_renders_as_one_panel_and_nothing_else() -> None:
    result = upperback.assess({"chest_pain_pressure": True, "hunched_posture": True}).result()
    assert result.causes  # the result holds causes; the screen must not show them
    (only,) = result_screen(result)
    assert isinstance(only, Panel)


def test_a_self_care_result_has_every_section() -> None:
    result = upperback.assess({"hunched_posture": True, "desk_hours_per_day": 9}).result()
    assert len(result_screen(result)) > 5


def test_an_unanswered_contraindication_is_shown_with_the_method() -> None:
    # Heat for a desk worker who did not say whether they have diabetes: "don't know" is
    # not "no", so the plan tells them to check first.
    result = upperback.assess({"hunched_posture": True, "desk_hours_per_day": 9}).result()
    heat = next(m for m in result.relief if m.id == "heat_pack")
    assert any("diabetes" in line for line in heat.check_first)
    answered = upperback.assess(
        {"hunched_posture": True, "desk_hours_per_day": 9, "diabetes": False,
         "reduced_skin_sensation": False}
    ).result()
    heat = next(m for m in answered.relief if m.id == "heat_pack")
    assert not any("diabetes" in line for line in heat.check_first)


def screen_text(result: object) -> str:
    """What the result screen shows, as one line of plain text."""
    import io

    from rich.console import Console

    from .conftest import flat

    console = Console(file=io.StringIO(), width=100, color_system=None)
    for part in result_screen(result):  # type: ignore[arg-type]
        console.print(part)
    return flat(console.file.getvalue())  # type: ignore[attr-defined]


def test_a_result_without_a_relief_method_says_to_follow_the_advice() -> None:
    # A possible gallbladder problem: see a doctor soon, and no relief method fits.
    result = upperback.assess(
        {"pain_right_shoulder_blade": True, "pain_after_fatty_meals": True}
    ).result()
    assert result.triage != "emergency" and not result.relief
    text = screen_text(result)
    assert "Your relief plan" in text
    assert "No relief method fits your answers. Follow the advice above." in text


def test_a_relief_method_chosen_for_an_answer_shows_that_answer() -> None:
    # Ice is for the first two days after a strain: the plan says which answer chose it.
    result = upperback.assess(
        {"lifting_twisting_onset": True, "duration_days": 1, "pain_worse_with_movement": True,
         "age": 30}
    ).result()
    ice = next(m for m in result.relief if m.id == "ice_pack")
    assert ice.answers
    assert f"Your answers: {ice.answers[0].text}" in screen_text(result)
