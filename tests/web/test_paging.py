"""The diary's lists come a page at a time: the API's `limit` and `before`, its Link header,
422s in the API's error shape, and the diary page's links to older and newer entries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from upperback.store import Store
from upperback.web import WebSettings

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
LINK = re.compile(r'<([^>]+)>; rel="([a-z]+)"')


@pytest.fixture
def diary(settings: WebSettings) -> Iterator[Store]:
    """The app's own diary, opened beside it to fill it quickly."""
    with Store.open(settings.db_url) as store:
        yield store


def add_entries(store: Store, count: int) -> None:
    for n in range(count):
        store.add_entry(n % 11, note=f"note {n}", created_at=T0 + timedelta(hours=n))


def add_timers(store: Store, count: int) -> None:
    for n in range(count):
        store.log_timer("heat", 15, 900, True, started_at=T0 + timedelta(hours=n))


def add_checks(store: Store, count: int, desk: tuple[dict[str, Any], dict[str, Any]]) -> None:
    for n in range(count):
        store.save_check(*desk, created_at=T0 + timedelta(hours=n))


def links(response: Any) -> dict[str, str]:
    """The Link header's targets by relation."""
    return {rel: url for url, rel in LINK.findall(response.headers.get("link", ""))}


LISTS = {
    "/api/v1/diary/entries": ("created_at", add_entries),
    "/api/v1/timers": ("started_at", add_timers),
    "/api/v1/checks": ("created_at", None),
}


def fill(path: str, diary: Store, count: int, desk: tuple[dict[str, Any], dict[str, Any]]
         ) -> str:
    moment, add = LISTS[path]
    if add is None:
        add_checks(diary, count, desk)
    else:
        add(diary, count)
    return moment


