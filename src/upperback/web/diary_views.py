"""A visitor's private diary on a public site: start one, open it on another device, leave.

The key is the only way in, so the page that shows it says so plainly and offers it as a
recovery code and a link. On one person's own server there is one diary and these pages say so.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from upperback.store.diaries import KEY_PATTERN, open_diary

from . import api_models as m
from .context import web
from .errors import API_ERRORS, ApiError, ErrorBody
from .forms import require_csrf
from .visitors import (
    current_diary,
    forget_key,
    is_public,
    recovery_link,
    remember_key,
    start_diary,
)
from .write_limits import count_write

router = APIRouter(dependencies=[Depends(require_csrf)])
api_router = APIRouter(prefix="/api/v1", responses=API_ERRORS)


@api_router.post("/diaries", response_model=m.NewDiaryOut, status_code=201, tags=["diary"],
                 dependencies=[Depends(count_write)],
                 responses={409: {"model": ErrorBody, "description": "One person's own server "
                                  "(not public mode) keeps one diary and makes no others "
                                  "(`one_diary`)."}})
async def create_diary_api(body: m.NewDiaryIn, request: Request, response: Response
                           ) -> dict[str, Any]:
    """Start a private diary (public mode): its key, shown this once (only a hash is kept).
    Send it as `Authorization: Bearer KEY`; a browser also gets it as a cookie."""
    if not is_public(request):
        raise ApiError(409, "one_diary", "This server keeps one person's diary; it makes no "
                       "others. (Diaries are for a public site: upperback serve --public.)")
    key = await start_diary(request)
    remember_key(request, response, key)
    return {"key": key, "recovery_link": recovery_link(request, key)}


@router.get("/diary/start")
async def start_page(request: Request) -> Response:
    """What a private diary is, and a button to start one."""
    context = web(request)
    if not is_public(request):
        return RedirectResponse("/diary", status_code=303)
    has = await current_diary(request) is not None
    return context.pages.render(request, "diary_start.html", {"has_diary": has})


@router.post("/diary/start", dependencies=[Depends(count_write)])
async def start(request: Request) -> Response:
    """Start a private diary and show its recovery code once."""
    context = web(request)
    if not is_public(request):
        return RedirectResponse("/diary", status_code=303)
    key = await start_diary(request)
    page = context.pages.render(request, "diary_key.html", {
        "key": key, "link": recovery_link(request, key), "then": "/diary"})
    remember_key(request, page, key)
    return page


@router.get("/diary/open", name="open_page")
async def open_page(request: Request) -> Response:
    """A form to open a diary with its recovery code (the recovery link fills it in)."""
    context = web(request)
    if not is_public(request):
        return RedirectResponse("/diary", status_code=303)
    code = request.query_params.get("code", "")
    return context.pages.render(request, "diary_open.html",
                                {"code": code if KEY_PATTERN.fullmatch(code) else ""})


@router.post("/diary/open")
async def open_with_code(request: Request) -> Response:
    """Open the diary a recovery code belongs to in this browser."""
    context = web(request)
    if not is_public(request):
        return RedirectResponse("/diary", status_code=303)
    form = await request.form()
    code = str(form.get("code", "")).strip()
    diary = await context.store.run(lambda store: open_diary(store, code))
    if diary is None:
        return context.pages.render(request, "diary_open.html", {
            "code": code[:60],
            "error": "This code opens no diary. Check each letter (a code is 43 letters, "
                     "digits, - and _). A diary unused for a long time is deleted.",
        }, status_code=422)
    response = RedirectResponse("/diary", status_code=303)
    remember_key(request, response, code)
    return response


@router.post("/diary/leave")
async def leave(request: Request) -> Response:
    """Take the diary off this browser (it stays, for its recovery code)."""
    response = RedirectResponse("/", status_code=303)
    forget_key(response)
    return response
