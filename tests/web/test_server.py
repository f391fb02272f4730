"""The app factory for servers reads the environment; create_app itself never does."""

from __future__ import annotations

from pathlib import Path

import pytest

from upperback.web import WebSettings, create_app
from upperback.web.server import app_from_environment


def test_the_server_factory_takes_the_diary_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("UPPERBACK_DATABASE_URL", str(tmp_path / "served.db"))
    app = app_from_environment()
    assert app.state.web.settings.db_url == str(tmp_path / "served.db")


def test_create_app_never_reads_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPPERBACK_DATABASE_URL", str(tmp_path / "ignored.db"))
    app = create_app(WebSettings(secret_key="k", db_url=str(tmp_path / "given.db")))
    assert app.state.web.settings.db_url == str(tmp_path / "given.db")
    bare = create_app(WebSettings(secret_key="k"))
    assert bare.state.web.settings.db_url is None
