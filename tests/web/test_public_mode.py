"""Public mode (`serve --public`): every visitor's diary is private, on SQLite and PostgreSQL.

Two visitors, A and B, each with a diary key. Whatever A saved, B can neither read, change nor
delete, through any personal endpoint, page or export, even knowing A's ids; without a diary a
personal endpoint answers 401 in the API's error shape, and the check, the guide and the
timers work with nothing stored.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from upperback.store import Store
from upperback.store.diaries import create_diary, open_diary, prune_diaries
from upperback.web import WebSettings, create_app

from .flows import csrf_token

NOTE = "private note about the left shoulder from visitor A"
ANSWERS = {"age": 34, "sex": "female", "duration_days": 10, "pain_severity": 4}


@pytest.fixture
def public_url(database_url: str) -> str:
    return database_url


@pytest.fixture
def site(public_url: str) -> Iterator[TestClient]:
    """A public site on the test's backend."""
    settings = WebSettings(db_url=public_url, secret_key="public-secret", testing=True,
                           public=True, writes_per_minute=None, diary_writes_per_minute=None)
    with TestClient(create_app(settings)) as client:
        yield client


def _new_key(site: TestClient) -> str:
    answer = site.post("/api/v1/diaries", json={})
    assert answer.status_code == 201, answer.text
    site.cookies.clear()  # the API clients below say who they are with the Bearer key only
    key = answer.json()["key"]
    assert isinstance(key, str)
    return key


def _clear_of_a_window_end(window: int = 60, margin: float = 5.0) -> None:
    """Wait until the current rate window has at least `margin` seconds left: caps count in
    fixed windows, and a test that straddles one would see its count start again."""
    left = window - time.time() % window
    if left < margin:
        time.sleep(left + 0.1)


def _as(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def keys(site: TestClient) -> tuple[str, str]:
    return _new_key(site), _new_key(site)


@pytest.fixture
def a_records(site: TestClient, keys: tuple[str, str]) -> dict[str, int]:
    """Everything visitor A saves: a check, a diary entry, a timer session and a dose."""
    a = _as(keys[0])
    check = site.post("/api/v1/checks", json={"answers": ANSWERS}, headers=a)
    entry = site.post("/api/v1/diary/entries", json={"pain": 6, "note": NOTE}, headers=a)
    timer = site.post("/api/v1/timers", json={"kind": "heat", "planned_minutes": 15,
                                              "seconds": 900, "completed": True}, headers=a)
    dose = site.post("/api/v1/diary/medicines", json={"medicine": "ibuprofen", "dose_mg": 200},
                     headers=a)
    for answer in (check, entry, timer, dose):
        assert answer.status_code == 201, answer.text
    return {"check": check.json()["id"], "entry": entry.json()["id"]}


PERSONAL_READS = ["/api/v1/checks", "/api/v1/diary/entries", "/api/v1/diary/medicines",
                  "/api/v1/timers", "/api/v1/diary/trend", "/api/v1/diary/recheck",
                  "/api/v1/plan"]


@pytest.mark.parametrize("path", PERSONAL_READS)
def test_a_personal_endpoint_without_a_diary_answers_401_in_the_error_shape(
    site: TestClient, path: str
) -> None:
    answer = site.get(path)
    assert answer.status_code == 401
    error = answer.json()["error"]
    assert error["code"] == "no_diary"
    assert error["field"] == "Authorization"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/api/v1/diary/entries", {"pain": 3}),
    ("POST", "/api/v1/checks", {"answers": ANSWERS}),
    ("POST", "/api/v1/timers", {"kind": "ice", "planned_minutes": 10, "seconds": 600,
                                "completed": True}),
    ("DELETE", "/api/v1/data", None),
])
def test_a_write_without_a_diary_is_refused_and_stores_nothing(
    site: TestClient, public_url: str, method: str, path: str, body: Any
) -> None:
    answer = site.request(method, path, json=body)
    assert answer.status_code == 401
    with Store.open(public_url) as store:
        assert store.counts().entries == 0 and store.counts().checks == 0


