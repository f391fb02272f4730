"""Issue 14, the web: the answer first on the result page, an emergency page that helps,
questions people can answer, and the relief plan joined to the timer."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from starlette.datastructures import FormData

import upperback
from upperback import AnswerError, KnowledgeBase

from .flows import (
    EMERGENCY_FINDING,
    csrf_token,
    current_question,
    question_by_id,
    self_care_answers,
)
from .test_check_flow import answer, first_checklist, text_of

Page = Any


def _all_no(kb: KnowledgeBase) -> dict[str, Any]:
    return {f: (False if kb.findings[f].type == "bool" else None) for f in kb.findings}


@pytest.fixture
def strain(kb: KnowledgeBase) -> dict[str, Any]:
    """A lifting strain from yesterday: self-care, with ice first in the plan."""
    return _all_no(kb) | {
        "age": 30, "sex": "male", "duration_days": 1, "pain_severity": 5,
        "lifting_twisting_onset": True, "pain_worse_with_movement": True, "pain_one_side": True,
        "pain_dull_ache_tight": True, "repetitive_upper_body_work": True,
    }


def _saved(client: TestClient, answers: dict[str, Any]) -> tuple[int, str]:
    saved = client.post("/api/v1/checks", json={"answers": answers})
    assert saved.status_code == 201, saved.text
    check_id = saved.json()["id"]
    return check_id, client.get(f"/result/{check_id}").text


# -- 1. the result page opens with the answer ------------------------------------------------


def test_the_result_page_opens_with_the_level_and_what_to_do_now(
    client: TestClient, kb: KnowledgeBase, strain: dict[str, Any]
) -> None:
    _, page = _saved(client, strain)
    level = kb.guide.levels["self_care"]
    headline = page.index(str(escape(level.headline)))
    likely = page.index('id="likely"')
    plan = page.index('id="plan"')
    details = page.index('id="details"')
    assert headline < page.index(str(escape(level.action))) < likely < plan < details
    # The plan's first method, with its safety lines, comes before every folded detail.
    first_safety = str(escape(kb.relief["ice_pack"].safety[0]))
    assert plan < page.index(first_safety) < details


def test_the_details_fold_below_the_answer_in_details_elements(
    client: TestClient, strain: dict[str, Any]
) -> None:
    _, page = _saved(client, strain)
    below = page[page.index('id="details"'):]
    summaries = re.findall(r"<summary>([^<]+)</summary>", below)
    assert any(s.startswith("Why the guide says") for s in summaries)
    assert "Your answers" in summaries and "Sources" in summaries
    assert below.index("<details") < below.index('class="sources"')


def test_each_likely_cause_is_one_line_at_the_top(
    client: TestClient, kb: KnowledgeBase, strain: dict[str, Any]
) -> None:
    _, page = _saved(client, strain)
    top = page[page.index('id="likely"'):page.index('id="plan"')]
    lines = re.findall(r"<li>.*?</li>", top, flags=re.S)
    likely = upperback.assess(strain).to_dict()["likely_causes"]
    assert len(lines) == len(likely)
    for line, cause_id in zip(lines, likely, strict=True):
        assert kb.causes[cause_id].name in line and "\n" not in line.strip()


# -- 5. the plan links to the timer, which logs a session once --------------------------------


def test_an_ice_method_in_the_plan_links_to_its_timer_at_the_plans_minutes(
    client: TestClient, kb: KnowledgeBase, strain: dict[str, Any]
) -> None:
    _, page = _saved(client, strain)
    minutes = kb.relief["ice_pack"].default_minutes
    assert f'href="/timer?kind=ice&amp;minutes={minutes}"' in page
    timer = client.get(f"/timer?kind=ice&minutes={minutes}").text
    assert f'id="minutes" name="minutes" inputmode="numeric" min="1" max="20" step="1" ' \
           f'value="{minutes}"' in timer


@pytest.mark.parametrize("minutes", ["7", "1"])
def test_the_timer_starts_at_the_minutes_the_link_gives(client: TestClient, minutes: str) -> None:
    assert f'value="{minutes}" required' in client.get(f"/timer?kind=heat&minutes={minutes}").text


@pytest.mark.parametrize("minutes", ["0", "21", "abc", "-5", "99999999"])
def test_a_timer_link_with_minutes_out_of_range_starts_at_the_usual_length(
    client: TestClient, kb: KnowledgeBase, minutes: str
) -> None:
    page = client.get(f"/timer?kind=ice&minutes={minutes}")
    assert page.status_code == 200
    assert f'value="{kb.relief["ice_pack"].default_minutes}" required' in page.text


def test_saving_a_session_timed_elsewhere_asks_its_real_length_with_no_guess(
    client: TestClient,
) -> None:
    page = client.get("/timer?kind=ice").text
    form = page[page.index('action="/timer/log"'):]
    form = form[:form.index("</form>")]
    field = re.search(r'<input [^>]*id="session-minutes"[^>]*>', form)
    assert field is not None and "value=" not in field.group(0)
    assert "How many minutes did it really last?" in form


def test_the_save_form_is_not_shown_again_right_after_a_session_was_saved(
    client: TestClient,
) -> None:
    token = csrf_token(client.get("/timer?kind=heat").text)
    saved = client.post("/timer/log", data={"csrf_token": token, "kind": "heat", "minutes": "12"})
    assert "Session saved to your diary." in saved.text
    assert "Save a finished session" not in saved.text
    assert [s["planned_minutes"] for s in client.get("/api/v1/timers").json()] == [12]


# -- 2. the emergency page ------------------------------------------------------------------


def _emergency_from(client: TestClient, kb: KnowledgeBase, question_id: str,
                    finding: str) -> Page:
    """Answer as the desk worker until `question_id`, then tick `finding` there."""
    page = client.get("/check/next")
    while (question := current_question(kb, str(page.url))) is not None:
        given = {f: (None if kb.findings[f].type == "int" else False) for f in question.findings}
        given = given | ({"age": 40} if "age" in given else {})
        given = given | ({"sex": "female"} if "sex" in given else {})
        if question.id == question_id:
            return answer(client, kb, page, given | {finding: True})
        page = answer(client, kb, page, given)
    raise AssertionError(f"{question_id} was never asked")


def _tel_links(page: str) -> list[str]:
    return re.findall(r'href="tel:([0-9]+)"', page)


def test_the_emergency_page_has_a_tap_to_call_link_for_every_number(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = _emergency_from(client, kb, "emergency_signs", EMERGENCY_FINDING).text
    numbers = kb.guide.phone_numbers
    assert _tel_links(page) == [p.number for p in (*numbers.emergency, *numbers.not_emergency)]


def test_the_emergency_page_says_which_answer_set_it_off(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = _emergency_from(client, kb, "emergency_signs", EMERGENCY_FINDING).text
    said = kb.findings[EMERGENCY_FINDING].label
    assert f"You said: <strong>{escape(said)}" in page


@pytest.mark.parametrize(("question_id", "finding"), [
    ("emergency_signs", EMERGENCY_FINDING),
    ("nerve_signs", "bladder_problems"),
])
def test_ticked_by_mistake_goes_back_to_the_question_that_made_it_an_emergency(
    client: TestClient, kb: KnowledgeBase, question_id: str, finding: str
) -> None:
    page = _emergency_from(client, kb, question_id, finding)
    assert str(page.url).endswith("/check/emergency")
    link = re.search(r'<a href="/check/q/([a-z_]+)"[^>]*>I ticked something by mistake', page.text)
    assert link is not None and link.group(1) == question_id
    back = client.get(f"/check/q/{question_id}")
    assert back.status_code == 200 and question_by_id(kb, question_id).text in back.text
    assert f'name="{finding}" value="yes" checked' in back.text


def test_a_saved_emergency_result_is_the_same_page_with_a_way_back_to_the_diary(
    client: TestClient, kb: KnowledgeBase
) -> None:
    live = _emergency_from(client, kb, "emergency_signs", EMERGENCY_FINDING).text
    check_id = client.get("/api/v1/checks").json()[-1]["id"]
    saved = client.get(f"/result/{check_id}").text
    assert _tel_links(saved) == _tel_links(live)
    said = escape(kb.findings[EMERGENCY_FINDING].label)
    assert f"You said: <strong>{said}" in saved
    assert '<a href="/diary">Back to your diary</a>' in saved
    assert all(m.name not in text_of(saved) for m in kb.relief.values())


def test_an_emergency_from_a_diary_entry_has_the_call_links_and_the_way_back(
    client: TestClient,
) -> None:
    token = csrf_token(client.get("/diary").text)
    page = client.post("/diary/entries", data={"csrf_token": token, "pain": "6",
                                               "symptom": EMERGENCY_FINDING}).text
    assert "tel:999" in page and '<a href="/diary">Back to your diary</a>' in page


def test_every_emergency_number_is_one_the_emergency_steps_name(kb: KnowledgeBase) -> None:
    action = kb.guide.levels["emergency"].action
    assert all(p.number in action for p in kb.guide.phone_numbers.emergency)
    assert kb.guide.phone_numbers.sources


# -- 3. questions people can answer ---------------------------------------------------------


def _duration_form(number: str, unit: str | None) -> FormData:
    fields = [("question_id", "duration"), ("duration_days", number)]
    return FormData(fields + ([("duration_days_unit", unit)] if unit is not None else []))


@pytest.mark.parametrize(("number", "unit", "days"), [
    ("3", "week", 21), ("10", "day", 10), ("2", "month", 60), ("1", "year", 365),
    ("0", "day", 0), ("1.5", "week", 10), ("14", None, 14), ("", "week", None),
])
def test_the_duration_is_a_number_and_a_unit_counted_in_days(
    kb: KnowledgeBase, number: str, unit: str | None, days: int | None
) -> None:
    from upperback.web.check_flow import parse_answers

    question = question_by_id(kb, "duration")
    assert parse_answers(kb, question, _duration_form(number, unit)) == {"duration_days": days}


@pytest.mark.parametrize(("number", "unit"), [
    ("lots", "week"), ("-2", "day"), ("3", "fortnight"), ("30", "year"),
])
def test_a_duration_that_cannot_be_read_or_is_too_long_is_refused(
    kb: KnowledgeBase, number: str, unit: str
) -> None:
    from upperback.web.check_flow import parse_answers

    with pytest.raises(AnswerError) as refused:
        parse_answers(kb, question_by_id(kb, "duration"), _duration_form(number, unit))
    assert refused.value.finding == "duration_days"


def _at_question(client: TestClient, kb: KnowledgeBase, question_id: str) -> Page:
    page = client.get("/check/next")
    while (question := current_question(kb, str(page.url))) is not None:
        if question.id == question_id:
            return page
        page = answer(client, kb, page, self_care_answers(kb, question))
    raise AssertionError(f"{question_id} was never asked")


def test_the_duration_page_offers_days_weeks_months_and_years(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = _at_question(client, kb, "duration").text
    assert re.findall(r'<option value="([a-z]+)"', page) == ["day", "week", "month", "year"]


def test_a_refused_duration_is_kept_in_the_field_with_the_message_beside_it(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = _at_question(client, kb, "duration")
    refused = client.post("/check/answer", data={
        "csrf_token": csrf_token(page.text), "question_id": "duration",
        "duration_days": "a while", "duration_days_unit": "week"})
    assert refused.status_code == 422
    field = re.search(r'<input [^>]*id="field-duration_days"[^>]*>', refused.text)
    assert field is not None
    assert 'value="a while"' in field.group(0) and 'aria-invalid="true"' in field.group(0)
    described = re.search(r'aria-describedby="([^"]+)"', field.group(0))
    assert described is not None and "error-duration_days" in described.group(1).split()
    assert re.search(r'<p class="error-message" id="error-duration_days">[^<]*weeks', refused.text)
    assert '<option value="week" selected>' in refused.text


def test_none_of_these_with_a_symptom_ticked_is_refused_and_shown_as_ticked(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = first_checklist(client, kb)
    question = current_question(kb, str(page.url))
    assert question is not None
    ticked = question.findings[1]
    refused = client.post("/check/answer", data={
        "csrf_token": csrf_token(page.text), "question_id": question.id,
        ticked: "yes", "checklist_rest": "none"})
    assert refused.status_code == 422
    assert "None of these" in refused.text and "untick" in refused.text.lower()
    assert f'name="{ticked}" value="yes" checked' in refused.text
    assert 'id="checklist-none" name="checklist_rest" value="none" checked' in refused.text
    assert client.get("/api/v1/checks").json() == []
    assert str(client.get("/check/next").url).endswith(f"/check/q/{question.id}")


def test_the_pain_question_and_the_diary_use_one_scale_with_the_same_anchor_words(
    client: TestClient, kb: KnowledgeBase
) -> None:
    check = _at_question(client, kb, "severity").text
    diary = client.get("/diary").text
    anchors = kb.guide.pain_scale.anchors
    for page in (check, diary):
        words = re.findall(r'<span class="scale-n">(\d+)</span><span class="scale-word">([^<]+)',
                           page)
        assert {int(n): w for n, w in words} == anchors
        assert len(re.findall(r'<span class="scale-n">', page)) == 11


def test_a_pain_score_chosen_on_the_scale_is_recorded(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = _at_question(client, kb, "severity")
    client.post("/check/answer", data={"csrf_token": csrf_token(page.text),
                                       "question_id": "severity", "pain_severity": "7"})
    again = client.get("/check/q/severity").text
    assert 'id="field-pain_severity-7" name="pain_severity" value="7" checked' in again


def test_how_it_started_offers_gradually(client: TestClient, kb: KnowledgeBase) -> None:
    page = _at_question(client, kb, "how_it_started").text
    assert html.escape(kb.findings["gradual_onset"].item or "") in page


def test_came_on_gradually_moves_no_cause_and_no_level(
    kb: KnowledgeBase, strain: dict[str, Any]
) -> None:
    assert all("gradual_onset" not in c.likelihoods for c in kb.causes.values())
    without = upperback.assess(strain).to_dict()
    for value in (True, False):
        shown = upperback.assess(strain | {"gradual_onset": value}).to_dict()
        assert shown["triage"] == without["triage"]
        assert [(c["id"], c["probability"]) for c in shown["causes"]] == [
            (c["id"], c["probability"]) for c in without["causes"]]


def test_the_emergency_page_names_the_warning_signs_not_every_answer(
    kb: KnowledgeBase, strain: dict[str, Any]
) -> None:
    from upperback.web.emergency_view import emergency_said

    answers = strain | {EMERGENCY_FINDING: True, "cold_sweat_nausea": True, "age": 62}
    result = upperback.assess(answers).to_dict()
    said = emergency_said(kb, result)
    assert result["triage"] == "emergency"
    assert kb.findings[EMERGENCY_FINDING].label in said
    assert kb.findings["pain_one_side"].label not in said
