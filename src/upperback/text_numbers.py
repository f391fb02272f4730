"""Numbers in a person's own words, for `parse()`: an age ("I'm 34", "34yo", "thirty-four
year old"), how long ago the pain started ("for three weeks", "two days ago", "since
Tuesday", "since yesterday") and a 0-10 score ("7/10", "seven out of ten"); and the sex a
person states ("34F", "I'm a woman").

A vague number ("in my thirties", "a few weeks", "for ages") is found too, with no value: it
is the "don't know" it is, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Final

UNITS: Final = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a": 1, "an": 1, "one and a half": 1,
}
TENS: Final = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
               "seventy": 70, "eighty": 80, "ninety": 90}
_UNIT_WORDS = "|".join(sorted((w for w in UNITS if " " not in w), key=len, reverse=True))
_TEN_WORDS = "|".join(TENS)
# A number in digits or in words (up to ninety-nine; "a week" is one week).
NUMBER: Final = (rf"(?:\d{{1,4}}|(?:{_TEN_WORDS})(?:[- ](?:{_UNIT_WORDS}))?|{_UNIT_WORDS})")
DAYS_PER: Final = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
UNIT: Final = r"(day|week|fortnight|month|year)s?"
WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                   "sunday")
VAGUE: Final = r"(?:a few|few|several|a couple of|a couple|couple of|some|many|a number of)"

_FLAGS = re.IGNORECASE
AGE_PATTERNS: Final = (
    re.compile(rf"\b(?:i['\u2019]?m|i am|aged?)\s+({NUMBER})\b(?!\s*(?:%|kg|lbs?|cm|weeks?|"
               rf"months?|days?|hours?|minutes?|times?|out of|/|x\b|percent|miles|km|stone|"
               rf"feet|ft|inches|in the))", _FLAGS),
    re.compile(rf"\b({NUMBER})\s*(?:-|\s)?(?:yo|y/o|y\.o\.|yrs? old|years? old|year-old|"
               rf"yr-old|years of age)\b", _FLAGS),
    re.compile(r"\b(\d{2})\s?([mf])\b(?![a-z])", _FLAGS),
    # A post that opens with the age: "34, active, ...", "29 and pretty healthy".
    re.compile(rf"^\s*({NUMBER})\s*(?:,|\band\b|\s-\s)", _FLAGS),
    re.compile(rf"\bturned\s+({NUMBER})\b", _FLAGS),
    re.compile(r"(?<![\w'\u2019])([mf])\s?(\d{2})\b", _FLAGS),
)
VAGUE_AGE: Final = re.compile(r"\b(?:in my|my (?:early|mid|late)|(?:early|mid|late))\s*"
                              r"(?:teens|twenties|thirties|forties|fifties|sixties|seventies|"
                              r"eighties|nineties|\d0s|\d0's)\b", _FLAGS)
SEVERITY: Final = re.compile(rf"\b({NUMBER})\s*(?:/|out of|outta)\s*(?:10|ten)\b", _FLAGS)
DURATION_FOR: Final = re.compile(
    rf"\b(?:for|over|the (?:past|last)|past|last|about|nearly|almost)\s+(?:the\s+)?(?:past\s+|"
    rf"last\s+)?({NUMBER}|{VAGUE})\s+{UNIT}\b", _FLAGS)
DURATION_AGO: Final = re.compile(rf"\b({NUMBER}|{VAGUE})\s+{UNIT}\s+ago\b", _FLAGS)
SINCE_DAY: Final = re.compile(r"\bsince\s+(?:last\s+)?(" + "|".join(WEEKDAYS) + r")\b", _FLAGS)
SINCE_WORD: Final = re.compile(r"\b(?:since|started|began|start(?:ed)? hurting)\s+"
                               r"(today|this morning|this afternoon|tonight|last night|"
                               r"yesterday|the day before yesterday)\b", _FLAGS)
FOR_AGES: Final = re.compile(r"\bfor (?:ages|a while|a long time|years|months|weeks|days)\b",
                             _FLAGS)
SINCE_WORD_DAYS: Final = {"today": 0, "this morning": 0, "this afternoon": 0, "tonight": 0,
                          "last night": 1, "yesterday": 1, "the day before yesterday": 2}


# A duration "ago" or "for" counts for this pain only in a sentence about the pain ("I had
# cancer 5 years ago" is not how long the back has hurt).
ABOUT_THE_PAIN: Final = re.compile(
    r"\b(?:pain|pains|painful|hurt|hurts|hurting|ache|aches|aching|achy|sore|soreness|"
    r"started|start|began|begun|kicked in|back|neck|shoulders?|spine|it'?s been|had it|"
    r"this|since)\b", _FLAGS)
SEX_WORDS: Final = re.compile(
    r"\b(?:i['\u2019]?m|i am)\s+(?:an?\s+)?(?:\w+\s+)?(woman|female|girl|lady|man|male|guy|"
    r"bloke|boy)\b",
    _FLAGS)
# "34yo F", "a 40 year old woman": the sex right after an age.
SEX_AFTER_AGE: Final = re.compile(
    r"(?:(?<=\d)yo|\byo|y/o|y\.o\.|\byears? old|\byrs? old|\byear-old)\s*,?\s*\(?"
    r"(f|m|woman|female|girl|lady|man|male|guy|bloke|boy)\)?(?![a-z])", _FLAGS)
SEX_VALUES: Final = {"woman": "female", "female": "female", "girl": "female",
                     "lady": "female", "man": "male", "male": "male", "guy": "male",
                     "bloke": "male", "boy": "male", "f": "female", "m": "male"}


@dataclass(frozen=True)
class NumberMention:
    """A number (or, for sex, a value) the text gives for a finding (None: vague), and
    where it is."""

    finding: str
    value: int | str | None
    start: int
    end: int
    text: str


def number_value(words: str) -> int | None:
    """A number written in digits or words ("34", "thirty-four", "a"), or None."""
    text = words.strip().lower()
    if text.isdigit():
        return int(text)
    if text in UNITS:
        return UNITS[text]
    parts = re.split(r"[- ]", text)
    if parts[0] in TENS:
        if len(parts) == 1:
            return TENS[parts[0]]
        if len(parts) == 2 and parts[1] in UNITS and UNITS[parts[1]] < 10:
            return TENS[parts[0]] + UNITS[parts[1]]
    return None


def _near(text: str, start: int, end: int, reach: int = 45) -> str:
    """The words around text[start:end] in its sentence, up to `reach` characters each side:
    a duration says how long the pain has lasted only when the pain is named close by."""
    sentence_start = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    ends = [i for i in (text.find(mark, end) for mark in ".!?\n") if i != -1]
    sentence_end = min(ends) if ends else len(text)
    return text[max(sentence_start, start - reach): min(sentence_end, end + reach)]


def _days(amount: str, unit: str) -> int | None:
    count = number_value(amount)
    return None if count is None else count * DAYS_PER[unit.lower().rstrip("s")]


def find_numbers(text: str, today: date) -> Iterator[NumberMention]:
    """Every age, duration and pain score in `text` (vague ones with no value)."""
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        if any(s < end and start < e for s, e in taken):
            return False
        taken.append((start, end))
        return True

    for match in SEVERITY.finditer(text):
        value = number_value(match.group(1))
        if free(*match.span()):
            yield NumberMention("pain_severity", value, *match.span(), match.group(0))
    for pattern in (DURATION_AGO, DURATION_FOR):
        for match in pattern.finditer(text):
            if not ABOUT_THE_PAIN.search(_near(text, *match.span())):
                continue
            if free(*match.span()):
                yield NumberMention("duration_days", _days(match.group(1), match.group(2)),
                                    *match.span(), match.group(0))
    for match in SINCE_DAY.finditer(text):
        days = (today.weekday() - WEEKDAYS.index(match.group(1).lower())) % 7 or 7
        if free(*match.span()):
            yield NumberMention("duration_days", days, *match.span(), match.group(0))
    for match in SINCE_WORD.finditer(text):
        if free(*match.span()):
            yield NumberMention("duration_days", SINCE_WORD_DAYS[match.group(1).lower()],
                                *match.span(), match.group(0))
    for match in FOR_AGES.finditer(text):
        if free(*match.span()):
            yield NumberMention("duration_days", None, *match.span(), match.group(0))
    for pattern in AGE_PATTERNS:
        for match in pattern.finditer(text):
            digits = next(g for g in match.groups() if g and g.lower() not in ("m", "f"))
            letter = next((g for g in match.groups() if g and g.lower() in ("m", "f")), None)
            if free(*match.span()):
                yield NumberMention("age", number_value(digits), *match.span(), match.group(0))
                if letter is not None:  # "34F": a 34-year-old woman
                    yield NumberMention("sex", SEX_VALUES[letter.lower()], *match.span(),
                                        match.group(0))
    for match in SEX_AFTER_AGE.finditer(text):
        yield NumberMention("sex", SEX_VALUES[match.group(1).lower()], *match.span(),
                            match.group(0))
    for match in SEX_WORDS.finditer(text):
        yield NumberMention("sex", SEX_VALUES[match.group(1).lower()], *match.span(),
                            match.group(0))
    for match in VAGUE_AGE.finditer(text):
        if free(*match.span()):
            yield NumberMention("age", None, *match.span(), match.group(0))
