"""`upperback check --describe TEXT`: the check starts from the person's own words, says what
it understood, and asks only what is still open (a denied warning sign is asked again)."""

from __future__ import annotations

import json

import pytest

from upperback.knowledge_base import KnowledgeBase

from .conftest import Run, flat


def test_the_words_are_shown_as_understood_and_their_answers_are_not_asked(
    run: Run, kb: KnowledgeBase
) -> None:
    result = run("check", "--describe", "I'm 34, a burning between my shoulder blades",
                 input="2\n" + "0\n" * 10 + "d\n" * 40)
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "We understood:" in text and "Age: 34 years" in text
    assert "How old are you?" not in text
    assert flat(kb.findings["pain_between_shoulder_blades"].describe_value(True)) in text


def test_an_emergency_in_the_words_shows_the_emergency_screen_without_questions(
    run: Run, kb: KnowledgeBase
) -> None:
    result = run("check", "--describe",
                 "I'm 58, a cold sweat and crushing pressure in my chest", input="")
    assert result.exit_code == 0, result.output
    assert "Question 1" not in result.output
    assert flat(kb.guide.levels["emergency"].label) in flat(result.output)


def test_a_denied_warning_sign_is_asked_again_and_unsure_words_are_listed(run: Run) -> None:
    result = run("check", "--describe", "no chest pain, might be a fever", "--json",
                 input="30\n1\n" + "0\n" * 10 + "d\n" * 40)
    assert result.exit_code == 0, result.output
    assert "Not taken as answers" in result.stderr and "fever" in result.stderr
    assert "asked again" in result.stderr
    assert "triage" in json.loads(result.stdout)


def test_describe_cannot_be_mixed_with_an_answers_file(run: Run, tmp_path: object) -> None:
    result = run("check", "--describe", "x", "--again")
    assert result.exit_code == 2
    assert "--describe starts a new check" in result.output


def test_piped_input_gets_the_questions_without_the_own_words_prompt(run: Run) -> None:
    result = run("check", "--json", input="30\n1\n" + "0\n" * 10 + "d\n" * 40)
    assert result.exit_code == 0, result.output
    assert "in your own words" not in result.stderr
    assert "triage" in json.loads(result.stdout)


def test_the_own_words_prompt_reads_a_line_asks_again_when_too_long_and_enter_skips(
    kb: KnowledgeBase
) -> None:
    import io

    from rich.console import Console

    from upperback.cli.check import OWN_WORDS_PROMPT, ask_own_words
    from upperback.cli.prompts import Prompter
    from upperback.free_text import TEXT_MAX

    out = io.StringIO()
    console = Console(file=out, width=100)
    long = "x" * (TEXT_MAX + 1)
    words = ask_own_words(Prompter(console, kb, io.StringIO(f"{long}\n  numb legs  \n")))
    assert words == "numb legs"
    assert OWN_WORDS_PROMPT in out.getvalue() and "Please keep it to" in out.getvalue()
    assert ask_own_words(Prompter(console, kb, io.StringIO("\n"))) is None


def test_a_closed_or_replaced_stdin_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from upperback.cli.check import on_a_terminal

    assert on_a_terminal() is False  # under pytest: not a terminal
    monkeypatch.setattr(sys, "stdin", object())
    assert on_a_terminal() is False
