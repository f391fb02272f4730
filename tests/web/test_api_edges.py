"""The edges of the API: every error in the one shape with the security headers (a crash, a
host name not ours, a body that is not a JSON object, a wrong method), the schema and the
validation agreeing on numbers and answers, and a check's state cookie nobody can read."""

from __future__ import annotations

import asyncio
import base64
import logging
import time
import zlib
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from upperback import KnowledgeBase
from upperback.web import WebSettings, create_app
from upperback.web.api_models import AnswersIn
from upperback.web.errors import (
    FASTAPI_BODY_ERROR,
    INTERNAL_MESSAGE,
    ServerErrors,
    http_error,
    validation_error,
)
from upperback.web.interview_state import STATE_MAX_AGE, Sealer, StateCookie
from upperback.web.security import SECURITY_HEADERS, TrustedHosts, json_object_problem

from .flows import csrf_token, current_question, form_fields, self_care_answers

ERROR_KEYS = {"code", "message", "field", "allowed"}
KEY = b"test-secret"  # the key of the `settings` fixture
STATE_COOKIE = "upperback_check"
# What a crash must never show: where the code lives, or what the exception said.
SECRET = "/home/someone/.local/share/upperback/diary.db is locked"


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    return dict(body["error"])


def assert_security_headers(response: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name


def run_asgi(app: Any, scope: Scope) -> list[Message]:
    """Run an ASGI app on one request with no body; what it sent."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def http_scope(path: str, host: bytes = b"testserver") -> Scope:
    return {"type": "http", "method": "GET", "path": path, "headers": [(b"host", host)],
            "query_string": b"", "root_path": ""}


# -- 1. an exception nobody handled -----------------------------------------------------------


@pytest.fixture
def crashing(app: FastAPI) -> TestClient:
    """A client of an app with routes that raise (added to this test's app only)."""
    boom = APIRouter()

    @boom.get("/api/v1/test/boom")
    async def api_boom() -> None:
        raise RuntimeError(SECRET)

    @boom.get("/test/boom")
    async def page_boom() -> None:
        raise RuntimeError(SECRET)

    @boom.get("/api/v1/test/boom-in-a-thread")
    def thread_boom() -> None:
        raise KeyError(SECRET)

    app.include_router(boom)
    return TestClient(app)


@pytest.mark.parametrize("path", ["/api/v1/test/boom", "/api/v1/test/boom-in-a-thread"])
def test_an_unhandled_exception_in_the_api_is_a_500_in_the_error_shape_with_the_headers(
    crashing: TestClient, path: str
) -> None:
    response = crashing.get(path)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/json")
    error = error_of(response)
    assert error == {"code": "internal", "message": INTERNAL_MESSAGE, "field": None,
                     "allowed": None}
    assert_security_headers(response)
    assert response.headers["cache-control"] == "no-store"


def test_an_unhandled_exception_on_a_page_is_a_plain_500_page_with_the_headers(
    crashing: TestClient,
) -> None:
    response = crashing.get("/test/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "Something went wrong" in response.text
    assert INTERNAL_MESSAGE in response.text
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/api/v1/test/boom", "/test/boom"])
def test_a_500_leaks_no_traceback_path_or_exception_message(crashing: TestClient, path: str
                                                            ) -> None:
    text = crashing.get(path).text
    for leak in (SECRET, "Traceback", "RuntimeError", ".py", "/home/"):
        assert leak not in text


def test_the_server_log_names_the_exception_and_where_but_not_its_message(
    crashing: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="upperback.web"):
        crashing.get("/api/v1/test/boom")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged and "api_boom" in logged
    assert SECRET not in logged


def test_a_500_on_a_page_whose_template_also_fails_is_the_page_of_last_resort() -> None:
    async def crash(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError(SECRET)

    def broken_page(request: Request, status: int, message: str) -> Response:
        raise RuntimeError("the templates are gone")

    sent = run_asgi(ServerErrors(crash, page=broken_page), http_scope("/diary"))
    assert sent[0]["status"] == 500
    body = sent[1]["body"].decode()
    assert body.startswith("<!doctype html>") and INTERNAL_MESSAGE in body
    assert SECRET not in body


def test_an_exception_after_the_answer_has_started_is_left_to_the_server() -> None:
    async def half_sent(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError(SECRET)

    with pytest.raises(RuntimeError):
        run_asgi(ServerErrors(half_sent), http_scope("/api/v1/health"))


# -- 2. a host name that is not ours ----------------------------------------------------------


def test_an_unknown_host_under_the_api_is_a_400_invalid_host_in_the_error_shape(
    client: TestClient,
) -> None:
    response = client.get("/api/v1/health", headers={"Host": "rebound.example"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_host"
    assert error["field"] == "Host"
    assert_security_headers(response)


@pytest.mark.parametrize("host", ["rebound.example", "testserver:notaport", "[zz::1]", ""])
def test_an_unknown_or_malformed_host_on_a_page_is_a_plain_400_with_the_headers(
    client: TestClient, host: str
) -> None:
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert_security_headers(response)


def test_a_known_host_with_a_port_is_served(client: TestClient) -> None:
    assert client.get("/api/v1/health", headers={"Host": "testserver:8000"}).status_code == 200


def test_hosts_keep_starlettes_wildcards_and_www_redirect(tmp_path: Any) -> None:
    settings = WebSettings(db_url=f"sqlite:///{tmp_path / 'd.db'}", secret_key="k",
                           allowed_hosts=("*.example.org", "www.example.com", "[::1]"))
    with TestClient(create_app(settings), base_url="http://example.com") as www:
        moved = www.get("/api/v1/health", follow_redirects=False)
        assert moved.status_code == 307
        assert moved.headers["location"] == "http://www.example.com/api/v1/health"
        assert www.get("/api/v1/health", headers={"Host": "a.example.org"}).status_code == 200
        assert www.get("/api/v1/health", headers={"Host": "[::1]:8000"}).status_code == 200
        assert www.get("/api/v1/health", headers={"Host": "example.org.evil"}).status_code == 400


def test_hosts_close_a_websocket_from_an_unknown_host_and_let_any_host_through_for_star(
) -> None:
    async def ok(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})

    scope = http_scope("/", host=b"rebound.example") | {"type": "websocket"}
    assert run_asgi(TrustedHosts(ok, allowed_hosts=["localhost"]), scope) == [
        {"type": "websocket.close", "code": 1008}
    ]
    anyone = TrustedHosts(ok, allowed_hosts=["*"])
    assert run_asgi(anyone, http_scope("/", host=b"rebound.example"))[0]["status"] == 204


# -- 3. a body that is not a JSON object ------------------------------------------------------

BODY_ROUTES = ["/api/v1/assess", "/api/v1/interview", "/api/v1/checks",
               "/api/v1/diary/entries", "/api/v1/timers"]
BROKEN_BODIES = {
    "cut short": b"{",
    "an array": b"[]",
    "a string": b'"x"',
    "a number": b"1",
    "null": b"null",
    "a missing value": b'{"answers": }',
    "empty": b"",
    "only spaces": b"  \n",
    "UTF-16": '{"answers": {}}'.encode("utf-16"),
    "Latin-1": '{"answers": {"sex": "f\xe9male"}}'.encode("latin-1"),
    "a UTF-8 byte order mark": b'\xef\xbb\xbf{"answers": {}}',
    "NaN": b'{"pain": NaN}',
    "Infinity": b'{"answers": {"age": Infinity}}',
    "nested too deep": b"[" * 50_000,
    "a number of 5000 digits": b'{"pain": ' + b"9" * 5000 + b"}",
}


@pytest.mark.parametrize("path", BODY_ROUTES)
@pytest.mark.parametrize("body", BROKEN_BODIES.values(), ids=BROKEN_BODIES.keys())
def test_every_body_that_is_not_a_json_object_is_one_400_invalid_json(
    client: TestClient, path: str, body: bytes
) -> None:
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_json"
    assert error["field"] == "body"
    assert "JSON object" in error["allowed"]
    assert_security_headers(response)


def test_a_broken_body_sent_in_chunks_is_the_same_400_invalid_json(client: TestClient) -> None:
    def chunks() -> Any:
        yield b'{"answers": '
        yield b"]"

    response = client.post("/api/v1/assess", content=chunks(),
                           headers={"Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


def test_a_json_object_with_a_charset_passes_the_body_check(client: TestClient) -> None:
    response = client.post("/api/v1/assess", content=b'{"answers": {"age": 40}}',
                           headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.status_code == 200
    assert json_object_problem(b'{"answers": {}}') is None


def test_the_framework_own_body_errors_map_to_invalid_json_too() -> None:
    # Were a body to reach FastAPI without the guard, it still gets the same code.
    whole = RequestValidationError([{"type": "model_attributes_type", "loc": ("body",),
                                     "msg": "Input should be an object", "input": []}])
    missing = RequestValidationError([{"type": "missing", "loc": ("body",),
                                       "msg": "Field required", "input": None}])
    broken = RequestValidationError([{"type": "json_invalid", "loc": ("body", 1),
                                      "msg": "JSON decode error", "input": {}}])
    undecodable = StarletteHTTPException(400, FASTAPI_BODY_ERROR)
    for problem in (validation_error(whole), validation_error(missing),
                    validation_error(broken), http_error(undecodable)):
        assert (problem.status, problem.code, problem.field) == (400, "invalid_json", "body")


# -- 4. a wrong method ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/assess", "POST"),
        ("PUT", "/api/v1/diary/entries", "GET, POST"),
        ("PATCH", "/api/v1/checks", "GET, POST"),
        ("POST", "/api/v1/health", "GET"),
        ("GET", "/api/v1/data", "DELETE"),
        ("GET", "/check/answer", "POST"),
        ("POST", "/static/app.css", "GET, HEAD"),
    ],
)
def test_a_405_says_in_allow_every_method_the_path_accepts(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path, headers={"Content-Type": "application/json"},
                              content=b"{}" if method in ("POST", "PUT", "PATCH") else None)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert_security_headers(response)
    if path.startswith("/api/"):
        assert error_of(response)["code"] == "method_not_allowed"


# -- 5. numbers and answers: the schema and the validation agree --------------------------------


def test_a_diary_pain_score_written_as_a_whole_float_is_saved_as_an_integer(
    client: TestClient,
) -> None:
    response = client.post("/api/v1/diary/entries", json={"pain": 6.0})
    assert response.status_code == 201
    assert response.json()["pain"] == 6
    assert client.get("/api/v1/diary/entries").json()[0]["pain"] == 6


@pytest.mark.parametrize("pain", [6.5, True, False, "6", None, 1e300, 11.0])
def test_a_diary_pain_score_with_a_fraction_a_boolean_or_out_of_range_is_refused(
    client: TestClient, pain: object
) -> None:
    response = client.post("/api/v1/diary/entries", json={"pain": pain})
    assert response.status_code == 422
    assert error_of(response)["field"] == "pain"
    assert client.get("/api/v1/diary/entries").json() == []


def test_a_timer_with_whole_float_minutes_and_seconds_is_logged_as_integers(
    client: TestClient,
) -> None:
    body = {"kind": "ice", "planned_minutes": 10.0, "seconds": 600.0, "completed": True}
    response = client.post("/api/v1/timers", json=body)
    assert response.status_code == 201
    saved = response.json()
    assert (saved["planned_minutes"], saved["seconds"]) == (10, 600)
    assert isinstance(saved["seconds"], int)


@pytest.mark.parametrize(
    ("field", "value"),
    [("planned_minutes", 10.5), ("planned_minutes", True), ("seconds", 60.5),
     ("seconds", False), ("completed", 1)],
)
def test_a_timer_with_a_fraction_or_a_boolean_for_a_number_is_refused(
    client: TestClient, field: str, value: object
) -> None:
    body = {"kind": "ice", "planned_minutes": 10, "seconds": 60, "completed": True}
    response = client.post("/api/v1/timers", json=body | {field: value})
    assert response.status_code == 422
    assert error_of(response)["field"] == field


def test_an_answer_written_as_a_whole_float_counts_as_the_whole_number(
    client: TestClient,
) -> None:
    as_float = client.post("/api/v1/assess", json={"answers": {"age": 40.0}})
    as_int = client.post("/api/v1/assess", json={"answers": {"age": 40}})
    assert as_float.status_code == 200
    assert as_float.json() == as_int.json()


@pytest.mark.parametrize(
    ("answers", "field", "code"),
    [
        ({"fever": 1}, "answers.fever", "invalid_answer"),  # 1 stays an int, not true
        ({"fever": 0}, "answers.fever", "invalid_answer"),
        ({"fever": "true"}, "answers.fever", "invalid_answer"),
        ({"age": True}, "answers.age", "invalid_answer"),  # true stays a bool, not 1
        ({"age": "40"}, "answers.age", "invalid_answer"),
        ({"age": 40.5}, "answers.age", "invalid"),
        ({"age": [40]}, "answers.age", "invalid"),
        ({"age": {"years": 40}}, "answers.age", "invalid"),
        ({"agee": 40}, "answers.agee", "unknown_finding"),
    ],
)
def test_an_answer_of_the_wrong_kind_names_answers_dot_its_finding(
    client: TestClient, answers: dict[str, Any], field: str, code: str
) -> None:
    response = client.post("/api/v1/assess", json={"answers": answers})
    assert response.status_code == 422
    error = error_of(response)
    assert (error["field"], error["code"]) == (field, code)
    assert error["message"] and error["allowed"]


def test_answers_of_every_allowed_kind_are_accepted_as_sent(client: TestClient) -> None:
    answers = {"age": 40, "fever": True, "sex": "female", "hunched_posture": None}
    response = client.post("/api/v1/checks", json={"answers": answers})
    assert response.status_code == 201
    assert response.json()["answers"] == answers


def test_the_openapi_document_says_what_answers_and_numbers_accept(client: TestClient) -> None:
    # The model: any key, each value a boolean, integer, string or null...
    model = AnswersIn.model_json_schema()["properties"]["answers"]
    assert model["additionalProperties"] == {"anyOf": [
        {"type": "boolean"}, {"type": "integer"}, {"type": "string"}, {"type": "null"}
    ]}
    # ...and the document, which knows the findings, says which of these each one takes.
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    answers = schemas["AnswersIn"]["properties"]["answers"]
    assert answers["type"] == "object"
    for value in answers["properties"].values():
        kinds = [choice["type"] for choice in value["anyOf"]]
        assert kinds[-1] == "null" and kinds[0] in ("boolean", "integer", "string")
    assert schemas["DiaryEntryIn"]["properties"]["pain"]["type"] == "integer"
    for name in ("planned_minutes", "seconds"):
        assert schemas["TimerIn"]["properties"][name]["type"] == "integer"
    assert schemas["TimerIn"]["properties"]["completed"]["type"] == "boolean"


# -- 6. the half-finished check's cookie --------------------------------------------------------


def clock_at(moment: float) -> Any:
    return lambda: moment


def test_the_state_cookie_cannot_be_read_without_the_key(kb: KnowledgeBase) -> None:
    answers = {"age": 40, "sex": "female", "fever": False}
    value = StateCookie(KEY).dump(answers)
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    for readable in (b"age", b"female", b"fever"):
        assert readable not in raw
    for start in range(len(raw)):  # no compressed answers to inflate anywhere inside
        try:
            inflated = zlib.decompressobj().decompress(raw[start:])
        except zlib.error:
            continue
        assert b"age" not in inflated
    assert StateCookie(b"another key").load(kb, value) == {}
    assert StateCookie(KEY).load(kb, value) == answers


def test_the_same_answers_seal_differently_each_time(kb: KnowledgeBase) -> None:
    cookie = StateCookie(KEY)
    first, second = cookie.dump({"age": 40}), cookie.dump({"age": 40})
    assert first != second
    assert cookie.load(kb, first) == cookie.load(kb, second) == {"age": 40}


def test_a_tampered_state_cookie_starts_afresh(kb: KnowledgeBase) -> None:
    cookie = StateCookie(KEY)
    value = cookie.dump({"age": 40})
    raw = bytearray(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    for position in (0, 1, 20, len(raw) // 2, len(raw) - 1):
        changed = raw.copy()
        changed[position] ^= 0x01
        text = base64.urlsafe_b64encode(bytes(changed)).rstrip(b"=").decode()
        assert cookie.load(kb, text) == {}
    for broken in ("", "a", "not base64 at all!", value[:-10], value + "AA", "é" * 10,
                   "A" * 100_000):
        assert cookie.load(kb, broken) == {}


def test_a_state_cookie_older_than_six_hours_starts_afresh(kb: KnowledgeBase) -> None:
    made = 1_800_000_000.0
    value = StateCookie(KEY, clock=clock_at(made)).dump({"age": 40})
    assert STATE_MAX_AGE == 6 * 3600
    just_in_time = StateCookie(KEY, clock=clock_at(made + STATE_MAX_AGE))
    too_late = StateCookie(KEY, clock=clock_at(made + STATE_MAX_AGE + 1))
    a_week_later = StateCookie(KEY, clock=clock_at(made + 7 * 24 * 3600))
    assert just_in_time.load(kb, value) == {"age": 40}
    assert too_late.load(kb, value) == {}
    assert a_week_later.load(kb, value) == {}


def test_a_state_cookie_made_in_the_future_starts_afresh(kb: KnowledgeBase) -> None:
    made = 1_800_000_000.0
    value = StateCookie(KEY, clock=clock_at(made)).dump({"age": 40})
    assert StateCookie(KEY, clock=clock_at(made - 30)).load(kb, value) == {"age": 40}
    assert StateCookie(KEY, clock=clock_at(made - 3600)).load(kb, value) == {}


def test_a_sealed_value_that_is_not_a_state_cookie_starts_afresh(kb: KnowledgeBase) -> None:
    sealer = Sealer(KEY, "check-state")
    now = int(time.time()).to_bytes(8, "big")
    assert StateCookie(KEY).load(kb, sealer.seal(b"short")) == {}
    assert StateCookie(KEY).load(kb, sealer.seal(now + b"not zlib")) == {}
    assert StateCookie(KEY).load(kb, sealer.seal(now + zlib.compress(b"[40]"))) == {}
    assert StateCookie(KEY).load(kb, sealer.seal(now + zlib.compress(b'{"age": 40}'))) == {
        "age": 40
    }
    # The CSRF signer's key is not the state cookie's: a value from another purpose is refused.
    assert StateCookie(KEY).load(kb, Sealer(KEY, "csrf").seal(now + b"x")) == {}


def test_the_web_check_keeps_its_answers_in_a_cookie_nobody_can_read(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = client.get("/check/next")
    question = current_question(kb, str(page.url))
    assert question is not None
    answers = self_care_answers(kb, question)
    fields = form_fields(kb, question, answers) | {"csrf_token": csrf_token(page.text)}
    assert client.post("/check/answer", data=fields).status_code == 200
    value = client.cookies[STATE_COOKIE]
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    for finding_id in answers:
        assert finding_id.encode() not in raw
    assert StateCookie(KEY).load(kb, value) == answers


@pytest.mark.parametrize("how", ["old", "tampered"])
def test_an_old_or_tampered_cookie_starts_the_web_check_again_without_an_error(
    client: TestClient, kb: KnowledgeBase, how: str
) -> None:
    first = kb.questions[0]
    answers = self_care_answers(kb, first)
    fresh = StateCookie(KEY).dump(answers)
    client.cookies.set(STATE_COOKIE, fresh, path="/check")
    assert current_question(kb, str(client.get("/check/next").url)) != first  # it counts
    if how == "old":
        value = StateCookie(KEY, clock=clock_at(time.time() - STATE_MAX_AGE - 60)).dump(answers)
    else:
        value = fresh[:-2] + ("AA" if not fresh.endswith("AA") else "BA")
    client.cookies.set(STATE_COOKIE, value, path="/check")
    page = client.get("/check/next")
    assert page.status_code == 200
    assert current_question(kb, str(page.url)) == first


# -- what the schemathesis run found (test_schemathesis.py) ------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/data", "/api/v1/checks/1"])
def test_a_method_the_path_does_not_take_is_a_405_before_any_body_check(
    client: TestClient, path: str
) -> None:
    response = client.put(path)  # no body, no JSON content type: still the method's fault
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response.headers["allow"]


def test_a_check_id_past_the_stores_64_bits_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.get(f"/api/v1/checks/{2**63}")
    assert response.status_code == 422
    assert error_of(response)["field"] == "check_id"
    assert client.get(f"/api/v1/checks/{2**63 - 1}").status_code == 404


@pytest.mark.parametrize(
    ("value", "reason"),
    [(0, "as text"), (1700000000.0, "as text"), ("1700000000", "not a date and time"),
     ("2000-01-01", "time zone"), ("2000-01-01T00:00:00", "time zone"),
     ("1850-01-01T00:00:00Z", "1900"), ("2999-01-01T00:00:00Z", "tomorrow"), (True, "as text")],
)
def test_a_time_that_is_a_number_has_no_zone_or_is_out_of_range_is_refused(
    client: TestClient, value: object, reason: str
) -> None:
    entry = client.post("/api/v1/diary/entries", json={"pain": 3, "created_at": value})
    timer = client.post("/api/v1/timers", json={"kind": "heat", "planned_minutes": 5,
                                                "seconds": 10, "completed": False,
                                                "started_at": value})
    for response, field in ((entry, "created_at"), (timer, "started_at")):
        assert response.status_code == 422
        error = error_of(response)
        assert error["field"] == field
        assert reason in error["message"]
        assert "ISO 8601" in error["allowed"]


def test_a_time_with_a_zone_is_kept_in_utc(client: TestClient) -> None:
    response = client.post("/api/v1/diary/entries",
                           json={"pain": 3, "created_at": "2020-05-01T10:00:00+02:00"})
    assert response.status_code == 201
    assert response.json()["created_at"] == "2020-05-01T08:00:00Z"


def test_the_openapi_document_lists_the_findings_symptoms_and_session_limits(
    client: TestClient, kb: KnowledgeBase
) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    answers = schemas["AnswersIn"]["properties"]["answers"]
    assert answers["additionalProperties"] is False
    assert set(answers["properties"]) == set(kb.findings)
    age = kb.findings["age"]
    assert answers["properties"]["age"]["anyOf"] == [
        {"type": "integer", "minimum": age.min, "maximum": age.max}, {"type": "null"}
    ]
    assert answers["properties"]["sex"]["anyOf"][0] == {
        "type": "string", "enum": list(kb.findings["sex"].values or ())
    }
    assert answers["properties"]["fever"]["anyOf"][0] == {"type": "boolean"}
    symptoms = schemas["DiaryEntryIn"]["properties"]["symptoms"]["items"]
    assert set(symptoms["enum"]) == {f.id for f in kb.findings.values() if f.type == "bool"}
    note = schemas["DiaryEntryIn"]["properties"]["note"]["anyOf"][0]
    assert "\\u0000" in note["pattern"] and note["maxLength"]
    timer = schemas["TimerIn"]["properties"]
    assert timer["planned_minutes"]["maximum"] == 20
    assert timer["seconds"]["maximum"] == 20 * 60
    assert "500" in client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/assess"][
        "post"]["responses"]


def test_the_openapi_document_is_the_same_when_asked_twice(client: TestClient) -> None:
    first = client.get("/api/v1/openapi.json").json()
    assert client.get("/api/v1/openapi.json").json() == first
