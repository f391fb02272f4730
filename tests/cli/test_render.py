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
    result = upperback.assess({"chest_pain_pressure": True, "hunched_posture": True}).to_dict()
    assert result["causes"]  # the result holds causes; the screen must not show them
    (only,) = result_screen(result)
    assert isinstance(only, Panel)


def test_a_self_care_result_has_every_section() -> None:
    result = upperback.assess({"hunched_posture": True, "desk_hours_per_day": 9}).to_dict()
    assert len(result_screen(result)) > 5
