"""How long something has lasted, typed in words ("3 weeks", "10 days", "today"), to days.

Days stay the stored unit; this only reads what a person types. Every layer may use it (the
terminal now; the web's duration field later).
"""

from __future__ import annotations

import re
from typing import Final

from .errors import InputError

# Days in each unit. A month and a year are averages: the answer is a rough guess anyway.
UNIT_DAYS: Final[dict[str, int]] = {
    "day": 1,
    "week": 7,
    "month": 30,
    "year": 365,
}
# The words a person may type for a unit, singular or plural, or the short forms.
UNIT_WORDS: Final[dict[str, str]] = {
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "m": "month", "mo": "month", "month": "month", "months": "month",
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
}  # fmt: skip
SAME_DAY: Final = frozenset({"today", "this morning", "tonight", "this evening"})
NUMBER_WORDS: Final[dict[str, int]] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a few": 3, "a couple of": 2,
}  # fmt: skip
PATTERN = re.compile(
    r"(?P<count>\d+(?:\.\d+)?|a couple of|a few|[a-z]+)\s*(?P<unit>[a-z]+)(?:\s+ago)?"
)
EXAMPLES: Final = '"3 weeks", "10 days", "2 months", "1 year" or "today"'


class DurationError(InputError):
    """A duration that cannot be read; the message says what can."""


def parse_duration(text: str) -> int:
    """The number of days in "3 weeks", "10 days", "2 months", "1 year", "today" or a bare
    number of days ("14"). Raises DurationError, with examples, for anything else."""
    said = " ".join(text.strip().lower().split())
    if said in SAME_DAY:
        return 0
    if said == "yesterday":
        return 1
    if said.isdigit():
        return int(said)
    match = PATTERN.fullmatch(said)
    if match is not None and match["unit"] in UNIT_WORDS:
        count_text = match["count"]
        count: float | None = NUMBER_WORDS.get(count_text)
        if count is None and re.fullmatch(r"\d+(?:\.\d+)?", count_text):
            count = float(count_text)
        if count is not None:
            return round(count * UNIT_DAYS[UNIT_WORDS[match["unit"]]])
    raise DurationError("duration", f"Please type how long, e.g. {EXAMPLES}", EXAMPLES)
