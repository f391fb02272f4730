"""The web guide: HTML pages and a JSON API over the same engine and diary as the terminal.

    >>> from upperback.web import create_app, WebSettings
    >>> app = create_app(WebSettings(db_url="sqlite:///diary.db", secret_key="test"))

`upperback serve` runs it on http://127.0.0.1:8000/ (see server.run).
"""

from .app import create_app
from .settings import WebSettings

__all__ = ["WebSettings", "create_app"]
