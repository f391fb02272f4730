"""The app factory: `create_app(settings)` builds the whole web app, so tests build their own."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from upperback import KnowledgeBase, __version__, load_knowledge
from upperback.errors import UpperbackError

from . import (
    api,
    api_models,
    check_flow,
    diary_import,
    diary_views,
    pages,
    plan_views,
    report_views,
)
from .breaks_views import router as breaks_router
from .comments_views import router as comments_router
from .context import WebContext, web
from .errors import (
    ApiError,
    ServerErrors,
    allow_header,
    api_error_for,
    error_response,
    http_error,
    is_api,
    routed,
    validation_error,
)
from .interview_state import StateCookie
from .posture_views import router as posture_router
from .result_cache import ResultCache
from .security import Csrf, RequestGuard, SecurityHeaders, TrustedHosts
from .settings import WebSettings
from .storage import StoreGateway
from .templating import Pages
from .write_limits import WriteLimits

DESCRIPTION = (
    "The upperback guide's JSON API: assess answers, run the interview one question at a "
    "time, read the knowledge base, and keep the pain diary. Information, not a diagnosis. "
    'Every error is `{"error": {"code", "message", "field", "allowed"}}`.'
)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Build the web app: pages, the JSON API under /api/v1, static files and safety layers."""
    settings = settings or WebSettings()
    kb = load_knowledge()
    key = settings.key()
    csrf = Csrf(key)
    context = WebContext(
        settings=settings,
        kb=kb,
        store=StoreGateway(settings.db_url),
        csrf=csrf,
        check_state=StateCookie(key),
        pages=Pages(kb, csrf),
        results=ResultCache(kb),
        write_limits=WriteLimits(settings.writes_per_minute, settings.diary_writes_per_minute),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(_sweep_diaries(context)) if settings.public else None
        yield
        if sweeper is not None:
            sweeper.cancel()
        context.store.close()

    app = FastAPI(
        title="upperback",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # the hosted docs pages load scripts from a CDN: not here
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = context
    _document_knowledge(app, kb)
    app.include_router(api.router)
    app.include_router(diary_views.api_router)
    app.include_router(diary_views.router, include_in_schema=False)
    app.include_router(pages.router, include_in_schema=False)
    app.include_router(check_flow.router, include_in_schema=False)
    app.include_router(diary_import.router, include_in_schema=False)
    app.include_router(report_views.router, include_in_schema=False)
    app.include_router(plan_views.router, include_in_schema=False)
    app.include_router(breaks_router, include_in_schema=False)
    app.include_router(posture_router, include_in_schema=False)
    app.include_router(comments_router)
    app.mount("/static", StaticFiles(packages=[("upperback.web", "static")]), name="static")
    _add_error_handlers(app)
    # Added innermost first: the security headers wrap everything, refusals and 500s included
    # (ServerErrors turns an unhandled exception into an answer inside them).
    imports = dict.fromkeys((diary_import.API_PATH, diary_import.PAGE_PATH),
                            settings.import_max_bytes)
    app.add_middleware(RequestGuard, max_body_bytes=settings.max_body_bytes, larger=imports,
                       routed=_remembered(lambda scope: routed(app.router.routes, scope)))
    app.add_middleware(TrustedHosts, allowed_hosts=settings.hosts())
    app.add_middleware(ServerErrors, page=_error_page)
    app.add_middleware(SecurityHeaders, public=settings.public)
    return app


# How often a public site deletes the diaries unused for `diary_days` and the moderator
# sessions that have expired. (Old rate counts are swept by the counting itself.)
SWEEP_EVERY_SECONDS = 6 * 3600


async def _sweep_diaries(context: WebContext) -> None:
    """Delete unused diaries and expired moderator sessions now and every few hours (each
    worker does; it is idempotent)."""
    from upperback.store.comments import sweep_sessions
    from upperback.store.diaries import prune_diaries

    days = context.settings.diary_days
    while True:
        # The database may be away: then try again at the next sweep.
        with contextlib.suppress(UpperbackError):
            await context.store.run(lambda store: prune_diaries(store, days))
            await context.store.run(sweep_sessions)
        await asyncio.sleep(SWEEP_EVERY_SECONDS)


def _remembered(
    check: Callable[[MutableMapping[str, Any]], bool], size: int = 4096
) -> Callable[[MutableMapping[str, Any]], bool]:
    """`check` by method and path, asked once each: the routes are fixed once the app is
    built, and asking every route on every request cost more than the trivial endpoint's
    whole answer. Bounded: emptied when full (a path may hold an id)."""
    answers: dict[tuple[str, str], bool] = {}

    def remembered(scope: MutableMapping[str, Any]) -> bool:
        key = (str(scope.get("method", "")), str(scope.get("path", "")))
        found = answers.get(key)
        if found is None:
            if len(answers) >= size:
                answers.clear()
            found = answers[key] = check(scope)
        return found

    return remembered


def _document_knowledge(app: FastAPI, kb: KnowledgeBase) -> None:
    """Put what the knowledge base allows (finding ids and their values, symptoms) in the
    OpenAPI document, where the request models can only say "a string"."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        # Built once, then kept by FastAPI: the same dict, patched again (it is idempotent).
        return api_models.document_knowledge(plain(), kb)

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way


def _error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    response = web(request).pages.render(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )
    response.headers.update(headers or {})
    return response


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> Response:
        if is_api(request):
            return error_response(error)
        if error.code == "no_diary":  # a public site's page that needs the visitor's diary
            return web(request).pages.render(request, "diary_needed.html", status_code=401)
        return _error_page(request, error.status, error.message, error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        problem = validation_error(error)
        if is_api(request):
            return error_response(problem)
        return _error_page(request, 400, "This address or form is not valid. " + problem.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, error: StarletteHTTPException) -> Response:
        headers = allow_header(request, error)
        if is_api(request):
            return error_response(http_error(error, headers))
        message = error.detail if isinstance(error.detail, str) else "Something went wrong."
        if error.status_code == 404 and message == "Not Found":
            message = "There is no page at this address."
        elif error.status_code == 405:
            message = "This page cannot be used that way."
        return _error_page(request, error.status_code, message, headers)

    @app.exception_handler(UpperbackError)
    async def person_error(request: Request, error: UpperbackError) -> Response:
        # The one place the web app shows an error a person can cause or fix.
        problem = api_error_for(error, public=web(request).settings.public)
        if is_api(request):
            return error_response(problem)
        return _error_page(request, problem.status, problem.message)
