"""The API's one error shape, and the handlers that turn every failure into it.

Every 4xx or 5xx answer under /api is `{"error": {"code", "message", "field", "allowed"}}`:
`field` names the part of the request that was wrong (e.g. "answers.age") and `allowed` says
what would have been accepted. HTML pages get a page in plain words instead of JSON.

An exception nobody handled is caught by `ServerErrors`, an ASGI middleware placed inside the
security headers, so that a 500 too has the error shape (code "internal") or a plain page, and
the headers; its message says nothing about what broke (no traceback, no path).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from upperback.errors import InputError, UpperbackError

API_PREFIX = "/api/"

# What a body the API cannot read is: one code, whichever way it is broken (see RequestGuard).
INVALID_JSON = "invalid_json"
JSON_ALLOWED = "a JSON object, in UTF-8"
# FastAPI's detail for a body it could not decode (e.g. not UTF-8), when no guard ran first.
FASTAPI_BODY_ERROR = "There was an error parsing the body"

INTERNAL_MESSAGE = "Something went wrong on the server. Please try again."
INTERNAL_PAGE = (  # the page of last resort: no template, no script, nothing to fail again
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong'
    "</title></head><body><h1>Something went wrong</h1><p>" + INTERNAL_MESSAGE + "</p>"
    '<p><a href="/">Go to the guide</a></p></body></html>'
)

log = logging.getLogger("upperback.web")


class ApiError(Exception):
    """A request the API refuses, with the status, a stable code, and what is allowed."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        allowed: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status, self.code, self.message = status, code, message
        self.field, self.allowed = field, allowed
        self.headers = dict(headers or {})
        super().__init__(message)


class ErrorDetail(BaseModel):
    """What went wrong: a stable code, a sentence, the field, and what is allowed."""

    code: str
    message: str
    field: str | None = None
    allowed: str | None = None


class ErrorBody(BaseModel):
    """The one error shape of the API."""

    error: ErrorDetail


def error_body(
    code: str, message: str, field: str | None = None, allowed: str | None = None
) -> dict[str, Any]:
    """The JSON body of an API error."""
    return {"error": {"code": code, "message": message, "field": field, "allowed": allowed}}


def error_response(error: ApiError) -> JSONResponse:
    """An API error as a JSON response (with its headers, e.g. a 405's Allow)."""
    return JSONResponse(
        error_body(error.code, error.message, error.field, error.allowed),
        status_code=error.status,
        headers=error.headers or None,
    )


def invalid_json(message: str = "The request body is not valid JSON.") -> ApiError:
    """The one error for a body that is not a JSON object, however it is broken."""
    return ApiError(400, INVALID_JSON, message, "body", JSON_ALLOWED)


def is_api(request: Request) -> bool:
    """True for requests to the JSON API."""
    return request.url.path.startswith(API_PREFIX)


CODES_BY_STATUS = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "internal",
    503: "unavailable",
}

# What each request field accepts, filled in by the API's request models (see `register`).
FIELD_ALLOWED: dict[str, str] = {}


def register(*models: type[BaseModel]) -> None:
    """Record what each field of these request models accepts (its description)."""
    for model in models:
        for name, info in model.model_fields.items():
            if info.description:
                FIELD_ALLOWED.setdefault(name, info.description)


def _field_path(loc: Sequence[Any]) -> str | None:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or None


def _allowed(error: Mapping[str, Any], field: str | None) -> str | None:
    if field is not None:
        for name in reversed(field.split(".")):
            if name in FIELD_ALLOWED:
                return FIELD_ALLOWED[name]
    context = error.get("ctx") or {}
    if "expected" in context:
        return f"one of {context['expected']}"
    if error.get("type") == "missing":
        return "a value is required"
    return None


def validation_error(error: RequestValidationError) -> ApiError:
    """The first problem in a request the framework could not parse, as an ApiError."""
    problems = error.errors()
    if not problems:
        return ApiError(422, "invalid", "The request is not valid.")
    first = problems[0]
    if first.get("type") == "json_invalid":
        return invalid_json()
    if tuple(first.get("loc", ())) == ("body",):
        # The body as a whole is wrong: missing, or JSON that is not an object ([], "x", 1).
        return invalid_json("The request body is not a JSON object.")
    field = _field_path(first.get("loc", ()))
    message = str(first.get("msg", "not valid"))
    where = f"{field}: " if field else ""
    return ApiError(422, "invalid", f"{where}{message}", field, _allowed(first, field))


PUBLIC_STORE_PROBLEM = ("The site cannot reach its database just now; nothing was changed. "
                        "Try again in a minute.")


