"""Safe pages: headers on every response, CSRF on every form, only same-origin JSON for the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from upperback.web.security import SECURITY_HEADERS

from .flows import csrf_token

RESPONSES = [
    ("GET", "/"),
    ("GET", "/check/next"),
    ("GET", "/diary"),
    ("GET", "/no/such/page"),
    ("GET", "/static/app.css"),
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/nothing"),
    ("POST", "/diary/entries"),
    ("DELETE", "/api/v1/assess"),
]
FORMS = ["/check/answer", "/check/back", "/check/restart", "/check/finish", "/diary/entries",
         "/timer/log", "/data/delete"]


@pytest.mark.parametrize(("method", "path"), RESPONSES)
def test_every_response_carries_the_security_headers(
    client: TestClient, method: str, path: str
) -> None:
    response = client.request(method, path, follow_redirects=False)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name


def test_the_content_security_policy_allows_nothing_inline_or_foreign(client: TestClient
                                                                      ) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for directive in ["default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "object-src 'none'", "frame-ancestors 'none'", "form-action 'self'"]:
        assert directive in policy


def test_pages_are_never_cached(client: TestClient) -> None:
    assert client.get("/diary").headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", FORMS)
def test_a_form_post_without_a_csrf_token_is_refused(client: TestClient, path: str) -> None:
    client.get("/")  # has the CSRF cookie, but sends no token
    response = client.post(path, data={"pain": "5", "confirm": "yes"})
    assert response.status_code == 403
    assert "expired" in response.text


def test_a_token_from_another_browser_is_refused(client: TestClient, app: object) -> None:
    token = csrf_token(client.get("/diary").text)
    with TestClient(app) as other:  # type: ignore[arg-type]
        other.get("/")
        refused = other.post("/diary/entries", data={"csrf_token": token, "pain": "5"})
    assert refused.status_code == 403


def test_a_form_post_with_its_token_is_accepted(client: TestClient) -> None:
    token = csrf_token(client.get("/diary").text)
    response = client.post("/diary/entries", data={"csrf_token": token, "pain": "5"})
    assert response.status_code == 200
    assert "/diary?added=1" in str(response.url)


def test_the_csrf_cookie_is_http_only_and_same_site(client: TestClient) -> None:
    cookie = client.get("/").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_the_api_accepts_only_json_bodies(client: TestClient) -> None:
    response = client.post("/api/v1/diary/entries", data={"pain": "5"})
    assert response.status_code == 415
    assert response.json()["error"]["allowed"] == "application/json"


def test_the_api_refuses_writes_from_another_origin(client: TestClient) -> None:
    response = client.post("/api/v1/diary/entries", json={"pain": 5},
                           headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "cross_origin"
    assert client.get("/api/v1/diary/entries").json() == []


def test_the_api_accepts_writes_from_its_own_origin(client: TestClient) -> None:
    response = client.post("/api/v1/diary/entries", json={"pain": 5},
                           headers={"Origin": "http://testserver"})
    assert response.status_code == 201


def test_a_body_over_the_limit_is_a_413_in_the_error_shape(client: TestClient) -> None:
    huge = {"answers": {"note": "x" * 70_000}}
    response = client.post("/api/v1/assess", json=huge)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_an_unknown_host_name_is_refused(client: TestClient) -> None:
    response = client.get("/", headers={"Host": "rebound.example"})
    assert response.status_code == 400


def test_the_interactive_docs_that_need_a_cdn_are_not_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
