"""Diary entries can be back-dated, changed and deleted one at a time, on the web and in the
API, and nothing else in the diary moves."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from .flows import csrf_token


def add(client: TestClient, **fields: object) -> dict[str, object]:
    saved = client.post("/api/v1/diary/entries", json={"pain": 4} | fields)
    assert saved.status_code == 201
    return dict(saved.json())


def test_an_entry_can_be_back_dated_through_the_api(client: TestClient) -> None:
    entry = add(client, created_at="2026-11-20T08:00:00+01:00")
    assert entry["created_at"] == "2026-11-20T07:00:00Z"


def test_patch_changes_only_the_fields_sent_and_null_clears_a_text(client: TestClient) -> None:
    entry = add(client, where="left shoulder", note="after the gym")
    changed = client.patch(f"/api/v1/diary/entries/{entry['id']}",
                           json={"pain": 7, "note": None, "created_at": "2026-11-19T20:00:00Z"})
    assert changed.status_code == 200
    body = changed.json()
    assert (body["pain"], body["where"], body["note"]) == (7, "left shoulder", None)
    assert body["created_at"] == "2026-11-19T20:00:00Z"
    assert client.get("/api/v1/diary/entries").json() == [body]


@pytest.mark.parametrize(("change", "field"), [
    ({"pain": 11}, "pain"), ({"pain": None}, "pain"), ({}, "changes"),
    ({"created_at": None}, "created_at"), ({"created_at": "0001-01-01T00:00:00Z"}, "created_at"),
    ({"note": "x" * 2001}, "note"), ({"symptoms": ["fever"]}, "symptoms"),
])
def test_a_bad_change_is_refused_naming_the_field_and_the_entry_stays(
    client: TestClient, change: dict[str, object], field: str
) -> None:
    entry = add(client, note="kept")
    refused = client.patch(f"/api/v1/diary/entries/{entry['id']}", json=change)
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == field
    [kept] = client.get("/api/v1/diary/entries").json()
    assert (kept["pain"], kept["note"]) == (4, "kept")


def test_one_entry_is_deleted_and_the_others_stay(client: TestClient) -> None:
    first, second = add(client, note="one"), add(client, note="two")
    assert client.delete(f"/api/v1/diary/entries/{first['id']}").json() == {"deleted": True}
    assert [e["note"] for e in client.get("/api/v1/diary/entries").json()] == ["two"]
    gone = client.delete(f"/api/v1/diary/entries/{first['id']}")
    assert gone.status_code == 404 and gone.json()["error"]["field"] == "entry_id"
    assert client.patch(f"/api/v1/diary/entries/{first['id']}",
                        json={"pain": 1}).status_code == 404
    assert second["id"] != first["id"]


def test_the_diary_page_shows_ids_and_deletes_one_entry_with_its_button(
    client: TestClient,
) -> None:
    add(client, note="keep me")
    doomed = add(client, note="a mistake")
    page = client.get("/diary").text
    assert f'action="/diary/entries/{doomed["id"]}/delete"' in page
    assert f'aria-label="Delete entry {doomed["id"]}"' in page
    done = client.post(f"/diary/entries/{doomed['id']}/delete",
                       data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert done.status_code == 200 and "Entry deleted." in done.text
    assert [e["note"] for e in client.get("/api/v1/diary/entries").json()] == ["keep me"]


def test_deleting_an_entry_from_the_page_needs_the_form_token(client: TestClient) -> None:
    entry = add(client)
    assert client.post(f"/diary/entries/{entry['id']}/delete").status_code == 403
    assert len(client.get("/api/v1/diary/entries").json()) == 1


def test_the_diary_form_takes_an_earlier_date_and_time(client: TestClient) -> None:
    token = csrf_token(client.get("/diary").text)
    client.post("/diary/entries", data={"pain": "3", "when": "2026-11-20T08:00",
                                        "csrf_token": token})
    [entry] = client.get("/api/v1/diary/entries").json()
    assert entry["created_at"].startswith("2026-11-20")


def test_a_bad_date_on_the_form_keeps_what_was_typed(client: TestClient) -> None:
    token = csrf_token(client.get("/diary").text)
    refused = client.post("/diary/entries", data={"pain": "3", "note": "typed",
                                                  "when": "1850-01-01T08:00",
                                                  "csrf_token": token})
    assert refused.status_code == 422
    assert "Enter when it was as a date and time" in refused.text
    assert re.search(r">typed</textarea>", refused.text)
    assert client.get("/api/v1/diary/entries").json() == []
