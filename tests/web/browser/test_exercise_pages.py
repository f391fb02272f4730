"""The exercise pages in a real browser: every picture renders with its text alternative, the
plan and an exercise page are accessible at 360 px and 1280 px (screenshots saved), the
counter runs with JavaScript, and the session works without it."""

from __future__ import annotations

from typing import Any

import pytest

from upperback import KnowledgeBase

from .conftest import LiveServer, OpenPage, look_at

pytestmark = pytest.mark.browser


def desk_worker(kb: KnowledgeBase) -> dict[str, Any]:
    return dict.fromkeys(kb.warning_signs, False) | {
        "age": 28, "sex": "male", "duration_days": 21, "pain_severity": 4,
        "desk_hours_per_day": 10, "hunched_posture": True, "pain_between_shoulder_blades": True,
        "pain_dull_ache_tight": True, "pain_worse_after_sitting": True, "osteoporosis": True,
    }


@pytest.fixture(scope="module")
def planned(live_server: LiveServer, kb: KnowledgeBase) -> None:
    """A self-care posture check on record (thin bones: some exercises are left out)."""
    live_server.api("POST", "/api/v1/checks", {"answers": desk_worker(kb)})


def test_every_exercise_picture_renders_at_360_px_with_its_text_alternative(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    page = open_page(width=360)
    for exercise in kb.exercises.values():
        page.goto(f"{live_server.url}/exercise/{exercise.id}")
        image = page.locator("figure.exercise-picture img")
        image.wait_for()
        assert image.get_attribute("alt") == exercise.picture_alt
        size = image.evaluate("img => [img.complete, img.naturalWidth, img.clientWidth]")
        assert size[0] and size[1] > 0, f"{exercise.id}'s picture did not load"
        assert 300 <= size[2] <= 360, f"{exercise.id}'s picture is {size[2]} px wide"


def test_the_plan_and_an_exercise_page_are_accessible_and_the_counter_runs(
    open_page: OpenPage, live_server: LiveServer, planned: None
) -> None:
    page = open_page()
    page.goto(f"{live_server.url}/plan")
    assert page.get_by_role("heading", name="Left out for you").is_visible()
    look_at(page, "plan")
    page.goto(f"{live_server.url}/exercise/chin_tuck")
    look_at(page, "exercise-chin_tuck")
    page.get_by_role("button", name="Start counting").click()
    page.wait_for_function(
        "document.querySelector('[data-counter-rep]').textContent.startsWith('Hold 1 of')")


def test_todays_session_works_without_javascript(
    open_page: OpenPage, live_server: LiveServer, planned: None
) -> None:
    page = open_page(javascript=False)
    page.goto(f"{live_server.url}/plan/today")
    assert page.locator("[data-counter]").is_hidden()
    look_at(page, "plan-today-no-js", javascript=False)
    page.get_by_role("button", name="Done, next").click()
    page.wait_for_load_state()
    assert "Exercise 2 of" in page.content()
    page.get_by_role("link", name="Stop the session").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Save to my diary").click()
    page.wait_for_load_state()
    assert "Session saved to your diary." in page.content()
