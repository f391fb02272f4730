"""Medicine doses on the web: the API's POST and list, and the diary page's quick form."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from .flows import csrf_token


def test_a_dose_within_the_label_is_saved_with_no_warning(client: TestClient) -> None:
    saved = client.post("/api/v1/diary/medicines",
                        json={"medicine": "paracetamol", "dose_mg": 1000})
    assert saved.status_code == 201
    body = saved.json()
    assert (body["medicine"], body["dose_mg"], body["warnings"]) == ("acetaminophen", 1000, [])
    assert [d["dose_mg"] for d in client.get("/api/v1/diary/medicines").json()] == [1000]


def test_a_dose_past_the_label_is_saved_and_warned_about_with_sources(
    client: TestClient,
) -> None:
    client.post("/api/v1/diary/medicines",
                json={"medicine": "ibuprofen", "dose_mg": 400, "at": "2026-11-20T08:00:00Z"})
    body = client.post("/api/v1/diary/medicines", json={
        "medicine": "ibuprofen", "dose_mg": 600, "at": "2026-11-20T10:00:00Z"}).json()
    assert [w["kind"] for w in body["warnings"]] == ["single_dose", "too_soon"]
    assert all(w["sources"] == ["nhs_ibuprofen"] for w in body["warnings"])
    assert len(client.get("/api/v1/diary/medicines").json()) == 2


def test_the_last_checks_age_chooses_the_labels_band(client: TestClient) -> None:
    client.post("/api/v1/checks", json={"answers": {"age": 14}})
    body = client.post("/api/v1/diary/medicines",
                       json={"medicine": "acetaminophen", "dose_mg": 1000}).json()
    assert "ages 12 to 17: 750 mg" in body["warnings"][0]["message"]


@pytest.mark.parametrize(("body", "field"), [
    ({"medicine": "aspirin", "dose_mg": 100}, "medicine"),
    ({"medicine": "ibuprofen", "dose_mg": 0}, "dose_mg"),
    ({"medicine": "ibuprofen", "dose_mg": 2.5}, "dose_mg"),
    ({"medicine": "ibuprofen", "dose_mg": 200, "at": "2026-11-20 08:00"}, "at"),
])
def test_a_bad_dose_is_refused_naming_the_field_and_nothing_is_saved(
    client: TestClient, body: dict[str, object], field: str
) -> None:
    refused = client.post("/api/v1/diary/medicines", json=body)
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == field
    assert client.get("/api/v1/diary/medicines").json() == []


def test_the_diary_page_logs_a_dose_and_shows_its_warning(client: TestClient) -> None:
    token = csrf_token(client.get("/diary").text)
    shown = client.post("/diary/medicines", data={
        "medicine": "ibuprofen", "dose_mg": "800", "at": "", "csrf_token": token})
    assert shown.status_code == 200
    assert "Saved: Ibuprofen, 800 mg" in shown.text
    assert "400 mg at a time" in shown.text and 'role="alert"' in shown.text
    assert re.search(r"<td>Ibuprofen</td><td>800 mg</td>", shown.text)


def test_the_diary_page_keeps_what_was_typed_when_a_dose_is_refused(
    client: TestClient,
) -> None:
    token = csrf_token(client.get("/diary").text)
    refused = client.post("/diary/medicines", data={
        "medicine": "ibuprofen", "dose_mg": "lots", "at": "", "csrf_token": token})
    assert refused.status_code == 422
    assert "Enter the dose as a whole number of mg" in refused.text
    assert 'value="lots"' in refused.text
    assert client.get("/api/v1/diary/medicines").json() == []


def test_a_dose_with_its_idempotency_key_is_saved_once(client: TestClient) -> None:
    headers = {"Idempotency-Key": "dose-1"}
    for _ in range(2):
        client.post("/api/v1/diary/medicines", json={"medicine": "ibuprofen", "dose_mg": 200},
                    headers=headers)
    assert len(client.get("/api/v1/diary/medicines").json()) == 1
