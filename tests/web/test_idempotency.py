"""The API's writes take an Idempotency-Key: a retry after a lost answer saves once."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

WRITES: list[tuple[str, dict[str, Any], str]] = [
    ("/api/v1/diary/entries", {"pain": 4, "note": "after work"}, "/api/v1/diary/entries"),
    ("/api/v1/checks", {"answers": {"age": 40}}, "/api/v1/checks"),
    ("/api/v1/timers", {"kind": "ice", "planned_minutes": 15, "seconds": 900,
                        "completed": True}, "/api/v1/timers"),
]


@pytest.mark.parametrize(("path", "body", "listing"), WRITES)
def test_a_retried_write_with_its_key_is_saved_once_and_answered_the_same(
    client: TestClient, path: str, body: dict[str, Any], listing: str
) -> None:
    headers = {"Idempotency-Key": "0b6f4a4e-6c1e-4a57-9b1f-3d3f2f6f0c11"}
    first = client.post(path, json=body, headers=headers)
    again = client.post(path, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(client.get(listing).json()) == 1


@pytest.mark.parametrize(("path", "body", "listing"), WRITES)
def test_writes_without_a_key_are_each_saved(
    client: TestClient, path: str, body: dict[str, Any], listing: str
) -> None:
    assert client.post(path, json=body).status_code == 201
    assert client.post(path, json=body).status_code == 201
    assert len(client.get(listing).json()) == 2


def test_a_key_sent_again_with_another_body_is_refused_naming_the_header(
    client: TestClient,
) -> None:
    headers = {"Idempotency-Key": "key-1"}
    client.post("/api/v1/diary/entries", json={"pain": 4}, headers=headers)
    refused = client.post("/api/v1/diary/entries", json={"pain": 5}, headers=headers)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["code"], error["field"]) == ("idempotency_key_reused", "Idempotency-Key")
    assert [e["pain"] for e in client.get("/api/v1/diary/entries").json()] == [4]


def test_a_refused_write_keeps_its_key_free_for_the_corrected_retry(client: TestClient) -> None:
    headers = {"Idempotency-Key": "key-1"}
    assert client.post("/api/v1/diary/entries", json={"pain": 11},
                       headers=headers).status_code == 422
    assert client.post("/api/v1/diary/entries", json={"pain": 3},
                       headers=headers).status_code == 201


def test_the_same_key_on_another_address_is_another_request(client: TestClient) -> None:
    headers = {"Idempotency-Key": "key-1"}
    assert client.post("/api/v1/checks", json={"answers": {}}, headers=headers).status_code == 201
    refused = client.post("/api/v1/diary/entries", json={"answers": {}}, headers=headers)
    assert refused.status_code == 422


@pytest.mark.parametrize("key", ["", "has space", "x" * 256])
def test_a_malformed_key_is_refused_in_the_error_shape(client: TestClient, key: str) -> None:
    refused = client.post("/api/v1/diary/entries", json={"pain": 4},
                          headers={"Idempotency-Key": key})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["field"] == "Idempotency-Key"
    assert "visible ASCII" in error["allowed"]
    assert client.get("/api/v1/diary/entries").json() == []


def test_the_schema_documents_the_key_on_every_write(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/diary/entries", "/api/v1/checks", "/api/v1/timers"):
        names = [p["name"] for p in schema["paths"][path]["post"].get("parameters", [])]
        assert "Idempotency-Key" in names, path
