"""Reader comments on the web: the list and form on every guide page, the API, the feed, and
the moderators' pages.

Moderation first: a comment is shown only once a moderator approves it. What a comment may
hold and what it tells its author (the advice for a warning sign it describes, a warning about
contact details) is the core's (`upperback.comments.review`); this module only carries it.

Against spam, the form has a hidden field people leave empty (a filled one is not kept, and
the answer looks the same), a signed issue time (a form sent within MIN_SECONDS of being shown
is sent back), and the CSRF token of every form. The form and the API alike allow
COMMENT_LIMIT comments per COMMENT_WINDOW from one address, counted in the database so every
worker counts together (429 with Retry-After). Moderators sign in with a name and password
(`upperback moderators add`); their session token is a cookie (HttpOnly, SameSite=Strict,
Secure over https), of which the store keeps only a hash. Failed sign-ins are slowed by the
same database-backed counts.
"""

from __future__ import annotations

import re
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from upperback.comments import (
    HELD_FOR_TEXT,
    PAGE_ALLOWED,
    THANKS,
    Review,
    Status,
    check_page,
    page_title,
    review,
)
from upperback.errors import InputError
from upperback.store import StoreError
from upperback.store.comments import (
    SESSION_LIFETIME,
    Comment,
    add_comment,
    approved_comments,
    comments,
    delete_comment,
    end_session,
    latest_approved,
    session_moderator,
    set_status,
    start_session,
    verify_moderator,
)
from upperback.store.models import UNREADABLE_TIME
from upperback.store.rate_counts import bucket_for, hit

from .comments_models import CommentAcceptedOut, CommentIn, CommentOut, with_guide_pages
from .context import web
from .emergency_view import phones_view
from .errors import API_ERRORS, ApiError, ErrorBody, error_body
from .forms import require_csrf
from .security import Signer
from .settings import WebSettings
from .write_limits import count_write

#: At most this many comments from one address in COMMENT_WINDOW seconds (form and API).
COMMENT_LIMIT: Final = 5
COMMENT_WINDOW: Final = 10 * 60
#: At most this many sign-in tries from one address in LOGIN_WINDOW seconds.
LOGIN_LIMIT: Final = 10
LOGIN_WINDOW: Final = 15 * 60
#: The least time, in seconds, between showing the form and sending it (people read first).
MIN_SECONDS = 3.0
#: How long a shown form may be sent (a tab left open for a day still works).
FORM_LIFETIME: Final = 2 * 24 * 3600
COMMENTS_SHOWN: Final = 200  # on a page and in its list
FEED_ENTRIES: Final = 50
MODERATE_SHOWN: Final = 100
MODERATOR_COOKIE: Final = "upperback_moderator"
MODERATE_PATH: Final = "/moderate"
HONEYPOT: Final = "website"
ISSUED: Final = "issued"
ACTIONS: Final = {"approve": "approved", "reject": "rejected", "delete": "deleted"}
ATOM: Final = "http://www.w3.org/2005/Atom"
# What XML 1.0 cannot hold, dropped from a feed (the core keeps such text out; another
# program writing to the database might not).
NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

OUT_OF_DATE: Final = ("This form is out of date. Check your comment below, then send it "
                      "again.")
TOO_FAST: Final = ("That was very quick. Please read your comment once more, then send it "
                   "again.")
WRONG_LOGIN: Final = "The name or the password is not right. Try again."

# Read when a form is checked (tests move it on instead of waiting).
clock: Callable[[], float] = time.time


# -- shared parts ------------------------------------------------------------------------------


api = APIRouter(prefix="/api/v1", responses=API_ERRORS, tags=["comments"])
pages = APIRouter(dependencies=[Depends(require_csrf)])


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _page_query(page: str) -> str:
    return urlencode({"page": page})


