"""The diary's import on the web: `POST /api/v1/diary/import` and the page /diary/import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from upperback.web import WebSettings, create_app
from upperback.web.diary_import import export_schema

from .flows import csrf_token

IMPORT = "/api/v1/diary/import"


@pytest.fixture
def export(client: TestClient) -> bytes:
    """The export of a diary with two entries and a dose; the diary is then emptied."""
    for pain in (3, 6):
        assert client.post("/api/v1/diary/entries",
                           json={"pain": pain, "note": f"pain {pain}"}).status_code == 201
    assert client.post("/api/v1/diary/medicines",
                       json={"medicine": "ibuprofen", "dose_mg": 200}).status_code == 201
    data = client.get("/diary/export.json").content
    assert client.delete("/api/v1/data").status_code == 200
    return data


def _entries(client: TestClient) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = client.get("/api/v1/diary/entries").json()
    return entries


def _post(client: TestClient, body: bytes, **headers: str) -> Any:
    return client.post(IMPORT, content=body,
                       headers={"Content-Type": "application/json", **headers})


def test_the_api_imports_an_export_and_answers_the_counts(client: TestClient, export: bytes
                                                          ) -> None:
    response = _post(client, export)
    assert response.status_code == 200
    assert response.json() == {
        "checks": 0, "entries": 2, "timers": 0, "doses": 1, "already": 0, "dry_run": False,
        "message": "Imported 2 diary entries, 0 checks, 1 medicine dose and 0 timer "
                   "sessions; 0 were already there.",
    }
    assert [e["note"] for e in _entries(client)] == ["pain 3", "pain 6"]


def test_the_same_file_sent_twice_adds_nothing(client: TestClient, export: bytes) -> None:
    _post(client, export)
    again = _post(client, export).json()
    assert (again["entries"], again["doses"], again["already"]) == (0, 0, 3)
    assert len(_entries(client)) == 2


def test_a_dry_run_only_counts(client: TestClient, export: bytes) -> None:
    response = client.post(IMPORT + "?dry_run=true", content=export,
                           headers={"Content-Type": "application/json"})
    assert response.json()["entries"] == 2 and response.json()["dry_run"] is True
    assert _entries(client) == []


def test_a_bad_record_is_a_422_naming_it_and_nothing_is_saved(client: TestClient,
                                                              export: bytes) -> None:
    document = json.loads(export)
    document["diary"][1]["pain"] = 11
    response = client.post(IMPORT, json=document)
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "diary[1].pain: must be a whole number from 0 to 10 (not 11). "
                   "Nothing was imported.",
        "field": "diary[1].pain",
        "allowed": "a whole number from 0 to 10",
    }
    assert _entries(client) == []


@pytest.mark.parametrize(("body", "field"), [
    ({"resourceType": "Bundle"}, "file"),
    ({"format": "upperback-export", "format_version": 2}, "format_version"),
])
def test_a_body_that_is_not_an_export_this_version_reads_is_a_422(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    response = client.post(IMPORT, json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_a_body_that_is_not_json_is_refused_in_the_error_shape(client: TestClient) -> None:
    response = _post(client, b"{nope")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


@pytest.fixture
def small_client(tmp_path: Path) -> Iterator[TestClient]:
    """An app whose import takes at most 2000 bytes."""
    app = create_app(WebSettings(db_url=f"sqlite:///{tmp_path / 'small.db'}",
                                 secret_key="test-secret", testing=True, import_max_bytes=2000))
    with TestClient(app) as test_client:
        yield test_client


def test_a_body_over_the_import_cap_is_a_413_in_the_error_shape(small_client: TestClient
                                                                 ) -> None:
    body = json.dumps({"format": "upperback-export", "format_version": 1,
                       "diary": [{"pain": 1, "created_at": "2025-01-01T00:00:00Z"}] * 100})
    response = _post(small_client, body.encode())
    assert response.status_code == 413
    assert response.json()["error"] == {"code": "too_large",
                                        "message": "The request body is too large.",
                                        "field": "body", "allowed": "at most 2000 bytes"}


def test_the_import_takes_a_body_larger_than_other_requests(client: TestClient) -> None:
    entries = [{"pain": 2, "created_at": f"2025-01-01T00:{m:02d}:{s:02d}Z", "note": "x" * 100}
               for m in range(60) for s in range(0, 60, 6)]  # 600 entries, about 100 KB
    body = json.dumps({"format": "upperback-export", "format_version": 1, "diary": entries})
    assert len(body) > 64 * 1024
    assert _post(client, body.encode()).json()["entries"] == 600
    other = client.post("/api/v1/diary/entries", content=body,
                        headers={"Content-Type": "application/json"})
    assert other.status_code == 413  # the cap of every other request stays


def test_a_retried_import_with_its_key_is_answered_the_same(client: TestClient,
                                                           export: bytes) -> None:
    key = {"Idempotency-Key": "import-1"}
    first, again = _post(client, export, **key), _post(client, export, **key)
    assert first.json() == again.json() and first.json()["entries"] == 2
    assert again.headers["Idempotent-Replayed"] == "true"


def test_the_openapi_document_describes_the_export_it_takes(client: TestClient) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"][IMPORT]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["title"] == export_schema()["title"] == "upperback JSON export"
    assert set(schema["properties"]) == {"format", "format_version", "checks", "diary",
                                         "timers", "medicines"}
    assert "$ref" not in json.dumps(schema)
    assert schema["properties"]["diary"]["items"]["properties"]["pain"]["maximum"] == 10


# -- the page ---------------------------------------------------------------------------------


def _upload(client: TestClient, content: bytes, **fields: str) -> Any:
    token = csrf_token(client.get("/diary/import").text)
    return client.post("/diary/import", data={"csrf_token": token, **fields},
                       files={"file": ("backup.json", content, "application/json")})


def test_the_diary_page_links_to_the_import(client: TestClient) -> None:
    page = client.get("/diary").text
    assert 'href="/diary/import"' in page


def test_the_page_is_a_form_that_works_without_javascript(client: TestClient) -> None:
    page = client.get("/diary/import").text
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page and 'name="csrf_token"' in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]


def test_an_uploaded_export_is_imported_and_the_page_says_what_was_added(
    client: TestClient, export: bytes
) -> None:
    response = _upload(client, export)
    assert response.status_code == 200
    assert "Imported 2 diary entries, 0 checks, 1 medicine dose" in response.text
    assert len(_entries(client)) == 2
    assert "0 diary entries" in _upload(client, export).text  # the second time adds nothing


def test_the_page_can_only_check_a_file(client: TestClient, export: bytes) -> None:
    response = _upload(client, export, dry_run="yes")
    assert "Would import 2 diary entries" in response.text
    assert _entries(client) == []


def test_a_bad_upload_shows_why_and_saves_nothing(client: TestClient, export: bytes) -> None:
    document = json.loads(export)
    document["diary"][0]["created_at"] = "last week"
    response = _upload(client, json.dumps(document).encode())
    assert response.status_code == 422
    assert "diary[0].created_at: must be an ISO 8601 date and time" in response.text
    assert _entries(client) == []


def test_an_upload_without_a_file_asks_for_one(client: TestClient) -> None:
    token = csrf_token(client.get("/diary/import").text)
    response = client.post("/diary/import", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Choose a file to import." in response.text


def test_an_upload_without_the_form_token_is_refused(client: TestClient, export: bytes
                                                     ) -> None:
    client.get("/diary/import")
    response = client.post("/diary/import",
                           files={"file": ("backup.json", export, "application/json")})
    assert response.status_code == 403
    assert _entries(client) == []
