"""The break reminder in Chromium on a fake clock: the break comes due with an idea and a
notification (asked for only after a click), it can be put off once, skipped or taken, and a
taken break is saved to the diary. Without JavaScript the schedule and the form work."""

from __future__ import annotations

import json
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect

from upperback import KnowledgeBase

from .conftest import LiveServer, OpenPage, look_at, real_time, stop_the_clock

pytestmark = pytest.mark.browser

# Stands in for the browser's Notification: says "granted" once asked, and records what it
# shows (a headless browser shows none). Run before the page's own scripts.
FAKE_NOTIFICATION = """
window.__asked = 0;
window.__shown = [];
class FakeNotification {
  constructor(title, options) { window.__shown.push([title, options && options.body]); }
  static requestPermission() { window.__asked += 1; FakeNotification.permission = "granted";
                               return Promise.resolve("granted"); }
}
FakeNotification.permission = "default";
window.Notification = FakeNotification;
"""
MINUTE = 60_000


def breaks_saved(live_server: LiveServer) -> list[int]:
    with urlopen(f"{live_server.url}/diary/export.json", timeout=10) as answer:  # noqa: S310
        return [b["seconds"] for b in json.loads(answer.read())["breaks"]]


def test_a_break_comes_due_and_can_be_put_off_once_skipped_or_taken_and_saved(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    ideas = kb.exercise_book.break_reminders.ideas
    before = breaks_saved(live_server)
    page = open_page(width=360)
    page.add_init_script(FAKE_NOTIFICATION)
    page.clock.install()
    page.goto(f"{live_server.url}/breaks?every=5&length=10")
    look_at(page, "breaks")
    assert page.evaluate("window.__asked") == 0  # never asked before the person chose
    stop_the_clock(page)
    page.get_by_role("button", name="Start the reminders").click()
    assert page.evaluate("window.__asked") == 1
    clock = page.locator("[data-break-clock]")
    expect(clock).to_have_text("05:00")
    due = page.get_by_role("heading", name="Time for a break")

    page.clock.run_for(4 * MINUTE)
    expect(clock).to_have_text("01:00")
    expect(due).to_be_hidden()
    page.clock.run_for(MINUTE + 1000)
    expect(due).to_be_visible()
    expect(page.locator("[data-break-idea]")).to_have_text(ideas[0])
    assert page.evaluate("window.__shown") == [["Time for a break", ideas[0]]]
    with real_time(page):
        look_at(page, "breaks-due", widths=(360,))

    page.get_by_role("button", name="Put it off 5 minutes").click()
    expect(due).to_be_hidden()
    expect(page.locator("[data-break-status]")).to_have_text("Put off for 5 minutes.")
    page.clock.run_for(5 * MINUTE + 1000)
    expect(due).to_be_visible()
    expect(page.get_by_role("button", name="Put it off 5 minutes")).to_be_hidden()  # once only

    page.get_by_role("button", name="Skip this one").click()
    expect(page.locator("[data-break-status]")).to_have_text("Skipped.")
    page.clock.run_for(5 * MINUTE + 1000)
    expect(page.locator("[data-break-idea]")).to_have_text(ideas[1])  # the ideas take turns
    expect(page.get_by_role("button", name="Put it off 5 minutes")).to_be_visible()

    page.get_by_role("button", name="Take the break").click()
    expect(page.locator("[data-break-label]")).to_have_text("Break: back in")
    # On the stopped clock the page's one-second tick falls on the break's start, so the
    # 10-second break ends at exactly 10 s, and the reminders start over at the full 5:00.
    page.clock.run_for(10_000)
    expect(page.locator("[data-break-status]")).to_have_text(
        "Break done. Back to it, gently. Saved to your diary.")
    expect(clock).to_have_text("05:00")
    assert breaks_saved(live_server) == [*before, 10]


def test_a_break_ended_early_is_saved_with_the_seconds_it_lasted(
    open_page: OpenPage, live_server: LiveServer
) -> None:
    before = breaks_saved(live_server)
    page = open_page()
    page.clock.install()
    page.goto(f"{live_server.url}/breaks?every=5&length=120")
    stop_the_clock(page)
    page.get_by_role("button", name="Start the reminders").click()
    page.clock.run_for(5 * MINUTE + 1000)
    page.get_by_role("button", name="Take the break").click()
    page.clock.run_for(30_000)
    page.get_by_role("button", name="End the break now").click()
    expect(page.locator("[data-break-status]")).to_contain_text("Saved to your diary.")
    saved = breaks_saved(live_server)
    assert saved[:-1] == before and 29 <= saved[-1] <= 31


def test_without_javascript_the_schedule_shows_and_the_form_saves_a_break(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    before = breaks_saved(live_server)
    page = open_page(javascript=False, width=360)
    page.goto(f"{live_server.url}/breaks")
    assert page.get_by_text("after 30 minutes, at").is_visible()
    assert page.get_by_role("button", name="Start the reminders").is_hidden()
    page.get_by_label("Minutes between breaks").fill("20")
    page.get_by_role("button", name="Change the reminders").click()
    assert page.get_by_text("after 40 minutes, at").is_visible()
    look_at(page, "breaks-no-js", javascript=False, widths=(360,))
    page.get_by_role("button", name="I took a break: save it to my diary").click()
    assert page.get_by_text("Break saved to your diary.").is_visible()
    assert "every=20" in page.url
    assert breaks_saved(live_server) == [*before, kb.exercise_book.break_reminders.length_seconds]
