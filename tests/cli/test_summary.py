"""The answer first: the default result is one screen, --full is everything, and the text
wraps cleanly at any width (no URL split, no trailing spaces when piped)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import upperback
from upperback.cli.render import SUMMARY_LINES, FullHint, print_result
from upperback.knowledge_base import KnowledgeBase
from upperback.result import AssessmentResult

from .conftest import Run

WriteAnswers = Callable[[Mapping[str, Any], str], Path]
HINT = FullHint(
    "Saved to your diary as check 7. The full result:", "upperback check --show 7 --full"
)


def people(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    """A desk worker, a lifting strain, someone who said little, and a fever (urgent)."""
    no = dict.fromkeys(kb.warning_signs, False)
    return {
        "desk worker": no | {"age": 28, "sex": "male", "duration_days": 21, "pain_severity": 4,
                             "desk_hours_per_day": 10, "hunched_posture": True,
                             "pain_dull_ache_tight": True},
        "lifting strain": no | {"age": 35, "sex": "female", "duration_days": 2,
                                "pain_severity": 6, "sudden_onset_after_strain": True},
        "said little": {"age": 30},
        "fever": no | {"age": 50, "sex": "male", "duration_days": 5, "fever": True},
    }  # fmt: skip


def rendered(result: AssessmentResult, width: int, hint: FullHint | None = HINT) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    print_result(console, result, hint)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return text.splitlines()


@pytest.fixture(params=["desk worker", "lifting strain", "said little", "fever"])
def result(request: pytest.FixtureRequest, kb: KnowledgeBase) -> AssessmentResult:
    answers = {k: v for k, v in people(kb)[request.param].items() if k in kb.findings}
    return upperback.assess(answers, kb).result()


@pytest.mark.parametrize("width", [100, 80])
def test_the_default_result_fits_one_screen_at_80_columns_and_wider(
    result: AssessmentResult, width: int
) -> None:
    lines = rendered(result, width)
    assert len(lines) <= SUMMARY_LINES
    assert result.triage_label in lines[0]


@pytest.mark.parametrize("width", [100, 80, 60])
def test_the_default_result_opens_with_the_level_and_ends_with_where_the_rest_is(
    result: AssessmentResult, width: int
) -> None:
    lines = rendered(result, width)
    text = "\n".join(lines)
    assert result.triage_label in lines[0]
    assert lines[-1].strip().endswith("upperback check --show 7 --full")
    assert "Likely causes" in text
    assert result.causes[0].likelihood in text
    assert "█" not in text  # words, not bars: the number is in --full
    for cause in result.causes[:3]:
        row = next(line for line in lines if line.startswith(f"- {cause.likelihood}")
                   and cause.name[:20] in line)
        assert cause.likelihood in row and "%" not in row
    assert result.relief[0].name in text
    for safety in result.relief[0].safety:
        assert " ".join(safety.split()[:4]) in " ".join(text.split())


@pytest.mark.parametrize("width", [100, 80, 60])
def test_the_full_result_keeps_every_url_whole_and_ends_with_the_level(
    result: AssessmentResult, width: int
) -> None:
    lines = rendered(result, width, None)
    urls = {source.url for source in result.sources}
    with_url = [line.strip() for line in lines if "http" in line]
    assert with_url
    assert all(line in urls for line in with_url), with_url
    assert f"Your level: {result.triage_label}." in " ".join(lines[-3:])
    text = "\n".join(lines)
    assert "%" in text and result.causes[0].likelihood in text


@pytest.mark.parametrize("width", [100, 80, 60])
def test_lines_never_pass_the_width_but_for_a_url_or_a_command(
    result: AssessmentResult, width: int
) -> None:
    for line in rendered(result, width) + rendered(result, width, None):
        if len(line) > width:
            assert line.strip().startswith(("http", "upperback ")), line


def test_an_emergency_stays_the_emergency_screen_only(kb: KnowledgeBase) -> None:
    result = upperback.assess({"chest_pain_pressure": True, "hunched_posture": True}, kb).result()
    summary = rendered(result, 80)
    assert summary == rendered(result, 80, None)
    text = " ".join(summary)
    assert "CALL THE EMERGENCY NUMBER NOW" in text
    assert "upperback check --show" not in text and "Likely causes" not in text


def test_piped_output_has_no_trailing_spaces(
    run: Run, write_answers: WriteAnswers, desk_worker: dict[str, Any]
) -> None:
    path = str(write_answers(desk_worker, "json"))
    for args in (("check", "--answers", path), ("check", "--answers", path, "--full")):
        output = run(*args).output
        assert output.count("\n") > 20
        assert not [line for line in output.splitlines() if line.endswith(" ")]


def test_the_default_check_says_where_the_full_result_is_and_full_shows_it(
    run: Run, write_answers: WriteAnswers, desk_worker: dict[str, Any]
) -> None:
    path = str(write_answers(desk_worker, "json"))
    short = run("check", "--answers", path).output
    assert short.rstrip().splitlines()[-1] == (
        "Saved to your diary as check 1. The full result: upperback check --show 1 --full"
    )
    assert "Sources" not in short
    shown = run("check", "--show", "1", "--full").output
    assert "Sources" in shown and "Your level: Self-care at home." in shown
    again = run("check", "--show", "1").output
    assert "Sources" not in again and "upperback check --show 1 --full" in again


@pytest.mark.parametrize("width", [100, 80, 60])
def test_every_method_of_the_plan_is_named_on_the_default_result(
    result: AssessmentResult, width: int
) -> None:
    text = " ".join(" ".join(rendered(result, width)).split())
    for method in result.relief:
        assert method.name in text


@pytest.mark.parametrize("case", ["desk worker", "lifting strain", "said little", "fever"])
def test_the_check_command_prints_at_most_40_lines_at_80_columns(
    kb: KnowledgeBase, write_answers: WriteAnswers, db: Path, case: str
) -> None:
    from typer.testing import CliRunner

    from upperback.cli import app
    from upperback.cli.runtime import Runtime

    answers = {k: v for k, v in people(kb)[case].items() if k in kb.findings}
    result = CliRunner().invoke(
        app, ["--db", str(db), "check", "--answers", str(write_answers(answers, "json"))],
        obj=Runtime(environ={}), env={"COLUMNS": "80"}, catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) <= SUMMARY_LINES
