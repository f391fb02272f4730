"""`upperback check`: answers files, JSON output, the result screen and the emergency screen."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from upperback.knowledge_base import KnowledgeBase
from upperback.sessions import session_cautions
from upperback.store import Store

from .conftest import Run, flat

WriteAnswers = Callable[[Mapping[str, Any], str], Path]


@pytest.mark.parametrize("kind", ["json", "yaml"])
def test_an_answers_file_gives_the_result_screen_without_questions(
    run: Run, write_answers: WriteAnswers, desk_worker: dict[str, Any], kind: str
) -> None:
    result = run("check", "--answers", str(write_answers(desk_worker, kind)), "--full")
    assert result.exit_code == 0, result.output
    assert "Question" not in result.output
    for heading in (
        "Self-care at home",
        "Most likely causes",
        "Poor posture",
        "Your relief plan",
        "When to get care",
        "Get help if",
        "Sources",
        "not a diagnosis",
    ):
        assert heading in result.output


def test_the_result_screen_explains_the_causes_with_a_bar_and_the_answers(
    run: Run, write_answers: WriteAnswers, desk_worker: dict[str, Any]
) -> None:
    output = run("check", "--answers", str(write_answers(desk_worker, "json")), "--full").output
    assert "█" in output and "%" in output
    assert "More likely because: " in output
    assert "Hunched or slouched posture: yes" in output


def test_the_relief_plan_shows_its_safety_rules_and_withheld_methods_with_the_reason(
    run: Run, write_answers: WriteAnswers, desk_worker: dict[str, Any], kb: KnowledgeBase
) -> None:
    path = write_answers(desk_worker | {"diabetes": True}, "json")
    text = flat(run("check", "--answers", str(path), "--full").output)
    assert "Not suggested for you" in text
    assert "Heat pack" in text
    (reason,) = session_cautions(kb, "heat", {"diabetes": True})
    assert flat(reason) in text
    assert "Your answers: Diabetes: yes" in text


def test_json_output_is_the_assessment_and_nothing_else(
    run: Run, write_answers: WriteAnswers, desk_worker: dict[str, Any]
) -> None:
    result = run("check", "--answers", str(write_answers(desk_worker, "yaml")), "--json")
    data = json.loads(result.stdout)
    assert data["triage"] == "self_care"
    assert data["causes"][0]["id"] == "poor_posture"
    assert {"relief", "avoid", "follow_up", "sources", "disclaimer"} <= set(data)


def test_every_check_is_saved_to_the_diary(
    run: Run, write_answers: WriteAnswers, desk_worker: dict[str, Any], db: Path
) -> None:
    path = str(write_answers(desk_worker, "json"))
    run("check", "--answers", path)
    run("check", "--answers", path, "--json")
    with Store.open(str(db)) as store:
        checks = store.checks()
    assert len(checks) == 2
    assert checks[0].answers["hunched_posture"] is True
    assert checks[0].result["causes"][0]["id"] == "poor_posture"


def test_an_emergency_answer_shows_only_the_emergency_screen(
    run: Run, write_answers: WriteAnswers, desk_worker: dict[str, Any], kb: KnowledgeBase
) -> None:
    answers = desk_worker | {"chest_pain_pressure": True}
    output = run("check", "--answers", str(write_answers(answers, "json"))).output
    text = flat(output)
    assert "CALL THE EMERGENCY NUMBER NOW" in text
    for step in kb.guide.levels["emergency"].steps:
        assert flat(step) in text
    assert flat(next(r.message for r in kb.red_flags if r.id == "chest_pain")) in text
    for absent in (
        "Most likely causes",
        "Your relief plan",
        "Poor posture",
        "Heat pack",
        "Sources",
    ):
        assert absent not in output


def test_an_emergency_check_is_saved_too(run: Run, write_answers: WriteAnswers, db: Path) -> None:
    run("check", "--answers", str(write_answers({"chest_pain_pressure": True}, "json")))
    with Store.open(str(db)) as store:
        latest = store.latest_check()
    assert latest is not None and latest.triage == "emergency"


def test_a_wrapped_answers_mapping_is_accepted(
    run: Run, write_answers: WriteAnswers, desk_worker: dict[str, Any]
) -> None:
    result = run("check", "--answers", str(write_answers({"answers": desk_worker}, "json")))
    assert result.exit_code == 0 and "Poor posture" in result.output


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        ({"fevr": True}, "did you mean 'fever'"),
        ({"age": "old"}, "age: 'old' is not allowed"),
        ({"pain_severity": 11}, "pain_severity: 11 is not allowed"),
    ],
)
def test_a_bad_answer_in_the_file_names_the_finding_without_a_traceback(
    run: Run, write_answers: WriteAnswers, answers: dict[str, Any], named: str
) -> None:
    path = write_answers(answers, "json")
    result = run("check", "--answers", str(path))
    assert result.exit_code == 2
    assert named in result.output
    assert str(path) in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("answers.json", "{not json", "is not valid JSON"),
        ("answers.yaml", "age: [1, 2", "is not valid YAML"),
        ("answers.yaml", "- age\n- 34\n", "must hold a mapping of finding id to answer"),
    ],
)
def test_a_file_that_is_not_a_mapping_of_answers_is_refused_clearly(
    run: Run, tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    result = run("check", "--answers", str(path))
    assert result.exit_code == 2
    assert message in result.output


def test_a_missing_answers_file_is_named(run: Run, tmp_path: Path) -> None:
    result = run("check", "--answers", str(tmp_path / "nowhere.yaml"))
    assert result.exit_code == 2
    assert "cannot read" in result.output and "nowhere.yaml" in result.output


def test_the_result_is_shown_even_when_the_diary_cannot_be_saved(
    tmp_path: Path, write_answers: WriteAnswers, desk_worker: dict[str, Any]
) -> None:
    from typer.testing import CliRunner

    from upperback.cli import app
    from upperback.cli.runtime import Runtime

    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("these are my notes, not a database" * 100)
    result = CliRunner().invoke(
        app,
        ["--db", str(not_a_db), "check", "--answers", str(write_answers(desk_worker, "json"))],
        obj=Runtime(),
    )
    assert result.exit_code == 2
    assert "Poor posture" in result.stdout
    assert "the check was not saved" in result.stderr
    assert not_a_db.read_text().startswith("these are my notes")


def test_the_interview_runs_in_the_terminal_with_typed_replies(run: Run) -> None:
    # Age, sex, then tick chest pain at the first checklist: the interview stops at once.
    result = run("check", input="40\n1\n1\n")
    assert "Question 1 - about" in result.output
    assert "How old are you?" in result.output
    assert "CALL THE EMERGENCY NUMBER NOW" in result.output
    assert "Question 4" not in result.output
    assert "Your relief plan" not in result.output


def test_the_interview_can_answer_everything_with_none_or_dont_know(run: Run) -> None:
    result = run("check", input="30\n2\n" + "0\n" * 5 + "d\n" * 60)
    assert result.exit_code == 0, result.output
    assert "Likely causes" in result.output
    assert "Saved to your diary as check 1." in result.output


def test_the_interview_stops_cleanly_when_the_input_ends(run: Run) -> None:
    result = run("check", input="0\n")
    assert result.exit_code == 1
    assert "the input ended before the question was answered" in result.output
    assert "Traceback" not in result.output


def test_interview_questions_go_to_stderr_with_json(run: Run) -> None:
    result = run("check", "--json", input="40\n1\n1\n")
    assert json.loads(result.stdout)["triage"] == "emergency"
    assert "Question 1" in result.stderr


def test_back_at_the_first_question_says_so_and_asks_it_again(run: Run) -> None:
    # Back before any answer, then age, sex and chest pain: the interview stops at once.
    result = run("check", input="b\n40\n1\n1\n")
    assert result.exit_code == 0, result.output
    assert "This is the first question." in result.output
    assert result.output.count("How old are you?") == 2
    assert "CALL THE EMERGENCY NUMBER NOW" in result.output


def test_json_gives_the_saved_checks_number_and_show_brings_it_back(
    run: Run, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"age": 40, "hunched_posture": true}', "utf-8")
    first = json.loads(run("check", "--answers", str(answers), "--json").stdout)
    assert first["check_id"] == 1
    again = json.loads(run("check", "--show", "1", "--json").stdout)
    assert again["check_id"] == 1 and again["triage"] == first["triage"]
    shown = run("check", "--show", "1")
    assert shown.exit_code == 0 and "Check 1, saved" in shown.output
    assert "Checks" in run("history", "--no-chart").output


def test_showing_a_check_that_is_not_there_says_so(run: Run) -> None:
    result = run("check", "--show", "9")
    assert result.exit_code == 2 and "there is no saved check 9" in result.output
