"""The body map in the terminal: `log`/`edit --where` places, and the check's where question."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from upperback.cli.prompts import Prompter
from upperback.knowledge_base import KnowledgeBase
from upperback.knowledge_models import Question
from upperback.store import Store

from .conftest import Run, flat


@pytest.mark.parametrize(
    "args",
    [
        ["--where", "between_shoulder_blades", "--where", "left_ribs"],
        ["--where", "between_shoulder_blades,left_ribs"],
        ["--where", "left ribs", "--where", "Between the shoulder blades"],
    ],
)
def test_log_takes_places_by_id_or_label_repeated_or_as_a_list(
    run: Run, store: Store, args: list[str]
) -> None:
    result = run("log", "--pain", "4", *args)
    assert result.exit_code == 0, result.output
    (entry,) = store.entries()
    assert entry.where == "between the shoulder blades, left ribs"


def test_a_mistyped_place_says_did_you_mean_and_saves_nothing(run: Run, store: Store) -> None:
    result = run("log", "--pain", "4", "--where", "betwen_shoulder_blades", "--note", "kept?")
    assert result.exit_code == 2
    shown = flat(result.output)
    assert ("unknown region 'betwen_shoulder_blades'; did you mean between_shoulder_blades?"
            in shown)
    assert "left_ribs" in shown and "lower_back" in shown  # the list of ids
    assert store.entries() == []


def test_own_words_with_places_are_kept_as_written(run: Run, store: Store) -> None:
    result = run("log", "--pain", "4", "--where", "neck", "--where", "worse when I turn")
    assert result.exit_code == 0, result.output
    (entry,) = store.entries()
    assert entry.where == "neck, worse when I turn"


def test_the_places_can_be_listed(run: Run, kb: KnowledgeBase) -> None:
    output = run("log", "--list-places").output
    assert all(region.id in output for region in kb.body_map.regions)


def test_edit_replaces_where_with_places_and_an_empty_one_clears_it(
    run: Run, store: Store
) -> None:
    entry = store.add_entry(4, where="left")
    assert run("edit", str(entry.id), "--where", "right_ribs").exit_code == 0
    assert store.entry(entry.id).where == "right ribs"  # type: ignore[union-attr]
    assert run("edit", str(entry.id), "--where", "").exit_code == 0
    assert store.entry(entry.id).where is None  # type: ignore[union-attr]
    refused = run("edit", str(entry.id), "--where", "rihgt_ribs")
    assert refused.exit_code == 2 and "did you mean right_ribs?" in flat(refused.output)


def map_question(kb: KnowledgeBase) -> Question:
    return next(q for q in kb.questions if q.id == kb.body_map.asked_with)


def ask(kb: KnowledgeBase, replies: str) -> tuple[object, str]:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    prompter = Prompter(console, kb, stream=io.StringIO(replies))
    answer = prompter.ask(map_question(kb), number=5, left=4)
    return answer, console.file.getvalue()  # type: ignore[attr-defined]


def test_the_checks_where_question_takes_places_with_the_numbers(kb: KnowledgeBase) -> None:
    question = map_question(kb)
    answer, shown = ask(kb, "2 between_shoulder_blades chest\n")
    assert "between_shoulder_blades" in shown  # the hint names the places
    assert isinstance(answer, dict)
    assert answer[question.findings[1]] is True
    assert answer["pain_between_shoulder_blades"] is True
    assert answer["chest_pain_pressure"] is True  # the chest: the warning sign, set to yes


def test_places_alone_leave_the_checklist_unknown(kb: KnowledgeBase) -> None:
    answer, _ = ask(kb, "right_shoulder_blade\n")
    assert isinstance(answer, dict)
    assert answer["pain_right_shoulder_blade"] is True and answer["pain_one_side"] is True
    assert answer["tender_knots"] is None


def test_a_mistyped_place_in_the_check_is_asked_again_with_a_suggestion(
    kb: KnowledgeBase,
) -> None:
    answer, shown = ask(kb, "1 left_shoulder_blad\n1\n")
    assert "did you mean left_shoulder_blade?" in flat(shown)
    assert isinstance(answer, dict) and answer["pain_one_side"] is False


def test_help_on_the_where_question_lists_the_places(kb: KnowledgeBase) -> None:
    _, shown = ask(kb, "?\n0\n")
    assert "Places you can type:" in shown and "lower_back" in shown
