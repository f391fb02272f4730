"""Where the diary lives: a URL given, else UPPERBACK_DATABASE_URL, else the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.engine import URL, make_url

ENV_VAR = "UPPERBACK_DATABASE_URL"
APP_NAME = "upperback"
FILE_NAME = "upperback.db"


def default_path() -> Path:
    """The SQLite file used when nothing else is chosen (created on first use)."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / FILE_NAME


def url_for_path(path: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for a SQLite file at this path."""
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def _as_url(text: str) -> str:
    # "--db diary.db" is a path; anything with a scheme is already a URL.
    return text if "://" in text else url_for_path(text)


def resolve_url(url: str | None = None) -> str:
    """The database URL to use: the one given, else $UPPERBACK_DATABASE_URL, else the default."""
    if url:
        return _as_url(url)
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return _as_url(from_env)
    return url_for_path(default_path())


def sqlite_file(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def describe(url: str) -> str:
    """How to name this database in a message: the file path, or the URL without password."""
    parsed = make_url(url)
    path = sqlite_file(parsed)
    return str(path) if path is not None else parsed.render_as_string(hide_password=True)
