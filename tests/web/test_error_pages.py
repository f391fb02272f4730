"""Every failure a person or a client can cause gets a plain page, or the API's error shape:
bad addresses, wrong methods, a diary that cannot be used, values the diary refuses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from upperback import KnowledgeBase
from upperback.web import WebSettings, create_app

from .flows import csrf_token


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field", "allowed"}
    return dict(body["error"])


@pytest.fixture
def unusable(tmp_path: Path) -> Iterator[TestClient]:
    """A client of an app whose diary file is someone's notes, not a database."""
    notes = tmp_path / "notes.db"
    notes.write_text("my own notes, not a diary\n" * 200)
    app = create_app(WebSettings(db_url=str(notes), secret_key="test-secret", testing=True))
    with TestClient(app) as test_client:
        yield test_client
    assert notes.read_text().startswith("my own notes")


def test_a_page_address_with_a_bad_part_is_a_400_page_in_plain_words(client: TestClient
                                                                      ) -> None:
    response = client.get("/result/not-a-number")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "This address or form is not valid." in response.text


def test_a_page_used_with_the_wrong_method_is_a_405_page_in_plain_words(client: TestClient
                                                                        ) -> None:
    response = client.get("/check/answer")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/html")
    assert "This page cannot be used that way." in response.text


def test_a_diary_that_cannot_be_used_is_a_503_page_that_says_why(unusable: TestClient) -> None:
    response = unusable.get("/diary")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert "not a readable upperback database" in response.text
    assert "Traceback" not in response.text


def test_a_diary_that_cannot_be_used_is_a_503_in_the_api_error_shape(unusable: TestClient
                                                                     ) -> None:
    response = unusable.get("/api/v1/diary/entries")
    assert response.status_code == 503
    error = error_of(response)
    assert error["code"] == "store_unavailable"
    assert "not a readable upperback database" in error["message"]


def test_a_diary_note_no_database_can_store_is_a_422_naming_the_field(client: TestClient
                                                                      ) -> None:
    # PostgreSQL cannot store a NUL character in text: it is refused on every backend.
    response = client.post("/api/v1/diary/entries", json={"pain": 4, "note": "a\x00b"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["field"] == "note"
    assert error["allowed"]
    assert client.get("/api/v1/diary/entries").json() == []


def test_a_diary_form_note_no_database_can_store_is_shown_again_and_not_saved(
    client: TestClient,
) -> None:
    token = csrf_token(client.get("/diary").text)
    response = client.post("/diary/entries",
                           data={"csrf_token": token, "pain": "4", "note": "a\x00b"})
    assert response.status_code == 422
    assert 'role="alert"' in response.text  # said on the form, not a crash page
    assert client.get("/api/v1/diary/entries").json() == []


def test_a_diary_form_symptom_that_is_not_on_the_list_is_shown_again(client: TestClient
                                                                     ) -> None:
    token = csrf_token(client.get("/diary").text)
    response = client.post("/diary/entries", data={"csrf_token": token, "pain": "4",
                                                   "note": "kept", "symptom": "hiccups"})
    assert response.status_code == 422
    assert "Choose new symptoms only from the list." in response.text
    assert "kept" in response.text  # what was typed is not lost
    assert client.get("/api/v1/diary/entries").json() == []


def test_the_timer_form_with_a_kind_that_is_not_ice_or_heat_is_a_400_page(client: TestClient
                                                                          ) -> None:
    token = csrf_token(client.get("/timer").text)
    response = client.post("/timer/log", data={"csrf_token": token, "kind": "steam",
                                               "minutes": "10"})
    assert response.status_code == 400
    assert "Choose ice or heat." in response.text
    assert client.get("/api/v1/timers").json() == []


def test_robots_txt_lets_every_crawler_in(client: TestClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.splitlines() == ["User-agent: *", "Disallow:"]


def test_one_finding_can_be_read_from_the_api(client: TestClient, kb: KnowledgeBase) -> None:
    response = client.get("/api/v1/knowledge/findings/age")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "age"
    assert (body["min"], body["max"]) == (kb.findings["age"].min, kb.findings["age"].max)
    assert body in client.get("/api/v1/knowledge/findings").json()
