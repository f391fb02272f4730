"""The exercise plan on the web: /plan and its JSON twin, the session player a page per
exercise (works without JavaScript), single exercises, pictures, and the diary's count."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from upperback.knowledge_base import KnowledgeBase
from upperback.web import WebSettings, create_app

from .flows import csrf_token


@pytest.fixture
def desk_worker(kb: KnowledgeBase) -> dict[str, Any]:
    """A posture case at self-care: every warning sign answered no."""
    return dict.fromkeys(kb.warning_signs, False) | {
        "age": 28, "sex": "male", "duration_days": 21, "pain_severity": 4,
        "desk_hours_per_day": 10, "hunched_posture": True, "pain_between_shoulder_blades": True,
        "pain_dull_ache_tight": True, "pain_worse_after_sitting": True,
    }


def checked(client: TestClient, answers: dict[str, Any]) -> None:
    response = client.post("/api/v1/checks", json={"answers": answers})
    assert response.status_code in (200, 201), response.text


def test_before_any_check_the_plan_says_to_do_one(client: TestClient, kb: KnowledgeBase) -> None:
    page = client.get("/plan")
    assert page.status_code == 200
    assert kb.exercise_book.programme.no_check in page.text
    data = client.get("/api/v1/plan").json()
    assert data["offered"] is False and data["days"] == []


def test_the_plan_page_and_its_json_twin_show_the_same_days(
    client: TestClient, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    checked(client, desk_worker)
    page = client.get("/plan")
    assert page.status_code == 200
    assert 'href="/api/v1/plan"' in page.text
    data = client.get("/api/v1/plan", params={"days": 3}).json()
    assert data["offered"] is True and len(data["days"]) == 3
    first = data["days"][0]
    assert {"date", "exercises", "sessions", "notes"} <= set(first)
    for exercise in first["exercises"]:
        assert f'href="/exercise/{exercise["id"]}"' in page.text
    assert first["lesson"]["title"] in page.text


@pytest.mark.parametrize("days", ["0", "29", "x"])
def test_a_bad_number_of_days_is_refused_by_the_api_naming_the_field(
    client: TestClient, days: str
) -> None:
    response = client.get("/api/v1/plan", params={"days": days})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "days"


def test_an_urgent_check_gets_no_plan_on_the_page_or_the_api(
    client: TestClient, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    checked(client, desk_worker | {"fever": True, "pain_over_spine": True})
    data = client.get("/api/v1/plan").json()
    assert data["level"] == "urgent" and not data["offered"] and data["days"] == []
    page = client.get("/plan").text
    assert kb.exercise_book.programme.not_offered in page
    assert "Start today" not in page


def test_todays_session_walks_one_exercise_a_page_and_saves_done_and_skipped(
    client: TestClient, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    checked(client, desk_worker)
    todo = [e["id"] for e in client.get("/api/v1/plan", params={"days": 1}).json()
            ["days"][0]["exercises"]]
    done = ""
    for number, exercise_id in enumerate(todo, 1):
        page = client.get("/plan/today", params={"done": done})
        assert f"Exercise {number} of {len(todo)}" in page.text
        assert f'src="/exercises/{exercise_id}.svg"' in page.text
        assert kb.exercises[exercise_id].picture_alt in page.text
        assert f'value="{done}d"' in page.text and f'value="{done}s"' in page.text
        done += "s" if number == 1 else "d"
    finish = client.get("/plan/today", params={"done": done})
    assert "Session finished" in finish.text
    saved = client.post("/plan/session", data={
        "ids": ",".join(todo), "done": done, "planned": "1",
        "csrf_token": csrf_token(finish.text)}, follow_redirects=False)
    assert saved.status_code == 303
    assert urlparse(saved.headers["location"]).path == "/plan"
    plan = client.get(saved.headers["location"]).text
    assert "Session saved to your diary." in plan
    assert "Exercise sessions: <strong>1 of" in plan


def test_stopping_a_session_marks_the_rest_skipped(
    client: TestClient, desk_worker: dict[str, Any]
) -> None:
    checked(client, desk_worker)
    page = client.get("/plan/today", params={"done": "d"}).text
    stop = page.split('<a href="/plan/today?done=')[1].split('&amp;')[0]
    assert stop.startswith("d") and set(stop[1:]) == {"s"}
    finish = client.get("/plan/today", params={"done": stop, "stopped": "1"}).text
    assert "Session stopped" in finish


def test_a_single_exercise_page_saves_a_session_of_its_own(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = client.get("/exercise/wall_angels")
    assert page.status_code == 200
    assert all(step in page.text for step in kb.exercises["wall_angels"].steps)
    assert "data-counter" in page.text and "exercise.js" in page.text
    saved = client.post("/plan/session", data={
        "ids": "wall_angels", "done": "d", "planned": "0",
        "csrf_token": csrf_token(page.text)}, follow_redirects=False)
    assert saved.status_code == 303


def test_a_withheld_exercise_page_warns_with_the_reason(
    client: TestClient, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    checked(client, desk_worker | {"osteoporosis": True})
    page = client.get("/exercise/cat_camel").text
    assert "may not be safe for you" in page
    assert kb.exercises["cat_camel"].contraindications[0].reason in page


@pytest.mark.parametrize("data", [
    {"ids": "chin_tuck", "done": "x", "planned": "1"},
    {"ids": "made_up", "done": "d", "planned": "1"},
    {"ids": "chin_tuck,cat_camel", "done": "d", "planned": "1"},
    {"ids": "", "done": "", "planned": "1"},
])
def test_a_bad_session_is_refused_and_nothing_is_saved(
    client: TestClient, data: dict[str, str]
) -> None:
    token = csrf_token(client.get("/exercise/chin_tuck").text)
    response = client.post("/plan/session", data=data | {"csrf_token": token})
    assert response.status_code == 400
    assert "could not be saved" in response.text


def test_an_unknown_exercise_or_a_broken_link_is_a_plain_page(client: TestClient) -> None:
    assert client.get("/exercise/nope").status_code == 404
    assert client.get("/exercises/nope.svg").status_code == 404
    assert client.get("/plan/today", params={"done": "dx"}).status_code == 422


def test_every_picture_is_served_as_svg_with_its_title(
    client: TestClient, kb: KnowledgeBase
) -> None:
    for exercise in kb.exercises.values():
        response = client.get(f"/exercises/{exercise.id}.svg")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert f">{exercise.name}</title>" in response.text


def test_the_plan_is_in_the_menu(client: TestClient) -> None:
    assert '<a href="/plan"' in client.get("/").text


def test_the_diary_page_links_the_plan_with_the_sessions_done(
    client: TestClient, desk_worker: dict[str, Any]
) -> None:
    checked(client, desk_worker)
    token = csrf_token(client.get("/exercise/chin_tuck").text)
    client.post("/plan/session", data={"ids": "chin_tuck", "done": "d", "planned": "1",
                                       "csrf_token": token})
    diary = client.get("/diary").text
    assert 'href="/plan"' in diary
    assert "planned exercise sessions done" in diary


def test_after_an_urgent_check_an_exercise_page_says_to_get_checked_first(
    client: TestClient, kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    checked(client, desk_worker | {"fever": True, "pain_over_spine": True})
    page = client.get("/exercise/chin_tuck").text
    assert "may not be safe for you" in page
    assert kb.exercise_book.programme.not_offered in page


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(out.split())


def test_the_plan_page_links_its_pdf_for_the_days_shown(
    client: TestClient, desk_worker: dict[str, Any]
) -> None:
    checked(client, desk_worker)
    assert 'href="/plan.pdf?days=7"' in client.get("/plan").text
    page = client.get("/plan", params={"days": 14}).text
    assert '<a href="/plan.pdf?days=14" download>Print or save as PDF</a>' in page


def test_the_plan_pdf_is_a_download_of_the_days_asked_for(
    client: TestClient, kb: KnowledgeBase, desk_worker: dict[str, Any], tmp_path: Path
) -> None:
    checked(client, desk_worker)
    response = client.get("/plan.pdf", params={"days": 3})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    days = client.get("/api/v1/plan", params={"days": 3}).json()["days"]
    name = f"upperback-plan-{days[0]['date']}-to-{days[-1]['date']}.pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = pdf_text(response.content, tmp_path)
        for exercise in days[0]["exercises"]:
            assert exercise["name"] in text
            assert " ".join(kb.exercises[exercise["id"]].steps[-1].split()) in text


@pytest.mark.parametrize("extra", [{"fever": True, "pain_over_spine": True}, None],
                         ids=["urgent", "no check"])
def test_with_no_plan_the_pdf_link_shows_the_plan_pages_message(
    client: TestClient, kb: KnowledgeBase, desk_worker: dict[str, Any],
    extra: dict[str, Any] | None,
) -> None:
    rules = kb.exercise_book.programme
    if extra is not None:
        checked(client, desk_worker | extra)
    response = client.get("/plan.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in response.headers
    assert (rules.not_offered if extra else rules.no_check) in response.text
    assert "Print or save as PDF" not in response.text


def test_in_public_mode_the_plan_pdf_needs_a_diary_and_reads_only_that_one(
    tmp_path: Path, desk_worker: dict[str, Any], kb: KnowledgeBase
) -> None:
    settings = WebSettings(db_url=f"sqlite:///{tmp_path / 'site.db'}", secret_key="s",
                           testing=True, public=True, writes_per_minute=None,
                           diary_writes_per_minute=None)
    with TestClient(create_app(settings)) as site:
        refused = site.get("/plan.pdf")
        assert refused.status_code == 401
        assert b"%PDF" not in refused.content
        mine, other = (site.post("/api/v1/diaries", json={}).json()["key"] for _ in range(2))
        site.cookies.clear()
        answer = site.post("/api/v1/checks", json={"answers": desk_worker},
                           headers={"Authorization": f"Bearer {mine}"})
        assert answer.status_code in (200, 201), answer.text
        pdf = site.get("/plan.pdf", headers={"Authorization": f"Bearer {mine}"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        theirs = site.get("/plan.pdf", headers={"Authorization": f"Bearer {other}"})
        assert theirs.headers["content-type"].startswith("text/html")
        assert kb.exercise_book.programme.no_check in theirs.text
