"""The API's one error shape, and the handlers that turn every failure into it.

Every 4xx or 5xx answer under /api is `{"error": {"code", "message", "field", "allowed"}}`:
`field` names the part of the request that was wrong (e.g. "answers.age") and `allowed` says
what would have been accepted. HTML pages get a page in plain words instead of JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from upperback.errors import InputError, UpperbackError

API_PREFIX = "/api/"


class ApiError(Exception):
    """A request the API refuses, with the status, a stable code, and what is allowed."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        allowed: str | None = None,
    ) -> None:
        self.status, self.code, self.message = status, code, message
        self.field, self.allowed = field, allowed
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
    """An API error as a JSON response."""
    return JSONResponse(
        error_body(error.code, error.message, error.field, error.allowed), status_code=error.status
    )


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
        return ApiError(400, "invalid_json", "The request body is not valid JSON.", "body",
                        "a JSON object")
    field = _field_path(first.get("loc", ()))
    message = str(first.get("msg", "not valid"))
    where = f"{field}: " if field else ""
    return ApiError(422, "invalid", f"{where}{message}", field, _allowed(first, field))


def api_error_for(error: UpperbackError) -> ApiError:
    """An error a person can cause or fix, as the API error it answers with: a record or
    value that is not allowed is a 422 naming the field, a diary that cannot be used a 503."""
    from upperback.store import RecordError, StoreError  # the store loads lazily

    message = str(error)
    if isinstance(error, RecordError):
        return ApiError(422, "invalid", error.message, error.field, error.allowed)
    if isinstance(error, StoreError):
        return ApiError(503, "store_unavailable", error.message)
    if isinstance(error, InputError):
        return ApiError(422, "invalid", message, error.field, error.allowed)
    return ApiError(422, "invalid", message)


def http_error(error: StarletteHTTPException) -> ApiError:
    """A framework HTTP error (unknown path, wrong method...) as an ApiError."""
    code = CODES_BY_STATUS.get(error.status_code, "error")
    detail = error.detail if isinstance(error.detail, str) else "The request failed."
    if error.status_code == 404 and detail == "Not Found":
        detail = "There is nothing at this address."
    elif error.status_code == 405:
        detail = "This address does not accept that method."
    return ApiError(error.status_code, code, detail)
