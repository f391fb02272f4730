"""The break reminder page without JavaScript: the schedule, the ideas and the choices from
the knowledge base, and the log of a break taken (its token, the write cap, public mode)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from upperback import KnowledgeBase
from upperback.knowledge_models import BreakRules
from upperback.store import Store
from upperback.store.diaries import open_diary
from upperback.web import WebSettings, create_app

from .flows import csrf_token


@pytest.fixture
def rules(kb: KnowledgeBase) -> BreakRules:
    return kb.exercise_book.break_reminders


def breaks_saved(settings: WebSettings) -> list[int]:
    with Store.open(settings.db_url) as store:
        return [seconds for _, seconds in store.each_break()]


def test_the_page_shows_the_usual_schedule_the_ideas_and_a_plain_form(
    client: TestClient, rules: BreakRules, kb: KnowledgeBase
) -> None:
    page = client.get("/breaks")
    assert page.status_code == 200
    html = page.text
    assert f"every <strong>{rules.every_minutes} minutes</strong>" in html
    assert f"<strong>{rules.length_seconds} seconds</strong>" in html
    for n in range(1, 5):  # the next four breaks, with their clock times on one's own server
        assert re.search(rf"after {rules.every_minutes * n} minutes, at \d\d:\d\d", html)
    for idea in rules.ideas:
        assert idea.replace("'", "&#39;") in html
    low, high = rules.every_range
    assert '<form method="get" action="/breaks">' in html
    assert f'id="every" name="every" inputmode="numeric" min="{low}" max="{high}"' in html
    low, high = rules.length_range
    assert f'id="length" name="length" inputmode="numeric" min="{low}" max="{high}"' in html
    assert '<form method="post" action="/breaks/log">' in html
    assert f"Put it off {rules.postpone_minutes} minutes" in html
    assert re.search(r'src="/static/breaks\.js\?v=[0-9a-f]{12}"', html)
    # The countdown is for JavaScript to show; without it, the schedule above stands.
    assert re.search(r"<div data-breaks [^>]*hidden>", html)
    for source in kb.cited_sources(rules.sources):
        assert source.publisher in html


def test_a_chosen_interval_and_length_change_the_schedule(client: TestClient) -> None:
    html = client.get("/breaks", params={"every": "45", "length": "120"}).text
    assert "every <strong>45 minutes</strong>" in html
    assert "<strong>120 seconds</strong>" in html
    assert re.search(r"after 90 minutes, at \d\d:\d\d", html)
    assert 'data-every="2700" data-length="120"' in html


@pytest.mark.parametrize(("query", "words"), [
    ({"every": "2"}, "Choose the minutes between breaks: a whole number of minutes from 5 to 120."),
    ({"every": "many"}, "Choose the minutes between breaks"),
    ({"length": "99999"},
     "Choose how long a break lasts: a whole number of seconds from 10 to 900."),
])
def test_a_choice_out_of_range_names_the_range_and_keeps_the_usual_schedule(
    client: TestClient, rules: BreakRules, query: dict[str, str], words: str
) -> None:
    page = client.get("/breaks", params=query)
    assert page.status_code == 400
    assert words in page.text
    assert f"every <strong>{rules.every_minutes} minutes</strong>" in page.text


def test_a_break_taken_is_saved_to_the_diary_and_the_choices_are_kept(
    client: TestClient, settings: WebSettings
) -> None:
    token = csrf_token(client.get("/breaks").text)
    answer = client.post("/breaks/log", data={"csrf_token": token, "seconds": "60",
                                              "every": "45", "length": "60"},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/breaks?every=45&length=60&logged=1"
    assert "Break saved to your diary." in client.get(answer.headers["location"]).text
    assert breaks_saved(settings) == [60]


def test_the_script_logs_a_break_with_a_fetch_and_gets_no_page_back(
    client: TestClient, settings: WebSettings
) -> None:
    token = csrf_token(client.get("/breaks").text)
    answer = client.post("/breaks/log", data={"csrf_token": token, "seconds": "7"},
                         headers={"X-Requested-With": "fetch"})
    assert answer.status_code == 204
    assert breaks_saved(settings) == [7]


def test_a_break_without_the_forms_token_is_refused_and_not_saved(
    client: TestClient, settings: WebSettings
) -> None:
    client.get("/breaks")
    answer = client.post("/breaks/log", data={"csrf_token": "forged", "seconds": "60"})
    assert answer.status_code == 403
    assert breaks_saved(settings) == []


@pytest.mark.parametrize("seconds", ["0", "901", "-5", "a minute", "", "00000060"])
def test_a_break_of_a_length_out_of_range_is_refused(
    client: TestClient, settings: WebSettings, seconds: str
) -> None:
    token = csrf_token(client.get("/breaks").text)
    answer = client.post("/breaks/log", data={"csrf_token": token, "seconds": seconds})
    assert answer.status_code == 400
    assert "from 1 to 900" in answer.text
    assert breaks_saved(settings) == []


def test_logging_breaks_is_capped_by_the_write_limit(tmp_path: Path) -> None:
    settings = WebSettings(db_url=f"sqlite:///{tmp_path / 'diary.db'}", secret_key="test",
                           testing=True, writes_per_minute=2)
    with TestClient(create_app(settings)) as client:
        token = csrf_token(client.get("/breaks").text)
        codes = [client.post("/breaks/log", data={"csrf_token": token, "seconds": "30"},
                             follow_redirects=False).status_code for _ in range(3)]
    assert codes == [303, 303, 429]
    assert breaks_saved(settings) == [30, 30]


def test_in_public_mode_a_visitor_without_a_diary_is_asked_to_start_one(
    tmp_path: Path,
) -> None:
    settings = WebSettings(db_url=f"sqlite:///{tmp_path / 'site.db'}", secret_key="public",
                           testing=True, public=True, writes_per_minute=None,
                           diary_writes_per_minute=None)
    with TestClient(create_app(settings)) as site:
        page = site.get("/breaks")
        assert page.status_code == 200
        assert 'href="/diary/start">start a private diary</a>' in page.text
        assert 'data-can-log="0"' in page.text
        # The server's clock is not the visitor's: no clock times, only "after N minutes".
        assert re.search(r"after 30 minutes</li>", page.text)
        assert not re.search(r", at \d\d:\d\d", page.text)
        token = re.search(r'data-csrf="([^"]+)"', page.text)  # the script's copy: no form
        assert token
        answer = site.post("/breaks/log", data={"csrf_token": token.group(1), "seconds": "60"})
        assert answer.status_code == 401
        assert "This needs your private diary" in answer.text
        assert breaks_saved(settings) == []


def test_in_public_mode_a_break_goes_into_the_visitors_own_diary(tmp_path: Path) -> None:
    settings = WebSettings(db_url=f"sqlite:///{tmp_path / 'site.db'}", secret_key="public",
                           testing=True, public=True, writes_per_minute=None,
                           diary_writes_per_minute=None)
    with TestClient(create_app(settings)) as site:
        started = site.post("/api/v1/diaries", json={})
        assert started.status_code == 201
        page = site.get("/breaks")  # the diary cookie is now this browser's
        assert 'data-can-log="1"' in page.text
        answer = site.post("/breaks/log", data={"csrf_token": csrf_token(page.text),
                                                "seconds": "45"}, follow_redirects=False)
        assert answer.status_code == 303
    with Store.open(settings.db_url) as store:
        diary = open_diary(store, started.json()["key"])
        assert diary is not None
        assert [s for _, s in store.for_diary(diary).each_break()] == [45]


def test_the_plan_page_links_to_the_break_reminders_and_the_posture_check(
    client: TestClient,
) -> None:
    html = client.get("/plan").text
    assert '<a href="/breaks">Break reminders</a>' in html
    assert '<a href="/posture">Posture check with your camera</a>' in html
