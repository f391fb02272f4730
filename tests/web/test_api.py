"""The JSON API: assess, the stateless interview, knowledge, diary, and one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from upperback import KnowledgeBase
from upperback.sessions import session_cautions
from upperback.web.api_models import AssessmentOut, InterviewOut

from .flows import EMERGENCY_FINDING, self_care_answer, self_care_answers

ERROR_KEYS = {"code", "message", "field", "allowed"}


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    return dict(body["error"])


def test_assess_returns_the_documented_result(client: TestClient, kb: KnowledgeBase) -> None:
    answers = {f: self_care_answer(kb, f) for f in ("age", "hunched_posture", "fever")}
    answers |= {f: False for f in (*kb.warning_signs, *kb.combination_signs)}
    response = client.post("/api/v1/assess", json={"answers": answers})
    assert response.status_code == 200
    result = AssessmentOut.model_validate(response.json())
    assert result.triage == "self_care" and result.not_ruled_out == []
    assert result.causes and result.relief


def test_assess_is_lean_by_default_and_explains_on_request(
    client: TestClient, kb: KnowledgeBase
) -> None:
    answers = {"age": 40, "hunched_posture": True}
    lean = client.post("/api/v1/assess", json={"answers": answers})
    full = client.post("/api/v1/assess?explain=true", json={"answers": answers})
    assert lean.status_code == full.status_code == 200
    lean_body, full_body = lean.json(), full.json()
    assert not lean_body["explained"] and full_body["explained"]
    assert all(c["why"] is None for c in lean_body["causes"])
    assert all(c["why"] is not None for c in full_body["causes"])
    assert full_body["answers"] and not lean_body["answers"]
    # The same answer either way: only the explanation differs.
    for key in ("triage", "triage_reasons", "likely_causes", "relief", "avoid", "follow_up"):
        assert lean_body[key] == full_body[key]
    assert len(lean.content) < len(full.content)


def test_assess_names_the_warning_signs_it_could_not_rule_out(client: TestClient) -> None:
    response = client.post("/api/v1/assess", json={"answers": {"age": 25, "fever": None}})
    result = AssessmentOut.model_validate(response.json())
    assert result.triage == "soon"
    assert "fever" in [item.finding for item in result.not_ruled_out]


@pytest.mark.parametrize(
    ("answers", "field", "allowed_part", "code"),
    [
        ({"agee": 30}, "answers.agee", "/api/v1/knowledge/findings", "unknown_finding"),
        ({"age": "thirty"}, "answers.age", "whole number from", "invalid_answer"),
        ({"age": 500}, "answers.age", "whole number from", "invalid_answer"),
        ({"fever": "yes"}, "answers.fever", "true, false", "invalid_answer"),
        ({"sex": "robot"}, "answers.sex", "one of", "invalid_answer"),
    ],
)
def test_a_bad_answer_names_the_field_and_what_is_allowed(
    client: TestClient, answers: dict[str, Any], field: str, allowed_part: str, code: str
) -> None:
    response = client.post("/api/v1/assess", json={"answers": answers})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == code
    assert error["field"] == field
    assert allowed_part in error["allowed"]


def test_an_unknown_finding_suggests_the_closest_one(client: TestClient) -> None:
    error = error_of(client.post("/api/v1/assess", json={"answers": {"agee": 30}}))
    assert "did you mean 'age'" in error["message"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"answers": [1, 2]}, 422, "answers"),
        ({}, 422, "answers"),
        ({"answers": {}, "extra": 1}, 422, "extra"),
    ],
)
def test_a_malformed_body_gets_the_error_shape(
    client: TestClient, body: dict[str, Any], status: int, field: str
) -> None:
    response = client.post("/api/v1/assess", json=body)
    assert response.status_code == status
    assert error_of(response)["field"] == field


def test_invalid_json_is_a_400_in_the_error_shape(client: TestClient) -> None:
    response = client.post("/api/v1/assess", content=b'{"answers": ',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/knowledge/causes/no_such_cause", 404),
        ("GET", "/api/v1/knowledge/relief/no_such_method", 404),
        ("GET", "/api/v1/knowledge/findings/no_such_finding", 404),
        ("GET", "/api/v1/knowledge/questions/no_such_question", 404),
        ("GET", "/api/v1/knowledge/levels/panic", 404),
        ("GET", "/api/v1/checks/999", 404),
        ("GET", "/api/v1/checks/not-a-number", 422),
        ("GET", "/api/v1/nothing-here", 404),
        ("DELETE", "/api/v1/assess", 405),
    ],
)
def test_every_api_error_has_the_same_shape(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    error = error_of(response)
    assert error["message"]


def test_a_missing_item_names_where_to_find_the_allowed_ids(client: TestClient) -> None:
    error = error_of(client.get("/api/v1/knowledge/causes/no_such_cause"))
    assert error["field"] == "cause_id"
    assert "/api/v1/knowledge/causes" in error["allowed"]


def test_the_stateless_interview_walks_to_a_result(client: TestClient, kb: KnowledgeBase
                                                   ) -> None:
    answers: dict[str, Any] = {}
    asked = []
    for _ in range(len(kb.questions) + 1):
        step = InterviewOut.model_validate(
            client.post("/api/v1/interview", json={"answers": answers}).json()
        )
        if step.status == "result":
            break
        assert step.question is not None and not step.should_stop
        asked.append(step.question.id)
        question = next(q for q in kb.questions if q.id == step.question.id)
        answers |= self_care_answers(kb, question)
    else:
        raise AssertionError("the interview never ended")
    assert step.should_stop and step.result is not None
    assert step.result.triage == "self_care"
    assert step.asked == asked


def test_the_stateless_interview_stops_at_once_for_an_emergency(
    client: TestClient, kb: KnowledgeBase
) -> None:
    answers: dict[str, Any] = {"age": 45, "sex": "female"}
    first = client.post("/api/v1/interview", json={"answers": answers}).json()["question"]
    assert EMERGENCY_FINDING in [f["id"] for f in first["findings"]]
    answers |= {f["id"]: f["id"] == EMERGENCY_FINDING for f in first["findings"]}
    step = client.post("/api/v1/interview", json={"answers": answers}).json()
    assert step["status"] == "result"
    assert step["has_emergency_evidence"] is True
    assert step["result"]["triage"] == "emergency"
    assert step["result"]["relief"] == []


def test_the_interview_and_assess_agree_on_the_same_answers(
    client: TestClient, kb: KnowledgeBase
) -> None:
    answers = {f: self_care_answer(kb, f) for f in kb.findings}
    step = client.post("/api/v1/interview", json={"answers": answers}).json()
    assessed = client.post("/api/v1/assess", json={"answers": answers}).json()
    assert step["status"] == "result"
    assert step["result"] == assessed


def test_the_openapi_document_lists_every_endpoint(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    for path, method in [
        ("/api/v1/assess", "post"),
        ("/api/v1/interview", "post"),
        ("/api/v1/knowledge/findings", "get"),
        ("/api/v1/knowledge/causes", "get"),
        ("/api/v1/knowledge/causes/{cause_id}", "get"),
        ("/api/v1/knowledge/relief", "get"),
        ("/api/v1/knowledge/relief/{method_id}", "get"),
        ("/api/v1/knowledge/sources", "get"),
        ("/api/v1/knowledge/questions", "get"),
        ("/api/v1/diary/entries", "get"),
        ("/api/v1/diary/entries", "post"),
        ("/api/v1/timers", "post"),
        ("/api/v1/checks", "get"),
        ("/api/v1/data", "delete"),
    ]:
        assert method in paths[path], f"{method.upper()} {path} is not documented"
    assess = paths["/api/v1/assess"]["post"]["responses"]
    assert "AssessmentResult" in str(assess["200"])
    assert "ErrorBody" in str(assess["422"])
    assert not any(p.startswith("/diary") or p == "/" for p in paths), "pages are not API"


def test_knowledge_lists_match_the_knowledge_base(client: TestClient, kb: KnowledgeBase) -> None:
    assert [f["id"] for f in client.get("/api/v1/knowledge/findings").json()] == list(kb.findings)
    assert [c["id"] for c in client.get("/api/v1/knowledge/causes").json()] == list(kb.causes)
    assert [m["id"] for m in client.get("/api/v1/knowledge/relief").json()] == list(kb.relief)
    assert [s["id"] for s in client.get("/api/v1/knowledge/sources").json()] == list(kb.sources)
    assert [q["id"] for q in client.get("/api/v1/knowledge/questions").json()] == [
        q.id for q in kb.questions
    ]


def test_diary_entries_are_added_and_listed(client: TestClient) -> None:
    added = client.post("/api/v1/diary/entries", json={"pain": 6, "helped": "heat"})
    assert added.status_code == 201
    client.post("/api/v1/diary/entries", json={"pain": 4})
    listed = client.get("/api/v1/diary/entries").json()
    assert [e["pain"] for e in listed] == [6, 4]
    assert listed[0]["helped"] == "heat"


@pytest.mark.parametrize(
    ("body", "field", "allowed_part"),
    [
        ({"pain": 11}, "pain", "0 to 10"),
        ({"pain": "5"}, "pain", "0 to 10"),
        ({"pain": True}, "pain", "0 to 10"),
        ({}, "pain", "0 to 10"),
        ({"pain": 3, "note": "x" * 2001}, "note", "2000"),
    ],
)
def test_a_bad_diary_entry_names_the_field_and_what_is_allowed(
    client: TestClient, body: dict[str, Any], field: str, allowed_part: str
) -> None:
    response = client.post("/api/v1/diary/entries", json=body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["field"] == field
    assert allowed_part in error["allowed"]
    assert client.get("/api/v1/diary/entries").json() == []


def test_a_timer_session_is_logged(client: TestClient) -> None:
    body = {"kind": "ice", "planned_minutes": 15, "seconds": 900, "completed": True}
    assert client.post("/api/v1/timers", json=body).status_code == 201
    assert [t["kind"] for t in client.get("/api/v1/timers").json()] == ["ice"]


def test_a_heat_session_after_a_check_with_diabetes_carries_the_cores_caution(
    client: TestClient, kb: KnowledgeBase
) -> None:
    assert client.post("/api/v1/checks", json={"answers": {"diabetes": True}}).status_code == 201
    body = {"kind": "heat", "planned_minutes": 5, "seconds": 300, "completed": True}
    response = client.post("/api/v1/timers", json=body)
    assert response.status_code == 201
    assert response.json()["cautions"] == session_cautions(kb, "heat", {"diabetes": True})
    assert response.json()["cautions"]
    page = client.get("/timer?kind=heat").text
    assert "may not be safe for you" in page
    client.post("/api/v1/checks", json={"answers": {"diabetes": False}})
    assert "may not be safe for you" not in client.get("/timer?kind=heat").text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "ice", "planned_minutes": 25, "seconds": 60, "completed": True},
         "planned_minutes"),
        ({"kind": "steam", "planned_minutes": 5, "seconds": 60, "completed": True}, "kind"),
        ({"kind": "heat", "planned_minutes": 5, "seconds": 900, "completed": True}, "seconds"),
    ],
)
def test_the_timer_refuses_more_than_the_limit(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/timers", json=body)
    assert response.status_code == 422
    assert error_of(response)["field"] == field


def test_a_check_saved_by_the_api_can_be_read_back(client: TestClient, kb: KnowledgeBase
                                                   ) -> None:
    answers = {"age": 40, "hunched_posture": True}
    saved = client.post("/api/v1/checks", json={"answers": answers})
    assert saved.status_code == 201
    record = client.get(f"/api/v1/checks/{saved.json()['id']}").json()
    assert record["answers"] == answers
    assert record["triage_label"] == kb.guide.levels[record["triage"]].label


def test_delete_data_forgets_everything(client: TestClient) -> None:
    client.post("/api/v1/diary/entries", json={"pain": 6})
    client.post("/api/v1/checks", json={"answers": {"age": 40}})
    assert client.delete("/api/v1/data").json() == {"deleted": True}
    assert client.get("/api/v1/diary/entries").json() == []
    assert client.get("/api/v1/checks").json() == []


def test_the_diary_trend_says_when_pain_gets_worse(client: TestClient, kb: KnowledgeBase
                                                   ) -> None:
    assert client.get("/api/v1/diary/trend").json() is None
    for day, pain in enumerate([2, 2, 6, 7]):  # days 1, 4, 7 and 10: over a week
        client.post("/api/v1/diary/entries",
                    json={"pain": pain, "created_at": f"2026-01-{3 * day + 1:02d}T09:00:00Z"})
    trend = client.get("/api/v1/diary/trend").json()
    assert trend["message"] == kb.guide.trend.message_worse


def test_a_diary_entry_with_a_warning_sign_answers_with_the_escalation(
    client: TestClient, kb: KnowledgeBase
) -> None:
    answers = {f: self_care_answer(kb, f) for f in kb.findings}
    assert client.post("/api/v1/checks", json={"answers": answers}).json()["result"][
        "triage"
    ] == "self_care"
    plain = client.post("/api/v1/diary/entries", json={"pain": 3})
    assert plain.status_code == 201 and plain.json()["escalation"] is None
    response = client.post(
        "/api/v1/diary/entries", json={"pain": 7, "symptoms": ["chest_pain_pressure"]}
    )
    assert response.status_code == 201
    raised = response.json()["escalation"]
    assert raised["triage"] == "emergency" and raised["previous_triage"] == "self_care"
    assert raised["headline"] == kb.guide.levels["emergency"].headline
    assert "chest_pain" in [r["id"] for r in raised["triage_reasons"]]


def test_a_diary_entry_with_an_unknown_symptom_is_refused_and_not_saved(
    client: TestClient,
) -> None:
    response = client.post("/api/v1/diary/entries", json={"pain": 3, "symptoms": ["fevr"]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "symptoms" and "fever" in error["message"]
    assert client.get("/api/v1/diary/entries").json() == []


def test_the_emergency_level_in_the_api_has_the_numbers_to_call(client: TestClient) -> None:
    emergency = client.get("/api/v1/knowledge/levels/emergency").json()
    numbers = [p["number"] for p in emergency["phones"]]
    assert {"911", "999", "112"} <= set(numbers) and "111" in numbers
    assert [p["number"] for p in client.get("/api/v1/knowledge/levels/urgent").json()[
        "phones"]] == ["111"]
    assert client.get("/api/v1/knowledge/levels/self_care").json()["phones"] == []
    assert client.get("/api/v1/knowledge").json()["get_help_now"]["phones"] == emergency["phones"]
