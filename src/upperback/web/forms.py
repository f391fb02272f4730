"""The check every HTML form's POST passes: its CSRF token must match this browser's cookie.

A module of its own so that every router (pages, the check, comments, diaries) can depend on
it without importing another router.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from .context import web
from .security import CSRF_FIELD, UNSAFE_METHODS


async def require_csrf(request: Request) -> None:
    """Refuse a form POST whose CSRF token does not match this browser's cookie."""
    if request.method not in UNSAFE_METHODS:
        return
    form = await request.form()
    if not web(request).csrf.valid(request, form.get(CSRF_FIELD)):
        raise HTTPException(
            403,
            "This form has expired or did not come from this site. "
            "Go back, reload the page and try again.",
        )
