"""`upperback log` and `upperback history`: entries, symptoms, the trend rule and the chart."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from upperback.knowledge_base import KnowledgeBase
from upperback.store import Store

from .conftest import Run, flat


def test_an_entry_given_on_the_command_line_is_saved(run: Run, store: Store) -> None:
    result = run(
        "log",
        "--pain",
        "5",
        "--where",
        "between shoulder blades",
        "--helped",
        "heat",
        "--note",
        "long day at the desk",
    )
    assert result.exit_code == 0
    assert "Logged: pain 5/10" in result.output
    (entry,) = store.entries()
    assert (entry.pain, entry.where, entry.helped, entry.note) == (
        5,
        "between shoulder blades",
        "heat",
        "long day at the desk",
    )


def test_without_pain_the_entry_is_asked_for_and_bad_pain_is_asked_again(
    run: Run, store: Store
) -> None:
    result = run("log", input="eleven\n11\n3\nlower neck\n\n\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Please type a whole number from 0 to 10") == 2
    (entry,) = store.entries()
    assert (entry.pain, entry.where, entry.helped, entry.note) == (3, "lower neck", None, None)


@pytest.mark.parametrize("pain", ["11", "-1"])
def test_pain_outside_zero_to_ten_on_the_command_line_is_refused(
    run: Run, store: Store, pain: str
) -> None:
    result = run("log", "--pain", pain)
    assert result.exit_code == 2
    assert f"--pain must be a whole number from 0 to 10, not {pain}" in result.output
    assert store.entries() == []


def test_an_unknown_symptom_is_refused_with_a_suggestion(run: Run, store: Store) -> None:
    result = run("log", "--pain", "4", "--symptom", "fevr")
    assert result.exit_code == 2
    assert "unknown symptom 'fevr'. Did you mean 'fever'?" in result.output
    assert store.entries() == []


def test_a_number_finding_is_not_a_symptom(run: Run) -> None:
    result = run("log", "--pain", "4", "--symptom", "age")
    assert result.exit_code == 2
    assert "'age' is not a yes/no symptom" in result.output


def test_the_symptoms_can_be_listed(run: Run, kb: KnowledgeBase) -> None:
    output = run("log", "--list-symptoms").output
    assert "chest_pain_pressure" in output and "fever" in output
    assert "age" not in output.split()


def test_a_new_warning_sign_reruns_the_triage_and_shows_the_higher_level(
    run: Run,
    store: Store,
    desk_worker: dict[str, Any],
    kb: KnowledgeBase,
    checked_in: Callable[[Mapping[str, Any]], Any],
) -> None:
    checked_in(desk_worker)
    result = run("log", "--pain", "6", "--symptom", "fever")
    text = flat(result.output)
    assert "Logged: pain 6/10" in text
    assert kb.guide.levels["urgent"].label in text
    assert "Fever, or hot and shivery: yes" in text
    assert store.entries()[0].symptoms == ["fever"]


def test_a_new_emergency_sign_shows_only_the_emergency_screen(
    run: Run,
    store: Store,
    desk_worker: dict[str, Any],
    checked_in: Callable[[Mapping[str, Any]], Any],
) -> None:
    checked_in(desk_worker)
    result = run("log", "--pain", "8", "-s", "chest_pain_pressure")
    assert "CALL THE EMERGENCY NUMBER NOW" in result.output
    assert "Logged" not in result.output
    assert store.entries()[0].symptoms == ["chest_pain_pressure"]


def test_a_symptom_that_does_not_raise_the_level_shows_no_triage(
    run: Run, desk_worker: dict[str, Any], checked_in: Callable[[Mapping[str, Any]], Any]
) -> None:
    checked_in(desk_worker)
    result = run("log", "--pain", "3", "-s", "tender_knots")
    assert "Why this level" not in result.output
    assert "Logged: pain 3/10" in result.output


def _backdate(store: Store, pains: list[int], days_apart: int) -> None:
    start = datetime.now(UTC) - timedelta(days=days_apart * len(pains))
    for i, pain in enumerate(pains):
        store.add_entry(pain, created_at=start + timedelta(days=i * days_apart))


def test_pain_that_does_not_improve_over_weeks_says_see_a_clinician(
    run: Run, store: Store, kb: KnowledgeBase
) -> None:
    _backdate(store, [5, 4, 5, 6, 5], days_apart=6)
    text = flat(run("log", "--pain", "5").output)
    assert flat(kb.guide.trend.message_not_improving) in text


def test_pain_that_gets_worse_says_see_a_clinician_in_the_history_too(
    run: Run, store: Store, kb: KnowledgeBase
) -> None:
    _backdate(store, [3, 3, 4, 6, 7, 7], days_apart=2)
    text = flat(run("history", "--no-chart").output)
    assert flat(kb.guide.trend.message_worse) in text


def test_pain_that_improves_gets_no_warning(run: Run, store: Store, kb: KnowledgeBase) -> None:
    _backdate(store, [7, 6, 5, 3, 2], days_apart=2)
    output = run("history", "--no-chart").output
    assert flat(kb.guide.trend.message_worse) not in flat(output)
    assert flat(kb.guide.trend.message_not_improving) not in flat(output)


def test_history_shows_a_table_a_chart_checks_and_timer_sessions(
    run: Run,
    store: Store,
    desk_worker: dict[str, Any],
    checked_in: Callable[[Mapping[str, Any]], Any],
) -> None:
    _backdate(store, [6, 5, 4], days_apart=2)
    checked_in(desk_worker)
    store.log_timer("ice", 15, 300, False)
    output = run("history").output
    assert "Pain diary" in output
    assert "Pain (0-10)" in output  # the chart's title
    assert "┤" in output  # the chart's axis
    assert "Checks" in output and "Self-care at home" in output and "Poor posture" in output
    assert "Ice and heat" in output and "5:00 (stopped)" in output


def test_history_without_the_chart(run: Run, store: Store) -> None:
    _backdate(store, [6, 5, 4], days_apart=2)
    output = run("history", "--no-chart").output
    assert "Pain diary" in output and "Pain (0-10)" not in output


def test_an_empty_history_says_how_to_start(run: Run) -> None:
    assert "upperback log --pain" in run("history").output


def test_history_lists_a_check_saved_in_an_older_shape_by_its_level(
    run: Run, store: Store
) -> None:
    store.save_check({"age": 30}, {"triage": "soon", "causes": "not a list"})
    output = run("history", "--no-chart").output
    assert "Checks" in output
    row = next(line for line in output.splitlines() if line.startswith("│"))
    cells = [cell.strip() for cell in row.strip("│").split("│")]
    assert cells[0] == "1" and cells[2:] == ["soon", ""]  # its level as saved, no cause



def test_history_shows_the_latest_entries_and_says_how_many_there_are(
    run: Run, store: Store
) -> None:
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    for day in range(40):
        store.add_entry(day % 11, note=f"day {day}", created_at=start + timedelta(days=day))
    output = flat(run("history", "--no-chart", "--limit", "5").output)
    assert "day 39" in output and "day 35" in output and "day 34" not in output
    assert "Showing the latest 5 of each: the diary holds 40 entries" in output
    assert "upperback export" in output
    default = run("history", "--no-chart").output
    assert "day 10" in default and "day 9 " not in default  # the latest 30


def test_history_of_a_short_diary_shows_everything_without_a_note(
    run: Run, store: Store
) -> None:
    store.add_entry(4, note="only one")
    assert "Showing the latest" not in run("history", "--no-chart").output


def test_an_entry_can_be_logged_for_an_earlier_time(run: Run, store: Store) -> None:
    result = run("log", "--pain", "3", "--at", "2026-11-20 08:00")
    assert result.exit_code == 0
    assert "at 2026-11-20 08:00 (entry 1)" in result.output
    [entry] = store.entries()
    assert entry.created_at == datetime(2026, 11, 20, 8).astimezone().astimezone(UTC)


def test_a_mistyped_time_is_refused_before_anything_is_asked(run: Run, store: Store) -> None:
    result = run("log", "--at", "last week", input="4\n\n\n\n")
    assert result.exit_code == 2
    assert "--at is not a date and time" in result.output
    assert "Pain now" not in result.output
    assert store.entries() == []


def test_edit_changes_only_what_is_given_and_an_empty_text_clears_it(
    run: Run, store: Store
) -> None:
    entry = store.add_entry(4, where="left", note="gym")
    result = run("edit", str(entry.id), "--pain", "6", "--note", "", "--at", "2026-11-19 07:30")
    assert result.exit_code == 0 and "Changed entry" in result.output
    changed = store.entry(entry.id)
    assert changed is not None
    assert (changed.pain, changed.where, changed.note) == (6, "left", None)


@pytest.mark.parametrize(("args", "says"), [
    ([], "give what to change"),
    (["--pain", "11"], "--pain must be a whole number from 0 to 10"),
    (["--at", "soon"], "--at is not a date and time"),
])
def test_a_bad_edit_is_refused_and_the_entry_stays(
    run: Run, store: Store, args: list[str], says: str
) -> None:
    entry = store.add_entry(4, note="kept")
    result = run("edit", str(entry.id), *args)
    assert result.exit_code == 2 and says in flat(result.output)
    assert store.entry(entry.id) == entry


def test_delete_asks_first_and_removes_only_that_entry(run: Run, store: Store) -> None:
    keep, doomed = store.add_entry(4, note="keep"), store.add_entry(5, note="a mistake")
    kept = run("delete", str(doomed.id), input="n\n")
    assert kept.exit_code == 1 and "a mistake" in kept.output
    assert "Nothing was deleted" in kept.output
    assert run("delete", str(doomed.id), "--yes").exit_code == 0
    assert store.entries() == [keep]


def test_editing_or_deleting_an_entry_that_is_not_there_says_so(run: Run, store: Store) -> None:
    for command in (["edit", "7", "--pain", "2"], ["delete", "7", "--yes"]):
        result = run(*command)
        assert result.exit_code == 2 and "there is no diary entry 7" in result.output


def test_history_says_when_to_check_again_and_when_it_is_time(
    run: Run, store: Store, kb: KnowledgeBase
) -> None:
    answers = {f: False for f in kb.warning_signs} | {"age": 30, "hunched_posture": True}
    store.save_check(answers, {"triage": "self_care"})
    assert "Next check-in" in flat(run("history", "--no-chart").output)
    store.forget()  # now only a check of 20 days ago: its 2-week re-check has come
    store.save_check(answers, {"triage": "self_care"},
                     created_at=datetime.now(UTC) - timedelta(days=20))
    text = flat(run("history", "--no-chart").output)
    assert "Time to check again" in text and "2 weeks ago" in text


def test_a_note_that_names_a_warning_sign_raises_the_level_and_says_why(run: Run) -> None:
    result = run("log", "--pain", "4", "--note", "numb legs today")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "Your note mentions: Numb or tingling legs." in text
    assert "See a doctor today" in text
