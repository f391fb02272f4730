"""The check as plain HTML forms: one question per page, back, reload, emergency, result."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from upperback import KnowledgeBase, Question
from upperback.conditions import AnswerValue

from .flows import (
    EMERGENCY_FINDING,
    csrf_token,
    current_question,
    form_fields,
    self_care_answers,
)

Chooser = Callable[[Question], dict[str, AnswerValue]]
Page = Any  # the test client's response (from httpx or httpx2, whichever is installed)


def answer(client: TestClient, kb: KnowledgeBase, page: Page,
           answers: dict[str, AnswerValue]) -> Page:
    """Post one question's answers from the page showing it."""
    question = current_question(kb, str(page.url))
    assert question is not None, f"not a question page: {page.url}"
    fields = form_fields(kb, question, answers) | {"csrf_token": csrf_token(page.text)}
    return client.post("/check/answer", data=fields)


def walk(client: TestClient, kb: KnowledgeBase, choose: Chooser) -> Page:
    """Answer every question until the check leaves the question pages."""
    page = client.get("/check/next")
    for _ in range(len(kb.questions) + 1):
        question = current_question(kb, str(page.url))
        if question is None:
            return page
        page = answer(client, kb, page, choose(question))
        assert page.status_code == 200, page.text
    raise AssertionError("the check never ended")


def first_checklist(client: TestClient, kb: KnowledgeBase) -> Page:
    """Answer the opening questions (age, sex) and stop at the first checklist."""
    page = client.get("/check/next")
    while (question := current_question(kb, str(page.url))) is not None:
        if question.kind == "checklist":
            return page
        page = answer(client, kb, page, self_care_answers(kb, question))
    raise AssertionError("no checklist came")


FIRST_CHECKLIST = "emergency_signs"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_self_care_check_ends_on_a_saved_result_page(client: TestClient, kb: KnowledgeBase
                                                       ) -> None:
    page = walk(client, kb, lambda q: self_care_answers(kb, q))
    assert re.search(r"/result/\d+$", str(page.url))
    saved = client.get(f"{page.url}.json").json()
    result = saved["result"]
    assert result["triage"] == "self_care"
    assert result["headline"] in page.text
    for reason in result["triage_reasons"]:
        assert reason["message"] in text_of(page.text)
    top = result["causes"][0]
    assert top["name"] in page.text
    for method in result["relief"]:
        assert method["name"] in page.text
        for rule in method["safety"]:
            assert rule.replace("'", "&#39;") in page.text
    for source in result["sources"]:
        assert source["url"] in page.text
    assert kb.guide.disclaimer.split(".")[0] in page.text


def test_the_result_page_lists_withheld_methods_with_the_reason(
    client: TestClient, kb: KnowledgeBase
) -> None:
    def diabetic(question: Question) -> dict[str, AnswerValue]:
        answers = self_care_answers(kb, question)
        if "diabetes" in answers:
            answers["diabetes"] = True
        return answers

    page = walk(client, kb, diabetic)
    result = client.get(f"{page.url}.json").json()["result"]
    assert result["avoid"], "diabetes should withhold ice or heat"
    for method in result["avoid"]:
        assert method["name"] in page.text
        assert method["reasons"][0].replace("'", "&#39;") in page.text


def test_an_emergency_answer_goes_straight_to_the_emergency_page(
    client: TestClient, kb: KnowledgeBase
) -> None:
    first = first_checklist(client, kb)
    question = current_question(kb, str(first.url))
    assert question is not None and EMERGENCY_FINDING in question.findings
    answers = self_care_answers(kb, question) | {EMERGENCY_FINDING: True}
    page = answer(client, kb, first, answers)
    assert str(page.url).endswith("/check/emergency")
    level = kb.guide.levels["emergency"]
    for step in level.steps:
        assert step in page.text
    assert level.action in page.text


