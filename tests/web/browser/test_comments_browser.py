"""Reader comments in a real browser: the form with and without JavaScript, the help a warning
sign calls for, markup that stays inert text, and a moderator's sign-in and buttons.

Screenshots at 360 px and 1280 px go to test-artifacts/screenshots/ (see conftest.look_at).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete

from upperback import KnowledgeBase
from upperback.store import Store
from upperback.store.comments import add_comment, comments, set_moderator, set_status
from upperback.store.models import CommentRow, RateCountRow
from upperback.web import comments_views as views

from .conftest import LiveServer, OpenPage, look_at

pytestmark = pytest.mark.browser

PAGE = "/causes/poor_posture"
PASSWORD = "correct horse battery"
XSS_NAME = '<img src=x onerror="window.hacked=1">'
XSS_TEXT = '<script>window.hacked=2</script>\n<b onclick="window.hacked=3">bold?</b>'


@pytest.fixture
def live_store(live_server: LiveServer) -> Iterator[Store]:
    """The live server's database, with no comments and no counts from earlier tests."""
    store = Store.open(live_server.server.config.app.state.web.settings.db_url)
    with store.writing() as session:
        session.execute(delete(RateCountRow))
        session.execute(delete(CommentRow))
    yield store
    store.close()


@pytest.fixture
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server takes a form at once (the least time has a test of its own)."""
    monkeypatch.setattr(views, "MIN_SECONDS", 0.0)


def send_comment(page: Any, name: str, text: str) -> None:
    page.get_by_label("Please enter your comment").fill(text)
    page.get_by_label("Please enter your name here").fill(name)
    with page.expect_navigation():
        page.get_by_role("button", name="Post comment").click()


@pytest.mark.usefixtures("no_wait")
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_comment_form_works_with_and_without_javascript(
    open_page: OpenPage, live_server: LiveServer, live_store: Store, javascript: bool
) -> None:
    page = open_page(javascript=javascript)
    page.goto(live_server.url + PAGE)
    assert not page.get_by_label("Leave this empty").is_visible()  # the robots' trap
    look_at(page, "comments-form" + ("" if javascript else "-no-js"), javascript=javascript)
    send_comment(page, "Sam", "Heat helped.\nSo did a short walk.")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your comment"
    look_at(page, "comments-posted" + ("" if javascript else "-no-js"), javascript=javascript)
    [kept] = comments(live_store)
    assert (kept.name, kept.text, kept.status) == ("Sam", "Heat helped.\nSo did a short walk.",
                                                   "pending")


def test_a_form_sent_too_soon_comes_back_with_what_was_typed(
    open_page: OpenPage, live_server: LiveServer, live_store: Store,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "MIN_SECONDS", 60.0)
    page = open_page(expected_errors=("422 (Unprocessable Entity)",))
    page.goto(live_server.url + PAGE)
    send_comment(page, "Sam", "Quick one")
    assert page.get_by_role("alert").inner_text().startswith("That was very quick.")
    assert page.get_by_label("Please enter your comment").input_value() == "Quick one"
    assert page.get_by_label("Please enter your name here").input_value() == "Sam"
    look_at(page, "comments-sent-back")
    assert comments(live_store) == []


@pytest.mark.usefixtures("no_wait")
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_markup_typed_into_the_form_stays_inert_text(
    open_page: OpenPage, live_server: LiveServer, live_store: Store, javascript: bool
) -> None:
    page = open_page(javascript=javascript)
    page.goto(live_server.url + PAGE)
    send_comment(page, XSS_NAME, XSS_TEXT)
    for item in comments(live_store):
        set_status(live_store, item.id, "approved")
    page.goto(live_server.url + PAGE)
    listed = page.locator("#comments .comment")
    assert listed.count() == 1
    assert listed.locator("img, script, b").count() == 0  # no element came from the text
    assert listed.locator(".comment-name").inner_text() == XSS_NAME
    if javascript:
        listed.locator(".comment-text").click()
        assert page.evaluate("typeof window.hacked") == "undefined"
        # Shown as text with its line break (white-space: pre-line).
        assert listed.locator(".comment-text").inner_text() == XSS_TEXT
        assert listed.locator(".comment-text").evaluate(
            "e => getComputedStyle(e).whiteSpace") == "pre-line"
        look_at(page, "comments-approved")
    else:
        assert listed.locator(".comment-text").text_content() == XSS_TEXT


@pytest.mark.usefixtures("no_wait", "live_store")
def test_a_comment_about_a_warning_sign_shows_how_to_get_help_first(
    open_page: OpenPage, live_server: LiveServer, kb: KnowledgeBase
) -> None:
    page = open_page(width=360)
    page.goto(live_server.url + "/")
    send_comment(page, "Sam", "I have chest pain right now")
    emergency = kb.guide.levels["emergency"]
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == emergency.headline
    box = heading.bounding_box()
    assert box is not None and box["y"] < 400  # the first thing on a phone
    for phone in kb.guide.phone_numbers.emergency:
        assert page.locator(f'a[href="tel:{phone.number}"]').is_visible()
    look_at(page, "comments-emergency")


def test_a_moderator_signs_in_approves_a_comment_and_signs_out(
    open_page: OpenPage, live_server: LiveServer, live_store: Store
) -> None:
    set_moderator(live_store, "sam", PASSWORD)
    waiting = add_comment(live_store, PAGE, "Ann", "Chest pain at night?", "warning_sign")
    page = open_page()
    page.goto(live_server.url + "/moderate")
    assert page.url.endswith("/moderate/login")
    look_at(page, "moderate-login")
    page.get_by_label("Name").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/moderate")
    [cookie] = [c for c in page.context.cookies() if c["name"] == views.MODERATOR_COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/moderate"
    assert page.evaluate("document.cookie").find(views.MODERATOR_COOKIE) == -1
    assert page.get_by_text("It describes a warning sign.").is_visible()
    look_at(page, "moderate")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve the comment by Ann").click()
    assert page.get_by_role("status").inner_text() == "The comment was approved."
    assert [c.id for c in comments(live_store) if c.status == "approved"] == [waiting.id]
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.url.endswith("/moderate/login?out=1")
    page.goto(live_server.url + "/moderate")
    assert page.url.endswith("/moderate/login")
