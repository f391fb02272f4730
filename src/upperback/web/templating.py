"""Jinja2 pages: one environment, static URLs that change when the file does, CSRF in every form."""

from __future__ import annotations

import hashlib
from datetime import datetime
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from upperback import KnowledgeBase
from upperback.clock import local_text

from .security import CSRF_FIELD, Csrf, set_csrf_cookie

NAVIGATION = (
    ("/", "Guide"),
    ("/check", "Check"),
    ("/timer", "Timer"),
    ("/plan", "Plan"),
    ("/diary", "Diary"),
    ("/about", "About"),
)


def local_time(moment: datetime) -> str:
    """A stored time as this computer's local date and time."""
    return local_text(moment)


def local_date(moment: datetime) -> str:
    """A stored time as this computer's local date."""
    return local_text(moment, "%Y-%m-%d")


def percent(share: float) -> str:
    """0.4567 -> '46%' (never '0%' or '100%': nothing here is certain)."""
    value = round(share * 100)
    if value < 1:
        return "under 1%"
    return "over 99%" if value > 99 else f"{value}%"


class Pages:
    """Renders the HTML pages."""

    def __init__(self, kb: KnowledgeBase, csrf: Csrf) -> None:
        self.kb = kb
        self.csrf = csrf
        self._static_versions: dict[str, str] = {}
        self.env = Environment(
            loader=PackageLoader("upperback.web", "templates"),
            autoescape=select_autoescape(["html", "svg", "xml"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            static=self.static_url,
            navigation=NAVIGATION,
            guide_title=kb.guide.title,
            disclaimer=kb.guide.disclaimer,
            body_map=kb.body_map,  # the body map's regions (templates/_body_map.html)
            csrf_field=CSRF_FIELD,
        )
        self.env.filters.update(local_time=local_time, local_date=local_date, percent=percent)

    def static_url(self, name: str) -> str:
        """The URL of a static file, with a content hash so browsers may cache it for good."""
        version = self._static_versions.get(name)
        if version is None:
            data = resources.files("upperback.web").joinpath("static", name).read_bytes()
            version = hashlib.sha256(data).hexdigest()[:12]
            self._static_versions[name] = version
        return f"/static/{name}?v={version}"

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
        json_twin: str | None = None,
    ) -> HTMLResponse:
        """Render a page; its forms get this browser's CSRF token."""
        token, new_cookie = self.csrf.token_for(request)
        values = {
            "request_path": request.url.path,
            "csrf_token": token,
            "json_twin": json_twin,
            "public": request.app.state.web.settings.public,
            "settings_days": request.app.state.web.settings.diary_days,
        } | (context or {})
        html = self.env.get_template(template).render(values)
        response = HTMLResponse(html, status_code=status_code)
        if new_cookie:
            set_csrf_cookie(response.headers, new_cookie)
        return response
