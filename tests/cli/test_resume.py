"""Answers kept after Ctrl-C: `check --resume` goes on from them; nothing is lost silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from upperback.cli import resume

from .conftest import Run


@pytest.fixture
def kept_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / resume.FILE_NAME
    monkeypatch.setattr(resume, "resume_path", lambda: path)
    return path


def test_resume_without_kept_answers_says_there_is_none(run: Run, kept_file: Path) -> None:
    result = run("check", "--resume")
    assert result.exit_code == 2
    assert "no stopped check" in result.output


def test_resume_goes_on_from_the_kept_answers_and_then_drops_them(
    run: Run, kept_file: Path
) -> None:
    resume.keep_answers({"age": 40, "sex": "male"})
    result = run("check", "--resume", input="0\n" * 5 + "d\n" * 60)
    assert result.exit_code == 0, result.output
    assert "Going on from the 2 answers you kept." in result.output
    assert "How old are you?" not in result.output
    assert not kept_file.exists()


def test_a_new_check_mentions_the_stopped_one(run: Run, kept_file: Path) -> None:
    resume.keep_answers({"age": 40})
    result = run("check", input="30\n2\n" + "0\n" * 5 + "d\n" * 60)
    assert "upperback check --resume" in result.output
    assert kept_file.exists()  # kept until it is resumed


def test_a_damaged_kept_file_is_named_on_resume_and_does_not_stop_a_new_check(
    run: Run, kept_file: Path
) -> None:
    kept_file.parent.mkdir(parents=True)
    kept_file.write_text("{not json", "utf-8")
    result = run("check", "--resume")
    assert result.exit_code == 2 and str(kept_file) in " ".join(result.output.split())
    assert run("check", input="30\n2\n" + "0\n" * 5 + "d\n" * 60).exit_code == 0


def test_kept_answers_are_written_whole(kept_file: Path) -> None:
    resume.keep_answers({"age": 40, "fever": None})
    data = json.loads(kept_file.read_text("utf-8"))
    assert data["answers"] == {"age": 40, "fever": None}
    assert resume.kept_answers() == {"age": 40, "fever": None}


def test_after_resume_b_goes_back_into_the_kept_answers_and_shows_them(
    run: Run, kept_file: Path
) -> None:
    resume.keep_answers({"age": 40, "sex": "male"})
    # "b" at the first question left goes back to the last kept one, saying what it was.
    result = run("check", "--resume", input="b\n" + "2\n" + "0\n" * 5 + "d\n" * 60)
    assert result.exit_code == 0, result.output
    assert "This is the first question." not in result.output
    assert "You said:" in result.output
