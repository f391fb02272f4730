"""The question prompts: every kind of question, help, don't know, back, and bad replies."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from upperback.cli.errors import InputEnded
from upperback.cli.prompts import (
    BACK,
    Invalid,
    Prompter,
    parse_checklist,
    parse_number,
    parse_yes_no,
)
from upperback.knowledge_base import KnowledgeBase
from upperback.knowledge_models import Question


def ask(kb: KnowledgeBase, question: Question, replies: str) -> tuple[object, str]:
    """Ask one question with these typed lines; return the answer and what was shown."""
    console = Console(file=io.StringIO(), width=100, color_system=None)
    prompter = Prompter(console, kb, stream=io.StringIO(replies))
    answer = prompter.ask(question, number=3, left=7)
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    return answer, shown


def question(kb: KnowledgeBase, kind: str) -> Question:
    """A question of this kind from the knowledge base, or one made for the test."""
    found = next((q for q in kb.questions if q.kind == kind), None)
    if found is not None:
        return found
    # No yes/no question in the bundled interview at the moment: ask one finding alone.
    return Question(
        id="t",
        stage="explore",
        kind="yes_no",
        text="Do you have a fever?",
        why="Fever matters.",
        findings=("fever",),
    )


@pytest.mark.parametrize(
    ("reply", "ticked"),
    [
        ("1", {1}),
        ("1 3", {1, 3}),
        ("1,3", {1, 3}),
        (" 2 , 3 ", {2, 3}),
        ("0", set()),
        ("n", set()),
        ("none", set()),
    ],
)
def test_a_checklist_reply_is_read_as_the_numbers_ticked(reply: str, ticked: set[int]) -> None:
    assert parse_checklist(reply, 5) == ticked


@pytest.mark.parametrize("reply", ["", "abc", "6", "-1", "1 x", "0 1"])
def test_a_checklist_reply_that_does_not_fit_is_refused(reply: str) -> None:
    with pytest.raises(Invalid, match="1 to 5"):
        parse_checklist(reply, 5)


@pytest.mark.parametrize("reply", ["abc", "11", "-1", "4.5", ""])
def test_a_number_outside_the_range_is_refused(reply: str) -> None:
    with pytest.raises(Invalid, match="Please type a whole number from 0 to 10"):
        parse_number(reply, 0, 10)


@pytest.mark.parametrize(
    ("reply", "value"), [("y", True), ("YES", True), ("n", False), ("no", False)]
)
def test_yes_and_no_are_understood(reply: str, value: bool) -> None:
    assert parse_yes_no(reply) is value


def test_a_checklist_shows_its_items_numbered_and_the_progress(kb: KnowledgeBase) -> None:
    q = question(kb, "checklist")
    answer, shown = ask(kb, q, "2\n")
    assert "Question 3 - about 7 left" in shown
    for number, finding_id in enumerate(q.findings, start=1):
        assert f"{number}. {kb.findings[finding_id].item}"[:60] in " ".join(shown.split())
    assert answer == {f: i == 2 for i, f in enumerate(q.findings, start=1)}


def test_none_of_these_answers_every_item_no(kb: KnowledgeBase) -> None:
    q = question(kb, "checklist")
    answer, _ = ask(kb, q, "0\n")
    assert answer == dict.fromkeys(q.findings, False)


@pytest.mark.parametrize("kind", ["checklist", "number", "choice", "yes_no"])
def test_dont_know_answers_every_finding_of_the_question_with_none(
    kb: KnowledgeBase, kind: str
) -> None:
    q = question(kb, kind)
    answer, _ = ask(kb, q, "d\n")
    assert answer == dict.fromkeys(q.findings, None)


@pytest.mark.parametrize("kind", ["checklist", "number", "choice", "yes_no"])
def test_back_is_offered_at_every_kind_of_question(kb: KnowledgeBase, kind: str) -> None:
    answer, shown = ask(kb, question(kb, kind), "b\n")
    assert answer is BACK
    assert "b = back" in shown


@pytest.mark.parametrize("kind", ["checklist", "number", "choice", "yes_no"])
def test_help_shows_what_every_item_means_and_why_we_ask(kb: KnowledgeBase, kind: str) -> None:
    q = question(kb, kind)
    _, shown = ask(kb, q, "?\nd\n")
    text = " ".join(shown.split())
    for finding_id in q.findings:
        assert " ".join(kb.findings[finding_id].help.split()) in text
    assert f"Why we ask: {' '.join(q.why.split())}" in text


@pytest.mark.parametrize(
    ("kind", "bad", "message"),
    [
        ("checklist", "abc", "Please type the numbers of the items that fit"),
        ("checklist", "99", "Please type the numbers of the items that fit"),
        ("number", "abc", "Please type a whole number from"),
        ("number", "1000", "Please type a whole number from"),
        ("choice", "9", "Please type a number from 1 to"),
        ("yes_no", "maybe", "Please type y for yes or n for no"),
    ],
)
def test_a_bad_reply_is_asked_again_with_a_message(
    kb: KnowledgeBase, kind: str, bad: str, message: str
) -> None:
    q = question(kb, kind)
    answer, shown = ask(kb, q, f"{bad}\nd\n")
    assert message in shown
    assert shown.count("> ") == 2
    assert answer == dict.fromkeys(q.findings, None)


def test_a_number_question_takes_a_number_in_range(kb: KnowledgeBase) -> None:
    q = next(q for q in kb.questions if q.findings == ("age",))
    answer, shown = ask(kb, q, "34\n")
    assert answer == {"age": 34}
    assert "from 12 to 110" in shown


def test_a_choice_takes_the_number_or_the_name_of_a_value(kb: KnowledgeBase) -> None:
    q = question(kb, "choice")
    finding = kb.findings[q.findings[0]]
    values = finding.values or ()
    assert ask(kb, q, "2\n")[0] == {finding.id: values[1]}
    assert ask(kb, q, f"{values[0].upper()}\n")[0] == {finding.id: values[0]}


def test_the_end_of_input_stops_the_question_with_a_clear_error(kb: KnowledgeBase) -> None:
    with pytest.raises(InputEnded, match="the input ended"):
        ask(kb, kb.questions[0], "")


def test_back_shows_as_back_when_printed(kb: KnowledgeBase) -> None:
    answer, _ = ask(kb, kb.questions[0], "b\n")
    assert answer is BACK
    assert repr(answer) == "BACK"
