"""Break reminders on the web: `/breaks`, a calm countdown to the next short break from sitting.

Without JavaScript the page shows the schedule (the clock times of the next breaks), the
ideas, a form to choose how often and how long (GET), and a button that logs a break taken.
With JavaScript, breaks.js counts down, shows an idea when a break is due, offers take, put off
once and skip, and shows a notification when the person allows one. Both log a break the same
way: `POST /breaks/log`. The defaults, the ranges and the ideas come from the knowledge base
(`break_reminders`), checked by the core (`upperback.breaks`), as in `upperback breaks`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from upperback.breaks import check_break_options
from upperback.clock import local_text
from upperback.errors import InputError

from .context import web
from .forms import require_csrf
from .visitors import has_diary, in_diary
from .write_limits import count_write

router = APIRouter(dependencies=[Depends(require_csrf)])
UPCOMING: Final = 4  # how many break times the page lists
# A number typed into the form longer than this is out of every range (and not parsed).
DIGITS_MAX: Final = 4
FIELD_NAMES: Final = {"every": "the minutes between breaks", "length": "how long a break lasts"}


def _number(raw: str) -> int | None:
    """A whole number from the form; None when left empty; -1 (out of every range) when not
    a number, so the core's check names the field and its range."""
    raw = raw.strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() and len(raw) <= DIGITS_MAX else -1


def _choice(raw: str) -> str:
    return raw if raw.isdigit() and len(raw) <= DIGITS_MAX else ""


@router.get("/breaks")
async def breaks_page(request: Request, every: str = "", length: str = "",
                      logged: str = "") -> Response:
    """The break reminder: the schedule, the ideas, the choices, and "I took a break"."""
    context = web(request)
    rules = context.kb.exercise_book.break_reminders
    error = None
    try:
        minutes, seconds = check_break_options(context.kb, _number(every), _number(length))
    except InputError as problem:
        error = {"field": problem.field,
                 "message": f"Choose {FIELD_NAMES.get(problem.field, problem.field)}: "
                            f"{problem.allowed}."}
        minutes, seconds = rules.every_minutes, rules.length_seconds
    now = datetime.now().astimezone()
    upcoming = [local_text(now + timedelta(minutes=minutes * n), "%H:%M")
                for n in range(1, UPCOMING + 1)]
    values: dict[str, Any] = {
        "minutes": minutes, "seconds": seconds, "rules": rules, "error": error,
        "started": local_text(now, "%H:%M"), "upcoming": upcoming, "logged": logged == "1",
        "can_log": await has_diary(request),
        "sources": context.kb.cited_sources(rules.sources),
    }
    return context.pages.render(request, "breaks.html", values,
                                status_code=400 if error else 200)


@router.post("/breaks/log", dependencies=[Depends(count_write)])
async def log_break(request: Request) -> Response:
    """Log a break taken (seconds it lasted) to the diary; back to the page, or 204 for
    breaks.js (which sends `X-Requested-With: fetch`)."""
    context = web(request)
    rules = context.kb.exercise_book.break_reminders
    form = await request.form()
    raw = str(form.get("seconds", "")).strip()
    longest = rules.length_range[1]
    # A break ended early is still a break: anything from 1 second to the longest allowed.
    if not (raw.isdigit() and len(raw) <= DIGITS_MAX and 1 <= int(raw) <= longest):
        raise HTTPException(400, f"The break's length must be a whole number of seconds from "
                                 f"1 to {longest}.")
    seconds = int(raw)
    await in_diary(request, lambda store: store.log_break(seconds))
    if request.headers.get("x-requested-with") == "fetch":
        return Response(status_code=204)
    kept = {k: _choice(str(form.get(k, ""))) for k in ("every", "length")}
    query = urlencode({k: v for k, v in kept.items() if v} | {"logged": "1"})
    return RedirectResponse(f"/breaks?{query}", status_code=303)
