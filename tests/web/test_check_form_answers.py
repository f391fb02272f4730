"""The check's forms when the answer is not one the question takes, and its edges: the first
question, the end of the check, stale forms and a finished check in the cookie."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from upperback import Interview, KnowledgeBase
from upperback.conditions import AnswerValue

from .flows import (
    EMERGENCY_FINDING,
    csrf_token,
    current_question,
    question_by_id,
    self_care_answers,
)

STATE_COOKIE = "upperback_check"


def token(client: TestClient) -> str:
    return csrf_token(client.get("/check/next").text)


def post_answer(client: TestClient, fields: dict[str, str]) -> Any:
    return client.post("/check/answer", data={"csrf_token": token(client)} | fields)


def recorded(app: FastAPI, client: TestClient, kb: KnowledgeBase) -> dict[str, AnswerValue]:
    """The answers the check's cookie holds."""
    return dict(app.state.web.check_state.load(kb, client.cookies.get(STATE_COOKIE)))


def use_state(app: FastAPI, client: TestClient, answers: dict[str, AnswerValue]) -> None:
    """Give the browser a check cookie holding these answers, as the server writes it."""
    value = app.state.web.check_state.dump(answers)
    client.cookies.set(STATE_COOKIE, value, domain="testserver.local", path="/check")


def finished_answers(kb: KnowledgeBase) -> dict[str, AnswerValue]:
    """Every answer of a desk worker's check that has run to its end."""
    interview = Interview(kb)
    while (question := interview.next_question()) is not None:
        interview.answer(self_care_answers(kb, question))
    return interview.answers


@pytest.mark.parametrize("reply", ["maybe", ""])
def test_a_yes_no_answer_that_is_neither_is_shown_again_with_a_plain_message(
    client: TestClient, app: FastAPI, kb: KnowledgeBase, reply: str
) -> None:
    refused = post_answer(client, {"question_id": "family",
                                   "family_history_back_problems": reply})
    assert refused.status_code == 422
    assert "Choose yes, no or don" in refused.text
    assert 'aria-invalid="true"' in refused.text or "field-error" in refused.text
    assert recorded(app, client, kb) == {}


def test_a_choice_that_is_not_offered_is_shown_again_and_nothing_is_recorded(
    client: TestClient, app: FastAPI, kb: KnowledgeBase
) -> None:
    post_answer(client, {"question_id": "age", "age": "40"})
    refused = post_answer(client, {"question_id": "sex", "sex": "robot"})
    assert refused.status_code == 422
    assert "Choose one of the answers." in refused.text
    assert recorded(app, client, kb) == {"age": 40}


def answers_up_to(kb: KnowledgeBase, question_id: str) -> dict[str, AnswerValue]:
    """The answers of a woman of 55 whose pain came after a small strain, and "no" to every
    other warning sign, up to the question `question_id` (sex is asked as the strain's
    follow-up: after the menopause it can crack a bone)."""
    interview = Interview(kb, answers={"age": 55})
    while (question := interview.next_question()) is not None and question.id != question_id:
        interview.answer({f: f == "onset_after_minor_strain" if kb.findings[f].type == "bool"
                          else None for f in question.findings})
    assert question is not None and question.id == question_id
    return interview.answers


def test_dont_know_is_an_answer_to_a_choice(
    client: TestClient, app: FastAPI, kb: KnowledgeBase
) -> None:
    before = answers_up_to(kb, "sex")
    use_state(app, client, before)
    page = post_answer(client, {"question_id": "sex", "sex": "unknown"})
    assert page.status_code == 200
    assert recorded(app, client, kb) == before | {"sex": None}
    assert current_question(kb, str(page.url)) != question_by_id(kb, "sex")


@pytest.mark.parametrize("reply", ["forty", "4.5", "1e3"])
def test_a_number_that_is_not_a_whole_number_is_shown_again_with_the_range(
    client: TestClient, app: FastAPI, kb: KnowledgeBase, reply: str
) -> None:
    refused = post_answer(client, {"question_id": "age", "age": reply})
    assert refused.status_code == 422
    age = kb.findings["age"]
    assert f"Enter a whole number from {age.min} to {age.max}" in refused.text
    assert recorded(app, client, kb) == {}


def test_a_number_left_empty_is_dont_know(
    client: TestClient, app: FastAPI, kb: KnowledgeBase
) -> None:
    page = post_answer(client, {"question_id": "age", "age": "  "})
    assert page.status_code == 200
    assert recorded(app, client, kb) == {"age": None}
    assert current_question(kb, str(page.url)) == kb.questions[1]


def test_an_answer_to_a_question_that_does_not_exist_goes_to_the_current_one(
    client: TestClient, app: FastAPI, kb: KnowledgeBase
) -> None:
    page = post_answer(client, {"question_id": "no_such_question", "age": "40"})
    assert current_question(kb, str(page.url)) == kb.questions[0]
    assert recorded(app, client, kb) == {}


def test_a_stale_form_for_a_later_question_records_nothing_and_shows_the_current_one(
    client: TestClient, app: FastAPI, kb: KnowledgeBase
) -> None:
    page = post_answer(client, {"question_id": "family", "family_history_back_problems": "yes"})
    assert page.status_code == 200
    assert current_question(kb, str(page.url)) == kb.questions[0]
    assert recorded(app, client, kb) == {}


def test_back_from_the_first_question_goes_to_the_start_of_the_check(
    client: TestClient, kb: KnowledgeBase
) -> None:
    first = kb.questions[0]
    page = client.post("/check/back", data={"csrf_token": token(client),
                                            "question_id": first.id})
    assert page.status_code == 200
    assert str(page.url).endswith("/check")


def test_finishing_with_questions_left_goes_to_the_current_question(
    client: TestClient, app: FastAPI, kb: KnowledgeBase
) -> None:
    post_answer(client, {"question_id": "age", "age": "40"})
    page = client.post("/check/finish", data={"csrf_token": token(client)})
    assert current_question(kb, str(page.url)) == kb.questions[1]
    assert client.get("/api/v1/checks").json() == []


def test_a_check_with_every_question_answered_offers_to_finish_and_saves_on_finish(
    client: TestClient, app: FastAPI, kb: KnowledgeBase
) -> None:
    answers = finished_answers(kb)
    use_state(app, client, answers)
    page = client.get("/check/next")
    assert page.status_code == 200
    assert str(page.url).endswith("/check/next")
    assert 'action="/check/finish"' in page.text
    done = client.post("/check/finish", data={"csrf_token": csrf_token(page.text)})
    assert re.search(r"/result/\d+$", str(done.url))
    (saved,) = client.get("/api/v1/checks").json()
    assert client.get(f"/api/v1/checks/{saved['id']}").json()["answers"] == answers
    assert client.cookies.get(STATE_COOKIE) is None  # the finished check is forgotten


def test_after_an_emergency_answer_a_fresh_visit_goes_back_to_the_emergency_page(
    client: TestClient, kb: KnowledgeBase
) -> None:
    post_answer(client, {"question_id": "age", "age": "50"})
    checklist = kb.questions[1]
    assert EMERGENCY_FINDING in checklist.findings
    answered = post_answer(client, {"question_id": checklist.id, EMERGENCY_FINDING: "yes"})
    assert str(answered.url).endswith("/check/emergency")
    page = client.get("/check/next")
    assert str(page.url).endswith("/check/emergency")
    assert kb.guide.levels["emergency"].action in page.text
