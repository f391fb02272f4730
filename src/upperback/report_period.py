"""What a clinician's report covers: a period of calendar days, and who it is for.

The terminal's `upperback report --from --to --name --born` and the web report's form both
check their values here, so a date means the same everywhere and a bad one is refused with a
message naming its field. Days are the person's local calendar days: a report "from
2026-11-01" starts at midnight on this computer's clock (or in the zone the page gives).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

from .diary import clean_text
from .errors import InputError

#: The report's period when none is chosen: the last 30 days, today included.
DEFAULT_DAYS: Final = 30
#: The longest period one report may cover (it stays a few pages; the exports hold all).
LONGEST_DAYS: Final = 3660
EARLIEST_DAY: Final = date(1900, 1, 1)
NAME_MAX: Final = 100
DATE_ALLOWED: Final = "a date as YYYY-MM-DD, such as 2026-11-01"
DATE_SHAPE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
NAME_ALLOWED: Final = f"text of at most {NAME_MAX} characters, or nothing"


@dataclass(frozen=True)
class Period:
    """Calendar days from `first` to `last`, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        """How many calendar days the period holds."""
        return (self.last - self.first).days + 1

    def start(self, zone: tzinfo | None = None) -> datetime:
        """The period's first moment (midnight of `first` in `zone`, local when None), UTC."""
        return _midnight(self.first, zone)

    def end(self, zone: tzinfo | None = None) -> datetime:
        """The moment just after the period (midnight after `last`), in UTC."""
        return _midnight(self.last + timedelta(days=1), zone)

    def label(self) -> str:
        """The period in words: '2026-11-01 to 2026-11-30 (30 days)'."""
        days = "1 day" if self.days == 1 else f"{self.days} days"
        return f"{self.first.isoformat()} to {self.last.isoformat()} ({days})"


@dataclass(frozen=True)
class Subject:
    """Who the report is for, when the person chooses to say (nothing is kept of it)."""

    name: str | None = None
    born: date | None = None

    @property
    def given(self) -> bool:
        """Whether a name or a birth date was given."""
        return self.name is not None or self.born is not None


def _midnight(day: date, zone: tzinfo | None) -> datetime:
    moment = datetime.combine(day, time())
    try:
        placed = moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()
        return placed.astimezone(UTC)
    except (OverflowError, ValueError, OSError):  # a zone that cannot hold the date
        return moment.replace(tzinfo=UTC)


def _date(field: str, value: object, today: date) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str):
        try:
            if DATE_SHAPE.fullmatch(value.strip()) is None:  # not 20261101 or 2026-W48
                raise ValueError(value)
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise InputError(field, f"{field} is not a date: give {DATE_ALLOWED}.",
                             DATE_ALLOWED) from None
    else:
        raise InputError(field, f"{field} must be a date as text: {DATE_ALLOWED}.", DATE_ALLOWED)
    if not EARLIEST_DAY <= day <= today + timedelta(days=1):
        raise InputError(field, f"{field} must be between 1900 and today: give "
                         f"{DATE_ALLOWED}.", DATE_ALLOWED)
    return day


def report_period(start: object = None, end: object = None, today: date | None = None
                  ) -> Period:
    """The period from `start` to `end` (dates as YYYY-MM-DD text, either may be None).
    Without `end` it ends today; without `start` it holds the DEFAULT_DAYS days up to the
    end. A bad date, a start after the end or a period over LONGEST_DAYS raises InputError
    naming the field ("from" or "to", as the person typed them)."""
    today = today or date.today()
    last = _date("to", end, today) or today
    first = _date("from", start, today) or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InputError("from", f"from ({first}) is after to ({last}).",
                         "a date on or before the period's end")
    period = Period(first, last)
    if period.days > LONGEST_DAYS:
        raise InputError("from", f"the period holds {period.days} days; at most "
                         f"{LONGEST_DAYS} (about 10 years) fit in one report.",
                         f"a period of at most {LONGEST_DAYS} days")
    return period


def report_subject(name: object = None, born: object = None, today: date | None = None
                   ) -> Subject:
    """Who the report is for: a name (cleaned text, at most NAME_MAX characters) and a birth
    date, each optional; a bad one raises InputError naming it ("name" or "born")."""
    today = today or date.today()
    text = None
    if name is not None:
        text = clean_text("name", name, NAME_ALLOWED).replace("\n", " ").replace("\t", " ")
        text = " ".join(text.split()) or None
        if text is not None and len(text) > NAME_MAX:
            raise InputError("name", f"name is {len(text)} characters long; at most "
                             f"{NAME_MAX}.", NAME_ALLOWED)
    birth = _date("born", born, today)
    if birth is not None and birth > today:
        raise InputError("born", f"born cannot be after today: give {DATE_ALLOWED}.",
                         DATE_ALLOWED)
    return Subject(text, birth)
