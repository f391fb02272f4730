"""The body map on the web: in the check's where question, the diary's form and the API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from upperback import KnowledgeBase
from upperback.conditions import AnswerValue

from .flows import csrf_token, current_question, form_fields, self_care_answers

Page = Any  # the test client's response


def to_the_map(client: TestClient, kb: KnowledgeBase) -> Page:
    """Answer like the desk worker until the question with the body map is on screen."""
    page = client.get("/check/next")
    for _ in range(len(kb.questions)):
        question = current_question(kb, str(page.url))
        assert question is not None, f"the map's question never came: {page.url}"
        if question.id == kb.body_map.asked_with:
            return page
        fields = form_fields(kb, question, self_care_answers(kb, question))
        page = client.post("/check/answer", data=fields | {"csrf_token": csrf_token(page.text)})
    raise AssertionError("the map's question never came")


def post_map(client: TestClient, kb: KnowledgeBase, page: Page,
             fields: dict[str, Any]) -> Page:
    data = {"question_id": kb.body_map.asked_with, "csrf_token": csrf_token(page.text)} | fields
    return client.post("/check/answer", data=data)


def finish(client: TestClient, kb: KnowledgeBase, page: Page) -> dict[str, AnswerValue]:
    """Answer the rest of the check like the desk worker; the saved check's answers."""
    for _ in range(len(kb.questions)):
        question = current_question(kb, str(page.url))
        if question is None:
            break
        fields = form_fields(kb, question, self_care_answers(kb, question))
        page = client.post("/check/answer", data=fields | {"csrf_token": csrf_token(page.text)})
    (check,) = client.get("/api/v1/checks").json()
    answers: dict[str, AnswerValue] = client.get(f"/api/v1/checks/{check['id']}").json()[
        "answers"]
    return answers


def test_the_where_question_has_one_labelled_box_per_region(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = to_the_map(client, kb)
    html = page.text
    for region in kb.body_map.regions:
        box = f'<input type="checkbox" id="region-{region.id}" name="region" value="{region.id}"'
        assert html.count(box) == 1
        label = re.search(rf'<label for="region-{region.id}">([^<]+)', html)
        assert label and region.label in label.group(1).lower()
    # The map comes before the checklist, inside the question's form.
    assert html.index('data-body-map') < html.index('name="pain_between_shoulder_blades"')
    assert html.count('class="body-region') == len(kb.body_map.regions)


def test_other_questions_have_no_map(client: TestClient, kb: KnowledgeBase) -> None:
    page = client.get("/check/next")
    assert current_question(kb, str(page.url)).id != kb.body_map.asked_with  # type: ignore[union-attr]
    assert "data-body-map" not in page.text


def test_ticking_between_the_shoulder_blades_is_saved_as_that_finding(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = to_the_map(client, kb)
    after = post_map(client, kb, page, {"region": "between_shoulder_blades",
                                        "checklist_rest": "unknown"})
    assert after.status_code == 200
    answers = finish(client, kb, after)
    assert answers["pain_between_shoulder_blades"] is True


def test_places_on_the_map_alone_leave_the_checklist_unknown_not_no(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = to_the_map(client, kb)
    after = post_map(client, kb, page, {"region": ["left_upper_back", "left_shoulder_blade"]})
    answers = finish(client, kb, after)
    assert answers["pain_one_side"] is True
    others = set(next(q for q in kb.questions if q.id == kb.body_map.asked_with).findings)
    for finding_id in others - {"pain_one_side"}:
        assert answers[finding_id] is None, finding_id


def test_the_map_keeps_a_yes_from_the_checklist(client: TestClient, kb: KnowledgeBase) -> None:
    page = to_the_map(client, kb)
    # Both sides on the map is not "one side", but the ticked checklist box stays yes.
    after = post_map(client, kb, page, {"pain_one_side": "yes",
                                        "region": ["left_upper_back", "right_upper_back"]})
    assert finish(client, kb, after)["pain_one_side"] is True


def test_the_chest_on_the_map_sets_the_chest_warning_sign(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = to_the_map(client, kb)
    post_map(client, kb, page, {"region": "chest", "checklist_rest": "none"})
    checks = client.get("/api/v1/checks").json()
    if not checks:  # not an emergency for this person: the check goes on, then is saved
        finish(client, kb, client.get("/check/next"))
        checks = client.get("/api/v1/checks").json()
    answers = client.get(f"/api/v1/checks/{checks[0]['id']}").json()["answers"]
    assert answers["chest_pain_pressure"] is True
    assert checks[0]["triage"] in ("urgent", "emergency")


def test_a_place_not_on_the_map_is_shown_again_with_a_message(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = to_the_map(client, kb)
    after = post_map(client, kb, page, {"region": ["neck", "elbow"], "checklist_rest": "none"})
    assert after.status_code == 422
    assert "Choose places only from the body map." in after.text
    assert 'value="neck" data-region="neck" checked' in after.text


def diary_post(client: TestClient, **fields: Any) -> Page:
    token = csrf_token(client.get("/diary").text)
    return client.post("/diary/entries", data={"csrf_token": token, **fields})


def test_the_diary_form_has_the_map_and_saves_the_places_as_where(
    client: TestClient, kb: KnowledgeBase
) -> None:
    form = client.get("/diary").text
    assert form.count('name="region"') == len(kb.body_map.regions)
    diary_post(client, pain="5", region=["left_ribs", "between_shoulder_blades"],
               where="after lifting")
    (entry,) = client.get("/api/v1/diary/entries").json()
    assert entry["where"] == "between the shoulder blades, left ribs, after lifting"


def test_the_diary_form_still_takes_free_text_alone(client: TestClient) -> None:
    diary_post(client, pain="3", where="top of my back")
    (entry,) = client.get("/api/v1/diary/entries").json()
    assert entry["where"] == "top of my back"


def test_the_diary_form_refuses_an_unknown_place_and_keeps_the_rest(client: TestClient) -> None:
    page = diary_post(client, pain="3", region=["neck", "elbow"], note="keep me")
    assert page.status_code == 422
    assert "unknown region &#39;elbow&#39;" in page.text
    assert "keep me" in page.text and 'value="neck" data-region="neck" checked' in page.text
    assert client.get("/api/v1/diary/entries").json() == []


def test_the_api_takes_regions_with_where(client: TestClient) -> None:
    response = client.post("/api/v1/diary/entries",
                           json={"pain": 4, "regions": ["chest", "neck"], "where": "sharp"})
    assert response.status_code == 201, response.text
    assert response.json()["where"] == "neck, chest, sharp"


@pytest.mark.parametrize("regions", [["betwen_shoulder_blades"], ["neck", "knee"]])
def test_the_api_refuses_an_unknown_region_naming_it(client: TestClient, regions: list[str]
                                                     ) -> None:
    response = client.post("/api/v1/diary/entries", json={"pain": 4, "regions": regions})
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["field"] == "regions"
    assert repr(regions[-1]) in body["error"]["message"]
    assert client.get("/api/v1/diary/entries").json() == []


def test_the_api_schema_lists_the_region_ids(client: TestClient, kb: KnowledgeBase) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    items = schema["components"]["schemas"]["DiaryEntryIn"]["properties"]["regions"]["items"]
    assert items["enum"] == [region.id for region in kb.body_map.regions]