async def _over_limit(request: Request, action: str, limit: int, window: int) -> int:
    """Count one action from this address in the database: 0 when allowed, else the seconds
    to wait. Always on: a comment may be made public, so its cap holds even on a server
    run without write caps."""
    context = web(request)
    bucket = bucket_for(action, _address(request))
    return await context.store.run(lambda store: hit(store, bucket, limit, window))


def _wait_words(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"


# -- the form's issue time ------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _form_signer(settings: WebSettings) -> Signer:
    return Signer(settings.key(), "comment-form")


def issue_token(request: Request, page: str) -> str:
    """The signed time a comment form is shown, bound to its page (a hidden field)."""
    moment = int(clock() * 1000)
    return _form_signer(web(request).settings).sign(f"{moment}|{page}".encode())


def form_age(request: Request, token: object, page: str) -> float | None:
    """Seconds since the form was shown, or None when its token is missing, changed, for
    another page or too old."""
    if not isinstance(token, str) or len(token) > 400:
        return None
    data = _form_signer(web(request).settings).unsign(token)
    if data is None:
        return None
    moment, _, signed_page = data.decode("utf-8", "replace").partition("|")
    if signed_page != page or not moment.isdigit():
        return None
    age = clock() - int(moment) / 1000
    return max(age, 0.0) if age <= FORM_LIFETIME else None


# -- what the pages show ---------------------------------------------------------------------------


def _shown(item: Comment) -> dict[str, Any]:
    return {"id": item.id, "page": item.page, "name": item.name, "text": item.text,
            "created": item.created_at}


async def comment_section(request: Request, page: str, values: dict[str, str] | None = None,
                          problem: dict[str, Any] | None = None,
                          guidance: dict[str, Any] | None = None) -> dict[str, Any]:
    """What `_comments.html` shows at the end of a guide page: the approved comments and the
    form (with the values typed and the problem, when it is shown again). A database that
    cannot be read leaves the page working, without its comments."""
    context = web(request)
    try:
        found = await context.store.run(lambda store: approved_comments(store, page,
                                                                         COMMENTS_SHOWN))
        unavailable = False
    except StoreError:
        found, unavailable = [], True
    return {
        "page": page,
        "title": page_title(context.kb, page),
        "shown": [_shown(c) for c in found],
        "unavailable": unavailable,
        "form": {"name": "", "text": ""} | (values or {}),
        "problem": problem,
        "guidance": guidance,
        "phones": phones_view(context.kb),
        "issued": issue_token(request, page),
        "list_url": f"/comments?{_page_query(page)}",
        "json_url": f"/comments.json?{_page_query(page)}",
        "feed_url": f"/comments.atom?{_page_query(page)}",
    }


async def _form_again(request: Request, page: str, values: dict[str, str],
                      problem: dict[str, Any], status: int, checked: Review | None = None,
                      headers: dict[str, str] | None = None) -> Response:
    """The page's comments and form again, the typed values kept and the problem named (and
    the advice for a warning sign, when the text described one)."""
    guidance = checked.guidance.to_dict() if checked and checked.guidance else None
    section = await comment_section(request, page, values, problem, guidance)
    response = web(request).pages.render(
        request, "comments.html", {"comments": section}, status_code=status,
        json_twin=section["json_url"])
    response.headers.update(headers or {})
    return response


def _known_page(request: Request, page: str | None) -> str:
    """A guide page from a query, or the 404 page saying what to give."""
    try:
        return check_page(web(request).kb, page)
    except InputError:
        raise HTTPException(404, "There is no such page in the guide. Comments are on the "
                                 "guide's pages: the home page, each cause and each way to "
                                 "ease the pain.") from None


# -- the comments on a page: HTML, JSON and Atom ------------------------------------------------


@pages.get("/comments")
async def comments_page(request: Request, page: str | None = None) -> Response:
    """A guide page's approved comments and the form (twin: /comments.json)."""
    known = _known_page(request, page)
    section = await comment_section(request, known)
    return web(request).pages.render(request, "comments.html", {"comments": section},
                                     json_twin=section["json_url"])


@pages.get("/comments.json")
async def comments_json(request: Request, page: str | None = None) -> Response:
    """The JSON twin of /comments: a page's approved comments, oldest first."""
    try:
        known = check_page(web(request).kb, page)
    except InputError as error:
        return JSONResponse(error_body("invalid", str(error), "page", PAGE_ALLOWED), 422)
    found = await web(request).store.run(lambda store: approved_comments(store, known,
                                                                          COMMENTS_SHOWN))
    body = [CommentOut.model_validate(_shown(c)).model_dump(mode="json") for c in found]
    return JSONResponse(body)


@pages.get("/comments.atom")
async def comments_feed(request: Request, page: str | None = None) -> Response:
    """The newest approved comments as an Atom feed (of one page with ?page=)."""
    known = _known_page(request, page) if page is not None else None
    found = await web(request).store.run(
        lambda store: latest_approved(store, FEED_ENTRIES, known))
    base = str(request.base_url).rstrip("/")
    # The feed's own address, as its id: the same whatever else the query holds.
    self_url = f"{base}/comments.atom" + (f"?{_page_query(known)}" if known else "")
    feed = atom_feed(web(request).kb, base, self_url, found, known)
    return Response(feed, media_type="application/atom+xml; charset=utf-8")


def _atom_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


def atom_feed(kb: Any, base: str, self_url: str, items: list[Comment],
              page: str | None) -> bytes:
    """An Atom 1.0 feed (RFC 4287) of approved comments: each one's name and text as their
    authors made them public, its page and time; nothing else about anyone."""
    root = ET.Element("feed", xmlns=ATOM)
    title = f"Comments on {page_title(kb, page)}" if page else f"Comments: {kb.guide.title}"
    ET.SubElement(root, "title").text = _xml_text(title)
    ET.SubElement(root, "id").text = self_url
    ET.SubElement(root, "link", rel="self", href=self_url, type="application/atom+xml")
    ET.SubElement(root, "link", rel="alternate", href=base + (page or "/"), type="text/html")
    newest = max((c.created_at for c in items), default=UNREADABLE_TIME)
    ET.SubElement(root, "updated").text = _atom_time(newest)
    for item in items:
        entry = ET.SubElement(root, "entry")
        ET.SubElement(entry, "id").text = uuid.UUID(hex=item.id).urn
        name = _xml_text(item.name)
        ET.SubElement(entry, "title").text = f"{name} on {_xml_text(page_title(kb, item.page))}"
        author = ET.SubElement(entry, "author")
        ET.SubElement(author, "name").text = name
        ET.SubElement(entry, "link", rel="alternate", type="text/html",
                      href=f"{base}{item.page}#comment-{item.id}")
        ET.SubElement(entry, "published").text = _atom_time(item.created_at)
        ET.SubElement(entry, "updated").text = _atom_time(item.created_at)
        ET.SubElement(entry, "content", type="text").text = _xml_text(item.text)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


# -- posting a comment from the form ----------------------------------------------------------


@pages.post("/comments", dependencies=[Depends(count_write)])
async def post_comment(request: Request) -> Response:
    """A comment from a guide page's form: checked, read, then kept for a moderator. The page
    after it shows the advice for a warning sign it describes, and any warning."""
    context = web(request)
    form = await request.form()
    # Browsers send a line break as CR LF; the limits count it as one character, as the
    # form's own maxlength does.
    values = {name: _text(form, name).replace("\r\n", "\n") for name in ("name", "text")}
    page = _known_page(request, _text(form, "page"))
    try:
        checked = await run_in_threadpool(review, context.kb, page, values["name"],
                                          values["text"])
    except InputError as error:
        problem: dict[str, Any] = {"field": error.field, "message": str(error)}
        return await _form_again(request, page, values, problem, 422)
    age = form_age(request, form.get(ISSUED), page)
    if age is None or age < MIN_SECONDS:
        problem = {"field": None, "message": OUT_OF_DATE if age is None else TOO_FAST}
        return await _form_again(request, page, values, problem, 422, checked)
    wait = await _over_limit(request, "comment", COMMENT_LIMIT, COMMENT_WINDOW)
    if wait:
        problem = {"field": None, "message": _too_many(wait)}
        return await _form_again(request, page, values, problem, 429, checked,
                                 {"Retry-After": str(wait)})
    # A filled hidden field is a robot's: nothing is kept, and the answer is the same.
    if not _text(form, HONEYPOT).strip():
        comment = checked.comment
        await context.store.run(lambda store: add_comment(
            store, comment.page, comment.name, comment.text, checked.held_for))
    return _posted(request, checked)


def _too_many(wait: int) -> str:
    return (f"You have sent a lot of comments in a short time. Wait {_wait_words(wait)} and "
            "try again. Nothing was saved.")


def _posted(request: Request, checked: Review) -> Response:
    kb = web(request).kb
    page = checked.comment.page
    return web(request).pages.render(request, "comment_posted.html", {
        "guidance": checked.guidance.to_dict() if checked.guidance else None,
        "phones": phones_view(kb),
        "warnings": [w.to_dict() for w in checked.warnings],
        "thanks": THANKS,
        "page": page,
        "title": page_title(kb, page),
    })


# -- the API ---------------------------------------------------------------------------------


TOO_MANY: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorBody, "description": "Too many comments (`too_many_comments`) or "
          "writes (`too_many_writes`) from this address; nothing was saved; retry after "
          "Retry-After seconds."},
}


