"""`serve --public` starts uvicorn for many visitors: workers built from the environment, proxy
headers only from trusted proxies, no access log, and a header read timeout that closes a
connection whose request headers do not arrive in time."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from upperback.web import server
from upperback.web.slow_headers import HeaderTimeoutProtocol


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    """What uvicorn.run was called with, instead of starting a server."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for name in ("UPPERBACK_PUBLIC", "UPPERBACK_ALLOWED_HOSTS", "UPPERBACK_DIARY_DAYS",
                 "UPPERBACK_DATABASE_URL", "UPPERBACK_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(server.uvicorn, "run",
                        lambda app, **options: calls.append({"app": app, **options}))
    return calls


def test_public_mode_runs_workers_from_the_environment_without_an_access_log(
    started: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = f"sqlite:///{tmp_path / 'site.db'}"
    options = server.PublicOptions(allowed_hosts=("guide.example.org",), workers=2,
                                   trusted_proxies=("10.0.0.5",), diary_days=90,
                                   secret_key="shared-key")
    server.run("0.0.0.0", 8124, db, None, options)
    (call,) = started
    assert call["app"] == server.FACTORY and call["factory"] is True
    assert call["workers"] == 2 and call["access_log"] is False
    assert call["proxy_headers"] is True and call["forwarded_allow_ips"] == ["10.0.0.5"]
    assert call["http"] is HeaderTimeoutProtocol
    assert "serving guide.example.org" in capsys.readouterr().out
    # Each worker builds the same public app from the environment run() left for it.
    app = server.app_from_environment()
    settings = app.state.web.settings
    assert settings.public and settings.diary_days == 90 and settings.db_url == db
    assert settings.allowed_hosts == ("guide.example.org",)
    with TestClient(app, base_url="http://guide.example.org") as client:
        assert client.get("/api/v1/health").status_code == 200
        assert client.get("/api/v1/diary/entries").status_code == 401  # needs a diary
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/api/v1/health").status_code == 400  # not a host it serves


def test_without_trusted_proxies_forwarded_headers_are_not_believed(
    started: list[dict[str, Any]], tmp_path: Path
) -> None:
    options = server.PublicOptions(allowed_hosts=("guide.example.org",))
    server.run("127.0.0.1", 8125, f"sqlite:///{tmp_path / 's.db'}", None, options)
    assert started[0]["proxy_headers"] is False


class QuickTimeout(HeaderTimeoutProtocol):
    header_timeout = 0.5


@pytest.fixture
def live_server() -> Iterator[int]:
    """A real uvicorn on a free loopback port with the header timeout at half a second."""
    app = FastAPI()

    @app.get("/")
    async def home() -> dict[str, str]:
        return {"ok": "yes"}

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, http=QuickTimeout,
                            log_level="critical", lifespan="off")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(running.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield port
    running.should_exit = True
    thread.join(10)


def _closed_within(connection: socket.socket, seconds: float) -> bool:
    connection.settimeout(seconds)
    try:
        return connection.recv(1024) == b""
    except TimeoutError:
        return False


def test_a_connection_whose_headers_come_too_slowly_is_closed(live_server: int) -> None:
    with socket.create_connection(("127.0.0.1", live_server)) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing more
        assert _closed_within(slow, 3.0)


def test_a_request_whose_headers_arrive_in_time_is_answered_and_kept_alive(
    live_server: int
) -> None:
    with socket.create_connection(("127.0.0.1", live_server)) as quick:
        quick.settimeout(3.0)
        for _ in range(2):  # two requests on one kept-alive connection
            quick.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = b""
            while b'{"ok":"yes"}' not in answer:
                answer += quick.recv(4096)
            assert answer.startswith(b"HTTP/1.1 200")
        time.sleep(0.8)  # idle past the header timeout after an answer: closed, not hung
        assert _closed_within(quick, 3.0)
