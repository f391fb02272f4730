"""Checking again on the web: from the diary or a result, the check starts from the kept
answers, asks every warning sign again, and the result says what changed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from upperback import KnowledgeBase

from .flows import csrf_token, current_question, self_care_answer, self_care_answers
from .test_check_flow import text_of, walk


def finish_a_check(client: TestClient, kb: KnowledgeBase) -> str:
    """Save a self-care check that answered the desk hours and the family question (as the
    interview asks them when they tell most), and return its result page's address."""
    answers = {f: self_care_answer(kb, f) for q in kb.questions for f in q.findings}
    answers |= {"family_history_back_problems": False}
    saved = client.post("/api/v1/checks", json={"answers": answers})
    assert saved.status_code == 201, saved.text
    assert saved.json()["result"]["triage"] == "self_care"
    return f"http://testserver/result/{saved.json()['id']}"


def test_the_result_offers_to_check_again_from_this_check(client: TestClient, kb: KnowledgeBase
                                                          ) -> None:
    url = finish_a_check(client, kb)
    page = client.get(url).text
    check_id = url.rsplit("/", 1)[1]
    assert 'action="/check/again"' in page
    assert f'name="check_id" value="{check_id}"' in page


def test_checking_again_keeps_the_desk_hours_and_says_what_changed(
    client: TestClient, kb: KnowledgeBase
) -> None:
    first = finish_a_check(client, kb)
    first_id = first.rsplit("/", 1)[1]
    token = csrf_token(client.get(first).text)
    page = client.post("/check/again", data={"csrf_token": token, "check_id": first_id})
    assert str(page.url).endswith("/check/again")
    assert "Kept from your last check" in page.text
    assert kb.findings["desk_hours_per_day"].describe_value(9) in text_of(page.text)
    asked: list[str] = []

    def choose(question: object) -> dict[str, object]:
        asked.append(question.id)  # type: ignore[attr-defined]
        answers = self_care_answers(kb, question)  # type: ignore[arg-type]
        if question.id == "severity":  # type: ignore[attr-defined]
            answers = {"pain_severity": 2}
        return answers  # type: ignore[return-value]

    done = walk(client, kb, choose)
    assert "desk_hours" not in asked  # kept
    assert {"age", "emergency_signs", "nerve_signs", "body_signs"} <= set(asked)  # asked again
    assert re.search(rf"/result/\d+\?since={first_id}$", str(done.url))
    text = text_of(done.text)
    assert "Since your check of" in text
    assert "Pain: 4 out of 10, now 2." in text


def test_checking_again_without_any_check_goes_to_the_start(client: TestClient) -> None:
    token = csrf_token(client.get("/check").text) if 'csrf_token' in client.get("/check").text \
        else csrf_token(client.get("/diary").text)
    page = client.post("/check/again", data={"csrf_token": token})
    assert str(page.url).endswith("/check")


def test_a_result_with_an_odd_since_shows_no_changes_and_no_error(
    client: TestClient, kb: KnowledgeBase
) -> None:
    url = finish_a_check(client, kb)
    for since in ("abc", "999999", "-1", "0" * 20):
        page = client.get(f"{url}?since={since}")
        assert page.status_code == 200
        assert "Since your check of" not in page.text


def test_the_diary_offers_to_check_again_when_a_re_check_is_set(
    client: TestClient, kb: KnowledgeBase
) -> None:
    finish_a_check(client, kb)
    page = client.get("/diary").text
    assert 'action="/check/again"' in page


def test_the_api_gives_the_answers_a_re_check_starts_from(client: TestClient, kb: KnowledgeBase
                                                         ) -> None:
    finish_a_check(client, kb)
    due = client.get("/api/v1/diary/recheck").json()
    assert due["start_answers"] == {"desk_hours_per_day": 9,
                                    "family_history_back_problems": False}
    assert current_question(kb, "/check/q/age") is not None
