"""The exercise plan on the web: `/plan` (the next days), `/plan.pdf` (the same days as a PDF to
print, with the pictures), `/plan/today` (today's session, one exercise a page),
`/exercise/{id}` (one exercise), and each exercise's picture.

Without JavaScript each exercise is a page with "Done" and "Skip" buttons; the answers so far
ride in the link (`done`: one letter per exercise, d or s), and the last page saves the
session to the diary with one POST. With JavaScript, exercise.js counts the holds.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Final

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from upperback.documents.plan_pdf import plan_pdf_bytes
from upperback.knowledge_base import KnowledgeBase, exercise_picture
from upperback.knowledge_models import Exercise
from upperback.programme import PlannedExercise, Programme, no_programme
from upperback.store import Store
from upperback.store.programme_view import (
    DONE_WINDOW_DAYS,
    current_programme,
    planned_sessions_done,
)

from .context import web
from .forms import require_csrf
from .visitors import in_diary
from .write_limits import count_write

router = APIRouter(dependencies=[Depends(require_csrf)])
DAYS_MAX: Final = 28
# One letter per exercise answered so far: d (done) or s (skipped).
ANSWERS: Final = re.compile(r"^[ds]{0,50}$")


def today() -> date:
    """This computer's local day."""
    return date.today()


async def load_programme(request: Request, days: int, start: date | None = None) -> Programme:
    """The plan from the last check (a "no check yet" plan when there is none)."""
    context = web(request)
    first = start or today()

    def read(store: Store) -> Programme | None:
        return current_programme(context.kb, store, first, days)

    return await in_diary(request, read) or no_programme(context.kb)


def _days(raw: str) -> int:
    # A number of days out of range or not a number shows the usual week.
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= DAYS_MAX else 7


def exercise_view(kb: KnowledgeBase, exercise: Exercise) -> dict[str, Any]:
    """What the exercise pages show of an exercise."""
    return {"id": exercise.id, "name": exercise.name, "summary": exercise.summary,
            "steps": list(exercise.steps), "how_often": exercise.how_often,
            "should_feel": exercise.should_feel, "should_not_feel": exercise.should_not_feel,
            "stop_if": exercise.stop_if, "picture_alt": exercise.picture_alt,
            "picture": f"/exercises/{exercise.id}.svg",
            "sources": kb.cited_sources(exercise.sources)}


def _dose(planned: PlannedExercise) -> dict[str, Any]:
    return {"reps": planned.reps, "hold": planned.hold_seconds or 0, "sides": planned.sides,
            "text": planned.dose()}


@router.get("/plan")
async def plan_page(request: Request, days: str = "7", saved: str = "") -> Response:
    """The exercise plan for the next days, with what was left out and why."""
    context = web(request)
    count = _days(days)
    programme = await load_programme(request, count)
    done = await in_diary(request,
        lambda store: planned_sessions_done(context.kb, store, today()))
    return context.pages.render(
        request, "plan.html",
        {"programme": programme, "saved": saved == "1", "done": done,
         "done_days": DONE_WINDOW_DAYS, "days": count,
         "sources": context.kb.cited_sources(programme.sources)},
        json_twin="/api/v1/plan")


@router.get("/plan.pdf")
async def plan_pdf(request: Request, days: str = "7") -> Response:
    """The plan for the next days as a PDF to print (a download), each exercise with its
    pictures. With no plan (urgent, emergency, no check yet) the plan page says why."""
    context = web(request)
    count = _days(days)
    programme = await load_programme(request, count)
    if not programme.days:
        return context.pages.render(
            request, "plan.html",
            {"programme": programme, "saved": False, "done": None, "days": count,
             "done_days": DONE_WINDOW_DAYS,
             "sources": context.kb.cited_sources(programme.sources)})
    data = await run_in_threadpool(plan_pdf_bytes, context.kb, programme)
    first, last = programme.days[0].day, programme.days[-1].day
    name = f"upperback-plan-{first.isoformat()}-to-{last.isoformat()}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/plan/today")
