"""Break reminders: a short break every so many minutes of sitting, with an idea for it.

The defaults, the allowed ranges, how long a break can be put off (once) and the ideas are
data (exercises.yaml, `break_reminders`). The schedule counts in seconds of its own clock, so
the terminal and the tests drive it with any clock they like.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .knowledge_base import KnowledgeBase
from .knowledge_models import BreakRules


def check_break_options(kb: KnowledgeBase, every: int | None, length: int | None
                        ) -> tuple[int, int]:
    """(minutes between breaks, seconds a break lasts): the defaults for None, or
    InputError naming the option and its allowed range."""
    rules = kb.exercise_book.break_reminders
    every = rules.every_minutes if every is None else every
    length = rules.length_seconds if length is None else length
    low, high = rules.every_range
    if not low <= every <= high:
        raise InputError("every", f"--every must be from {low} to {high} minutes.",
                         f"a whole number of minutes from {low} to {high}")
    low, high = rules.length_range
    if not low <= length <= high:
        raise InputError("length", f"--length must be from {low} to {high} seconds.",
                         f"a whole number of seconds from {low} to {high}")
    return every, length


@dataclass
class BreakSchedule:
    """When the next break is due, in seconds from the start; a break may be put off once."""

    rules: BreakRules
    every_seconds: int
    due: int = 0
    postponed: bool = False
    number: int = 0  # breaks that have come due so far

    def __post_init__(self) -> None:
        self.due = self.every_seconds

    @property
    def can_postpone(self) -> bool:
        """Whether the break now due may still be put off (once only)."""
        return not self.postponed

    def idea(self) -> str:
        """The idea for the break now due (they take turns)."""
        ideas = self.rules.ideas
        return ideas[self.number % len(ideas)]

    def postpone(self, now: int) -> bool:
        """Put the break off by `postpone_minutes`; False when it was put off already."""
        if self.postponed:
            return False
        self.postponed = True
        self.due = now + self.rules.postpone_minutes * 60
        return True

    def done(self, now: int) -> None:
        """The break was taken or skipped: the next one is a full interval from now."""
        self.number += 1
        self.postponed = False
        self.due = now + self.every_seconds
