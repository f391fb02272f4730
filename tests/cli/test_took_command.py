"""`upperback took`: a dose logged from the terminal, checked against the label."""

from __future__ import annotations

import pytest

from upperback.store import Store

from .conftest import Run, flat


def test_a_dose_is_logged_at_the_time_given(run: Run, store: Store) -> None:
    result = run("took", "paracetamol", "500", "--at", "2026-11-20 08:00")
    assert result.exit_code == 0
    assert "Logged: Acetaminophen (paracetamol) 500 mg at 2026-11-20 08:00" in result.output
    [dose] = store.doses_near(store.doses_page(1).items[0].taken_at)
    assert (dose.medicine, dose.dose_mg) == ("acetaminophen", 500)


def test_a_second_dose_too_soon_is_shown_in_red_with_the_labels_source(
    run: Run, store: Store
) -> None:
    run("took", "ibuprofen", "400", "--at", "2026-11-20 08:00")
    result = run("took", "ibuprofen", "400", "--at", "2026-11-20 11:00")
    text = flat(result.output)
    assert result.exit_code == 0
    assert "Careful" in text and "at least 6 hours between doses" in text
    assert "Source: NHS: Ibuprofen for adults" in text
    assert store.counts().doses == 2


@pytest.mark.parametrize(("args", "says"), [
    (["asprin", "100"], "is not a medicine the guide knows"),
    (["ibuprofen", "0"], "whole number of milligrams from 1 to 5000"),
    (["ibuprofen", "200", "--at", "last tuesday"], "--at is not a date and time"),
    (["ibuprofen", "200", "--at", "1850-01-01 08:00"], "between 1900 and tomorrow"),
])
def test_a_bad_dose_is_refused_in_one_line_and_nothing_is_saved(
    run: Run, store: Store, args: list[str], says: str
) -> None:
    result = run("took", *args)
    assert result.exit_code == 2
    assert says in flat(result.output)
    assert store.counts().doses == 0