def api_error_for(error: UpperbackError, public: bool = False) -> ApiError:
    """An error a person can cause or fix, as the API error it answers with: a record or
    value that is not allowed is a 422 naming the field, a diary that cannot be used a 503.
    On a public site a database problem is told without its details (they name the
    database, its host or its file: settings no visitor should see)."""
    from upperback.store import RecordError, StoreError  # the store loads lazily

    message = str(error)
    if isinstance(error, RecordError):
        return ApiError(422, "invalid", error.message, error.field, error.allowed)
    if isinstance(error, StoreError):
        return ApiError(503, "store_unavailable",
                        PUBLIC_STORE_PROBLEM if public else error.message)
    if isinstance(error, InputError):
        return ApiError(422, "invalid", message, error.field, error.allowed)
    return ApiError(422, "invalid", message)


def http_error(error: StarletteHTTPException, headers: Mapping[str, str] | None = None
               ) -> ApiError:
    """A framework HTTP error (unknown path, wrong method...) as an ApiError; `headers`
    (default: the error's own) go with it."""
    headers = error.headers if headers is None else headers
    if error.status_code == 400 and error.detail == FASTAPI_BODY_ERROR:
        return invalid_json()
    code = CODES_BY_STATUS.get(error.status_code, "error")
    detail = error.detail if isinstance(error.detail, str) else "The request failed."
    if error.status_code == 404 and detail == "Not Found":
        detail = "There is nothing at this address."
    elif error.status_code == 405:
        detail = "This address does not accept that method."
    return ApiError(error.status_code, code, detail, headers=headers)


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def routed(routes: Sequence[BaseRoute], scope: Scope) -> bool:
    """True when one of these routes takes this request's method at its path.

    Asks each route through `matches`, the one interface every kind of route has (FastAPI's
    included routers too). Mounts (the static files) match any method and decide for
    themselves, so they do not count."""
    probe = dict(scope)  # matching may note things in the scope: not in the request's own
    return any(
        not isinstance(route, Mount) and route.matches(probe)[0] is Match.FULL
        for route in routes
    )


def allow_header(request: Request, error: StarletteHTTPException) -> dict[str, str]:
    """The error's headers, with a 405's `Allow` listing every method the path accepts.

    Starlette's own Allow names only the first route that matched the path, and a path such
    as /api/v1/diary/entries has one route per method, so each method is tried against the
    app's routes. A mount's own Allow (the static files': GET, HEAD) is kept."""
    headers = dict(error.headers or {})
    if error.status_code != 405:
        return headers
    methods = {m.strip() for m in headers.get("Allow", "").split(",") if m.strip()}
    routes = request.app.router.routes
    methods |= {m for m in HTTP_METHODS if routed(routes, {**request.scope, "method": m})}
    if methods:
        headers["Allow"] = ", ".join(sorted(methods))
    return headers


ErrorPage = Callable[[Request, int, str], Response]


class ServerErrors:
    """ASGI middleware: an exception nobody handled becomes a 500 in the error shape (under
    /api) or a plain page, instead of the framework's bare text.

    Starlette's ServerErrorMiddleware sits outside every user middleware, so what it sends
    would miss the security headers; this one is added just inside SecurityHeaders. The
    server log gets the exception's type and where it was raised, but not its message, which
    could quote what a person sent (no health data in the log, HAZ-09).
    """

    def __init__(self, app: ASGIApp, page: ErrorPage | None = None) -> None:
        self.app = app
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked_send)
        except Exception as error:
            if started:  # too late for another answer: let the server drop the connection
                raise
            where = "".join(traceback.format_tb(error.__traceback__))
            log.error("Unhandled %s during %s %s\n%s", type(error).__name__,
                      scope.get("method"), scope.get("path"), where.rstrip())
            response = self._response(Request(scope))
            await response(scope, receive, send)

    def _response(self, request: Request) -> Response:
        if is_api(request):
            return error_response(ApiError(500, "internal", INTERNAL_MESSAGE))
        if self.page is not None:
            try:
                return self.page(request, 500, INTERNAL_MESSAGE)
            except Exception:  # the pages themselves are broken: the page of last resort
                log.error("The error page could not be shown either.")
        return HTMLResponse(INTERNAL_PAGE, status_code=500)


# The refusals every API operation may answer, for the OpenAPI document.
API_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        400: "The body is not a JSON object in UTF-8 (`invalid_json`), or the Host header "
        "names another server (`invalid_host`).",
        401: "Public mode: this needs the visitor's diary (`no_diary`), or the key sent opens "
        "none (`invalid_key`, `unknown_key`). Send `Authorization: Bearer KEY`.",
        404: "No such item.",
        429: "Too many requests from this address or into this diary; wait `Retry-After` "
        "seconds.",
        413: "The body is too large.",
        415: "The body is not application/json.",
        422: "A field is not allowed; `field` names it and `allowed` says what is.",
        500: "Something went wrong on the server (`internal`); the message says no more.",
    }.items()
}
