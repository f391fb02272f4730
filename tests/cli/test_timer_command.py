"""`upperback timer`: limits from the knowledge base, warnings, the countdown and its log."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from upperback.knowledge_base import KnowledgeBase
from upperback.sessions import session_cautions
from upperback.store import Store

from .conftest import Run, flat

FAST = {"UPPERBACK_TIMER_SCALE": "0.0001"}


def test_it_refuses_more_than_twenty_minutes_and_says_why(
    run: Run, kb: KnowledgeBase, store: Store
) -> None:
    result = run("timer", "ice", "--minutes", "25")
    assert result.exit_code == 2
    text = flat(result.output)
    assert "at most 20 minutes a session" in text
    assert all(flat(line) in text for line in kb.relief["ice_pack"].safety)
    assert "Cleveland Clinic" in text and "NHS" in text
    assert store.timers() == []


@pytest.mark.parametrize("minutes", ["0", "-3"])
def test_it_refuses_less_than_a_minute(run: Run, minutes: str) -> None:
    result = run("timer", "heat", "--minutes", minutes)
    assert result.exit_code == 2
    assert "--minutes must be a whole number from 1 to 20" in result.output


def test_a_scaled_session_runs_to_the_end_rings_and_is_logged(
    run: Run, kb: KnowledgeBase, store: Store
) -> None:
    result = run("timer", "ice", "--minutes", "2", environ=FAST)
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert all(flat(line) in text for line in kb.relief["ice_pack"].safety)
    assert "\a" in result.output
    assert "Time is up: 2 minutes done." in text
    repeat = kb.relief["ice_pack"].repeat
    assert repeat, "the ice pack says when to use it again"
    assert flat(repeat) in text
    (session,) = store.timers()
    assert (session.kind, session.planned_minutes, session.seconds, session.completed) == (
        "ice",
        2,
        120,
        True,
    )


def test_heat_defaults_to_twenty_minutes_and_ice_to_fifteen(run: Run, store: Store) -> None:
    run("timer", "heat", environ=FAST)
    run("timer", "ice", environ=FAST)
    assert [t.planned_minutes for t in store.timers()] == [20, 15]


def test_the_hidden_seconds_per_minute_option_speeds_it_up(run: Run, store: Store) -> None:
    assert run("timer", "heat", "-m", "1", "--seconds-per-minute", "0.01").exit_code == 0
    assert store.timers()[0].completed


def test_ctrl_c_stops_cleanly_and_the_session_is_still_logged(
    run: Run, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = 0

    def sleep(_seconds: float) -> None:
        nonlocal ticks
        ticks += 1
        if ticks > 90:
            raise KeyboardInterrupt

    monkeypatch.setattr("upperback.cli.timer.sleep", sleep)
    result = run("timer", "ice", "--minutes", "10")
    assert result.exit_code == 0
    assert "Stopped after 01:30." in result.output
    assert "Traceback" not in result.output
    (session,) = store.timers()
    assert (session.seconds, session.completed) == (90, False)


def test_it_warns_when_the_answers_on_record_advise_against_it_and_asks_first(
    run: Run, store: Store, kb: KnowledgeBase, checked_in: Callable[[Mapping[str, Any]], Any]
) -> None:
    checked_in({"diabetes": True, "reduced_skin_sensation": True})
    result = run("timer", "heat", "-m", "1", input="n\n", environ=FAST)
    assert result.exit_code == 1
    text = flat(result.output)
    reasons = session_cautions(kb, "heat", {"diabetes": True, "reduced_skin_sensation": True})
    assert len(reasons) == 2
    assert all(flat(reason) in text for reason in reasons)
    assert "Not started." in text
    assert store.timers() == []


def test_it_starts_anyway_when_the_person_confirms(
    run: Run, store: Store, checked_in: Callable[[Mapping[str, Any]], Any]
) -> None:
    checked_in({"diabetes": True})
    assert run("timer", "ice", "-m", "1", input="y\n", environ=FAST).exit_code == 0
    assert run("timer", "ice", "-m", "1", "--yes", environ=FAST).exit_code == 0
    assert len(store.timers()) == 2


def test_no_warning_when_the_answers_are_fine(
    run: Run, checked_in: Callable[[Mapping[str, Any]], Any]
) -> None:
    checked_in({"diabetes": False})
    result = run("timer", "ice", "-m", "1", environ=FAST)
    assert "Careful" not in result.output and result.exit_code == 0


@pytest.mark.parametrize("scale", ["fast", "0", "-1"])
def test_a_bad_timer_scale_is_refused_clearly(run: Run, scale: str) -> None:
    result = run("timer", "ice", environ={"UPPERBACK_TIMER_SCALE": scale})
    assert result.exit_code == 2
    assert "UPPERBACK_TIMER_SCALE must be a number more than 0" in result.output


def test_an_unknown_kind_is_refused_by_name(run: Run) -> None:
    result = run("timer", "steam")
    assert result.exit_code == 2
    assert "ice" in result.output and "heat" in result.output


@pytest.mark.parametrize("speed", ["0", "-1"])
def test_a_seconds_per_minute_that_is_not_above_zero_is_refused(
    run: Run, store: Store, speed: str
) -> None:
    result = run("timer", "heat", "--seconds-per-minute", speed)
    assert result.exit_code == 2
    assert "--seconds-per-minute must be more than 0" in result.output
    assert store.timers() == []
