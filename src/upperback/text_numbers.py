"""Numbers in a person's own words, for `parse()`: an age ("I'm 34", "34yo", "thirty-four
year old"), how long ago the pain started ("for three weeks", "two days ago", "two weeks of
this", "since Tuesday", "Tuesday it started", "since August 25th", "for 6 hours") and a 0-10
score ("7/10", "seven out of ten"); hours a day at a desk ("10 hours a day at my
computer"); and the sex a person states ("34F", "60, female", "I'm a
woman").

A vague number ("in my thirties", "a few weeks", "over a week", "about a year", "10-12 years",
"4-5 out of 10", a score "up to 8/10" or "at first") is found too, with no value: it is the
"don't know" it is, never a guess. A duration or score counts for this pain only where its
clause is about the pain, not about something else ("tired for three months", "a rash for two
days", "diagnosed with pneumonia four days ago").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
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
_UNIT: Final = r"(?P<unit>day|week|fortnight|month|year)s?"
WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                   "sunday")
MONTHS: Final = ("january", "february", "march", "april", "may", "june", "july", "august",
                 "september", "october", "november", "december")
VAGUE: Final = r"(?:a few|few|several|a couple of|a couple|couple of|some|many|a number of)"
# Words that make a duration a bound, not a number: "over a week", "more than a month".
BOUND: Final = r"(?:over|more than|nearly|almost|at least|upwards of|under|less than)"
# "About" a number of months or years is too rough for days ("about a week" is 7).
ROUGHLY: Final = r"(?:about|around|roughly|approximately|maybe)"

_FLAGS = re.IGNORECASE
AGE_PATTERNS: Final = (
    # Not a likeness: "walking around like I'm 90", "feel as if I'm 80".
    re.compile(rf"(?<!like )(?<!as if )(?<!as though )"
               rf"\b(?:i['\u2019]?m|i am|aged?)\s+({NUMBER})\b(?!\s*(?:%|kg|lbs?|cm|weeks?|"
               rf"months?|days?|hours?|minutes?|times?|out of|/|x\b|percent|miles|km|stone|"
               rf"feet|ft|inches|in the))", _FLAGS),
    re.compile(rf"\b({NUMBER})\s*(?:-|\s)?(?:yo|y/o|y\.o\.|yrs? old|years? old|year-old|"
               rf"yr-old|years of age)\b", _FLAGS),
    re.compile(r"\b(\d{2})\s?([mf])\b(?![a-z])", _FLAGS),
    # A post that opens with the age: "34, active, ...", "29 and pretty healthy".
    re.compile(rf"^\s*({NUMBER})\s*(?:,|\band\b|\s-\s)", _FLAGS),
    re.compile(rf"\bturned\s+({NUMBER})\b", _FLAGS),
    re.compile(r"(?<![\w'\u2019])([mf])\s?(\d{2})\b", _FLAGS),
    # A post that opens with the sex, then the age: "Male, 57, fit", "Female 34 -".
    re.compile(r"^\s*(?:male|female|man|woman|guy|lady)\s*,?\s*(\d{2})\b(?!\s*(?:%|kg|lbs?|"
               r"cm|weeks?|months?|days?|years? ago))", _FLAGS),
)
VAGUE_AGE: Final = re.compile(r"\b(?:in my|my (?:early|mid|late)|(?:early|mid|late))\s*-?\s*"
                              r"(?:teens|twenties|thirties|forties|fifties|sixties|seventies|"
                              r"eighties|nineties|\d0s|\d0's)\b", _FLAGS)
SEVERITY: Final = re.compile(
    rf"\b(?:({NUMBER})\s*(?:-|to|or)\s*)?({NUMBER})\s*(?:/|out of|outta)\s*(?:10|ten)\b",
    _FLAGS)
# A score that is not the pain right now: a peak, or how it was at first.
PEAK_BEFORE: Final = re.compile(r"\b(?:up to|peaked at|peaks at|peak(?:ed)?|at (?:its|my) "
                                r"worst|at worst|worst|as high as|hit|hits|reached|reaches|"
                                r"was|got to|goes up to|gets up to)\s*(?:about\s+|around\s+)?$",
                                _FLAGS)
PEAK_AFTER: Final = re.compile(r"^\s*(?:at first|at (?:its|the) (?:worst|start|peak)|at worst|"
                               r"earlier|before|to start with|when it started|at the peak)\b",
                               _FLAGS)
DURATION_FOR: Final = re.compile(
    # "since two days": how some write "for two days" (not "since 5 years old").
    rf"\b(?:for|since|the (?:past|last)|past|last|(?P<bound>{BOUND})|(?P<rough>{ROUGHLY}))\s+"
    rf"(?:the\s+)?(?:past\s+|last\s+)?(?P<n>{NUMBER}|{VAGUE})\s+{_UNIT}\b"
    rf"(?!\s+(?:old|ago|of age)\b)", _FLAGS)
DURATION_AGO: Final = re.compile(
    rf"\b(?:(?P<bound>{BOUND})\s+|(?P<rough>{ROUGHLY})\s+)?(?P<n>{NUMBER}|{VAGUE})\s+{_UNIT}"
    # "6 months since I woke up with it": as long ago as "6 months ago".
    rf"\s+(?:ago|since)\b", _FLAGS)
# "For the last month", "the past week": one of the unit.
DURATION_THE_LAST: Final = re.compile(
    r"\b(?:for\s+)?the\s+(?:past|last)\s+(?P<unit>day|week|fortnight|month|year)\b", _FLAGS)
# "Just now, out of nowhere, a tearing pain": it began today.
JUST_NOW: Final = re.compile(r"\bjust now\b", _FLAGS)
# "It started about an hour ago", "a few minutes ago": today.
HOURS_AGO: Final = re.compile(r"\b(?:an?|one|two|three|four|five|six|a couple of|a few|"
                              r"couple|few|several|\d{1,2})\s+(?:hours?|hrs?|minutes?|mins?)"
                              r"\s+ago\b", _FLAGS)
# "Woke up with a bad pain between my shoulder blades", "woke at 3am and every breath
# stabbed": the day it began, when the text gives no other time for it.
WOKE_WITH: Final = re.compile(r"\bwoke(?:\s+up)?\b", _FLAGS)
# Words that give another time, or make waking up a habit ("every morning I woke up stiff").
OTHER_TIME: Final = re.compile(
    r"\b(?:days?|weeks?|months?|years?|fortnight|ago|since|yesterday|last night|tonight|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|every|each|always|usually|"
    r"often|sometimes|again|mornings)\b", _FLAGS)
# "After a year of fairly intense pain": the pain itself, a few words after "of" (not "after
# a day of lifting").
PAIN_AFTER_OF: Final = re.compile(r"^\s*(?:[a-z]+\s+){0,3}?(?:pain|pains|aches?|aching|"
                                  r"soreness|hurting|agony)\b", _FLAGS)
# "Two weeks of this", "11 months of back pain", "three days now of a burning", "7 months on".
DURATION_OF: Final = re.compile(
    rf"\b(?P<n>{NUMBER}|{VAGUE})\s+{_UNIT}\s+(?:now\s+)?(?:of\b|on\b(?!\s+(?:and|end)\b))",
    _FLAGS)
DURATION_RANGE: Final = re.compile(
    rf"\b{NUMBER}\s*(?:-|to|or)\s*{NUMBER}\s+(?:days?|weeks?|months?|years?)\b", _FLAGS)
DURATION_HOURS: Final = re.compile(rf"(?<!after )\b(?:for|the (?:past|last)|past|last)\s+"
                                   rf"(?:the\s+)?({NUMBER})\s+hours?\b"
                                   rf"(?!\s+(?:a|per|each|every)\s+(?:day|night|week)\b)",
                                   _FLAGS)
# Hours a day at a desk or screen: "10 hours a day at my computer", "I sit at a desk 8 hrs
# a day", "12-hour days on the laptop". A range ("8-10 hours") is the "don't know" it is.
DESK_HOURS: Final = re.compile(
    rf"\b(?P<n>{NUMBER})(?P<range>\s*(?:-|to|or)\s*{NUMBER})?\+?\s*(?:"
    rf"(?:-|\s)?(?:hours?|hrs?)\s+(?:a|per|each|every)\s+(?:day|workday|shift)"
    rf"|(?:-|\s)(?:hour|hr)\s+(?:days|workdays|shifts))\b", _FLAGS)
_OTHER_PERSON: Final = re.compile(
    r"\b(?:my|his|her|our) (?:husband|wife|partner|son|daughter|kid|child|mum|mom|dad|father|"
    r"mother|friend|boyfriend|girlfriend|brother|sister|boss|colleague|coworker)\b|"
    r"\b(?:he|she|they) (?:sits|works|spends)\b", _FLAGS)
DESK_WORDS: Final = re.compile(
    r"\b(?:desk|computer|laptop|screen|monitor|pc|keyboard|office|sit|sits|sitting|sat|"
    r"seated|chair|gaming|typing|coding)\b", _FLAGS)
# A weekday that is the day the pain began: "since Tuesday", "Tuesday it started".
SINCE_DAY: Final = re.compile(r"\bsince\s+(?:last\s+)?(" + "|".join(WEEKDAYS) + r")\b"
                              r"(?P<or>(?:\s+\w+)?\s+or\s+(?:" + "|".join(WEEKDAYS) + r"))?",
                              _FLAGS)
ON_DAY: Final = re.compile(r"\b(?:on\s+|last\s+)?(" + "|".join(WEEKDAYS) + r")\b"
                           r"(?!\s+(?:\w+\s+)?or\s+(?:" + "|".join(WEEKDAYS) + r"))", _FLAGS)
ONSET: Final = re.compile(r"\b(?:started|starts|start|began|begun|set in|came on|coming on|"
                          r"woke up with|it hit|appeared|came out of nowhere|strained|pulled|"
                          r"tweaked|wrecked|injured|got a|felt a|felt something|hurt my|"
                          r"did my back in|put my back out|threw my back out|wrenched)\b", _FLAGS)
SINCE_WORD: Final = re.compile(r"\b(?:since|started|began|start(?:ed)? hurting|came on|"
                               r"kicked in|woke up|woke|woken up)\s+"
                               r"(?:(?:around|about|at|in|on|just|only|right)\s+"
                               r"|(?:noon|midday|lunchtime|lunch)\s+){0,3}"
                               r"(today|this morning|this afternoon|this evening|tonight|"
                               r"last night|yesterday|the day before yesterday)\b", _FLAGS)
# "This morning I pulled something", "yesterday I lifted a box and got a sharp pain": a day
# word in a sentence that tells how the pain began.
ON_WORD: Final = re.compile(r"\b(today|this morning|this afternoon|this evening|tonight|"
                            r"last night|yesterday)\b", _FLAGS)
# "Since I woke up on August 25th", "it started on the 3rd of May".
_MONTH_WORDS = "|".join(MONTHS)
ON_DATE: Final = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_WORDS})|"
    rf"(?P<m2>{_MONTH_WORDS})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)\b", _FLAGS)
SINCE_BEFORE_DATE: Final = re.compile(r"\b(?:since|started|start|began|woke up|came on)\b",
                                      _FLAGS)
# A temperature that is a fever (38 C / 100.4 F or more), as spaCy tokens: the number
# after a word for the temperature ("a temp of 38.5", "fever of 101"), or with its unit
# ("39 degrees", "38.5°C"). Matched with the phrases, so that ConText reads it too ("my son
# has a temp of 39" is not the writer's).
TEMPERATURE_WORDS: Final = ("temp", "temps", "temperature", "temperatures", "fever",
                            "fevers", "thermometer")
FEVER_NUMBER: Final = (r"^(?:(?:3[89]|4[0-2])(?:[.,]\d{1,2})?(?:°?c)?|"
                       r"(?:100[.,][4-9]|10[1-6](?:[.,]\d)?)(?:°?f)?)$")
TEMPERATURE_UNITS: Final = ("degrees", "°", "°c", "°f", "c", "f", "celsius", "fahrenheit")
FOR_AGES: Final = re.compile(r"\bfor (?:ages|a while|a long time|years|months|weeks|days)\b",
                             _FLAGS)
# "If I sit in one position for a while it stops": how long a posture is held, not the pain.
HELD_FOR: Final = re.compile(r"\b(?:sit|sits|sitting|sat|stand|stands|standing|stood|lie|lies|"
                             r"lying|lay|rest|resting|stay|stays|staying|hold|holding|"
                             r"position)\b[^,.;:!?]{0,25}$", _FLAGS)
SINCE_WORD_DAYS: Final = {"today": 0, "this morning": 0, "this afternoon": 0,
                          "this evening": 0, "tonight": 0, "last night": 1, "yesterday": 1,
                          "the day before yesterday": 2}


# A duration "ago" or "for" counts for this pain only in a sentence about the pain ("I had
# cancer 5 years ago" is not how long the back has hurt).
ABOUT_THE_PAIN: Final = re.compile(
    r"\b(?:pain|pains|painful|hurt|hurts|hurting|ache|aches|aching|achy|sore|soreness|"
    r"started|start|began|begun|kicked in|back|neck|shoulders?|spine|it'?s been|had it|"
    r"this|since)\b", _FLAGS)
# A new sport or hobby: its start is not the pain's ("I took up sculling 8 months ago").
TOOK_UP: Final = re.compile(r"\b(?:took|taken|taking|take) up\s+(?:[\w'-]+\s+){0,4}$", _FLAGS)
# The first of these a clause names says what a number in it is about: this pain (its
# places) or something else ("so tired for three months", "a rash on my back for two days").
THIS_PAIN_PLACES: Final = frozenset({
    "back", "neck", "spine", "shoulder", "shoulders", "chest", "breastbone", "sternum", "ribs",
    "rib", "side"})
OTHER_THINGS: Final = frozenset({
    "tired", "tiredness", "exhausted", "fatigue", "fatigued", "rash", "skin", "tummy",
    "stomach", "belly", "abdomen", "urine", "peeing", "leaking", "pressure", "bp", "cough",
    "coughing", "fever", "temperature", "temp", "pneumonia", "infection", "diagnosed",
    "headache", "headaches", "period", "periods", "diarrhoea", "diarrhea", "vomiting",
    "swelling", "cancer", "surgery", "operation", "flight", "pregnant", "breathless",
    "constipated", "constipation", "accident", "crash", "died", "flu", "cold", "pill",
    "pills", "medication", "medicine", "medicines", "tablets", "antibiotics", "contraceptive",
    "vaccine", "jab"})
SEX_WORDS: Final = re.compile(
    r"\b(?:(?:i['\u2019]?m|i am)\s+(?:an?\s+)?(?:\w+\s+)?|^as an?\s+|[,.;!?]\s*as an?\s+)"
    r"(woman|female|girl|lady|man|male|guy|bloke|boy|mum|mom|mummy|mommy|dad|daddy)\b",
    _FLAGS)
# A post that opens with who is writing: "Young guy, ...", "30s F", "30-something F",
# "dad of two", "mum of three", "F, 20s".
SEX_OPENING: Final = re.compile(
    r"^\s*(?:(?:young|old|older)\s+)?(guy|man|woman|girl|lady|bloke|male|female)\b"
    r"|^\s*\d0s\s?([fm])\b|^\s*\d0-something\s?([fm])\b"
    r"|^\s*([fm]),\s*(?:\d0s|\d{2})\b"
    r"|\b(dad|father|mum|mom|mother) of (?:one|two|three|four|five|\d)\b"
    r"|\b(dad|mum|mom) of (?:a|an)\b", _FLAGS)
# "Post-menopausal woman and all", "since my menopause": only a woman writes it of herself.
SEX_MENOPAUSE: Final = re.compile(
    r"\b(?:post|peri)-?\s?menopausal\b|\b(?:my|the) menopause\b|\bmenopausal\b"
    # "I'm pregnant", "38 weeks pregnant with my first" (at the start: the writer's own).
    r"|\b(?:i['\u2019]?m|i am)\s+(?:(?:\d+|\w+)\s+(?:weeks?|wks?|months?)\s+)?pregnant\b"
    r"|^\s*\d+\s*(?:weeks?|wks?|months?)\s+pregnant\b", _FLAGS)
# "34yo F", "a 40 year old woman", "60, female": the sex right after an age.
SEX_AFTER_AGE: Final = re.compile(
    r"(?:(?<=\d)yo|\byo|y/o|y\.o\.|\byears? old|\byrs? old|\byear-old|^\s*\d{2},)\s*,?\s*\(?"
    r"(f|m|woman|female|girl|lady|man|male|guy|bloke|boy)\)?(?![a-z])", _FLAGS)
SEX_VALUES: Final = {"woman": "female", "female": "female", "girl": "female",
                     "lady": "female", "man": "male", "male": "male", "guy": "male",
                     "bloke": "male", "boy": "male", "f": "female", "m": "male",
                     "dad": "male", "father": "male", "mum": "female", "mom": "female",
                     "mother": "female", "mummy": "female", "mommy": "female",
                     "daddy": "male"}
_WORD: Final = re.compile(r"[a-z]+", _FLAGS)


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


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    sentence_start = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    ends = [i for i in (text.find(mark, end) for mark in ".!?\n") if i != -1]
    return sentence_start, min(ends) if ends else len(text)


def _near(text: str, start: int, end: int, reach: int = 45) -> str:
    """The words around text[start:end] in its sentence, up to `reach` characters each side:
    a duration says how long the pain has lasted only when the pain is named close by."""
    sentence_start, sentence_end = _sentence(text, start, end)
    return text[max(sentence_start, start - reach): min(sentence_end, end + reach)]


def _clause(text: str, start: int, end: int) -> str:
    """The clause text[start:end] is in: its sentence, cut at commas and semicolons."""
    sentence_start, sentence_end = _sentence(text, start, end)
    before = max(text.rfind(mark, sentence_start, start) for mark in ",;:") + 1
    ends = [i for i in (text.find(mark, end, sentence_end) for mark in ",;:") if i != -1]
    return text[max(before, sentence_start): min(ends) if ends else sentence_end]


def _subject(words: str) -> bool | None:
    """Whether a clause is about this pain (True), about something else (False), or names
    neither (None): the first place or other thing it names decides."""
    found = _WORD.findall(words.lower())
    for index, word in enumerate(found):
        if word in THIS_PAIN_PLACES:
            return True
        if word == "pressure" and (index == 0 or found[index - 1] not in ("blood", "bp")):
            continue  # "pressure on my chest" is the pain; only blood pressure is not
        if word in OTHER_THINGS:
            return False
    return None


def _last_subject(words: str) -> bool | None:
    """Like _subject, but the last place or thing named decides (what a score follows)."""
    return _subject(" ".join(reversed(_WORD.findall(words))))


def _about_this_pain(text: str, start: int, end: int) -> bool:
    """Whether a number at text[start:end] is about this pain: its clause says so, or
    names nothing and its sentence names the pain close by."""
    sentence_start, _ = _sentence(text, start, end)
    if TOOK_UP.search(text[max(sentence_start, start - 60):start]):
        return False  # "I took up rowing 8 months ago": when the sport began, not the pain
    subject = _subject(_clause(text, start, end))
    if subject is not None:
        return subject
    if ABOUT_THE_PAIN.search(_near(text, start, end)):
        return True
    # "For 3 days I've been back and forth to the GP: short of breath, pain in my chest":
    # a duration that opens its sentence is about what the sentence goes on to say.
    sentence_start, sentence_end = _sentence(text, start, end)
    opens = not text[sentence_start:start].strip()
    return opens and _subject(text[end:sentence_end]) is not False \
        and ABOUT_THE_PAIN.search(text[end:sentence_end]) is not None


def _days(amount: str, unit: str) -> int | None:
    count = number_value(amount)
    return None if count is None else count * DAYS_PER[unit.lower().rstrip("s")]


def _duration(match: re.Match[str]) -> int | None:
    """Days for a DURATION_* match (None: vague)."""
    unit = match.group("unit")
    if match.groupdict().get("bound"):
        return None
    if match.groupdict().get("rough") and unit.lower() in ("month", "year"):
        return None
    return _days(match.group("n"), unit)


def _score(text: str, match: re.Match[str]) -> int | None:
    """The 0-10 score a SEVERITY match gives (None: a range, a peak or the score at first)."""
    if match.group(1):
        return None  # "4-5 out of 10"
    if PEAK_BEFORE.search(text[max(0, match.start() - 25):match.start()]):
        return None
    if PEAK_AFTER.search(text[match.end():match.end() + 25]):
        return None
    return number_value(match.group(2))


def _on_date(text: str, match: re.Match[str], today: date) -> int | None:
    day = int(match.group("d1") or match.group("d2"))
    month = MONTHS.index((match.group("m1") or match.group("m2")).lower()) + 1
    for year in (today.year, today.year - 1):  # the last such day, this year or the last
        try:
            when = date(year, month, day)
        except ValueError:  # "31st of June", a 29th of February in another year
            continue
        if when <= today:
            return (today - when).days
    return None


def find_numbers(text: str, today: date) -> Iterator[NumberMention]:
    """Every age, duration and pain score in `text` (vague ones with no value)."""
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        if any(s < end and start < e for s, e in taken):
            return False
        taken.append((start, end))
        return True

    for match in SEVERITY.finditer(text):
        if not free(*match.span()):
            continue
        value = _score(text, match)
        if _last_subject(_sentence_before(text, match.start())) is False:
            value = None  # "a pressing ache in my tummy ... 3/10 today"
        yield NumberMention("pain_severity", value, *match.span(), match.group(0))
    yield from _desk_hours(text, free)
    durations = list(_durations(text, today, free))
    yield from durations or _woke_with(text, free)
    yield from _ages_and_sex(text, free)


def _woke_with(text: str, free: Callable[[int, int], bool]) -> Iterator[NumberMention]:
    """Waking up with the pain, in a text that gives no other time: it began today."""
    if OTHER_TIME.search(text):
        return
    for match in WOKE_WITH.finditer(text):
        _, end = _sentence(text, *match.span())
        if ABOUT_THE_PAIN.search(text[match.end():end]) and free(*match.span()):
            yield NumberMention("duration_days", 0, *match.span(), match.group(0))
            return


def _how_it_changed(before: str) -> bool:
    """Whether the words before a duration say how the pain changed ("worse the last 10
    days"), not when it began."""
    return re.search(r"\b(?:worse|better)\s+(?:over\s+|in\s+)?$", before) is not None


def _tells_the_onset(text: str, match: re.Match[str]) -> bool:
    """Whether a day's sentence tells how this pain began ("Tuesday it started", "pulled my
    trap this morning")."""
    start, end = _sentence(text, *match.span())
    return ONSET.search(text[start:end]) is not None and _subject(text[start:end]) is not False


def _desk_hours(text: str, free: Callable[[int, int], bool]) -> Iterator[NumberMention]:
    """Hours a day at a desk or screen, where the desk is named in the same clause and the
    sentence is about the writer (not "my husband sits at a desk 10 hours a day")."""
    for match in DESK_HOURS.finditer(text):
        start, end = _sentence(text, *match.span())
        if not DESK_WORDS.search(_clause(text, *match.span())) \
                or _OTHER_PERSON.search(text[start:end]):
            continue
        if free(*match.span()):
            value = None if match.group("range") else number_value(match.group("n"))
            yield NumberMention("desk_hours_per_day", value, *match.span(), match.group(0))


def _sentence_before(text: str, start: int) -> str:
    sentence_start, _ = _sentence(text, start, start)
    return text[sentence_start:start]


def _durations(text: str, today: date, free: Callable[[int, int], bool]
               ) -> Iterator[NumberMention]:
    for match in DURATION_RANGE.finditer(text):
        if _about_this_pain(text, *match.span()) and free(*match.span()):
            yield NumberMention("duration_days", None, *match.span(), match.group(0))
    for pattern in (DURATION_AGO, DURATION_FOR, DURATION_OF):
        for match in pattern.finditer(text):
            if not _about_this_pain(text, *match.span()):
                continue
            after = ""
            if pattern is DURATION_OF:
                after = re.split(r"[,;:]",
                                 text[match.end():_sentence(text, *match.span())[1]])[0]
                if _subject(after) is False or (match.group(0).lower().endswith("of")
                                                and not ABOUT_THE_PAIN.search(after[:40])):
                    continue  # "four months of tiredness", "seven years of med school"
            before = text[max(0, match.start() - 12):match.start()].lower()
            if pattern is DURATION_FOR and _how_it_changed(before):
                continue
            if pattern is not DURATION_AGO and re.search(r"\b(?:after|in|within)\s+$", before) \
                    and not (pattern is DURATION_OF and PAIN_AFTER_OF.match(after)):
                continue  # "it calmed down after about a day", "after a day of lifting"
            if free(*match.span()):
                yield NumberMention("duration_days", _duration(match), *match.span(),
                                    match.group(0))
    for match in DURATION_THE_LAST.finditer(text):
        if _how_it_changed(text[max(0, match.start() - 12):match.start()].lower()):
            continue
        if _about_this_pain(text, *match.span()) and free(*match.span()):
            yield NumberMention("duration_days", DAYS_PER[match.group("unit").lower()],
                                *match.span(), match.group(0))
    for match in (m for pattern in (HOURS_AGO, JUST_NOW) for m in pattern.finditer(text)):
        if _about_this_pain(text, *match.span()) and free(*match.span()):
            yield NumberMention("duration_days", 0, *match.span(), match.group(0))
    for match in DURATION_HOURS.finditer(text):
        count = number_value(match.group(1))
        if _subject(_clause(text, *match.span())) and free(*match.span()):
            yield NumberMention("duration_days", None if count is None else count // 24,
                                *match.span(), match.group(0))
    for match in SINCE_DAY.finditer(text):
        days = (today.weekday() - WEEKDAYS.index(match.group(1).lower())) % 7 or 7
        if _about_this_pain(text, *match.span()) and free(*match.span()):
            yield NumberMention("duration_days", None if match.group("or") else days,
                                *match.span(), match.group(0))
    for match in SINCE_WORD.finditer(text):
        if _about_this_pain(text, *match.span()) and free(*match.span()):
            yield NumberMention("duration_days", SINCE_WORD_DAYS[match.group(1).lower()],
                                *match.span(), match.group(0))
    for match in ON_DAY.finditer(text):
        if _tells_the_onset(text, match) and free(*match.span()):
            days = (today.weekday() - WEEKDAYS.index(match.group(1).lower())) % 7
            yield NumberMention("duration_days", days, *match.span(), match.group(0))
    for match in ON_WORD.finditer(text):
        if _tells_the_onset(text, match) and free(*match.span()):
            yield NumberMention("duration_days", SINCE_WORD_DAYS[match.group(1).lower()],
                                *match.span(), match.group(0))
    for match in ON_DATE.finditer(text):
        start, _ = _sentence(text, *match.span())
        if SINCE_BEFORE_DATE.search(text[max(start, match.start() - 40):match.start()]) \
                and free(*match.span()):
            yield NumberMention("duration_days", _on_date(text, match, today), *match.span(),
                                match.group(0))
    for match in FOR_AGES.finditer(text):
        if HELD_FOR.search(text[max(0, match.start() - 40):match.start()]):
            continue
        if free(*match.span()):
            yield NumberMention("duration_days", None, *match.span(), match.group(0))


def _ages_and_sex(text: str, free: Callable[[int, int], bool]) -> Iterator[NumberMention]:
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
    for match in SEX_MENOPAUSE.finditer(text):
        yield NumberMention("sex", "female", *match.span(), match.group(0))
    for match in SEX_OPENING.finditer(text):
        word = next(g for g in match.groups() if g).lower()
        yield NumberMention("sex", SEX_VALUES[word], *match.span(), match.group(0))
    for match in VAGUE_AGE.finditer(text):
        if free(*match.span()):
            yield NumberMention("age", None, *match.span(), match.group(0))
