"""`upperback plan` and `upperback exercise`: the plan from the last check, and the session
player with a fake clock, each session logged to the diary."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from upperback.assessment import assess
from upperback.cli import plan as plan_module
from upperback.knowledge_base import KnowledgeBase
from upperback.store import Store

from .conftest import Run, flat


class FakeSleep:
    """Counts the seconds slept instead of sleeping."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, seconds: float) -> None:
        self.seconds += seconds


@pytest.fixture
def fake_sleep(monkeypatch: pytest.MonkeyPatch) -> FakeSleep:
    fake = FakeSleep()
    monkeypatch.setattr(plan_module, "PLAYER_SLEEP", fake)
    return fake


def save(store: Store, kb: KnowledgeBase, answers: dict[str, Any],
         when: datetime | None = None) -> None:
    assessment = assess(answers, kb)
    store.save_check(dict(assessment.answers), assessment.to_dict(), created_at=when)


def test_the_plan_shows_seven_days_of_exercises_from_the_last_check(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    save(store, kb, desk_worker)
    result = run("plan")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "Your exercise plan" in text
    assert kb.exercises["chin_tuck"].name in text
    assert kb.exercise_book.lessons[0].title in text
    assert "upperback exercise" in text


def test_the_plan_as_json_lists_date_exercises_sessions_and_notes(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    save(store, kb, desk_worker)
    data = json.loads(run("plan", "--json", "--days", "3").output)
    assert len(data["days"]) == 3 and data["offered"] is True
    assert {"date", "exercises", "sessions", "notes"} <= set(data["days"][0])


def test_there_is_no_plan_after_an_urgent_check(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    save(store, kb, desk_worker | {"fever": True, "pain_over_spine": True})
    result = run("plan")
    assert result.exit_code == 0
    assert flat(kb.exercise_book.programme.not_offered) in flat(result.output)
    assert "Your exercise plan" not in result.output


def test_without_a_check_the_plan_says_how_to_make_one(run: Run) -> None:
    result = run("plan")
    assert result.exit_code == 2
    assert "upperback check" in result.output


def test_a_single_exercise_counts_each_hold_on_the_fake_clock_and_is_logged(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any],
    fake_sleep: FakeSleep,
) -> None:
    save(store, kb, desk_worker)
    result = run("exercise", "chin_tuck", "--yes")
    assert result.exit_code == 0, result.output
    chin = kb.exercises["chin_tuck"]
    assert chin.hold_seconds is not None
    assert fake_sleep.seconds == pytest.approx(chin.reps * chin.hold_seconds)
    assert "Session logged: 1 done, 0 skipped" in flat(result.output)
    now = datetime.now(UTC)
    (session,) = store.exercise_sessions_between(now - timedelta(hours=1),
                                                 now + timedelta(hours=1)).items
    assert session.exercises == [("chin_tuck", True)] and not session.planned


def test_todays_session_asks_before_each_exercise_and_logs_done_and_skipped(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any],
    fake_sleep: FakeSleep,
) -> None:
    save(store, kb, desk_worker)
    today = json.loads(run("plan", "--json", "--days", "1").output)["days"][0]
    count = len(today["exercises"])
    answers = "s\n" + "d\n" * (count - 1)
    result = run("exercise", input=answers)
    assert result.exit_code == 0, result.output
    now = datetime.now(UTC)
    (session,) = store.exercise_sessions_between(now - timedelta(hours=1),
                                                 now + timedelta(hours=1)).items
    assert session.planned
    assert [done for _, done in session.exercises] == [False] + [True] * (count - 1)
    assert f"{count - 1} done, 1 skipped" in flat(result.output)


def test_stopping_part_way_logs_what_was_done(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any],
    fake_sleep: FakeSleep,
) -> None:
    save(store, kb, desk_worker)
    result = run("exercise", input="d\nq\n")
    assert "stopped early" in flat(result.output)
    now = datetime.now(UTC)
    (session,) = store.exercise_sessions_between(now - timedelta(hours=1),
                                                 now + timedelta(hours=1)).items
    assert session.exercises[0][1] is True and session.exercises[1][1] is False


