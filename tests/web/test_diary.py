"""The diary pages: add entries, the chart, the timer form, export, report and delete."""

from __future__ import annotations

import json
import re
from datetime import UTC

import pytest
from fastapi.testclient import TestClient

from upperback import KnowledgeBase
from upperback.store import Store
from upperback.web import WebSettings

from .flows import csrf_token


def add(client: TestClient, **fields: str) -> object:
    token = csrf_token(client.get("/diary").text)
    return client.post("/diary/entries", data={"csrf_token": token, **fields})


def test_two_entries_appear_in_the_table_and_the_chart(client: TestClient) -> None:
    add(client, pain="7", where="between my shoulder blades", helped="heat")
    add(client, pain="4", note="better after a walk")
    page = client.get("/diary").text
    assert "between my shoulder blades" in page and "better after a walk" in page
    assert page.count('class="chart-point"') == 2
    assert "<polyline" in page
    assert "Latest pain: 4 out of 10." in page


def test_a_diary_without_entries_has_no_chart(client: TestClient) -> None:
    page = client.get("/diary").text
    assert '<svg class="chart"' not in page  # the body map's drawing is the only picture
    assert "No entries yet" in page


@pytest.mark.parametrize("pain", ["", "11", "-1", "lots"])
def test_a_bad_pain_score_is_shown_again_with_a_message(client: TestClient, pain: str) -> None:
    response = add(client, pain=pain, note="kept")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "from 0 (none) to 10" in response.text  # type: ignore[attr-defined]
    assert ">kept</textarea>" in response.text  # type: ignore[attr-defined]
    assert client.get("/api/v1/diary/entries").json() == []


def test_entry_text_is_escaped(client: TestClient) -> None:
    add(client, pain="3", note="<script>alert(1)</script>")
    page = client.get("/diary").text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_the_timer_form_logs_a_session_without_javascript(client: TestClient) -> None:
    token = csrf_token(client.get("/timer?kind=heat").text)
    response = client.post("/timer/log", data={"csrf_token": token, "kind": "heat",
                                               "minutes": "15"})
    assert str(response.url).endswith("/timer?kind=heat&logged=1")
    sessions = client.get("/api/v1/timers").json()
    assert [(s["kind"], s["planned_minutes"]) for s in sessions] == [("heat", 15)]
    assert "Heat pack" in client.get("/diary").text


def test_the_timer_form_refuses_more_than_the_limit(client: TestClient, kb: KnowledgeBase
                                                    ) -> None:
    limit = kb.relief["ice_pack"].max_minutes
    assert limit is not None
    token = csrf_token(client.get("/timer").text)
    response = client.post("/timer/log", data={"csrf_token": token, "kind": "ice",
                                               "minutes": str(limit + 1)})
    assert response.status_code == 400
    assert f"from 1 to {limit}" in response.text
    assert client.get("/api/v1/timers").json() == []


@pytest.mark.parametrize(
    ("path", "media", "name"),
    [
        ("/diary/export.csv", "application/zip", "upperback-csv.zip"),
        ("/diary/export.csv?kind=entries", "text/csv", "upperback-entries.csv"),
        ("/diary/export.json", "application/json", "upperback.json"),
        ("/diary/export.fhir.json", "application/fhir+json", "upperback.fhir.json"),
    ],
)
def test_exports_download_as_files(client: TestClient, path: str, media: str, name: str
                                   ) -> None:
    add(client, pain="5", helped="ice")
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert f'filename="{name}"' in response.headers["content-disposition"]
    if path.endswith(".pdf"):
        assert response.content.startswith(b"%PDF")
    elif path.endswith("fhir.json"):
        assert json.loads(response.text)["resourceType"] == "Bundle"
    elif path.endswith(".json"):
        json.loads(response.text)
    elif path.endswith(".csv"):
        assert response.content.startswith(b"PK")  # a zip
    else:
        assert "ice" in response.text


def test_deleting_needs_the_box_ticked(client: TestClient) -> None:
    add(client, pain="5")
    token = csrf_token(client.get("/data/delete").text)
    response = client.post("/data/delete", data={"csrf_token": token})
    assert response.status_code == 422
    assert len(client.get("/api/v1/diary/entries").json()) == 1


def test_deleting_everything_empties_the_diary(client: TestClient) -> None:
    add(client, pain="5")
    client.post("/api/v1/checks", json={"answers": {"age": 30}})
    token = csrf_token(client.get("/data/delete").text)
    response = client.post("/data/delete", data={"csrf_token": token, "confirm": "yes"})
    assert str(response.url).endswith("/diary?deleted=1")
    assert "has been deleted" in response.text
    assert client.get("/api/v1/diary/entries").json() == []
    assert client.get("/api/v1/checks").json() == []