async def plan_today(request: Request, done: str = "", stopped: str = "") -> Response:
    """Today's session, one exercise a page; after the last one, a page to save it."""
    context = web(request)
    if not ANSWERS.match(done):
        raise HTTPException(422, "This link is broken. Start today's session again from the plan.")
    programme = await load_programme(request, 1)
    day = programme.days[0] if programme.days else None
    if day is None:
        return context.pages.render(request, "plan.html",
                                    {"programme": programme, "saved": False, "done": None,
                                     "done_days": DONE_WINDOW_DAYS,
                                     "sources": context.kb.cited_sources(programme.sources)})
    todo = day.exercises
    if len(done) >= len(todo):
        answers = list(zip(todo, done.ljust(len(todo), "s"), strict=False))
        return context.pages.render(
            request, "plan_finish.html",
            {"answers": [(p.exercise.name, letter == "d") for p, letter in answers],
             "done": done[:len(todo)].ljust(len(todo), "s"), "planned": True,
             "ids": ",".join(p.exercise.id for p in todo), "stopped": stopped == "1"})
    planned = todo[len(done)]
    return context.pages.render(
        request, "exercise.html",
        {"exercise": exercise_view(context.kb, planned.exercise), "dose": _dose(planned),
         "number": len(done) + 1, "total": len(todo), "done": done, "in_session": True,
         "stop_link": f"/plan/today?done={done.ljust(len(todo), 's')}&stopped=1",
         "withheld": None})


@router.get("/exercise/{exercise_id}")
async def exercise_page(exercise_id: str, request: Request) -> Response:
    """One exercise: its picture, steps, dose and counter, with "done" and "skip"."""
    context = web(request)
    chosen = context.kb.exercises.get(exercise_id)
    if chosen is None:
        raise HTTPException(404, "There is no such exercise. Choose one from your plan.")
    programme = await load_programme(request, 1)
    planned_today = programme.days[0].exercises if programme.days else ()
    planned = next((p for p in planned_today if p.exercise.id == exercise_id),
                   PlannedExercise(chosen, chosen.reps, chosen.hold_seconds))
    withheld = next((w for w in programme.withheld if w.exercise.id == exercise_id), None)
    held = list(withheld.reasons) if withheld else []
    if programme.message == context.kb.exercise_book.programme.not_offered:
        held.append(programme.message)  # urgent or emergency: get checked first
    return context.pages.render(
        request, "exercise.html",
        {"exercise": exercise_view(context.kb, chosen), "dose": _dose(planned), "number": 1,
         "total": 1, "done": "", "in_session": False, "stop_link": "/plan",
         "withheld": held or None})


@router.get("/exercises/{exercise_id}.svg")
async def exercise_svg(exercise_id: str, request: Request) -> Response:
    """An exercise's picture (start and end positions)."""
    if exercise_id not in web(request).kb.exercises:
        raise HTTPException(404, "There is no such exercise picture.")
    return Response(exercise_picture(exercise_id), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


@router.post("/plan/session", dependencies=[Depends(count_write)])
async def save_session(request: Request) -> Response:
    """Save a session to the diary: the exercises in order, each done (d) or skipped (s)."""
    context = web(request)
    form = await request.form()
    ids = [i for i in str(form.get("ids", "")).split(",") if i]
    letters = str(form.get("done", ""))
    planned = form.get("planned") == "1"
    known = context.kb.exercises
    if (not ids or len(ids) != len(letters) or not ANSWERS.match(letters)
            or any(i not in known for i in ids)):
        raise HTTPException(400, "This session could not be saved: it names exercises this "
                                 "guide does not know. Start again from the plan.")
    results = [(i, letter == "d") for i, letter in zip(ids, letters, strict=True)]
    await in_diary(request, lambda store: store.log_exercise_session(results, planned))
    return RedirectResponse("/plan?saved=1", status_code=303)

