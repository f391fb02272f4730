"""Times as the guide accepts and shows them.

A time a person or a program gives must be an ISO 8601 string (or a datetime) with a time
zone, between 1900 and a day from now; it is kept in UTC. Showing a time never fails, even on
a row an older version stored out of that range: `local()` falls back to UTC where the local
zone cannot hold it (year 1 west of Greenwich, year 9999 east of it).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from .errors import InputError

EARLIEST: Final = datetime(1900, 1, 1, tzinfo=UTC)
#: How far ahead of now a time may be (clocks differ a little; a diary is not a calendar).
AHEAD: Final = timedelta(days=1)
TIME_ALLOWED: Final = (
    "an ISO 8601 date and time with a time zone, from 1900 to tomorrow, "
    "e.g. 2026-11-20T08:00:00+00:00 or 2026-11-20T08:00:00Z"
)


def check_time(field: str, value: object, now: datetime | None = None) -> datetime | None:
    """The time in UTC (None stays None: "now" is the store's to choose), or InputError."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InputError(field, f"{field} is not a date and time.", TIME_ALLOWED) from None
    elif isinstance(value, datetime):
        moment = value
    else:  # numbers are not times: 253402300800 is not a date anyone can check
        raise InputError(field, f"{field} must be a date and time as text.", TIME_ALLOWED)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(field, f"{field} needs a time zone.", TIME_ALLOWED)
    try:
        utc = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InputError(field, f"{field} is out of range.", TIME_ALLOWED) from None
    latest = (now or datetime.now(UTC)) + AHEAD
    if not EARLIEST <= utc <= latest:
        raise InputError(field, f"{field} must be between 1900 and tomorrow.", TIME_ALLOWED)
    return utc


LOCAL_TIME_ALLOWED = (
    "a date and time on this computer's clock, such as 2026-11-20 08:00 (or 2026-11-20, "
    "or ISO 8601 with a zone), from 1900 to tomorrow"
)


def check_local_time(field: str, value: str, now: datetime | None = None) -> datetime:
    """A time typed in the terminal (local time unless it names a zone), in UTC, or
    InputError naming the field: "2026-11-20 08:00", "2026-11-20" (midnight) or ISO 8601."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(field, f"{field} is not a date and time.", LOCAL_TIME_ALLOWED) from None
    if moment.tzinfo is None:
        try:
            moment = moment.astimezone()  # a naive time is taken as this computer's local time
        except (OverflowError, ValueError, OSError):
            raise InputError(field, f"{field} is out of range.", LOCAL_TIME_ALLOWED) from None
    try:
        checked = check_time(field, moment, now)
    except InputError as error:
        raise InputError(field, str(error), LOCAL_TIME_ALLOWED) from None
    assert checked is not None
    return checked


def local(moment: datetime) -> datetime:
    """A stored time in this computer's time zone, or in UTC when that zone cannot hold it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone()
    except (OverflowError, ValueError, OSError):
        return moment.astimezone(UTC)


def local_text(moment: datetime, form: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time as local text, e.g. '2026-11-23 09:30' (never fails)."""
    return local(moment).strftime(form)
