"""The API takes a person's own words: POST /api/v1/parse, and `text` beside `answers` in
the stateless interview (the answers always win; an emergency the words state ends it)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_parse_gives_the_findings_and_where_each_was_written(client: TestClient) -> None:
    text = "no fever, but it hurts to breathe in"
    body = client.post("/api/v1/parse", json={"text": text}).json()
    assert body["findings"] == {"fever": False, "pain_worse_breathing_cough": True}
    for span in body["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]


def test_the_interview_starts_from_the_words_and_says_what_it_understood(client: TestClient
                                                                        ) -> None:
    body = client.post("/api/v1/interview",
                       json={"text": "I'm 30, hunched at a desk all day, a dull ache"}).json()
    assert body["status"] == "question"
    assert "age" in body["understood"]["findings"]
    assert "age" not in [body["question"]["id"]]


def test_an_emergency_in_the_words_ends_the_interview_at_once(client: TestClient) -> None:
    body = client.post("/api/v1/interview", json={
        "text": "I'm 58, cold sweat, the pain came on suddenly between my shoulder blades"}
    ).json()
    assert body["status"] == "result"
    assert body["result"]["triage"] == "emergency"


def test_the_answers_win_over_the_words(client: TestClient) -> None:
    body = client.post("/api/v1/interview", json={"answers": {"age": 45},
                                                  "text": "I'm 30"}).json()
    assert body["understood"]["findings"]["age"] == 30
    assert body["question"]["id"] != "age"


def test_a_denied_warning_sign_in_the_words_is_still_asked(client: TestClient) -> None:
    body = client.post("/api/v1/interview",
                       json={"answers": {"age": 30, "sex": "male"},
                             "text": "no chest pain at all"}).json()
    assert body["understood"]["findings"]["chest_pain_pressure"] is False
    assert "chest_pain_pressure" in [f["id"] for f in body["question"]["findings"]]


def test_text_too_long_or_not_text_is_one_error_naming_the_field(client: TestClient) -> None:
    for body in ({"text": "x" * 2001}, {"text": 5}, {}):
        response = client.post("/api/v1/parse", json=body)
        assert response.status_code == 422
        assert response.json()["error"]["field"] == "text"


def test_a_diary_note_that_names_a_warning_sign_comes_back_with_an_escalation(
    client: TestClient,
) -> None:
    body = client.post("/api/v1/diary/entries", json={"pain": 4, "note": "numb legs today"})
    assert body.status_code == 201
    assert body.json()["escalation"]["triage"] in ("urgent", "emergency")
