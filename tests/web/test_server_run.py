"""`run()` starts uvicorn on the chosen address with the host names it answers to; the URL it
prints works for IPv6 too; the signing key is made once, kept, and shared between processes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from upperback.web import server
from upperback.web import settings as settings_module
from upperback.web.settings import SECRET_FILE, stored_secret


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/"),
        ("localhost", "http://localhost:8000/"),
        ("::1", "http://[::1]:8000/"),
        ("[::1]", "http://[::1]:8000/"),
        ("fe80::1", "http://[fe80::1]:8000/"),
    ],
)
def test_the_address_to_open_puts_ipv6_hosts_in_brackets(host: str, url: str) -> None:
    assert server.address(host, 8000) == url


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    """What uvicorn.run was called with, instead of starting a server."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the key is kept there
    calls: list[dict[str, Any]] = []

    def fake_run(app: FastAPI, **options: Any) -> None:
        calls.append({"app": app, **options})

    monkeypatch.setattr(server.uvicorn, "run", fake_run)
    return calls


def test_run_serves_the_app_on_the_chosen_address_and_says_where(
    started: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "served.db")
    server.run("127.0.0.1", 8123, db)
    (call,) = started
    assert (call["host"], call["port"]) == ("127.0.0.1", 8123)
    assert call["server_header"] is False
    app = call["app"]
    assert app.state.web.settings.db_url == db
    assert "upperback is running at http://127.0.0.1:8123/" in capsys.readouterr().out
    with TestClient(app, base_url="http://127.0.0.1:8123") as client:
        assert client.get("/api/v1/health").status_code == 200
    with TestClient(app, base_url="http://rebound.example") as client:
        assert client.get("/api/v1/health").status_code == 400  # another host name: refused


def test_run_on_an_ipv6_address_answers_to_it_with_and_without_brackets(
    started: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    server.run("::", 8000)
    (call,) = started
    hosts = call["app"].state.web.settings.hosts()
    assert {"::", "[::]", "127.0.0.1", "localhost"} <= set(hosts)
    assert "http://[::]:8000/" in capsys.readouterr().out


def test_run_keeps_the_signing_key_in_the_data_folder(
    started: list[dict[str, Any]], tmp_path: Path
) -> None:
    server.run()
    server.run()
    first, second = (call["app"].state.web.settings.key() for call in started)
    assert first == second
    assert (tmp_path / "data" / "upperback" / SECRET_FILE).read_bytes().strip() == first


def test_a_key_another_process_wrote_first_is_used_instead_of_a_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    real_open = os.open

    def other_process_first(path: Any, flags: int, mode: int = 0o777) -> int:
        # Between our read (no file yet) and our create, another process makes the key.
        Path(path).write_bytes(b"theirs\n")
        return real_open(path, flags, mode)

    monkeypatch.setattr(settings_module.os, "open", other_process_first)
    assert stored_secret(folder) == b"theirs"
    monkeypatch.undo()
    assert stored_secret(folder) == b"theirs"
