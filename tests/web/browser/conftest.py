"""A real server and a real browser: uvicorn on a free loopback port, Debian's Chromium.

Every page a test opens is checked by `look_at`: axe-core finds no serious or critical
accessibility problem, nothing is wider than the screen, and a screenshot is saved at 360 px
and 1280 px to test-artifacts/screenshots/. Every page must also stay on its own origin (no
request elsewhere) and log no error to the console (a Content-Security-Policy violation does).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import pytest
import uvicorn

from upperback.web import WebSettings, create_app

playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tools/web/node_modules/axe-core/axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts/screenshots"
WIDTHS = (360, 1280)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """The app served by uvicorn in a thread, on its own temporary diary."""

    def __init__(self, db_path: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(WebSettings(db_url=f"sqlite:///{db_path}", secret_key="browser-test"))
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)

    def api(self, method: str, path: str, body: object = None) -> Any:
        """Call the JSON API directly (to set up or inspect the diary)."""
        data = json.dumps(body).encode() if body is not None else None
        request = Request(self.url + path, data=data, method=method,
                          headers={"Content-Type": "application/json"})
        with urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
            return json.loads(response.read() or b"null")


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the browser tests."""
    server = LiveServer(tmp_path_factory.mktemp("browser") / "diary.db")
    server.start()
    yield server
    server.stop()


def missing(reason: str) -> None:
    """Skip when a browser tool is missing on a developer's machine; fail in CI, where
    scripts/test installs it, so a broken install never passes as a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium (Playwright never downloads a browser here)."""
    if not CHROMIUM.exists():
        missing("Chromium is not installed at /usr/bin/chromium (run scripts/install-system)")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watch:
    """What a page did that it should not: requests elsewhere, console errors."""

    def __init__(self, origin: str, expected_errors: tuple[str, ...] = ()) -> None:
        self.origin = origin
        self.expected_errors = expected_errors
        self.foreign: list[str] = []
        self.errors: list[str] = []

    def request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)

    def console(self, message: Any) -> None:
        if message.type == "error" and not any(e in message.text for e in self.expected_errors):
            self.errors.append(message.text)


OpenPage = Callable[..., Any]


@pytest.fixture
def open_page(browser: Any, live_server: LiveServer) -> Iterator[OpenPage]:
    """Open a fresh browser tab (its own cookies); checks it never left the origin."""
    contexts: list[Any] = []
    watches: list[Watch] = []

    def opener(javascript: bool = True, width: int = WIDTHS[-1],
               expected_errors: tuple[str, ...] = (), **options: Any) -> Any:
        context = browser.new_context(java_script_enabled=javascript,
                                      viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        watch = Watch(live_server.url, expected_errors)
        page.on("request", watch.request)
        page.on("console", watch.console)
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        watches.append(watch)
        return page

    yield opener
    for context in contexts:
        context.close()
    for watch in watches:
        assert watch.foreign == [], f"requests left the page's origin: {watch.foreign}"
        assert watch.errors == [], f"errors in the browser console: {watch.errors}"


def stop_the_clock(page: Any) -> None:
    """Pause the page's installed fake clock, so time moves only by `page.clock.run_for`.

    An installed clock still follows real time; on a loaded machine a few real seconds slip
    into a countdown between two steps, and its exact text is then off by them. The pause
    lands a little ahead of now (a pause cannot go back in time) and before any timer starts.
    """
    # Playwright for Python takes the time in seconds; Date.now() is in milliseconds.
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 5)


@contextmanager
def real_time(page: Any) -> Iterator[None]:
    """Let a stopped clock run in real time for a while, then stop it again: axe waits on
    timers, so `look_at` would wait for ever on a stopped clock."""
    page.clock.resume()
    yield
    stop_the_clock(page)


def accessibility_problems(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP does not block it.
        page.evaluate(AXE.read_text("utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def look_at(page: Any, name: str, javascript: bool = True,
            widths: tuple[int, ...] = WIDTHS) -> None:
    """At 360 px and 1280 px (or `widths`): no accessibility problem, nothing too wide, and a
    screenshot.

    With JavaScript off the page cannot run axe or measure itself: only the screenshots are
    taken (the same pages are checked with JavaScript on).
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        if not javascript:
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
            continue
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a {width}px screen"
        if AXE.exists():
            problems = accessibility_problems(page)
            assert problems == [], f"{name} at {width}px: {problems}"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(original)