@pytest.mark.parametrize("path", list(LISTS))
def test_the_api_pages_through_a_list_by_its_link_header(
    client: TestClient, diary: Store, path: str, desk_check: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    moment = fill(path, diary, 7, desk_check)
    first = client.get(f"{path}?limit=3")
    assert first.status_code == 200
    # Each page is a list, oldest first as before; the first page holds the newest.
    assert [item[moment] for item in first.json()] == sorted(i[moment] for i in first.json())
    assert set(links(first)) == {"next"}
    seen = [first.json()]
    response = first
    while "next" in links(response):
        target = links(response)["next"]
        assert target.startswith(f"{path}?limit=3&before=")
        response = client.get(target)
        assert response.status_code == 200
        assert "prev" in links(response)
        seen.append(response.json())
    assert [len(page) for page in seen] == [3, 3, 1]
    ids = [item["id"] for page in reversed(seen) for item in page]
    assert ids == list(range(1, 8))  # every one once, each page's older than the last
    # The way back: the last page's previous page is the middle one.
    back = client.get(links(response)["prev"])
    assert back.json() == seen[1]
    assert links(client.get(links(back)["prev"])) == {"next": links(first)["next"]}


@pytest.mark.parametrize("path", list(LISTS))
def test_a_short_list_is_one_page_without_a_link(
    client: TestClient, diary: Store, path: str, desk_check: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    fill(path, diary, 3, desk_check)
    response = client.get(path)
    assert len(response.json()) == 3
    assert "link" not in response.headers


def test_the_default_page_is_the_newest_fifty_entries(client: TestClient, diary: Store) -> None:
    add_entries(diary, 55)
    response = client.get("/api/v1/diary/entries")
    assert [e["note"] for e in response.json()] == [f"note {n}" for n in range(5, 55)]
    older = client.get(links(response)["next"])
    assert links(response)["next"].startswith("/api/v1/diary/entries?limit=50&before=")
    assert [e["note"] for e in older.json()] == [f"note {n}" for n in range(5)]


def test_the_largest_page_is_two_hundred(client: TestClient, diary: Store) -> None:
    add_entries(diary, 205)
    assert len(client.get("/api/v1/diary/entries?limit=200").json()) == 200


@pytest.mark.parametrize("path", list(LISTS))
@pytest.mark.parametrize("limit", ["0", "-1", "201", "lots", "2.5", ""])
def test_a_bad_limit_is_a_422_naming_the_field_and_what_is_allowed(
    client: TestClient, path: str, limit: str
) -> None:
    response = client.get(f"{path}?limit={limit}")
    assert response.status_code == 422
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field", "allowed"}
    assert error["code"] == "invalid"
    assert error["field"] == "limit"
    assert error["allowed"] == "a whole number from 1 to 200"


@pytest.mark.parametrize("path", list(LISTS))
@pytest.mark.parametrize("cursor", ["nonsense!", "bm90IGEgY3Vyc29y", "", "A" * 300])
def test_a_bad_cursor_is_a_422_naming_before(client: TestClient, path: str, cursor: str
                                             ) -> None:
    response = client.get(path, params={"before": cursor})
    assert response.status_code == 422
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field", "allowed"}
    assert error["code"] == "invalid"
    assert error["field"] == "before"
    assert "cursor" in error["allowed"]


def test_the_openapi_document_describes_the_page_parameters_and_the_link_header(
    client: TestClient,
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for path in LISTS:
        operation = document["paths"][path]["get"]
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert parameters["limit"]["schema"]["maximum"] == 200
        assert parameters["limit"]["schema"]["default"] == 50
        assert "before" in parameters
        assert "Link" in operation["responses"]["200"]["headers"]


# -- the diary page -------------------------------------------------------------------------


def page_links(html: str, label: str) -> dict[str, str]:
    """The older and newer links in one of the page's pagers, by rel."""
    found = re.search(rf'<nav class="actions" aria-label="{label}">(.*?)</nav>', html, re.S)
    if found is None:
        return {}
    return {rel: unescape(href)
            for href, rel in re.findall(r'href="([^"]+)" rel="([a-z]+)"', found.group(1))}


def notes(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<td>note (\d+)</td>", html)]


def test_the_diary_page_shows_the_newest_fifty_entries_and_links_to_older_ones(
    client: TestClient, diary: Store
) -> None:
    add_entries(diary, 120)
    page = client.get("/diary").text
    assert notes(page) == list(range(119, 69, -1))
    assert page.count('class="chart-point"') == 50
    assert "The newest 50 of 120 entries." in page
    pager = page_links(page, "Pages of diary entries")
    assert set(pager) == {"next"} and pager["next"].startswith("/diary?before=")

    second = client.get(pager["next"]).text
    assert notes(second) == list(range(69, 19, -1))
    back = page_links(second, "Pages of diary entries")
    assert back["prev"] == "/diary#entries"
    cursor = pager["next"].split("before=")[1].split("#")[0]
    assert f'href="/api/v1/diary/entries?before={cursor}"' in second  # the JSON twin, likewise

    third = client.get(back["next"]).text
    assert notes(third) == list(range(19, -1, -1))
    assert set(page_links(third, "Pages of diary entries")) == {"prev"}
    assert notes(client.get(page_links(third, "Pages of diary entries")["prev"]).text) == notes(
        second
    )


def test_the_diary_pages_twin_lists_the_same_entries(client: TestClient, diary: Store) -> None:
    add_entries(diary, 70)
    page = client.get("/diary").text
    older = page_links(page, "Pages of diary entries")["next"]
    twin = re.search(r'rel="alternate" type="application/json" href="([^"]+)"',
                     client.get(older).text)
    assert twin is not None
    listed = client.get(unescape(twin.group(1))).json()
    assert [e["note"] for e in reversed(listed)] == [f"note {n}" for n in notes(
        client.get(older).text)]


def test_a_small_diary_has_no_page_links(client: TestClient, diary: Store) -> None:
    add_entries(diary, 3)
    page = client.get("/diary").text
    assert notes(page) == [2, 1, 0]
    assert 'aria-label="Pages of' not in page
    assert "The newest" not in page


def test_the_diary_page_shows_a_bounded_list_of_sessions_and_checks(
    client: TestClient, diary: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    add_timers(diary, 13)
    add_checks(diary, 12, desk_check)
    page = client.get("/diary").text
    assert len(re.findall(r'href="/result/\d+"', page)) == 10
    assert "The newest 10 of 13 sessions." in page and "The newest 10 of 12 checks." in page
    older_checks = page_links(page, "Pages of checks")["next"]
    assert older_checks.startswith("/diary?checks_before=") and older_checks.endswith("#checks")
    second = client.get(older_checks).text
    assert re.findall(r'href="/result/(\d+)"', second) == ["2", "1"]
    # The other lists stay where they were, and their links keep the checks' page.
    assert "The newest 10 of 13 sessions." in second
    timers = page_links(second, "Pages of sessions")["next"]
    assert "timers_before=" in timers and older_checks.split("#")[0].split("?")[1] in timers
    third = client.get(timers).text
    assert re.findall(r'href="/result/(\d+)"', third) == ["2", "1"]
    assert "3 older sessions of 13" in third


@pytest.mark.parametrize("query", ["before=nonsense", "timers_before=x", "checks_before=%21"])
def test_a_damaged_diary_link_is_a_422_page_in_plain_words(client: TestClient, query: str
                                                          ) -> None:
    response = client.get(f"/diary?{query}")
    assert response.status_code == 422
    assert "This link to a page of your diary is not valid" in response.text
