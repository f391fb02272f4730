"""Issue 14 in a real browser: the result page opens with the answer, the emergency page
helps, the pain scale and the duration can be answered, the plan's ice links to its timer.

Screenshots at 360, 390 and 1280 px go to test-artifacts/screenshots/ (see conftest.look_at).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from upperback import KnowledgeBase

from ..flows import EMERGENCY_FINDING
from .conftest import LiveServer, OpenPage, look_at, stop_the_clock
from .test_browser import fill, next_page, question_on

pytestmark = pytest.mark.browser

PHONE_AND_DESK = (360, 390, 1280)


def strain_answers(kb: KnowledgeBase) -> dict[str, Any]:
    """A lifting strain from yesterday: self-care, with an ice pack first in the plan."""
    answers: dict[str, Any] = {
        f: (False if kb.findings[f].type == "bool" else None) for f in kb.findings}
    return answers | {
        "age": 30, "sex": "male", "duration_days": 1, "pain_severity": 5,
        "lifting_twisting_onset": True, "pain_worse_with_movement": True, "pain_one_side": True,
        "pain_dull_ache_tight": True, "repetitive_upper_body_work": True,
    }


def test_the_result_page_opens_with_the_level_the_next_step_and_the_first_steps(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    saved = live_server.api("POST", "/api/v1/checks", {"answers": strain_answers(kb)})
    for javascript in (True, False):
        page = open_page(javascript=javascript, width=390)
        page.goto(f"{live_server.url}/result/{saved['id']}")
        level = kb.guide.levels["self_care"]
        heading = page.get_by_role("heading", level=1)
        assert heading.inner_text() == level.headline
        box = heading.bounding_box()
        assert box is not None and box["y"] < 300  # the answer is the first thing on a phone
        assert page.get_by_text(level.action).is_visible()
        assert page.get_by_role("heading", name="Likely causes").is_visible()
        assert page.get_by_text(kb.relief["ice_pack"].safety[0]).first.is_visible()
        # The details are folded: their summaries show, their content does not.
        for summary in ("Your answers", "Sources"):
            assert page.locator("summary", has_text=summary).is_visible()
        assert not page.locator("details.result-sources ol.sources").is_visible()
        look_at(page, "result-answer-first" + ("" if javascript else "-no-js"),
                javascript=javascript, widths=PHONE_AND_DESK)
        if javascript:
            page.locator("summary", has_text="Sources").click()
            assert page.locator("details.result-sources ol.sources").is_visible()


def test_the_plans_ice_pack_opens_its_timer_at_the_plans_minutes_and_logs_once(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    saved = live_server.api("POST", "/api/v1/checks", {"answers": strain_answers(kb)})
    before = len(live_server.api("GET", "/api/v1/timers"))
    page = open_page(width=390)
    page.clock.install()
    page.goto(f"{live_server.url}/result/{saved['id']}")
    minutes = kb.relief["ice_pack"].default_minutes
    page.get_by_role("link", name=f"Start a {minutes}-minute ice pack timer").click()
    page.wait_for_url(re.compile(rf"/timer\?kind=ice&minutes={minutes}$"))
    field = page.get_by_label(re.compile("Minutes"))
    assert field.input_value() == str(minutes)
    assert page.get_by_role("button", name="Save a finished session").is_visible()
    look_at(page, "timer-from-plan", widths=PHONE_AND_DESK)
    field.fill("1")
    stop_the_clock(page)
    page.get_by_role("button", name="Start the timer").click()
    assert not page.get_by_role("button", name="Save a finished session").is_visible()
    page.clock.run_for(61_000)
    page.get_by_role("status").filter(has_text="Saved to your diary").wait_for()
    # Saved once, when it ended; the form for sessions timed elsewhere does not come back.
    assert not page.get_by_role("button", name="Save a finished session").is_visible()
    sessions = live_server.api("GET", "/api/v1/timers")
    assert len(sessions) == before + 1 and sessions[-1]["seconds"] == 60


def test_the_emergency_page_calls_says_why_and_goes_back_to_that_question(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    page = open_page(width=390)
    page.goto(live_server.url + "/check/next")
    while (question := question_on(kb, page)) is not None and question.kind != "checklist":
        person: dict[str, Any] = {"age": 58, "sex": "male"}
        fill(page, kb, question, {f: person.get(f) for f in question.findings})
        next_page(page, page.url)
    assert question is not None
    fill(page, kb, question, {EMERGENCY_FINDING: True})
    next_page(page, page.url)
    assert page.url.endswith("/check/emergency")
    for phone in kb.guide.phone_numbers.emergency:
        link = page.locator(f'a[href="tel:{phone.number}"]')
        assert link.is_visible() and phone.number in link.inner_text()
    said = kb.findings[EMERGENCY_FINDING].label
    assert said in page.locator("main").inner_text()
    look_at(page, "emergency-help", widths=PHONE_AND_DESK)
    page.get_by_role("link", name=re.compile("I ticked something by mistake")).click()
    page.wait_for_url(re.compile(rf"/check/q/{question.id}$"))
    assert page.locator(f"#field-{EMERGENCY_FINDING}").is_checked()


def test_a_saved_emergency_result_is_the_emergency_page_with_a_way_back_to_the_diary(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    answers = strain_answers(kb) | {EMERGENCY_FINDING: True, "age": 62, "cold_sweat_nausea": True}
    saved = live_server.api("POST", "/api/v1/checks", {"answers": answers})
    assert saved["result"]["triage"] == "emergency"
    page = open_page(width=390)
    page.goto(live_server.url + "/diary")
    page.locator(f'a[href="/result/{saved["id"]}"]').first.click()
    page.wait_for_url(re.compile(rf"/result/{saved['id']}$"))
    assert page.get_by_role("heading", level=1).inner_text() == \
        kb.guide.levels["emergency"].headline
    assert page.locator('a[href^="tel:"]').count() == len(kb.guide.phone_numbers.emergency) + \
        len(kb.guide.phone_numbers.not_emergency)
    look_at(page, "emergency-saved", widths=PHONE_AND_DESK)
    page.get_by_role("link", name="Back to your diary").click()
    page.wait_for_url(re.compile(r"/diary$"))


def test_the_pain_scale_and_the_duration_are_answered_by_tapping_and_choosing(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    # The refused duration's page comes back with its 422 status, which the browser logs.
    page = open_page(width=360, expected_errors=("422 (Unprocessable Entity)",))
    page.goto(live_server.url + "/check/next")
    strain = strain_answers(kb)
    seen: set[str] = set()
    while (question := question_on(kb, page)) is not None:
        seen.add(question.id)
        if question.id == "duration":
            page.locator("#field-duration_days").fill("3 and a bit")
            page.get_by_label("Unit").select_option("week")
            next_page_same(page)
            assert page.locator("#field-duration_days").input_value() == "3 and a bit"
            assert page.locator("#error-duration_days").is_visible()
            look_at(page, "check-duration-refused")
            page.locator("#field-duration_days").fill("3")
        elif question.id == "severity":
            for point, word in kb.guide.pain_scale.anchors.items():
                label = page.locator(f'label[for="field-pain_severity-{point}"]')
                assert word in label.inner_text()
            look_at(page, "check-pain-scale")
            page.locator('label[for="field-pain_severity-4"]').click()
        else:
            fill(page, kb, question, {f: strain[f] for f in question.findings})
        next_page(page, page.url)
    assert {"duration", "severity"} <= seen
    assert re.search(r"/result/\d+$", page.url)
    saved = live_server.api("GET", "/api/v1/checks")[-1]
    check = live_server.api("GET", f"/api/v1/checks/{saved['id']}")
    assert check["answers"]["duration_days"] == 21 and check["answers"]["pain_severity"] == 4


def next_page_same(page: Any) -> None:
    """Press Next on a form that will be refused (the page stays at its address)."""
    page.get_by_role("button", name="Next").click()
    page.locator(".error-summary").wait_for()