@api.post("/comments", status_code=202, response_model=CommentAcceptedOut, responses=TOO_MANY,
          dependencies=[Depends(count_write)])
async def api_post_comment(body: CommentIn, request: Request) -> dict[str, Any]:
    """Send a comment on a guide page. It is kept for a moderator (`status` "pending") and
    public only once approved. `guidance` is the advice for a warning sign the text describes
    (show it at once), or null; `warnings` says when it holds contact details."""
    context = web(request)
    try:
        checked = await run_in_threadpool(review, context.kb, body.page, body.name, body.text)
    except InputError as error:
        raise ApiError(422, "invalid", str(error), error.field, error.allowed) from error
    wait = await _over_limit(request, "comment", COMMENT_LIMIT, COMMENT_WINDOW)
    if wait:
        raise ApiError(429, "too_many_comments", _too_many(wait),
                       headers={"Retry-After": str(wait)})
    comment = checked.comment
    saved = await context.store.run(lambda store: add_comment(
        store, comment.page, comment.name, comment.text, checked.held_for))
    return {
        "id": saved.id,
        "status": "pending",
        "guidance": checked.guidance.to_dict() if checked.guidance else None,
        "warnings": [w.to_dict() for w in checked.warnings],
        "message": THANKS,
    }


PageQuery = Annotated[str, Query(description=PAGE_ALLOWED,
                                 json_schema_extra=with_guide_pages)]


