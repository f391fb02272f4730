"""Fixtures for the command-line tests: a temporary diary database and a way to run commands."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import pytest
from typer.testing import CliRunner, Result

from upperback.cli import app
from upperback.cli.runtime import Runtime
from upperback.knowledge_base import KnowledgeBase
from upperback.store import Store

# Every command upperback has; the help and the docs must list each one.
COMMANDS = (
    "check",
    "guide",
    "timer",
    "plan",
    "exercise",
    "breaks",
    "log",
    "history",
    "export",
    "import",
    "forget",
    "report",
    "validate",
    "serve",
)


class Run(Protocol):
    def __call__(
        self, *args: str, input: str | None = None, environ: Mapping[str, str] | None = None
    ) -> Result: ...


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A diary database file of this test's own (created by the first command that uses it)."""
    return tmp_path / "diary.db"


@pytest.fixture
def run(db: Path) -> Run:
    """Run `upperback --db DB ARGS...` in-process; bugs surface as exceptions, not exit codes."""

    def invoke(
        *args: str, input: str | None = None, environ: Mapping[str, str] | None = None
    ) -> Result:
        return CliRunner().invoke(
            app,
            ["--db", str(db), *args],
            input=input,
            obj=Runtime(environ=dict(environ or {})),
            catch_exceptions=False,
        )

    return invoke


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    """The test's diary, opened directly to look at what the commands saved."""
    opened = Store.open(str(db))
    yield opened
    opened.close()


@pytest.fixture
def desk_worker(kb: KnowledgeBase) -> dict[str, Any]:
    """A typical posture case: long desk hours, hunched, a dull ache between the shoulders,
    and every warning sign answered no (an open one would keep it above self-care)."""
    return dict.fromkeys(kb.warning_signs, False) | {
        "age": 28,
        "sex": "male",
        "duration_days": 21,
        "pain_severity": 4,
        "desk_hours_per_day": 10,
        "hunched_posture": True,
        "pain_between_shoulder_blades": True,
        "pain_dull_ache_tight": True,
        "pain_worse_after_sitting": True,
        "pain_eased_by_rest_position": True,
        "chest_pain_pressure": False,
        "fever": False,
    }


@pytest.fixture
def write_answers(tmp_path: Path) -> Callable[[Mapping[str, Any], str], Path]:
    """Write answers to a file: 'json' or 'yaml'."""

    def write(answers: Mapping[str, Any], kind: str = "json") -> Path:
        import yaml

        path = tmp_path / f"answers.{kind}"
        text = json.dumps(answers) if kind == "json" else yaml.safe_dump(dict(answers))
        path.write_text(text, "utf-8")
        return path

    return write


@pytest.fixture
def checked_in(
    run: Run, write_answers: Callable[[Mapping[str, Any], str], Path]
) -> Callable[[Mapping[str, Any]], Result]:
    """Save a check with these answers (as `upperback check --answers` would)."""

    def check(answers: Mapping[str, Any]) -> Result:
        result = run("check", "--answers", str(write_answers(answers, "json")), "--json")
        assert result.exit_code == 0, result.output
        return result

    return check


def flat(output: str) -> str:
    """Screen text as one line: panel borders dropped and wrapped lines joined."""
    for border in "│╭╮╰╯─":
        output = output.replace(border, " ")
    return " ".join(output.split())
