"""Triage levels, lowest to highest."""

from __future__ import annotations

from typing import Literal

Level = Literal["self_care", "soon", "urgent", "emergency"]
LEVELS: tuple[Level, ...] = ("self_care", "soon", "urgent", "emergency")


def rank(level: Level) -> int:
    """Position of a level: 0 for self_care up to 3 for emergency."""
    return LEVELS.index(level)


def highest(levels: list[Level]) -> Level:
    """The most urgent of some levels (self_care when there are none)."""
    return max(levels, key=rank, default="self_care")