@api.get("/comments", response_model=list[CommentOut])
async def api_comments(page: PageQuery, request: Request) -> list[dict[str, Any]]:
    """A guide page's approved comments, oldest first (at most 200: the newest)."""
    try:
        known = check_page(web(request).kb, page)
    except InputError as error:
        raise ApiError(422, "invalid", str(error), "page", PAGE_ALLOWED) from error
    found = await web(request).store.run(lambda store: approved_comments(store, known,
                                                                          COMMENTS_SHOWN))
    return [_shown(c) for c in found]


# -- moderation -----------------------------------------------------------------------------


async def signed_in(request: Request) -> str | None:
    """The moderator whose session cookie this browser holds, or None."""
    token = request.cookies.get(MODERATOR_COOKIE)
    if not token:
        return None
    return await web(request).store.run(lambda store: session_moderator(store, token))


@pages.get(MODERATE_PATH)
async def moderate(request: Request, done: str = "") -> Response:
    """The comments waiting for a moderator, with why each was held, to approve or not."""
    who = await signed_in(request)
    if who is None:
        return _see_other(f"{MODERATE_PATH}/login")
    context = web(request)
    waiting = await context.store.run(
        lambda store: comments(store, pending_only=True, limit=MODERATE_SHOWN))
    shown = [_shown(c) | {"title": page_title(context.kb, c.page),
                          "held": HELD_FOR_TEXT.get(c.held_for or "")} for c in waiting]
    return context.pages.render(request, "moderate.html", {
        "moderator": who, "waiting": shown, "shown_max": MODERATE_SHOWN,
        "done": done if done in ACTIONS.values() else None,
    })


