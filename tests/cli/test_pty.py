"""Drive the installed `upperback` in a pseudo-terminal, the way a person types at it."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pexpect
import pytest

from upperback.knowledge_base import KnowledgeBase
from upperback.knowledge_models import Question
from upperback.store import Store

SCRIPT = Path(sys.executable).with_name("upperback")
QUESTION = re.compile(r"Question (\d+)(?: - about \d+ left)?\r\n([^\r\n]+)")
TIMEOUT = 10


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Any]:
    """Start `upperback --db TMP ARGS...` in a terminal 100 columns wide; closed after the test."""
    children: list[pexpect.spawn] = []

    def start(*args: str) -> pexpect.spawn:
        child = pexpect.spawn(
            str(SCRIPT),
            ["--db", str(tmp_path / "diary.db"), *args],
            env={
                "TERM": "dumb",  # plain text: no colour codes between the words
                "COLUMNS": "100",
                "HOME": str(tmp_path),
                "PATH": "/usr/bin:/bin",
                "PYTHONIOENCODING": "utf-8",
            },
            dimensions=(50, 100),
            encoding="utf-8",
            timeout=TIMEOUT,
        )
        children.append(child)
        return child

    yield start
    for child in children:
        child.close(force=True)


OWN_WORDS = "Tell us about your pain in your own words (or press Enter to skip):"


def start_check(spawn: Any, *args: str) -> pexpect.spawn:
    """`upperback check` on a terminal, with its first prompt (own words) skipped."""
    child = spawn("check", *args)
    child.expect_exact(OWN_WORDS)
    child.expect_exact("> ")
    child.sendline("")
    return child


class Person:
    """Answers the interview's questions from a set of answers, whatever order they come in."""

    def __init__(self, child: pexpect.spawn, kb: KnowledgeBase, answers: Mapping[str, Any]):
        self.child, self.kb, self.answers = child, kb, answers

    def next_question(self) -> tuple[int, Question]:
        """Wait for the next question; return its number and the question."""
        self.child.expect(QUESTION)
        number, first_line = int(self.child.match.group(1)), self.child.match.group(2).strip()
        question = next(q for q in self.kb.questions if q.text.startswith(first_line))
        self.child.expect_exact("> ")
        return number, question

    def reply_for(self, question: Question) -> str:
        """What this person types for a question."""
        if question.kind == "checklist":
            ticked = [str(i) for i, f in enumerate(question.findings, 1) if self.answers.get(f)]
            return " ".join(ticked) or "0"
        value = self.answers.get(question.findings[0])
        if value is None:
            return "d"
        if question.kind == "choice":
            return str((self.kb.findings[question.findings[0]].values or ()).index(value) + 1)
        if question.kind == "yes_no":
            return "y" if value else "n"
        return str(value)


@pytest.fixture
def desk_worker() -> dict[str, Any]:
    """Someone who sits hunched at a desk ten hours a day, with an ache between the shoulders."""
    return {
        "age": 28, "sex": "male", "duration_days": 21, "pain_severity": 4,
        "desk_hours_per_day": 10, "hunched_posture": True, "pain_between_shoulder_blades": True,
        "pain_dull_ache_tight": True, "pain_worse_after_sitting": True,
        "pain_eased_by_rest_position": True,
    }  # fmt: skip


def answer(child: pexpect.spawn, person: Person) -> Question:
    """Wait for a question and answer it as the person would; return it."""
    _, question = person.next_question()
    child.sendline(person.reply_for(question))
    return question


def test_a_desk_worker_reaches_self_care_for_poor_posture(
    spawn: Any, kb: KnowledgeBase, desk_worker: dict[str, Any], tmp_path: Path
) -> None:
    child = start_check(spawn)
    person = Person(child, kb, desk_worker)
    while True:
        index = child.expect([QUESTION, "Saved to your diary as check"])
        if index == 1:
            break
        first_line = child.match.group(2).strip()
        question = next(q for q in kb.questions if q.text.startswith(first_line))
        child.expect_exact("> ")
        child.sendline(person.reply_for(question))
    screen = child.before
    assert "Self-care at home" in screen
    assert "Poor posture" in screen
    assert "Your relief plan" in screen
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with Store.open(str(tmp_path / "diary.db")) as store:
        (saved,) = store.checks()
    assert saved.result["causes"][0]["id"] == "poor_posture"


