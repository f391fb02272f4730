"""Where the diary lives: the URL or path given, else the user's data folder.

The store never reads the environment: the terminal and the web app pass what
`upperback.config` read from it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

if TYPE_CHECKING:  # SQLAlchemy is imported where a URL is parsed (see quick_save.py)
    from sqlalchemy.engine import URL

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
    """The database URL to use: the one given (a URL or a file path), else the default file."""
    if url and url.strip():
        return _as_url(url.strip())
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
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    path = sqlite_file(parsed)
    return str(path) if path is not None else parsed.render_as_string(hide_password=True)
