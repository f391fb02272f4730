"""Safe pages: security headers on every response, CSRF tokens on every form, request limits.

- Every response carries a strict Content-Security-Policy (no inline script or style) and the
  usual hardening headers; pages are never cached (they can show health data). One page
  has a documented exception (`PAGE_HEADERS`): the posture check may compile WebAssembly
  and use the camera.
- HTML forms carry a CSRF token: a random value in a cookie and its HMAC in a hidden field. A
  POST whose field does not match its cookie is refused. The JSON API needs no token because it
  only accepts `application/json`, which a cross-site form cannot send, and refuses requests
  whose Origin is another site.
- Bodies are capped, so a huge upload cannot tie up the server, and an API body must be a
  JSON object in UTF-8: anything else (empty, cut short, `[]`, not UTF-8) is one error,
  `invalid_json`, before any route reads it.
- Only this computer's host names are answered (against DNS rebinding); under /api the
  refusal has the error shape too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import URL, Headers, MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import API_PREFIX, INVALID_JSON, JSON_ALLOWED, error_body

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Per-page exceptions, each the narrowest that page needs (docs/web.md, "Posture check"): the
# whole set of headers for that path. The posture check (/posture) runs its pose model in
# WebAssembly, which a CSP lets a page compile only with 'wasm-unsafe-eval' (never
# 'unsafe-eval': no JavaScript from strings), and it uses the camera, which every other page
# refuses. Its runtime needs no worker and no blob: URL, so nothing else is added.
PAGE_HEADERS: dict[str, dict[str, str]] = {
    "/posture": SECURITY_HEADERS | {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY.replace(
            "script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';"),
        "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
    },
}
STATIC_CACHE = "public, max-age=31536000, immutable"  # static URLs carry a content hash
PAGE_CACHE = "no-store"

CSRF_COOKIE = "upperback_csrf"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """Signs data with HMAC-SHA256 so the server can trust it when it comes back."""

    def __init__(self, key: bytes, purpose: str) -> None:
        self._key = hashlib.sha256(purpose.encode("utf-8") + b"\0" + key).digest()

    def mac(self, text: str) -> str:
        """The signature of some text."""
        return _b64(hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).digest())

    def sign(self, data: bytes) -> str:
        """`data` as a URL-safe token with its signature."""
        payload = _b64(data)
        return f"{payload}.{self.mac(payload)}"

    def unsign(self, token: str) -> bytes | None:
        """The data in a token, or None if the token was changed or is not ours."""
        payload, _, signature = token.partition(".")
        if not signature or not hmac.compare_digest(signature, self.mac(payload)):
            return None
        try:
            return _unb64(payload)
        except ValueError:
            return None


class Csrf:
    """Issues and checks the CSRF token of HTML forms (double submit, bound by an HMAC)."""

    def __init__(self, key: bytes) -> None:
        self._signer = Signer(key, "csrf")

    @staticmethod
    def _cookie(request: Request) -> str | None:
        value = request.cookies.get(CSRF_COOKIE)
        return value if value and 20 <= len(value) <= 100 else None

    def token_for(self, request: Request) -> tuple[str, str | None]:
        """The form token for this request, and a new cookie value to set (None if it has one)."""
        cookie = self._cookie(request)
        new_cookie = None
        if cookie is None:
            cookie = new_cookie = secrets.token_urlsafe(32)
        return self._signer.mac(cookie), new_cookie

    def valid(self, request: Request, token: object) -> bool:
        """True when the form's token matches the cookie this browser holds."""
        cookie = self._cookie(request)
        if cookie is None or not isinstance(token, str):
            return False
        return hmac.compare_digest(token, self._signer.mac(cookie))


def set_csrf_cookie(headers: MutableHeaders, value: str) -> None:
    """Add the CSRF cookie to a response's headers."""
    headers.append(
        "set-cookie", f"{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict"
    )


HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """ASGI middleware: adds the security and caching headers to every HTTP response.

    A request that came over HTTPS (directly, or from a trusted proxy that says so) gets HSTS
    in public mode, and every cookie set in answer to it is marked Secure, so a diary key or a
    moderator's session never travels over plain HTTP.
    """

    def __init__(self, app: ASGIApp, public: bool = False) -> None:
        self.app = app
        self.public = public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        static = path.startswith("/static/")
        secure = scope.get("scheme") == "https"
        page_headers = PAGE_HEADERS.get(path, SECURITY_HEADERS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in page_headers.items():
                    headers[name] = value
                if static and message.get("status") == 200:
                    headers["Cache-Control"] = STATIC_CACHE
                elif "cache-control" not in headers:
                    headers["Cache-Control"] = PAGE_CACHE
                if secure:
                    _secure_cookies(message)
                    if self.public:
                        headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure_cookies(message: Message) -> None:
    """Mark every cookie of a response start message Secure."""
    raw = message.setdefault("headers", [])
    for index, (name, value) in enumerate(raw):
        if name.lower() == b"set-cookie" and b"; secure" not in value.lower():
            raw[index] = (name, value + b"; Secure")  # in place: MutableHeaders holds the list


class RequestGuard:
    """ASGI middleware: caps body size; the API takes only same-origin JSON objects, and a
    method the path does not take is left to the router's 405 before any body is looked at.

    Refusals under /api use the API's error shape; other paths get a short plain page.
    """

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, routed: Callable[[Scope], bool] | None = None,
        larger: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # Paths that take a bigger body (the diary's import: a whole export), by exact path.
        self.larger = dict(larger or {})
        # Whether some route takes this method at this path: a method the path does not take
        # gets the router's 405, whatever its body (None: every request is taken).
        self.routed = routed or (lambda scope: True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        method = scope["method"]
        api = str(scope.get("path", "")).startswith(API_PREFIX)
        if api and method in UNSAFE_METHODS and not _same_origin(headers, scope):
            await _refuse(send, api, 403, "cross_origin",
                          "Requests from other sites are not accepted.", "Origin",
                          "this site's own origin")
            return
        json_body = api and method in BODY_METHODS and self.routed(scope)
        if json_body:
            kind = headers.get("content-type", "").split(";")[0].strip().lower()
            if kind != "application/json":
                await _refuse(send, api, 415, "unsupported_media_type",
                              "The API accepts only JSON bodies.", "Content-Type",
                              "application/json")
                return
        cap = self.larger.get(str(scope.get("path", "")), self.max_body_bytes)
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await self._too_large(send, api, cap)
            return
        if method not in BODY_METHODS or (declared is not None and not json_body):
            await self.app(scope, receive, send)
            return
        # An API body, or one of no declared length (chunked): read it here, within the cap,
        # check an API body is a JSON object, then hand it on.
        received = bytearray()  # grows in place: a big body is not copied chunk by chunk
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            received += message.get("body", b"")
            if len(received) > cap:
                await self._too_large(send, api, cap)
                return
            if not message.get("more_body", False):
                break
        body = bytes(received)
        problem = json_object_problem(body) if json_body else None
        if problem is not None:
            await _refuse(send, api, 400, INVALID_JSON, problem, "body", JSON_ALLOWED)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send, api: bool, cap: int) -> None:
        await _refuse(send, api, 413, "too_large", "The request body is too large.", "body",
                      f"at most {cap} bytes")


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def json_object_problem(body: bytes) -> str | None:
    """Why a request body is not a JSON object in UTF-8, or None when it is.

    The route parses the body again (bodies are capped, so this costs little); checking here
    gives every broken body the same answer, where the framework has a different one for
    JSON that does not parse, is not UTF-8, or parses to something other than an object.
    """
    if not body.strip():
        return "The request body is empty; send a JSON object."
    try:
        text = body.decode("utf-8")  # strict: RFC 8259 JSON between systems is UTF-8
    except UnicodeDecodeError:
        return "The request body is not UTF-8 text."
    try:
        # NaN and Infinity are Python's extension, not JSON.
        data = json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError, so are huge ints
        return "The request body is not valid JSON."
    if not isinstance(data, dict):
        return "The request body is JSON but not an object."
    return None


# A Host header (RFC 3986): a name or IPv4 address, or an IPv6 address in brackets; then an
# optional port.
HOST_HEADER = re.compile(
    r"(?P<host>[A-Za-z0-9._~%!$&'()*+,;=-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?"
)


class TrustedHosts(TrustedHostMiddleware):
    """Starlette's TrustedHostMiddleware (the same patterns and www redirect), whose refusal
    under /api is the API's error shape (400, invalid_host) rather than bare text."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allow_any or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        parsed = HOST_HEADER.fullmatch(Headers(scope=scope).get("host", ""))
        host = parsed["host"].lower() if parsed else ""
        www_redirect = False
        for pattern in self.allowed_hosts if host else []:
            if host == pattern or (pattern.startswith("*") and host.endswith(pattern[1:])):
                await self.app(scope, receive, send)
                return
            www_redirect = www_redirect or "www." + host == pattern
        if www_redirect and self.www_redirect and scope["type"] == "http":
            url = URL(scope=scope)
            await RedirectResponse(url.replace(netloc="www." + url.netloc))(scope, receive, send)
            return
        if scope["type"] != "http":  # a websocket: close it (the app has none)
            await send({"type": "websocket.close", "code": 1008})
            return
        api = str(scope.get("path", "")).startswith(API_PREFIX)
        await _refuse(send, api, 400, "invalid_host", "Invalid host header.", "Host",
                      "a host name this server answers to")


def _same_origin(headers: Headers, scope: Scope) -> bool:
    origin = headers.get("origin")
    if origin is None:  # not sent by a browser: nothing to check
        return True
    host = headers.get("host", "")
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc == host


async def _refuse(
    send: Send, api: bool, status: int, code: str, message: str, field: str, allowed: str
) -> None:
    if api:
        body = json.dumps(error_body(code, message, field, allowed)).encode("utf-8")
        kind = b"application/json"
    else:
        body = message.encode("utf-8")
        kind = b"text/plain; charset=utf-8"
    start: dict[str, Any] = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body})