def test_chest_pain_at_the_first_checklist_shows_the_emergency_screen_at_once(
    spawn: Any, kb: KnowledgeBase
) -> None:
    child = start_check(spawn)
    child.expect("Question 1")
    child.expect_exact("How old are you?")
    child.expect_exact("> ")
    child.sendline("45")
    child.expect("Question 2")
    child.expect_exact("> ")
    checklist = next(q for q in kb.questions if q.kind == "checklist")
    chest_pain = checklist.findings.index("chest_pain_pressure") + 1
    child.sendline(str(chest_pain))
    child.expect("CALL THE EMERGENCY NUMBER NOW")
    child.expect(pexpect.EOF)
    after_reply = child.before
    assert "Do not drive yourself" in after_reply
    for absent in ("Question 3", "Your relief plan", "Most likely causes", "Heat pack"):
        assert absent not in after_reply


def test_letters_for_age_are_asked_again_with_a_message(
    spawn: Any, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    child = start_check(spawn)
    person = Person(child, kb, desk_worker)
    while answer_until_age(child, person):
        pass
    child.sendline("thirty")
    child.expect_exact("Please type a whole number from 12 to 110")
    child.expect_exact("> ")
    child.sendline("200")
    child.expect_exact("Please type a whole number from 12 to 110")
    child.expect_exact("> ")
    child.sendline("34")
    number, question = person.next_question()
    assert question.findings != ("age",)


def answer_until_age(child: pexpect.spawn, person: Person) -> bool:
    """Answer one question; False (without answering) once the age question is asked."""
    _, question = person.next_question()
    if question.findings == ("age",):
        return False
    child.sendline(person.reply_for(question))
    return True


def test_help_explains_the_question_and_back_returns_to_the_one_before(
    spawn: Any, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    child = start_check(spawn)
    person = Person(child, kb, desk_worker)
    first = answer(child, person)
    number, second = person.next_question()
    assert number == 2
    child.sendline("?")
    child.expect_exact("Why we ask:")
    help_text = kb.findings[second.findings[0]].help
    assert " ".join(help_text.split()[:6]) in " ".join(child.before.split())
    child.expect_exact("> ")
    child.sendline("b")
    number, again = person.next_question()
    assert (number, again) == (1, first)
    child.sendline(person.reply_for(again))
    number, next_one = person.next_question()
    assert (number, next_one) == (2, second)


def test_pain_of_eleven_in_the_diary_is_asked_again(spawn: Any, tmp_path: Path) -> None:
    child = spawn("log")
    child.expect_exact("Pain now, from 0 (none) to 10 (the worst):")
    child.sendline("11")
    child.expect_exact("Please type a whole number from 0 to 10")
    child.sendline("four")
    child.expect_exact("Please type a whole number from 0 to 10")
    child.sendline("4")
    child.expect_exact("Where does it hurt?")
    child.sendline("between the shoulder blades")
    child.expect_exact("What helped?")
    child.sendline("")
    child.expect_exact("Any note?")
    child.sendline("")
    child.expect_exact("Logged: pain 4/10")
    child.expect(pexpect.EOF)
    with Store.open(str(tmp_path / "diary.db")) as store:
        (entry,) = store.entries()
    assert (entry.pain, entry.where, entry.helped) == (4, "between the shoulder blades", None)


def test_a_duration_in_weeks_is_taken_and_back_shows_what_was_said(
    spawn: Any, kb: KnowledgeBase, desk_worker: dict[str, Any], tmp_path: Path
) -> None:
    child = start_check(spawn)
    person = Person(child, kb, desk_worker)
    while True:
        _, question = person.next_question()
        if question.findings == ("duration_days",):
            break
        child.sendline(person.reply_for(question))
    child.sendline("fortnight")
    child.expect_exact("Please type how long, e.g. 3 weeks")
    child.expect_exact("> ")
    child.sendline("3 weeks")
    person.next_question()
    child.sendline("b")
    _, again = person.next_question()
    assert again.findings == ("duration_days",)
    assert "You said: 21 days" in child.before


def test_ctrl_c_keeps_the_answers_and_resume_goes_on_from_them(
    spawn: Any, kb: KnowledgeBase, desk_worker: dict[str, Any], tmp_path: Path
) -> None:
    child = start_check(spawn)
    person = Person(child, kb, desk_worker)
    for _ in range(3):
        answer(child, person)
    person.next_question()
    child.sendintr()
    child.expect_exact("Keep your")
    child.expect_exact("> ")
    child.sendline("")
    child.expect_exact("To go on: upperback check --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    kept = list(tmp_path.rglob("unfinished-check.json"))
    assert len(kept) == 1
    child = spawn("check", "--resume")
    child.expect_exact("Going on from the")
    person = Person(child, kb, desk_worker)
    number, question = person.next_question()
    # The kept answers count as asked (b goes back through them): the count goes on at 4.
    assert number == 4 and question.findings != ("age",)
    child.sendline(person.reply_for(question))
    while True:
        index = child.expect([QUESTION, "Saved to your diary as check"])
        if index == 1:
            break
        first_line = child.match.group(2).strip()
        question = next(q for q in kb.questions if q.text.startswith(first_line))
        child.expect_exact("> ")
        child.sendline(person.reply_for(question))
    child.expect(pexpect.EOF)
    assert not list(tmp_path.rglob("unfinished-check.json"))


def test_the_full_result_goes_through_a_pager_on_a_terminal(
    tmp_path: Path, desk_worker: dict[str, Any]
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(desk_worker), "utf-8")
    child = pexpect.spawn(
        str(SCRIPT), ["--db", str(tmp_path / "diary.db"), "check", "--answers", str(answers),
                      "--full"],
        env={"TERM": "dumb", "COLUMNS": "80", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
             "PYTHONIOENCODING": "utf-8", "PAGER": "echo PAGER-START; cat"},
        dimensions=(40, 80), encoding="utf-8", timeout=TIMEOUT,
    )
    child.expect_exact("PAGER-START")
    child.expect_exact("Sources")
    child.expect_exact("Your level: ")
    child.expect_exact("Saved to your diary as check 1.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_the_check_first_asks_for_own_words_and_takes_a_warning_sign_from_them(
    spawn: Any, kb: KnowledgeBase
) -> None:
    child = spawn("check")
    child.expect_exact(OWN_WORDS)
    child.expect_exact("> ")
    child.sendline("I'm 58 and I've got a crushing pressure in my chest and a cold sweat")
    child.expect_exact("We understood:")
    child.expect("CALL THE EMERGENCY NUMBER NOW")
    child.expect(pexpect.EOF)
    said = " ".join(child.before.split())
    assert kb.findings["chest_pain_pressure"].describe_value(True).split()[0] in said
    assert "Question 1" not in child.before
    child.close()
    assert child.exitstatus == 0


def test_enter_at_the_first_prompt_gives_the_usual_first_question(
    spawn: Any, kb: KnowledgeBase
) -> None:
    child = start_check(spawn)
    child.expect(QUESTION)
    first = next(q for q in kb.questions
                 if q.text.startswith(child.match.group(2).strip()))
    assert child.match.group(1) == "1"
    assert first.findings == ("age",)
    assert "We understood" not in child.before


def test_ctrl_c_at_the_first_prompt_stops_with_nothing_to_keep(spawn: Any) -> None:
    child = spawn("check")
    child.expect_exact(OWN_WORDS)
    child.expect_exact("> ")
    child.sendintr()
    child.expect_exact("There were no answers yet to keep.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
