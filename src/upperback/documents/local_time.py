"""Times in the CSV tables: local time with its offset, to the second.

A spreadsheet shows `2026-11-20 08:00:00+01:00` as the person lived it; microsecond UTC
(`2026-11-20T07:00:00.123456+00:00`) is exact but reads wrong. The terminal uses this
computer's zone (`zone=None`); the web app takes an IANA zone name (`tz=Europe/Berlin`),
UTC when none is given, since a server's zone is not the reader's.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from ..errors import InputError

ZONE_ALLOWED = "an IANA time zone name such as Europe/Berlin, America/New_York or UTC"
# Longer than any zone name there is: a longer one is refused before any look-up.
ZONE_NAME_MAX = 64


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    # Read once from the zone database; a name is looked up only if it is listed, so a path
    # such as "../../etc/passwd" is never opened.
    return frozenset(available_timezones()) | {"UTC"}


def zone_named(field: str, name: str) -> tzinfo:
    """The time zone of an IANA name ("UTC" included), or InputError naming `field`."""
    cleaned = name.strip()
    if cleaned == "UTC":
        return UTC
    if len(cleaned) > ZONE_NAME_MAX or cleaned not in _zone_names():
        raise InputError(
            field, f"{field} is not a time zone: give {ZONE_ALLOWED}.", ZONE_ALLOWED
        )
    return ZoneInfo(cleaned)


def local_time_text(moment: datetime, zone: tzinfo | None = None) -> str:
    """A stored time as 'YYYY-MM-DD HH:MM:SS+HH:MM' in `zone` (None: this computer's zone);
    in UTC where the zone cannot hold it (year 1 west of Greenwich, year 9999 east of it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        shown = moment.astimezone(zone)
    except (OverflowError, ValueError, OSError):
        shown = moment.astimezone(UTC)
    return shown.isoformat(sep=" ", timespec="seconds")
