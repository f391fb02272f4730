"""A public site in Chromium: two visitors (two browser contexts) each with a private diary.

One starts a diary, writes a note and keeps the recovery code; the other sees none of it, and
gets the first one's diary only by typing that code. Pages are looked at (axe, widths,
screenshots) like every other page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from upperback.web import WebSettings, create_app

from .conftest import LiveServer, Watch, look_at

pytestmark = pytest.mark.browser
NOTE = "visitor one note: stiff after the long drive"


class PublicLiveServer(LiveServer):
    """The app in public mode, served by uvicorn in a thread."""

    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path)
        app = create_app(WebSettings(db_url=f"sqlite:///{db_path}", secret_key="public-browser",
                                     public=True, allowed_hosts=("127.0.0.1",)))
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        import threading

        self.thread = threading.Thread(target=self.server.run, daemon=True)


@pytest.fixture(scope="module")
def public_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PublicLiveServer]:
    server = PublicLiveServer(tmp_path_factory.mktemp("public") / "site.db")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def visitor(browser: Any, public_server: PublicLiveServer) -> Iterator[Any]:
    """A function that opens a new visitor: a browser context of its own (its own cookies)."""
    contexts: list[Any] = []
    watches: list[Watch] = []

    def new_visitor(javascript: bool = True) -> Any:
        context = browser.new_context(java_script_enabled=javascript,
                                      viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        # The page that asks for a diary is a 401, which Chromium notes in the console.
        watch = Watch(public_server.url, ("status of 401",))
        page.on("request", watch.request)
        page.on("console", watch.console)
        watches.append(watch)
        return page

    yield new_visitor
    for context in contexts:
        context.close()
    for watch in watches:
        assert watch.foreign == [] and watch.errors == []


def _start_diary(page: Any, url: str) -> str:
    page.goto(url + "/diary/start")
    page.get_by_role("button", name="Start my private diary").click()
    page.wait_for_url(url + "/diary/start")
    code = page.locator("#recovery-code").inner_text()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", code)
    return str(code)


def test_two_visitors_cannot_see_each_others_diary(
    visitor: Any, public_server: PublicLiveServer
) -> None:
    url = public_server.url
    one = visitor()
    code = _start_diary(one, url)
    look_at(one, "public-recovery-code")
    one.get_by_role("link", name="I have kept my code: go on").click()
    one.wait_for_url(url + "/diary")
    one.locator('label[for="pain-3"]').click()
    one.fill("#note", NOTE)
    with one.expect_navigation():
        one.get_by_role("button", name="Save entry").click()
    assert NOTE in one.content()

    two = visitor()
    two.goto(url + "/diary")
    assert "This needs your private diary" in two.content()
    look_at(two, "public-diary-needed")
    _start_diary(two, url)
    two.goto(url + "/diary")
    assert NOTE not in two.content()
    export = two.request.get(url + "/diary/export.json")  # with visitor two's cookie
    assert export.ok and NOTE not in export.text()

    # On another device, the recovery code (and only it) opens visitor one's diary.
    three = visitor(javascript=False)
    three.goto(url + "/diary/open")
    three.fill("#code", code)
    three.get_by_role("button", name="Open my diary").click()
    three.wait_for_url(url + "/diary")
    assert NOTE in three.content()