def test_the_emergency_page_shows_nothing_but_how_to_get_help(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = client.get("/check/emergency")
    shown = text_of(page.text)
    for cause in kb.causes.values():
        assert cause.name not in shown
    for method in kb.relief.values():
        assert method.name not in shown
        for step in method.how_to:
            assert step not in shown
    assert 'aria-label="Main"' not in page.text


def test_an_emergency_check_is_saved_and_its_result_shows_only_the_emergency_steps(
    client: TestClient, kb: KnowledgeBase
) -> None:
    first = first_checklist(client, kb)
    question = current_question(kb, str(first.url))
    assert question is not None
    answer(client, kb, first, self_care_answers(kb, question) | {EMERGENCY_FINDING: True})
    checks = client.get("/api/v1/checks").json()
    assert [c["triage"] for c in checks] == ["emergency"]
    page = client.get(f"/result/{checks[0]['id']}")
    shown = text_of(page.text)
    assert kb.guide.levels["emergency"].steps[0] in shown
    assert all(method.name not in shown for method in kb.relief.values())
    assert all(cause.name not in shown for cause in kb.causes.values())


def test_a_reload_keeps_a_half_finished_check(client: TestClient, kb: KnowledgeBase) -> None:
    page = client.get("/check/next")
    for _ in range(2):
        question = current_question(kb, str(page.url))
        assert question is not None
        page = answer(client, kb, page, self_care_answers(kb, question))
    third = str(page.url)
    assert client.get("/check/next").url == third  # a fresh visit resumes where it stopped
    assert "Continue the check" in client.get("/check").text


def test_back_shows_the_previous_question_with_its_answers(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = client.get("/check/next")
    while (question := current_question(kb, str(page.url))) and question.kind != "number":
        page = answer(client, kb, page, self_care_answers(kb, question))
    assert question is not None
    given = self_care_answers(kb, question)
    after = answer(client, kb, page, given)
    shown = current_question(kb, str(after.url))
    assert shown is not None and shown != question
    back = client.post("/check/back", data={"csrf_token": csrf_token(after.text),
                                            "question_id": shown.id})
    assert str(back.url).endswith(f"/check/q/{question.id}")
    assert f'value="{given[question.findings[0]]}"' in back.text


def test_changing_an_earlier_answer_replaces_the_answers_after_it(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = client.get("/check/next")
    asked = []
    for _ in range(3):
        question = current_question(kb, str(page.url))
        assert question is not None
        asked.append(question)
        page = answer(client, kb, page, self_care_answers(kb, question))
    again = client.get(f"/check/q/{asked[0].id}")
    assert again.status_code == 200
    page = answer(client, kb, again, self_care_answers(kb, asked[0]))
    assert str(page.url).endswith(f"/check/q/{asked[1].id}")


def test_a_number_out_of_range_is_shown_again_with_a_plain_message(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = client.get("/check/next")
    while (question := current_question(kb, str(page.url))) and question.kind != "number":
        page = answer(client, kb, page, self_care_answers(kb, question))
    assert question is not None
    finding = kb.findings[question.findings[0]]
    assert finding.max is not None
    fields = {"csrf_token": csrf_token(page.text), "question_id": question.id,
              finding.id: str(finding.max + 1)}
    refused = client.post("/check/answer", data=fields)
    assert refused.status_code == 422
    assert f"from {finding.min} to {finding.max}" in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert client.get("/check/next").url == page.url  # nothing was recorded


def test_a_question_not_reached_yet_sends_the_browser_to_the_current_one(
    client: TestClient, kb: KnowledgeBase
) -> None:
    last = kb.questions[-1]
    page = client.get(f"/check/q/{last.id}")
    assert page.url != f"http://testserver/check/q/{last.id}"
    assert current_question(kb, str(page.url)) == kb.questions[0]


def test_starting_again_forgets_the_answers(client: TestClient, kb: KnowledgeBase) -> None:
    first = client.get("/check/next")
    question = current_question(kb, str(first.url))
    assert question is not None
    second = answer(client, kb, first, self_care_answers(kb, question))
    restarted = client.post("/check/restart", data={"csrf_token": csrf_token(second.text)})
    assert restarted.url == first.url


def test_a_tampered_check_cookie_starts_a_fresh_check(client: TestClient, kb: KnowledgeBase
                                                      ) -> None:
    first = client.get("/check/next")
    question = current_question(kb, str(first.url))
    assert question is not None
    answer(client, kb, first, self_care_answers(kb, question))
    cookie = client.cookies.get("upperback_check")
    assert cookie
    client.cookies.delete("upperback_check")
    client.cookies.set("upperback_check", cookie[:-2] + "AA", path="/check")
    assert client.get("/check/next").url == first.url


def _post_first_checklist(client: TestClient, kb: KnowledgeBase, fields: dict[str, str]) -> Page:
    page = first_checklist(client, kb)
    question = current_question(kb, str(page.url))
    assert question is not None and question.kind == "checklist"
    data = {"question_id": question.id, "csrf_token": csrf_token(page.text)} | fields
    return client.post("/check/answer", data=data)


def test_a_checklist_with_nothing_ticked_asks_for_none_of_these(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = _post_first_checklist(client, kb, {})
    assert page.status_code == 422
    assert "None of these" in text_of(page.text)
    assert "Please check your answer" in page.text


def test_none_of_these_answers_every_item_no(client: TestClient, kb: KnowledgeBase) -> None:
    page = _post_first_checklist(client, kb, {"checklist_rest": "none"})
    assert page.status_code == 200
    order = [q.id for q in kb.questions]
    assert str(page.url).endswith(f"/check/q/{order[order.index(FIRST_CHECKLIST) + 1]}")
    back = client.get(f"/check/q/{FIRST_CHECKLIST}")
    assert 'id="checklist-none" name="checklist_rest" value="none" checked' in back.text


def test_i_dont_know_leaves_the_unticked_items_unknown_and_a_tick_still_counts(
    client: TestClient, kb: KnowledgeBase
) -> None:
    first = next(q for q in kb.questions if q.id == FIRST_CHECKLIST)
    page = _post_first_checklist(
        client, kb, {"checklist_rest": "unknown", "rapid_heartbeat": "yes"}
    )
    assert page.status_code == 200
    back = client.get(f"/check/q/{first.id}")
    assert 'id="checklist-unknown" name="checklist_rest" value="unknown" checked' in back.text
    assert 'id="field-rapid_heartbeat" name="rapid_heartbeat" value="yes" checked' in back.text