def test_a_new_diary_has_a_long_random_key_kept_only_as_a_hash(
    site: TestClient, public_url: str
) -> None:
    answer = site.post("/api/v1/diaries", json={})
    key = answer.json()["key"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", key)  # 32 bytes: 256 bits
    cookie = answer.headers["set-cookie"]
    assert f"upperback_diary={key}" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "/diary/open?code=" in answer.json()["recovery_link"]
    engine = create_engine(public_url)
    with engine.connect() as connection:
        stored = [row[0] for row in connection.execute(text("SELECT key_hash FROM diaries"))]
    engine.dispose()
    assert len(stored) == 1 and key not in stored[0]


def test_the_same_key_opens_the_same_diary_and_a_wrong_one_is_refused(
    site: TestClient, keys: tuple[str, str]
) -> None:
    a = _as(keys[0])
    site.post("/api/v1/diary/entries", json={"pain": 2}, headers=a)
    assert len(site.get("/api/v1/diary/entries", headers=a).json()) == 1
    unknown = site.get("/api/v1/diary/entries", headers=_as("A" * 43))
    assert unknown.status_code == 401 and unknown.json()["error"]["code"] == "unknown_key"
    malformed = site.get("/api/v1/diary/entries", headers={"Authorization": "Basic abc"})
    assert malformed.status_code == 401 and malformed.json()["error"]["code"] == "invalid_key"


@pytest.mark.parametrize("path", PERSONAL_READS)
def test_another_visitor_reads_none_of_a_diary(
    site: TestClient, keys: tuple[str, str], a_records: dict[str, int], path: str
) -> None:
    answer = site.get(path, headers=_as(keys[1]))
    assert answer.status_code == 200, answer.text
    assert answer.json() in ([], None) or NOTE not in answer.text
    if path in ("/api/v1/checks", "/api/v1/diary/entries", "/api/v1/diary/medicines",
                "/api/v1/timers"):
        assert answer.json() == []
        assert site.get(path, headers=_as(keys[0])).json() != []


def test_another_visitor_cannot_open_change_or_delete_a_record_by_its_id(
    site: TestClient, keys: tuple[str, str], a_records: dict[str, int]
) -> None:
    b = _as(keys[1])
    check, entry = a_records["check"], a_records["entry"]
    assert site.get(f"/api/v1/checks/{check}", headers=b).status_code == 404
    assert site.patch(f"/api/v1/diary/entries/{entry}", json={"pain": 0},
                      headers=b).status_code == 404
    assert site.delete(f"/api/v1/diary/entries/{entry}", headers=b).status_code == 404
    # A's records are untouched.
    mine = site.get("/api/v1/diary/entries", headers=_as(keys[0])).json()
    assert [(e["id"], e["pain"]) for e in mine] == [(entry, 6)]
    assert site.get(f"/api/v1/checks/{check}", headers=_as(keys[0])).status_code == 200


def test_deleting_my_data_deletes_my_diary_only(
    site: TestClient, keys: tuple[str, str], a_records: dict[str, int]
) -> None:
    b = _as(keys[1])
    site.post("/api/v1/diary/entries", json={"pain": 1}, headers=b)
    assert site.delete("/api/v1/data", headers=b).json() == {"deleted": True}
    assert len(site.get("/api/v1/diary/entries", headers=_as(keys[0])).json()) == 1
    gone = site.get("/api/v1/diary/entries", headers=b)
    assert gone.status_code == 401  # B's diary itself is deleted: the key opens nothing


def _browser(site: TestClient, key: str) -> TestClient:
    site.cookies.clear()
    site.cookies.set("upperback_diary", key)
    return site


@pytest.mark.parametrize("path", ["/diary", "/diary/export.json", "/diary/export.csv?kind=entries",
                                  "/diary/export.fhir.json", "/plan"])
def test_another_visitors_pages_and_exports_hold_none_of_a_diary(
    site: TestClient, keys: tuple[str, str], a_records: dict[str, int], path: str
) -> None:
    page = _browser(site, keys[1]).get(path)
    assert page.status_code == 200
    assert NOTE not in page.text
    assert NOTE in _browser(site, keys[0]).get(path).text or path == "/plan"


def test_another_visitor_cannot_open_a_result_page_by_its_number(
    site: TestClient, keys: tuple[str, str], a_records: dict[str, int]
) -> None:
    check = a_records["check"]
    assert _browser(site, keys[1]).get(f"/result/{check}").status_code == 404
    assert _browser(site, keys[1]).get(f"/result/{check}.json").status_code == 404
    assert _browser(site, keys[0]).get(f"/result/{check}").status_code == 200


def test_another_visitors_delete_form_leaves_a_diary_whole(
    site: TestClient, keys: tuple[str, str], a_records: dict[str, int]
) -> None:
    b = _browser(site, keys[1])
    token = csrf_token(b.get("/data/delete").text)
    done = b.post("/data/delete", data={"csrf_token": token, "confirm": "yes"},
                  follow_redirects=False)
    assert done.status_code == 303
    assert "upperback_diary=" in done.headers["set-cookie"]  # the cookie is taken away
    assert len(site.get("/api/v1/diary/entries", headers=_as(keys[0])).json()) == 1


def test_a_page_that_needs_a_diary_offers_to_start_or_open_one(site: TestClient) -> None:
    page = site.get("/diary")
    assert page.status_code == 401
    assert "This needs your private diary" in page.text
    assert 'href="/diary/start"' in page.text and 'href="/diary/open"' in page.text


def test_a_visitor_starts_a_diary_on_the_page_and_is_shown_its_recovery_code_once(
    site: TestClient
) -> None:
    start = site.get("/diary/start")
    assert "only key to your diary" in start.text
    shown = site.post("/diary/start", data={"csrf_token": csrf_token(start.text)})
    key = re.search(r'<code id="recovery-code">([A-Za-z0-9_-]{43})</code>', shown.text)
    assert key is not None
    assert f"/diary/open?code={key[1]}" in shown.text
    assert "lost for good" in shown.text
    assert site.get("/diary").status_code == 200  # the cookie opens it now
    # On another device: the recovery code opens the same diary.
    other = site
    other.cookies.clear()
    form = other.get(f"/diary/open?code={key[1]}")
    assert f'value="{key[1]}"' in form.text
    opened = other.post("/diary/open", data={"csrf_token": csrf_token(form.text),
                                             "code": key[1]}, follow_redirects=False)
    assert opened.status_code == 303 and f"upperback_diary={key[1]}" in opened.headers[
        "set-cookie"]


def test_a_wrong_recovery_code_is_refused_on_the_form_with_the_code_kept(
    site: TestClient
) -> None:
    form = site.get("/diary/open")
    refused = site.post("/diary/open", data={"csrf_token": csrf_token(form.text),
                                             "code": "not-a-code"})
    assert refused.status_code == 422
    assert "opens no diary" in refused.text and 'value="not-a-code"' in refused.text


def test_the_api_about_names_no_path_or_setting(site: TestClient, public_url: str) -> None:
    about = site.get("/api/v1/about").json()
    assert "diary.db" not in str(about) and "/" not in about["database"]
    assert "postgresql" not in site.get("/about").text.lower()


def test_over_https_cookies_are_secure_and_hsts_is_sent(public_url: str) -> None:
    settings = WebSettings(db_url=public_url, secret_key="s", testing=True, public=True)
    with TestClient(create_app(settings), base_url="https://testserver") as secure:
        answer = secure.post("/api/v1/diaries", json={})
        assert "Secure" in answer.headers["set-cookie"]
        assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
    with TestClient(create_app(settings)) as plain:
        answer = plain.post("/api/v1/diaries", json={})
        assert "Secure" not in answer.headers["set-cookie"]
        assert "Strict-Transport-Security" not in answer.headers


def test_one_persons_server_makes_no_diaries(client: TestClient) -> None:
    answer = client.post("/api/v1/diaries", json={})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "one_diary"
    assert client.get("/api/v1/diary/entries").status_code == 200  # no key needed


def test_diaries_unused_too_long_are_deleted_with_all_they_hold(public_url: str) -> None:
    with Store.open(public_url) as store:
        now = datetime(2026, 12, 1, tzinfo=UTC)
        old, old_key = create_diary(store, now - timedelta(days=200))
        fresh, fresh_key = create_diary(store, now - timedelta(days=10))
        store.for_diary(old).add_entry(4)
        store.for_diary(fresh).add_entry(5)
        assert prune_diaries(store, 180, now) == 1
        assert open_diary(store, old_key, now) is None
        assert open_diary(store, fresh_key, now) == fresh
        assert [e.pain for e in store.for_diary(fresh).entries()] == [5]
        assert store.for_diary(old).entries() == []


def test_a_check_without_a_diary_shows_its_result_and_stores_nothing_until_saved(
    site: TestClient, public_url: str
) -> None:
    from upperback import load_knowledge

    from .flows import current_question, form_fields, self_care_answers

    kb = load_knowledge()
    page = site.get("/check/next")
    url = str(page.url)
    for _ in range(40):
        question = current_question(kb, url)
        if question is None:
            break
        fields = {"csrf_token": csrf_token(page.text)}
        fields |= form_fields(kb, question, self_care_answers(kb, question))
        page = site.post("/check/answer", data=fields)
        url = str(page.url)
    assert url.endswith("/check/result"), url
    assert "Nothing of this check is stored" in page.text
    with Store.open(public_url) as store:
        assert store.counts().checks == 0
    saved = site.post("/check/save", data={"csrf_token": csrf_token(page.text)})
    assert "Write down your recovery code" in saved.text
    with Store.open(public_url) as store:
        assert store.counts().checks == 0  # the one person's own records: none
    key = re.search(r'<code id="recovery-code">([A-Za-z0-9_-]{43})</code>', saved.text)
    assert key is not None
    site.cookies.clear()
    checks = site.get("/api/v1/checks", headers=_as(key[1])).json()
    assert len(checks) == 1


def test_the_write_cap_is_counted_in_the_database_in_public_mode(public_url: str) -> None:
    settings = WebSettings(db_url=public_url, secret_key="s", testing=True, public=True,
                           writes_per_minute=3)
    _clear_of_a_window_end()
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as other:
        key = one.post("/api/v1/diaries", json={}).json()["key"]  # the first write
        statuses = [client.post("/api/v1/diary/entries", json={"pain": 2},
                                headers=_as(key)).status_code for client in (other, one, other)]
    # Two apps (as two workers) share the count: 1 + 2 writes allowed, the fourth is 429.
    assert statuses == [201, 201, 429]


def test_a_visitors_records_get_ids_no_one_can_count_on(
    site: TestClient, keys: tuple[str, str]
) -> None:
    a = _as(keys[0])
    ids = [site.post("/api/v1/diary/entries", json={"pain": 3}, headers=a).json()["id"]
           for _ in range(5)]
    assert len(set(ids)) == 5
    # Not the next numbers: random over the API's whole numbers (1 to 2**31 - 1).
    assert sorted(ids) != list(range(min(ids), min(ids) + 5))
    assert all(1 <= i < 2**31 for i in ids) and max(ids) > 1000


def test_a_visitor_closes_the_diary_on_a_shared_device_and_it_stays(
    site: TestClient, keys: tuple[str, str], a_records: dict[str, int]
) -> None:
    browser = _browser(site, keys[0])
    page = browser.get("/diary")
    assert "close it on this device" in page.text
    done = browser.post("/diary/leave", data={"csrf_token": csrf_token(page.text)},
                        follow_redirects=False)
    assert done.status_code == 303 and 'upperback_diary=""' in done.headers["set-cookie"]
    assert len(site.get("/api/v1/diary/entries", headers=_as(keys[0])).json()) == 1


def test_a_database_problem_on_a_public_site_names_no_file_or_host(tmp_path: Any) -> None:
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file where the database's folder should be")
    settings = WebSettings(db_url=f"sqlite:///{folder / 'site.db'}", secret_key="s",
                           testing=True, public=True)
    with TestClient(create_app(settings)) as broken:
        answer = broken.post("/api/v1/diaries", json={})
    assert answer.status_code == 503
    assert "not-a-folder" not in answer.text and "site.db" not in answer.text
    assert answer.json()["error"]["message"].startswith("The site cannot reach its database")


def test_writes_into_one_diary_are_capped_across_addresses(public_url: str) -> None:
    settings = WebSettings(db_url=public_url, secret_key="s", testing=True, public=True,
                           writes_per_minute=100, diary_writes_per_minute=2)
    _clear_of_a_window_end()
    with TestClient(create_app(settings)) as site:
        key = site.post("/api/v1/diaries", json={}).json()["key"]
        site.cookies.clear()
        statuses = [site.post("/api/v1/diary/entries", json={"pain": 1},
                              headers=_as(key)).status_code for _ in range(3)]
        other = site.post("/api/v1/diaries", json={}).json()["key"]
        site.cookies.clear()
        elsewhere = site.post("/api/v1/diary/entries", json={"pain": 1}, headers=_as(other))
    assert statuses == [201, 201, 429]
    assert elsewhere.status_code == 201  # another diary has a cap of its own


def test_another_visitors_report_holds_none_of_a_diary(
    site: TestClient, keys: tuple[str, str], a_records: dict[str, int]
) -> None:
    import subprocess

    def report_text(key: str) -> str:
        page = _browser(site, key).get("/diary/report")
        answer = site.post("/diary/report.pdf", data={"csrf_token": csrf_token(page.text)})
        assert answer.status_code == 200, answer.text
        done = subprocess.run(["pdftotext", "-", "-"], input=answer.content,
                              capture_output=True, check=True)
        return done.stdout.decode("utf-8")

    assert "Ibuprofen" not in report_text(keys[1])
    assert "Ibuprofen" in report_text(keys[0])


def test_an_import_goes_into_the_importers_diary_only(
    site: TestClient, keys: tuple[str, str], a_records: dict[str, int]
) -> None:
    exported = _browser(site, keys[0]).get("/diary/export.json").json()
    site.cookies.clear()
    added = site.post("/api/v1/diary/import", json=exported, headers=_as(keys[1]))
    assert added.status_code == 200, added.text
    b_entries = site.get("/api/v1/diary/entries", headers=_as(keys[1])).json()
    a_entries = site.get("/api/v1/diary/entries", headers=_as(keys[0])).json()
    assert len(b_entries) == len(a_entries) == 1
    assert b_entries[0]["id"] != a_entries[0]["id"]  # a copy, with an id of its own


def test_an_idempotency_key_of_one_diary_neither_replays_nor_blocks_another(
    site: TestClient, keys: tuple[str, str]
) -> None:
    body = {"pain": 5}
    first = site.post("/api/v1/diary/entries", json=body,
                      headers=_as(keys[0]) | {"Idempotency-Key": "same-key-1"})
    other = site.post("/api/v1/diary/entries", json=body,
                      headers=_as(keys[1]) | {"Idempotency-Key": "same-key-1"})
    assert first.status_code == other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert first.json()["id"] != other.json()["id"]
    assert len(site.get("/api/v1/diary/entries", headers=_as(keys[1])).json()) == 1
