"""The checks every value passes before the store writes it (shared by the Store and the
quick save, and free of SQLAlchemy so the quick save stays quick)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from ..clock import AHEAD, EARLIEST, TIME_ALLOWED
from ..limits import TEXT_LIMITS, text_allowed
from .errors import RecordError

# The largest whole number every database stores in an INTEGER column (PostgreSQL's is 32-bit).
INT_MAX = 2**31 - 1
JSON_ALLOWED = "JSON data (text, whole or finite numbers, true/false, null, lists and dicts)"


def now() -> datetime:
    """The time now, in UTC."""
    return datetime.now(UTC)


def check_int(field: str, value: object, low: int, high: int = INT_MAX) -> int:
    """A whole number in [low, high], or RecordError naming the field."""
    allowed = f"a whole number from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(field, allowed, value)
    if value < low or value > high:
        raise RecordError(field, allowed, value)
    return value


def check_text(field: str, value: object) -> str | None:
    """Text within its limit (trimmed; None when empty), or RecordError naming the field."""
    if value is None:
        return None
    # PostgreSQL cannot store a NUL character in text; refuse it everywhere, alike.
    if not isinstance(value, str) or "\x00" in value:
        raise RecordError(field, "text (without NUL characters) or nothing", value)
    text = value.strip()
    # The same limits the terminal, the pages and the API check first (upperback.limits).
    if field in TEXT_LIMITS and len(text) > TEXT_LIMITS[field]:
        raise RecordError(field, text_allowed(field), f"{text[:20]}... ({len(text)} characters)")
    return text or None


def first_non_json(value: object, path: str) -> tuple[str, object] | None:
    """Where in `value` something is that JSON (as every database stores it) cannot hold."""
    if value is None or isinstance(value, bool | int | str):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else (path, value)
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = first_non_json(item, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return (f"{path} key", key)
            found = first_non_json(item, f"{path}.{key}")
            if found is not None:
                return found
        return None
    return (path, value)


def check_json(field: str, value: object) -> dict[str, Any]:
    """A dict that every database can store as JSON, or RecordError naming where it is not."""
    if not isinstance(value, dict):
        raise RecordError(field, "a dict", value)
    found = first_non_json(value, field)
    if found is not None:
        raise RecordError(found[0], JSON_ALLOWED, found[1])
    return value


def check_time(field: str, value: object) -> datetime:
    """A date and time in UTC (now when None; a naive time is local), from 1900 to a day
    from now, or RecordError: every reader can then show it in any time zone."""
    if value is None:
        return now()
    if not isinstance(value, datetime):
        raise RecordError(field, "a date and time", value)
    try:
        utc = value.astimezone(UTC)  # a naive time is taken as local time
    except (OverflowError, ValueError):
        raise RecordError(field, TIME_ALLOWED, value) from None
    if not EARLIEST <= utc <= now() + AHEAD:
        raise RecordError(field, TIME_ALLOWED, value)
    return utc
