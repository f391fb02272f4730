"""Times as the guide accepts them (ISO 8601 with a zone, 1900 to tomorrow) and shows them."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from upperback.clock import check_time, local, local_text
from upperback.errors import InputError

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "given, expected",
    [
        ("2026-11-20T08:00:00Z", datetime(2026, 11, 20, 8, tzinfo=UTC)),
        ("2026-11-20T08:00:00+05:30", datetime(2026, 11, 20, 2, 30, tzinfo=UTC)),
        (datetime(2026, 11, 20, 8, tzinfo=timezone(timedelta(hours=-5))),
         datetime(2026, 11, 20, 13, tzinfo=UTC)),
        (None, None),
    ],
)
def test_a_zoned_time_is_taken_in_utc(given: object, expected: datetime | None) -> None:
    assert check_time("created_at", given, now=NOW) == expected


@pytest.mark.parametrize(
    "given",
    [
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-14:00",
        "1899-12-31T23:59:59Z",
        "2026-12-03T00:00:00Z",  # more than a day ahead
        "2026-11-20T08:00:00",  # no time zone
        "yesterday",
        253402300800,  # a number is not a time
        1.5e9,
        True,
    ],
)
def test_a_time_out_of_range_without_a_zone_or_not_text_is_refused(given: object) -> None:
    with pytest.raises(InputError) as raised:
        check_time("created_at", given, now=NOW)
    assert raised.value.field == "created_at"
    assert "ISO 8601" in str(raised.value.allowed)


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo", "Pacific/Kiritimati"])
@pytest.mark.parametrize(
    "stored", [datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)]
)
def test_showing_any_stored_time_never_fails_in_any_zone(
    zone: str, stored: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert local_text(stored)
        assert local(stored).year == stored.year and local(stored).tzinfo is not None
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert "TZ" not in os.environ