def test_the_diary_lists_past_checks_with_links(client: TestClient) -> None:
    saved = client.post("/api/v1/checks", json={"answers": {"age": 30}}).json()
    page = client.get("/diary").text
    assert re.search(rf'href="/result/{saved["id"]}"', page)


def test_the_form_offers_the_warning_signs_as_new_symptoms(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = client.get("/diary").text
    for finding_id in kb.warning_signs:
        assert f'name="symptom" value="{finding_id}"' in page


def test_a_new_warning_sign_on_the_form_shows_the_raised_level(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = add(client, pain="5", symptom="fever")
    assert page.status_code == 200  # type: ignore[attr-defined]
    text = page.text  # type: ignore[attr-defined]
    assert kb.guide.levels["urgent"].headline in text and "Entry saved" in text
    entries = client.get("/api/v1/diary/entries").json()
    assert entries[0]["symptoms"] == ["fever"]


def test_a_new_emergency_sign_on_the_form_shows_only_how_to_get_help(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = add(client, pain="8", symptom="chest_pain_pressure")
    text = page.text  # type: ignore[attr-defined]
    assert kb.guide.levels["emergency"].steps[0] in text
    assert "Pain diary" not in text


@pytest.mark.parametrize(
    ("path", "exporter"),
    [("/diary/export.csv?kind=entries&tz=UTC", "export_csv"),
     ("/diary/export.json", "export_json"),
     ("/diary/export.fhir.json", "export_fhir")],
)
def test_an_export_bigger_than_memory_allows_is_spooled_to_disk_and_sent_whole(
    client: TestClient, settings: WebSettings, monkeypatch: pytest.MonkeyPatch,
    path: str, exporter: str, kb: KnowledgeBase,
) -> None:
    import upperback.documents.export as export_module
    import upperback.web.pages as pages_module

    monkeypatch.setattr(pages_module, "SPOOL_IN_MEMORY", 200)
    monkeypatch.setattr(pages_module, "CHUNK", 64)
    for pain in range(11):
        client.post("/api/v1/diary/entries", json={"pain": pain, "note": "é" * 50})
    client.post("/api/v1/checks", json={"answers": {"age": 40}})
    sent = client.get(path)
    assert sent.status_code == 200
    with Store.open(settings.db_url) as store:
        args = ("entries", UTC) if exporter == "export_csv" else ()
        expected = getattr(export_module, exporter)(store, kb, *args)
    if "csv" in path:
        assert sent.text == expected
    else:  # times of making and fresh uuids differ; the records do not
        got, want = json.loads(sent.text), json.loads(expected)
        for document in (got, want):
            document.pop("exported_at", None)
            document.pop("timestamp", None)
            for entry in document.get("entry", []):
                entry.pop("fullUrl")
        assert got == want


def test_the_chart_leaves_a_gap_where_weeks_have_no_entries(client: TestClient) -> None:
    for day in (1, 2, 3, 24, 25):
        client.post("/api/v1/diary/entries",
                    json={"pain": 4, "created_at": f"2026-11-{day:02d}T09:00:00Z"})
    page = client.get("/diary").text
    assert page.count('class="chart-line"') == 2
    labels = re.findall(r'text-anchor="middle">([^<]+)</text>', page)
    assert labels and all("Nov" in label for label in labels)


def test_the_diary_and_its_api_say_when_to_check_again(client: TestClient, kb: KnowledgeBase
                                                       ) -> None:
    assert client.get("/api/v1/diary/recheck").json() is None
    # No warning sign, a desk worker of 30: a self-care result, re-checked in 2 weeks.
    answers = {f: False for f in kb.warning_signs} | {"age": 30, "hunched_posture": True,
                                                        "pain_spreads_arm_jaw": False}
    saved = client.post("/api/v1/checks", json={"answers": answers}).json()
    assert saved["triage"] == "self_care"
    due = client.get("/api/v1/diary/recheck").json()
    assert (due["check_id"], due["overdue"], due["weeks"]) == (saved["id"], False, 2)
    assert "Next check-in" in client.get("/diary").text
    client.post("/api/v1/checks", json={"answers": {"fever": True, "age": 40}})
    assert client.get("/api/v1/diary/recheck").json() is None  # urgent: be seen, no re-check
