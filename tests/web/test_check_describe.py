"""The check starts from the person's own words on the web, without JavaScript: "We
understood" as answers to correct, an emergency in the words straight to how to get help,
and a denied warning sign asked again."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from upperback import KnowledgeBase

from .flows import csrf_token, current_question


def describe(client: TestClient, text: str) -> object:
    token = csrf_token(client.get("/check").text)
    return client.post("/check/describe", data={"csrf_token": token, "text": text})


def test_the_first_page_offers_a_text_box_that_is_optional(client: TestClient) -> None:
    page = client.get("/check").text
    assert 'name="text"' in page and "in your own words" in page
    assert 'href="/check/next"' in page  # the questions without words


def test_the_words_come_back_as_answers_to_correct(client: TestClient, kb: KnowledgeBase
                                                   ) -> None:
    page = describe(client, "I'm 34, a burning between my shoulder blades, no chest pain, "
                            "might be a fever")
    text = page.text  # type: ignore[attr-defined]
    assert "We understood" in text
    assert 'name="value_age" value="34"' in text
    assert f"{kb.findings['age'].label} (years)" in text
    assert kb.findings["pain_between_shoulder_blades"].label in text
    assert "We ask about these again, to be sure" in text
    assert kb.findings["chest_pain_pressure"].label in text
    assert "Not taken as answers" in text and "fever" in text


def test_corrected_answers_start_the_questions_and_are_not_asked_again(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = describe(client, "I'm 34, a burning between my shoulder blades")
    token = csrf_token(page.text)  # type: ignore[attr-defined]
    fields = {"csrf_token": token, "finding": ["age", "pain_burning_electric"],
              "value_age": "35", "value_pain_burning_electric": "ask"}
    after = client.post("/check/understood", data=fields)
    question = current_question(kb, str(after.url))
    assert question is not None and question.id != "age"
    state = client.post("/api/v1/interview", json={"answers": {"age": 35}}).json()
    assert state["question"]["id"] == question.id


def test_an_emergency_in_the_words_goes_straight_to_how_to_get_help(client: TestClient
                                                                    ) -> None:
    page = describe(client, "I'm 58, crushing pressure in my chest and a cold sweat")
    assert str(page.url).endswith("/check/emergency")  # type: ignore[attr-defined]
    saved = client.get("/api/v1/checks").json()
    assert saved and saved[0]["triage"] == "emergency"


def test_words_with_nothing_to_read_go_to_the_questions(client: TestClient, kb: KnowledgeBase
                                                        ) -> None:
    page = describe(client, "hello")
    assert re.search(r"/check/q/age$", str(page.url))  # type: ignore[attr-defined]


def test_too_many_words_are_shown_again_with_a_message(client: TestClient) -> None:
    page = describe(client, "pain " * 500)
    assert page.status_code == 422  # type: ignore[attr-defined]
    assert "Keep it under 2,000 characters" in page.text  # type: ignore[attr-defined]
