"""The interview screens for red flags first, stops at once for an emergency, then adapts."""

from __future__ import annotations

from typing import Any

import pytest

import upperback
from upperback import Interview, InterviewFinished
from upperback.knowledge_base import KnowledgeBase
from upperback.knowledge_models import Question


def answer_from(interview: Interview, truth: dict[str, Any], limit: int = 60) -> int:
    """Answer every question from `truth` (unknown findings get None); return how many."""
    asked = 0
    while (question := interview.next_question()) is not None and asked < limit:
        interview.answer({f: truth.get(f) for f in question.findings})
        asked += 1
    return asked


def _past_age_and_sex(interview: Interview, age: int = 40) -> Question:
    """Answer the opening question (age) and give the sex unasked, as a person's own words
    can; return the next question (the emergency checklist)."""
    opening = interview.next_question()
    assert opening is not None and opening.findings == ("age",)
    interview.answer({"age": age, "sex": "female"})
    question = interview.next_question()
    assert question is not None
    return question


def test_it_opens_with_age_then_the_red_flag_checklist(kb: KnowledgeBase) -> None:
    interview = Interview()
    first = interview.next_question()
    assert first is not None and first.findings == ("age",) and first.why
    interview.answer({"age": 40})
    question = interview.next_question()
    assert question is not None
    assert question.kind == "checklist" and question.stage == "screen"
    assert "chest_pain_pressure" in question.findings and len(question.findings) > 3
    assert question.why


def test_asking_again_without_answering_gives_the_same_question() -> None:
    interview = Interview()
    assert interview.next_question() is interview.next_question()


def test_an_emergency_answer_ends_the_interview_at_once(all_no: dict[str, Any]) -> None:
    interview = Interview()
    first = _past_age_and_sex(interview)
    interview.answer({f: f == "chest_pain_pressure" for f in first.findings})
    assert interview.next_question() is None
    assert interview.finished
    result = interview.result().to_dict()
    assert result["triage"] == "emergency" and result["relief"] == []


def test_answering_after_it_finished_is_a_clear_error(all_no: dict[str, Any]) -> None:
    interview = Interview()
    first = _past_age_and_sex(interview)
    interview.answer({f: f == "fainting" for f in first.findings})
    assert interview.next_question() is None
    with pytest.raises(InterviewFinished, match="the interview has finished"):
        interview.answer({"age": 40})


def test_a_question_that_was_not_asked_may_be_answered_and_is_then_skipped(
    all_no: dict[str, Any],
) -> None:
    interview = Interview()
    interview.answer({"age": 30})
    seen = []
    truth = all_no | {"duration_days": 5}
    while (question := interview.next_question()) is not None:
        seen.append(question.id)
        interview.answer({f: truth.get(f) for f in question.findings})
    assert "age" not in seen
    assert interview.answers["age"] == 30


def test_going_back_undoes_the_last_answer_and_asks_it_again() -> None:
    interview = Interview()
    first = _past_age_and_sex(interview)
    interview.answer({f: False for f in first.findings})
    second = interview.next_question()
    assert second is not None and second is not first
    assert interview.back() is first
    assert interview.next_question() is first
    assert not set(first.findings) & set(interview.answers)


def test_a_desk_worker_finishes_in_a_dozen_questions_with_posture_first(
    desk_worker: dict[str, Any],
) -> None:
    interview = Interview()
    asked = answer_from(interview, desk_worker)
    assert asked <= 14
    result = interview.result()
    assert result.causes[0].id == "poor_posture"
    assert result.triage == "self_care"
    assert interview.asked[-1].stage == "plan"


def test_progress_counts_down_to_zero(desk_worker: dict[str, Any]) -> None:
    interview = Interview()
    first_estimate = interview.questions_left()
    assert first_estimate >= 5
    answer_from(interview, desk_worker)
    assert interview.questions_left() == 0


def test_a_half_met_red_flag_is_followed_up_before_exploring(all_no: dict[str, Any]) -> None:
    # Breathless, and nothing else yet: pain on breathing would make it an emergency.
    truth = all_no | {"shortness_of_breath": True, "pain_worse_breathing_cough": True,
                      "age": 40, "duration_days": 1}
    interview = Interview()
    answer_from(interview, truth)
    assert interview.result().triage == "emergency"


def test_dont_know_everywhere_still_finishes(kb: KnowledgeBase) -> None:
    interview = Interview()
    assert answer_from(interview, {}) < 30
    assert interview.result().triage in upperback.LEVELS


def test_resuming_from_saved_answers_skips_what_was_answered(desk_worker: dict[str, Any]) -> None:
    first = Interview().next_question()
    assert first is not None and first.findings == ("age",)
    resumed = Interview(answers={"age": 30})
    assert resumed.next_question() is not first


def test_going_back_before_any_answer_gives_nothing_and_changes_nothing() -> None:
    interview = Interview()
    first = interview.next_question()
    assert interview.back() is None
    assert interview.next_question() is first
    assert interview.answers == {} and interview.asked == []


def test_an_explore_question_that_no_cause_weighs_is_never_asked_for_what_it_tells(
    knowledge_copy: Any, desk_worker: dict[str, Any]
) -> None:
    import yaml

    # Make the plan's safety checklist an explore question: no cause gives its items a
    # likelihood, so its answer would tell nothing about the cause.
    path = knowledge_copy / "questions.yaml"
    questions = yaml.safe_load(path.read_text())
    safety = next(q for q in questions if q["stage"] == "plan")
    safety["stage"] = "explore"
    path.write_text(yaml.safe_dump(questions, sort_keys=False))
    kb = upperback.load_knowledge(knowledge_copy)
    bundled = Interview()
    answer_from(bundled, desk_worker)
    assert safety["id"] in [q.id for q in bundled.asked]  # as a plan question, it is asked
    changed = Interview(kb)
    answer_from(changed, desk_worker)
    assert changed.finished
    assert safety["id"] not in [q.id for q in changed.asked]
