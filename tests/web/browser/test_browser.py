"""The guide in a real browser: the check (with and without JavaScript), the timer, the diary.

Each test saves screenshots at 360 px and 1280 px to test-artifacts/screenshots/ and runs
axe-core on every page it shows (see conftest.look_at).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from upperback import KnowledgeBase, Question
from upperback.conditions import AnswerValue
from upperback.limits import PAIN_MAX, PAIN_MIN

from ..flows import EMERGENCY_FINDING, question_by_id, self_care_answers
from .conftest import (
    AXE,
    SCREENSHOTS,
    LiveServer,
    OpenPage,
    look_at,
    missing,
    real_time,
    stop_the_clock,
)

pytestmark = pytest.mark.browser


def question_on(kb: KnowledgeBase, page: Any) -> Question | None:
    found = re.search(r"/check/q/([a-z0-9_]+)$", page.url)
    return question_by_id(kb, found.group(1)) if found else None


def fill(page: Any, kb: KnowledgeBase, question: Question,
         answers: dict[str, AnswerValue]) -> None:
    """Answer a question the way a person does: tick, choose or type."""
    if question.kind == "checklist" and not any(v is True for v in answers.values()):
        page.locator("#checklist-none").check()
    for finding_id, value in answers.items():
        if question.kind == "checklist":
            page.locator(f"#field-{finding_id}").set_checked(value is True)
        elif (kb.findings[finding_id].min, kb.findings[finding_id].max) == (PAIN_MIN, PAIN_MAX):
            # The one pain scale: a button for each point, and "I don't know".
            point = "unknown" if value is None else str(value)
            page.locator(f'label[for="field-{finding_id}-{point}"]').click()
        elif kb.findings[finding_id].type == "int":
            page.locator(f"#field-{finding_id}").fill("" if value is None else str(value))
        elif value is None:
            page.locator(f"#{finding_id}-unknown").check()
        elif isinstance(value, bool):
            target = f"#field-{finding_id}" if value else f"#{finding_id}-no"
            page.locator(target).check()
        else:
            page.locator(f'input[name="{finding_id}"][value="{value}"]').check()


def next_page(page: Any, previous_url: str) -> None:
    page.get_by_role("button", name="Next").click()
    page.wait_for_function("url => location.href !== url", arg=previous_url)
    page.wait_for_load_state()


def test_a_full_self_care_check_with_javascript(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    page = open_page()
    page.goto(live_server.url + "/")
    look_at(page, "home")
    page.get_by_role("link", name="Start the check").first.click()
    page.wait_for_url(re.compile(r"/check$"))
    look_at(page, "check-start")
    page.get_by_role("link", name="Start the check").click()
    page.wait_for_url(re.compile(r"/check/q/"))
    page.evaluate("window.stillTheSamePage = true")  # lost on any full page load
    seen = []
    while (question := question_on(kb, page)) is not None:
        if not seen:
            look_at(page, "check-question-first")
        elif question.kind == "number" and "check-question-number" not in seen:
            look_at(page, "check-question-number")
            seen.append("check-question-number")
        seen.append(question.id)
        fill(page, kb, question, self_care_answers(kb, question))
        next_page(page, page.url)
        if len(seen) == 2:  # browser back and forward move between questions
            now = page.url
            previous = question_by_id(kb, seen[-1])
            page.go_back()
            page.wait_for_url(re.compile(rf"/check/q/{previous.id}$"), wait_until="commit")
            page.get_by_role("heading", level=1, name=previous.text).wait_for()
            page.go_forward()
            page.wait_for_url(now, wait_until="commit")
            page.wait_for_function("url => document.querySelector('input[name=question_id]')"
                                   ".value === url.split('/').pop()", arg=now)
    assert re.search(r"/result/\d+$", page.url), page.url
    assert page.evaluate("window.stillTheSamePage === true"), "the check reloaded the page"
    heading = page.get_by_role("heading", level=1)
    assert kb.guide.levels["self_care"].headline in heading.inner_text()
    assert page.get_by_role("heading", name="What you can do now").is_visible()
    assert page.get_by_role("button", name="Print this result").is_visible()
    look_at(page, "result")
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "result-print.png"), full_page=True)
    page.emulate_media(media="screen")


def test_an_emergency_check_stops_at_once(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    page = open_page()
    page.goto(live_server.url + "/check/next")
    # Age and sex come first, then the emergency checklist.
    while (question := question_on(kb, page)) is not None and question.kind != "checklist":
        fill(page, kb, question, self_care_answers(kb, question))
        next_page(page, page.url)
    assert question is not None and EMERGENCY_FINDING in question.findings
    fill(page, kb, question, {EMERGENCY_FINDING: True})
    next_page(page, page.url)
    assert page.url.endswith("/check/emergency")
    level = kb.guide.levels["emergency"]
    assert page.get_by_role("heading", level=1).inner_text() == level.headline
    shown = page.locator("main").inner_text()
    for step in level.steps:
        assert step in shown
    for method in kb.relief.values():
        assert method.name not in shown
    assert page.get_by_role("navigation").count() == 0
    look_at(page, "emergency")


def test_the_check_works_with_javascript_off(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    page = open_page(javascript=False)
    page.goto(live_server.url + "/check")
    page.get_by_role("link", name="Start the check").click()
    page.wait_for_url(re.compile(r"/check/q/"))
    answered = 0
    while (question := question_on(kb, page)) is not None:
        fill(page, kb, question, self_care_answers(kb, question))
        with page.expect_navigation():
            page.get_by_role("button", name="Next").click()
        answered += 1
        if answered == 2:  # a reload keeps a half-finished check
            current = page.url
            page.reload()
            assert page.url == current
            look_at(page, "check-question-no-js", javascript=False)
    assert re.search(r"/result/\d+$", page.url)
    assert page.get_by_role("heading", name="Likely causes").is_visible()
    assert not page.get_by_role("button", name="Print this result").is_visible()
    look_at(page, "result-no-js", javascript=False)


def test_a_half_finished_check_survives_a_reload(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    page = open_page()
    page.goto(live_server.url + "/check/next")
    for _ in range(2):
        question = question_on(kb, page)
        assert question is not None
        fill(page, kb, question, self_care_answers(kb, question))
        next_page(page, page.url)
    third = page.url
    page.reload()
    assert page.url == third
    page.get_by_role("button", name="Back").click()  # the page's own Back button
    page.wait_for_function("url => location.href !== url", arg=third)
    second = question_on(kb, page)
    assert second is not None and page.get_by_role("heading", level=1).inner_text() == second.text
    page.goto(live_server.url + "/check")
    page.get_by_role("link", name="Continue the check").click()
    page.wait_for_url(third)


def test_the_timer_counts_down_beeps_and_logs_the_session(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    before = len(live_server.api("GET", "/api/v1/timers"))
    page = open_page(permissions=["notifications"])
    page.clock.install()
    page.goto(live_server.url + "/timer?kind=ice")
    reminder = page.locator('section[aria-labelledby="before"]').inner_text()
    assert all(rule in reminder for rule in kb.relief["ice_pack"].safety)
    minutes = page.get_by_label(re.compile("Minutes"))
    assert minutes.get_attribute("max") == "20"
    minutes.fill("1")
    stop_the_clock(page)
    page.get_by_role("button", name="Start the timer").click()
    countdown = page.get_by_role("timer")
    assert countdown.inner_text() == "01:00"
    page.clock.run_for(30_000)
    assert countdown.inner_text() == "00:30"
    with real_time(page):
        look_at(page, "timer-running")
    page.clock.run_for(31_000)
    status = page.get_by_role("status")
    status.filter(has_text="Saved to your diary").wait_for()
    assert "Time is up" in status.inner_text()
    sessions = live_server.api("GET", "/api/v1/timers")
    assert len(sessions) == before + 1
    assert sessions[-1]["kind"] == "ice" and sessions[-1]["completed"] is True
    assert sessions[-1]["seconds"] == 60


def test_two_diary_entries_and_the_chart(open_page: OpenPage, live_server: LiveServer) -> None:
    live_server.api("DELETE", "/api/v1/data")
    page = open_page(width=360)
    page.goto(live_server.url + "/diary")
    for pain, where in [("7", None), ("3", "left side")]:
        page.locator(f'label[for="pain-{pain}"]').click()
        if where is None:  # the body map: a real tick box for each place
            page.locator('input[name="region"][value="between_shoulder_blades"]').check()
        else:
            page.get_by_label("Anything else about where it hurts?").fill(where)
        with page.expect_navigation():
            page.get_by_role("button", name="Save entry").click()
        assert page.get_by_text("Entry saved.").is_visible()
    chart = page.get_by_role("img", name=re.compile("Pain over time"))
    assert chart.is_visible()
    assert page.locator("svg.chart circle").count() == 2
    assert page.locator("svg.chart polyline").count() == 1
    rows = page.locator("#entries ~ .table-scroll tbody tr")
    assert rows.count() == 2
    assert "left side" in rows.first.inner_text()
    assert "between the shoulder blades" in rows.last.inner_text().lower()
    look_at(page, "diary")


PAGES = [
    ("/causes/poor_posture", "cause"),
    ("/relief/ice_pack", "relief"),
    ("/sources", "sources"),
    ("/about", "about"),
    ("/timer?kind=heat", "timer"),
    ("/data/delete", "delete"),
    ("/diary/report", "report-form"),
    ("/diary/import", "import"),
    ("/no/such/page", "not-found"),
]


@pytest.mark.parametrize(("path", "name"), PAGES)
def test_every_other_page_is_accessible_at_both_widths(
    open_page: OpenPage, live_server: LiveServer, path: str, name: str
) -> None:
    # The browser logs the not-found page's own 404 status as an error; nothing else may be.
    page = open_page(expected_errors=("404 (Not Found)",) if name == "not-found" else ())
    page.goto(live_server.url + path)
    look_at(page, name)


def test_axe_core_is_installed_for_the_accessibility_checks() -> None:
    if not AXE.exists():
        missing(f"axe-core is missing ({AXE}); run scripts/install-web-tools to check "
                    "accessibility in the browser tests")
    assert AXE.stat().st_size > 100_000
