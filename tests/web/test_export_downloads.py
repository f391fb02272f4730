"""The export downloads: the CSV tables as a zip (or one with ?kind=), times in ?tz=, and the
FHIR bundle's Patient from ?name= and ?born=; a bad value is a plain 422 page naming it."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from fastapi.testclient import TestClient

ENTRY = {"pain": 5, "note": "stiff", "created_at": "2026-07-01T06:00:05Z"}


@pytest.fixture
def filled(client: TestClient) -> TestClient:
    """A diary with an entry and a check, saved through the API."""
    assert client.post("/api/v1/diary/entries", json=ENTRY).status_code == 201
    assert client.post("/api/v1/checks", json={"answers": {"age": 40}}).status_code == 201
    return client


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_csv_download_is_a_zip_of_the_tables(filled: TestClient) -> None:
    response = filled.get("/diary/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="upperback-csv.zip"' in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert {"checks.csv", "entries.csv", "medicines.csv", "timers.csv"} <= set(
            archive.namelist())
        (entry,) = _rows(archive.read("entries.csv").decode("utf-8"))
        (check,) = _rows(archive.read("checks.csv").decode("utf-8"))
    assert entry["time"] == "2026-07-01 06:00:05+00:00"  # UTC when no tz is given
    assert check["triage"]


def test_one_kind_downloads_as_one_csv_in_the_zone_asked_for(filled: TestClient) -> None:
    response = filled.get("/diary/export.csv?kind=entries&tz=Europe/Berlin")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="upperback-entries.csv"' in response.headers["content-disposition"]
    (entry,) = _rows(response.text)
    assert (entry["time"], entry["note"]) == ("2026-07-01 08:00:05+02:00", "stiff")


@pytest.mark.parametrize(("query", "field"), [
    ("tz=Mars/Olympus", "tz"), ("tz=../../etc/passwd", "tz"), ("kind=everything", "kind"),
])
def test_a_bad_zone_or_kind_is_a_plain_page_naming_it(
    filled: TestClient, query: str, field: str
) -> None:
    response = filled.get(f"/diary/export.csv?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert f"{field} " in response.text
    assert "Traceback" not in response.text


def test_the_fhir_download_adds_a_patient_from_name_and_born(filled: TestClient) -> None:
    response = filled.get("/diary/export.fhir.json?name=Ada%20Lovelace&born=1980-04-30")
    assert response.status_code == 200
    first, *rest = json.loads(response.text)["entry"]
    assert first["resource"]["resourceType"] == "Patient"
    assert first["resource"]["name"] == [{"text": "Ada Lovelace"}]
    assert {e["resource"]["subject"]["reference"] for e in rest} == {first["fullUrl"]}


def test_the_fhir_download_without_them_has_no_patient(filled: TestClient) -> None:
    response = filled.get("/diary/export.fhir.json?name=&born=")
    kinds = [e["resource"]["resourceType"] for e in json.loads(response.text)["entry"]]
    assert kinds == ["QuestionnaireResponse", "RiskAssessment", "Observation"]


@pytest.mark.parametrize("born", ["30/04/1980", "1980-02-30", "2999-01-01"])
def test_a_bad_birth_date_is_a_plain_page_naming_it(filled: TestClient, born: str) -> None:
    response = filled.get(f"/diary/export.fhir.json?born={born}")
    assert response.status_code == 422
    assert "born " in response.text and "YYYY-MM-DD" in response.text


def test_the_same_diary_downloads_with_the_same_fhir_ids(filled: TestClient) -> None:
    def ids() -> list[str]:
        document = json.loads(filled.get("/diary/export.fhir.json").text)
        return [entry["fullUrl"] for entry in document["entry"]]

    assert ids() == ids()


def test_a_zip_bigger_than_memory_allows_is_spooled_to_disk_and_sent_whole(
    filled: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import upperback.web.pages as pages_module

    monkeypatch.setattr(pages_module, "SPOOL_IN_MEMORY", 200)
    monkeypatch.setattr(pages_module, "CHUNK", 64)
    for pain in range(11):
        filled.post("/api/v1/diary/entries", json={"pain": pain, "note": "é" * 50})
    sent = filled.get("/diary/export.csv")
    assert sent.status_code == 200
    with zipfile.ZipFile(io.BytesIO(sent.content)) as archive:
        assert archive.testzip() is None
        entries = _rows(archive.read("entries.csv").decode("utf-8"))
    assert len(entries) == 12 and entries[-1]["note"] == "é" * 50