def _login_page(request: Request, name: str = "", message: str | None = None,
                status: int = 200, out: bool = False) -> Response:
    return web(request).pages.render(
        request, "moderate_login.html", {"name": name, "message": message, "out": out},
        status_code=status)


@pages.get(f"{MODERATE_PATH}/login")
async def login_form(request: Request, out: int = 0) -> Response:
    """The moderators' sign-in form."""
    if await signed_in(request) is not None:
        return _see_other(MODERATE_PATH)
    return _login_page(request, out=bool(out))


@pages.post(f"{MODERATE_PATH}/login")
async def login(request: Request) -> Response:
    """Sign a moderator in: a new session token in an HttpOnly, SameSite=Strict cookie."""
    form = await request.form()
    name, password = _text(form, "name").strip(), _text(form, "password")
    wait = await _over_limit(request, "moderator_login", LOGIN_LIMIT, LOGIN_WINDOW)
    if wait:
        response = _login_page(
            request, name, f"Too many tries to sign in. Wait {_wait_words(wait)} and try "
                           "again.", 429)
        response.headers["Retry-After"] = str(wait)
        return response
    store = web(request).store
    if not await store.run(lambda s: verify_moderator(s, name, password)):
        return _login_page(request, name, WRONG_LOGIN, 422)
    token = await store.run(lambda s: start_session(s, name))
    response = _see_other(MODERATE_PATH)
    response.set_cookie(MODERATOR_COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()),
                        path=MODERATE_PATH, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


@pages.post(f"{MODERATE_PATH}/logout")
async def logout(request: Request) -> Response:
    """Sign out: the session ends in the database and the cookie is cleared."""
    token = request.cookies.get(MODERATOR_COOKIE)
    if token:
        await web(request).store.run(lambda store: end_session(store, token))
    response = _see_other(f"{MODERATE_PATH}/login?out=1")
    response.delete_cookie(MODERATOR_COOKIE, path=MODERATE_PATH, httponly=True,
                           samesite="strict", secure=request.url.scheme == "https")
    return response


@pages.post(f"{MODERATE_PATH}/comments/{{comment_id}}/{{action}}",
            dependencies=[Depends(count_write)])
async def moderate_one(comment_id: str, action: str, request: Request) -> Response:
    """Approve, reject or delete one comment (the moderation page's buttons)."""
    if action not in ACTIONS:
        raise HTTPException(404, "There is no such action. Approve, reject or delete.")
    if await signed_in(request) is None:
        return _see_other(f"{MODERATE_PATH}/login")
    store = web(request).store
    if action == "delete":
        found = await store.run(lambda s: delete_comment(s, comment_id))
    else:
        status: Status = "approved" if action == "approve" else "rejected"
        found = await store.run(lambda s: set_status(s, comment_id, status)) is not None
    if not found:
        raise HTTPException(404, "There is no such comment (it may be deleted already).")
    return _see_other(f"{MODERATE_PATH}?done={ACTIONS[action]}")


# The API is in the OpenAPI document; the pages are not.
router = APIRouter()
router.include_router(api)
router.include_router(pages, include_in_schema=False)
