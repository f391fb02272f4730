"""Health data never reaches the server's log (HAZ-09 in docs/hazards.yaml).

`upperback serve` runs in a child process, exactly as a person starts it (uvicorn with the
project's own settings, src/upperback/web/server.py), with its stdout and stderr captured.
Diary entries, answers and a web form carrying a marker are sent to it; the marker must be
saved, yet appear nowhere in what the server wrote. A malformed request makes uvicorn write
a warning, which proves the capture sees the server's log at all.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from upperback import KnowledgeBase

from .flows import csrf_token, current_question

START_TIMEOUT = 60.0  # seconds for the server to answer its health check
RUNNING = "upperback is running at"


@dataclass
class Served:
    """A running `upperback serve` and the files its stdout and stderr go to."""

    url: str
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def stop(self) -> None:
        """Stop it as Ctrl+C does, and wait until it has written everything."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log(self) -> str:
        """All the server wrote, stdout then stderr."""
        return self.stdout.read_text("utf-8", "replace") + self.stderr.read_text("utf-8", "replace")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`upperback --db DIARY serve --port PORT` in a child process, with a home of its own."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("UPPERBACK_")}
    home = tmp_path / "home"
    environ |= {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHONUNBUFFERED": "1",
    }
    stdout, stderr = tmp_path / "server.stdout", tmp_path / "server.stderr"
    command = [
        sys.executable, "-c", "from upperback.cli import entrypoint; entrypoint()",
        "--db", str(tmp_path / "diary.db"), "serve", "--port", str(port),
    ]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=environ, cwd=tmp_path)
    server = Served(f"http://127.0.0.1:{port}", process, stdout, stderr)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server stopped (exit code {process.returncode}):\n{server.log()}")
            try:
                if httpx.get(f"{server.url}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not start in {START_TIMEOUT} s:\n{server.log()}")
            time.sleep(0.1)
        yield server
    finally:
        server.stop()


def malformed_request(url: str) -> None:
    """Send bytes that are not HTTP: uvicorn logs a warning about them."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        with contextlib.suppress(OSError):
            connection.recv(1024)


def test_health_data_never_reaches_the_server_log(served: Served, kb: KnowledgeBase) -> None:
    marker = f"zq{secrets.token_hex(6)}"
    with httpx.Client(base_url=served.url, follow_redirects=True, timeout=30) as http:
        # A diary entry through the API, with a warning sign that re-runs the triage.
        saved = http.post("/api/v1/diary/entries", json={
            "pain": 6, "where": f"{marker}-where", "helped": f"{marker}-helped",
            "note": f"{marker}-note", "symptoms": ["fever"],
        })
        assert saved.status_code == 201, saved.text
        # A refused entry, and answers the API refuses: the error names them to the caller.
        refused = http.post("/api/v1/diary/entries", json={"pain": 11, "note": f"{marker}-bad"})
        assert refused.status_code == 422, refused.text
        for answers in ({"age": 40, "sex": f"{marker}-sex"}, {f"{marker}_finding": True}):
            assessed = http.post("/api/v1/assess", json={"answers": answers})
            assert assessed.status_code == 422, assessed.text
            assert marker in assessed.text
        # The same through the web pages: a diary note on the form, a bad check answer.
        diary = http.get("/diary")
        posted = http.post("/diary/entries", data={
            "csrf_token": csrf_token(diary.text), "pain": "4", "note": f"{marker}-form",
        })
        assert posted.status_code == 200, posted.text
        page = http.get("/check/next")
        question = current_question(kb, str(page.url))
        assert question is not None, page.url
        fields = {"csrf_token": csrf_token(page.text), "question_id": question.id}
        fields |= {finding: f"{marker}-answer" for finding in question.findings}
        assert http.post("/check/answer", data=fields).status_code == 422
        notes = [e["note"] for e in http.get("/api/v1/diary/entries").json()]
        assert f"{marker}-note" in notes and f"{marker}-form" in notes  # they reached the server
    malformed_request(served.url)
    served.stop()

    log = served.log()
    assert RUNNING in served.stdout.read_text("utf-8"), log  # stdout is captured
    assert "Invalid HTTP request" in served.stderr.read_text("utf-8"), log  # so is the log
    assert marker not in log, f"health data reached the server log:\n{log}"
    # uvicorn's access lines (which name every path) are not written at all.
    assert not re.search(r'"(GET|POST) /', log), log
