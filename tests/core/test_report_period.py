"""The report's period and who it is for: the same dates mean the same days everywhere, and a
bad one is refused with its field named."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from upperback.errors import InputError
from upperback.report_period import (
    DEFAULT_DAYS,
    LONGEST_DAYS,
    NAME_MAX,
    Period,
    report_period,
    report_subject,
)

TODAY = date(2026, 12, 1)


def test_without_dates_the_period_is_the_last_30_days_with_today() -> None:
    period = report_period(today=TODAY)
    assert period == Period(date(2026, 11, 2), TODAY)
    assert period.days == DEFAULT_DAYS == 30
    assert period.label() == "2026-11-02 to 2026-12-01 (30 days)"


def test_a_start_alone_runs_to_today_and_an_end_alone_takes_30_days_before_it() -> None:
    assert report_period("2026-11-20", today=TODAY) == Period(date(2026, 11, 20), TODAY)
    assert report_period(None, "2026-10-31", today=TODAY) == Period(date(2026, 10, 2),
                                                                    date(2026, 10, 31))
    assert report_period(" 2026-11-20 ", "", today=TODAY).first == date(2026, 11, 20)


def test_one_day_is_a_period_and_says_so() -> None:
    period = report_period("2026-11-20", "2026-11-20", today=TODAY)
    assert period.days == 1 and period.label().endswith("(1 day)")


def test_a_period_runs_from_midnight_to_the_next_midnight_after_its_last_day() -> None:
    period = Period(date(2026, 11, 20), date(2026, 11, 21))
    start, end = period.start(UTC), period.end(UTC)
    assert start == datetime(2026, 11, 20, tzinfo=UTC)
    assert end - start == timedelta(days=2)
    assert period.start().tzinfo is not None  # this computer's midnight, as UTC


@pytest.mark.parametrize(
    ("start", "end", "field", "says"),
    [
        ("2026-02-30", None, "from", "from is not a date"),
        ("20/11/2026", None, "from", "from is not a date"),
        (None, "soon", "to", "to is not a date"),
        ("1899-12-31", None, "from", "between 1900 and today"),
        (None, "2026-12-05", "to", "between 1900 and today"),
        ("2026-11-20", "2026-11-01", "from", "is after to"),
        (20261120, None, "from", "must be a date as text"),
    ],
)
def test_a_bad_date_is_refused_naming_its_field(
    start: object, end: object, field: str, says: str
) -> None:
    with pytest.raises(InputError) as raised:
        report_period(start, end, today=TODAY)
    assert raised.value.field == field
    assert says in str(raised.value)


def test_a_period_longer_than_one_report_holds_is_refused() -> None:
    first = TODAY - timedelta(days=LONGEST_DAYS)
    with pytest.raises(InputError, match="at most"):
        report_period(first.isoformat(), today=TODAY)
    assert report_period((first + timedelta(days=1)).isoformat(), today=TODAY).days == LONGEST_DAYS


def test_a_name_is_cleaned_to_one_line_and_a_birth_date_is_a_date() -> None:
    subject = report_subject("  Sam \n Lee\t", "1982-04-02", today=TODAY)
    assert subject.name == "Sam Lee" and subject.born == date(1982, 4, 2)
    assert subject.given
    assert not report_subject(None, None, today=TODAY).given
    assert report_subject("   ", "", today=TODAY).name is None


@pytest.mark.parametrize(
    ("name", "born", "field"),
    [
        ("x" * (NAME_MAX + 1), None, "name"),
        ("Sam\x07", None, "name"),
        (None, "2026-12-02", "born"),
        (None, "02/04/1982", "born"),
        (None, "1850-01-01", "born"),
    ],
)
def test_a_bad_name_or_birth_date_is_refused_naming_it(name: object, born: object, field: str
                                                       ) -> None:
    with pytest.raises(InputError) as raised:
        report_subject(name, born, today=TODAY)
    assert raised.value.field == field
