"""The body cap without a declared length (chunked uploads), plain-text refusals, the signer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from upperback.web.security import RequestGuard, Signer

LIMIT = 64 * 1024  # WebSettings' default max_body_bytes, which the test app keeps


def chunks(*parts: bytes) -> Iterator[bytes]:
    """A body as a generator: the client sends it chunked, with no Content-Length."""
    yield from parts


def test_a_chunked_body_over_the_limit_is_refused_with_413(client: TestClient) -> None:
    body = b'{"pain": 5, "note": "' + b"x" * LIMIT + b'"}'
    response = client.post("/api/v1/diary/entries", content=chunks(body),
                           headers={"Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert client.get("/api/v1/diary/entries").json() == []


def test_a_chunked_body_under_the_limit_reaches_the_api(client: TestClient) -> None:
    response = client.post("/api/v1/diary/entries", content=chunks(b'{"pain": 5}'),
                           headers={"Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert response.status_code == 201
    assert [e["pain"] for e in client.get("/api/v1/diary/entries").json()] == [5]


def test_a_page_refuses_a_body_over_the_limit_in_plain_text(client: TestClient) -> None:
    form = b"pain=5&note=" + b"x" * (LIMIT + 1)
    response = client.post("/diary/entries", content=chunks(form),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "The request body is too large."


def test_a_declared_length_that_is_not_a_number_is_refused(client: TestClient) -> None:
    response = client.post("/diary/entries", content=b"pain=5",
                           headers={"Content-Length": "five"})
    assert response.status_code == 413


# -- the guard on its own, fed ASGI messages one by one ------------------------------------


class Downstream:
    """An app behind the guard that records the body it was handed and the next message."""

    def __init__(self) -> None:
        self.body: bytes | None = None
        self.after: Message | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        first = await receive()
        self.body = first.get("body", b"")
        assert first.get("more_body", False) is False
        self.after = await receive()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def guard_run(messages: list[Message], limit: int = 10) -> tuple[Downstream, list[Message]]:
    """Run a POST through RequestGuard with these incoming messages (and no Content-Length)."""
    app = Downstream()
    guard = RequestGuard(app, max_body_bytes=limit)
    incoming = iter(messages)
    sent: list[Message] = []

    async def receive() -> Message:  # once the messages run out, the client has gone
        return next(incoming, {"type": "http.disconnect"})

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "POST", "path": "/diary/entries", "headers": []}
    asyncio.run(guard(scope, receive, send))
    return app, sent


def test_a_body_in_several_chunks_is_handed_on_whole() -> None:
    app, sent = guard_run([
        {"type": "http.request", "body": b"pain", "more_body": True},
        {"type": "http.request", "body": b"=5", "more_body": True},
        {"type": "http.request", "body": b"", "more_body": False},
    ])
    assert app.body == b"pain=5"
    assert app.after == {"type": "http.disconnect"}  # later reads go to the real connection
    assert sent[0]["status"] == 204


def test_chunks_that_add_up_to_more_than_the_limit_are_refused_before_the_app_runs() -> None:
    app, sent = guard_run([
        {"type": "http.request", "body": b"123456", "more_body": True},
        {"type": "http.request", "body": b"789012", "more_body": True},
    ])
    assert app.body is None
    assert sent[0]["status"] == 413
    assert sent[1]["body"] == b"The request body is too large."


def test_a_client_that_disconnects_mid_body_hands_on_what_came() -> None:
    app, _ = guard_run([{"type": "http.request", "body": b"pain=", "more_body": True}])
    assert app.body == b"pain="


def test_a_token_signed_by_us_whose_data_is_not_base64_is_refused() -> None:
    signer = Signer(b"key", "test")
    broken = "a"  # one base64 character cannot encode any byte
    assert signer.unsign(f"{broken}.{signer.mac(broken)}") is None
    good = signer.sign(b"x").partition(".")[0]
    assert signer.unsign(f"{good}.{signer.mac(good)}") == b"x"
