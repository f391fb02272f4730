"""Whose diary a request reads and writes.

For one person's own server (`upperback serve`), every request is that person's: the store's
own records. In public mode (`serve --public`) each visitor has a private diary, opened by its
key: a cookie for a browser (HttpOnly, SameSite=Lax, Secure over HTTPS: security.py marks it),
`Authorization: Bearer KEY` for a program. Every route that reads or writes personal data goes
through `in_diary`, which scopes the store to the visitor's diary (Store.for_diary), or refuses
with 401 `no_diary` when there is none: one place, so no route can forget the scope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar

from starlette.requests import Request
from starlette.responses import Response

from upperback.store import Store
from upperback.store.diaries import KEY_PATTERN, create_diary, open_diary

from .context import web
from .errors import ApiError

T = TypeVar("T")

DIARY_COOKIE: Final = "upperback_diary"
KEY_ALLOWED: Final = "the key POST /api/v1/diaries gave (43 letters, digits, - and _)"
_UNSET: Final = object()


def no_diary() -> ApiError:
    """The refusal of a personal endpoint in public mode without a diary."""
    return ApiError(
        401, "no_diary",
        "This needs your private diary. Start one (POST /api/v1/diaries) or send its key.",
        "Authorization", "Bearer KEY, with " + KEY_ALLOWED,
        headers={"WWW-Authenticate": 'Bearer realm="diary"'},
    )


def diary_key(request: Request) -> str | None:
    """The diary key this request carries (Bearer first, then the cookie), or None.
    A malformed Authorization header is refused (401), never ignored."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not KEY_PATTERN.fullmatch(key.strip()):
            raise ApiError(401, "invalid_key", "The Authorization header is not a diary key.",
                           "Authorization", "Bearer KEY, with " + KEY_ALLOWED,
                           headers={"WWW-Authenticate": 'Bearer realm="diary"'})
        return key.strip()
    cookie = request.cookies.get(DIARY_COOKIE)
    return cookie if cookie and KEY_PATTERN.fullmatch(cookie) else None


async def current_diary(request: Request) -> int | None:
    """The id of the visitor's diary (public mode), or None when the request opens none.
    Looked up once a request."""
    found = getattr(request.state, "diary", _UNSET)
    if found is not _UNSET:
        return found  # type: ignore[return-value]
    key = diary_key(request)
    diary = None
    if key is not None:
        diary = await web(request).store.run(lambda store: open_diary(store, key))
        if diary is None and request.headers.get("authorization") is not None:
            raise ApiError(401, "unknown_key", "This key opens no diary (it may have been "
                           "deleted, or gone unused too long).", "Authorization",
                           "Bearer KEY, with " + KEY_ALLOWED,
                           headers={"WWW-Authenticate": 'Bearer realm="diary"'})
    request.state.diary = diary
    return diary


def is_public(request: Request) -> bool:
    """Whether this server serves many visitors (public mode)."""
    return web(request).settings.public


async def has_diary(request: Request) -> bool:
    """Whether personal data can be saved for this request: always on one person's server;
    in public mode, when the visitor has opened a diary."""
    return not is_public(request) or await current_diary(request) is not None


async def in_diary(request: Request, work: Callable[[Store], T]) -> T:
    """Run `work` on the store scoped to this request's diary (all of the store on one
    person's server). In public mode without a diary: 401 no_diary."""
    context = web(request)
    if not context.settings.public:
        return await context.store.run(work)
    diary = await current_diary(request)
    if diary is None:
        raise no_diary()
    return await context.store.run(lambda store: work(store.for_diary(diary)))


async def start_diary(request: Request) -> str:
    """Make a new diary for this visitor (this request then writes into it) and return its
    key, shown once: only its hash is kept. The caller sets the cookie (`remember_key`)."""
    context = web(request)
    diary, key = await context.store.run(create_diary)
    request.state.diary = diary
    return key


def recovery_link(request: Request, key: str) -> str:
    """The link that opens this diary in a browser (it fills in the recovery form)."""
    return str(request.url_for("open_page").include_query_params(code=key))


def remember_key(request: Request, response: Response, key: str) -> None:
    """Keep the diary key in this browser (the cookie lives as long as an unused diary)."""
    days = web(request).settings.diary_days
    # Lax, not Strict: a visitor who follows a link to the site still finds their diary.
    response.set_cookie(DIARY_COOKIE, key, max_age=days * 86_400, httponly=True,
                        samesite="lax", path="/")


def forget_key(response: Response) -> None:
    """Take the diary key off this browser (the diary itself stays)."""
    response.delete_cookie(DIARY_COOKIE, path="/", httponly=True, samesite="lax")