def test_an_exercise_withheld_by_the_answers_warns_and_asks_first(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any],
    fake_sleep: FakeSleep,
) -> None:
    save(store, kb, desk_worker | {"osteoporosis": True})
    result = run("exercise", "cat_camel", input="n\n")
    assert result.exit_code == 1
    text = flat(result.output)
    assert "may not be safe for you" in text
    assert flat(kb.exercises["cat_camel"].contraindications[0].reason) in text
    now = datetime.now(UTC)
    assert store.exercise_sessions_between(now - timedelta(hours=1),
                                           now + timedelta(hours=1)).total == 0


def test_an_unknown_exercise_is_refused_with_a_suggestion(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    save(store, kb, desk_worker)
    result = run("exercise", "chin_tucks")
    assert result.exit_code == 2
    assert "Did you mean chin_tuck?" in flat(result.output)


def test_history_shows_how_many_planned_sessions_were_done(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any],
    fake_sleep: FakeSleep,
) -> None:
    save(store, kb, desk_worker)
    run("exercise", "--yes")
    text = flat(run("history").output)
    sessions = json.loads(run("plan", "--json", "--days", "1").output)["days"][0]["sessions"]
    assert f"Exercise sessions: 1 of {sessions} planned done" in text


def test_after_an_urgent_check_a_single_exercise_asks_first(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any],
    fake_sleep: FakeSleep,
) -> None:
    save(store, kb, desk_worker | {"fever": True, "pain_over_spine": True})
    result = run("exercise", "chin_tuck", input="n\n")
    assert result.exit_code == 1
    assert flat(kb.exercise_book.programme.not_offered) in flat(result.output)


def pdf_words(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return flat(out)


def test_plan_pdf_writes_the_days_asked_for_with_each_exercise(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any], tmp_path: Path
) -> None:
    save(store, kb, desk_worker)
    target = tmp_path / "plan.pdf"
    result = run("plan", "--days", "3", "--pdf", str(target))
    assert result.exit_code == 0, result.output
    today = json.loads(run("plan", "--json", "--days", "3").output)["days"]
    assert f"Wrote your exercise plan for {today[0]['date']} to {today[-1]['date']} to" \
        in flat(result.output)
    assert target.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = pdf_words(target)
        assert "Your exercise plan" in text and "Stop and get help if" in text
        for planned in today[0]["exercises"]:
            assert planned["name"] in text
            assert flat(kb.exercises[planned["id"]].steps[0]) in text


def test_plan_pdf_after_an_urgent_check_says_why_and_writes_nothing(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any], tmp_path: Path
) -> None:
    save(store, kb, desk_worker | {"fever": True, "pain_over_spine": True})
    target = tmp_path / "plan.pdf"
    result = run("plan", "--pdf", str(target))
    assert result.exit_code == 1
    assert flat(kb.exercise_book.programme.not_offered) in flat(result.output)
    assert "No PDF was written." in result.output
    assert not target.exists()


def test_plan_pdf_without_a_check_says_how_to_make_one(run: Run, tmp_path: Path) -> None:
    result = run("plan", "--pdf", str(tmp_path / "plan.pdf"))
    assert result.exit_code == 2
    assert "upperback check" in result.output
    assert not (tmp_path / "plan.pdf").exists()


@pytest.mark.parametrize("where", ["nowhere/plan.pdf", "folder"])
def test_plan_pdf_to_a_path_it_cannot_write_is_one_red_line(
    run: Run, store: Store, kb: KnowledgeBase, desk_worker: dict[str, Any], tmp_path: Path,
    where: str,
) -> None:
    save(store, kb, desk_worker)
    (tmp_path / "folder").mkdir()
    target = tmp_path / where
    result = run("plan", "--pdf", str(target))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: cannot write")
    assert "Traceback" not in result.output
    assert list((tmp_path / "folder").iterdir()) == []


def test_plan_pdf_and_json_together_are_refused(run: Run, tmp_path: Path) -> None:
    result = run("plan", "--json", "--pdf", str(tmp_path / "plan.pdf"))
    assert result.exit_code == 2
    assert "choose --json or --pdf, not both" in result.output
