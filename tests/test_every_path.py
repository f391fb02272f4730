"""Anything written by any path is read back by every reader without a 5xx or a traceback.

Two halves, one diary file each:
- hypothesis writes arbitrary Unicode, numbers and dates into every field, through the API,
  the web form and the terminal (`upperback log`), and then every page, export, API list and
  terminal command reads the diary: none may answer 5xx or raise;
- rows no version of upperback writes (text that is not UTF-8, JSON that does not parse, a
  time that is not a time, odd JSON types) are put straight into the SQLite file, and every
  reader shows them.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upperback.cli import main
from upperback.documents.export import CSV_KINDS
from upperback.store import Store
from upperback.web import WebSettings, create_app

pytestmark = pytest.mark.slow

# Every page and API list that reads the diary (the result pages are added per saved check).
READ_PATHS = (
    "/", "/diary", "/timer", "/about", "/data/delete", "/check",
    "/diary/export.csv", "/diary/export.json", "/diary/export.fhir.json", "/diary/report.pdf",
    "/api/v1/checks", "/api/v1/diary/entries", "/api/v1/diary/trend", "/api/v1/timers",
    "/api/v1/diary/medicines",
    "/api/v1/about",
)
COMMANDS = (["history"], ["history", "--no-chart"], ["export", "-f", "json"],
            *(["export", "-f", "csv", "--kind", kind] for kind in CSV_KINDS),
            ["export", "-f", "fhir"])


@pytest.fixture(scope="module")
def diary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("every-path") / "diary.db"


@pytest.fixture(scope="module")
def client(diary: Path) -> Iterator[TestClient]:
    settings = WebSettings(db_url=f"sqlite:///{diary}", secret_key="k", testing=True,
                           writes_per_minute=None, diary_writes_per_minute=None)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def run_command(diary: Path, *args: str) -> int:
    """Run `upperback --db DIARY ARGS` in-process; an exception fails the test."""
    return main(["--db", str(diary), *args], {})


def read_everything(client: TestClient, diary: Path, tmp: Path) -> None:
    """Every reader, once: no 5xx, no exception, and the terminal exits 0."""
    paths = list(READ_PATHS)
    checks = client.get("/api/v1/checks?limit=5").json()
    paths += [f"/result/{c['id']}" for c in checks] + [f"/api/v1/checks/{c['id']}"
                                                        for c in checks]
    for path in paths:
        answer = client.get(path)
        assert answer.status_code < 500, (path, answer.status_code, answer.text[:300])
    for command in COMMANDS:
        assert run_command(diary, *command) == 0, command
    assert run_command(diary, "report", "--pdf", str(tmp / "report.pdf")) == 0


# -- any value, by every path --------------------------------------------------------------

ANY_TEXT = st.text(max_size=60)  # every code point, lone surrogates and controls included
ANY_NUMBER = st.one_of(st.integers(min_value=-(2**70), max_value=2**70),
                       st.floats(allow_nan=False, allow_infinity=False), st.booleans())
ANY_DATE = st.one_of(
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),  # no zone
    st.sampled_from(["0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "253402300800",
                     "2026-02-30T10:00:00Z", "yesterday"]),
    ANY_TEXT,
)
ANY_VALUE = st.one_of(st.none(), ANY_TEXT, ANY_NUMBER, ANY_DATE,
                      st.lists(ANY_TEXT, max_size=3))



@st.composite
def writes(draw: st.DrawFn) -> dict[str, Any]:
    """One write of each kind, with any value in any field."""
    return {
        "entry": {
            "pain": draw(st.one_of(st.integers(0, 10), ANY_VALUE)),
            "where": draw(ANY_VALUE), "helped": draw(ANY_VALUE), "note": draw(ANY_VALUE),
            "symptoms": draw(st.one_of(st.lists(ANY_TEXT, max_size=3), ANY_VALUE)),
            "created_at": draw(st.one_of(st.none(), ANY_DATE)),
        },
        "timer": {
            "kind": draw(st.one_of(st.sampled_from(["ice", "heat"]), ANY_TEXT)),
            "planned_minutes": draw(st.one_of(st.integers(1, 20), ANY_VALUE)),
            "seconds": draw(st.one_of(st.integers(0, 1200), ANY_VALUE)),
            "completed": draw(st.one_of(st.booleans(), ANY_VALUE)),
            "started_at": draw(st.one_of(st.none(), ANY_DATE)),
        },
        "dose": {
            "medicine": draw(st.one_of(st.sampled_from(["ibuprofen", "paracetamol"]), ANY_TEXT)),
            "dose_mg": draw(st.one_of(st.integers(1, 5000), ANY_VALUE)),
            "at": draw(st.one_of(st.none(), ANY_DATE)),
        },
        "answers": draw(st.dictionaries(
            st.one_of(st.sampled_from(["age", "fever", "pain_severity", "duration_days"]),
                      ANY_TEXT),
            ANY_VALUE, max_size=3,
        )),
        "form": {name: draw(ANY_TEXT) for name in ("pain", "where", "helped", "note")},
        "terminal": {"pain": draw(st.one_of(st.integers(-1, 11).map(str), ANY_TEXT)),
                     "note": draw(ANY_TEXT),
                     "medicine": draw(st.one_of(st.just("ibuprofen"), ANY_TEXT)),
                     "dose_mg": draw(st.one_of(st.integers(-1, 6000).map(str), ANY_TEXT)),
                     "at": draw(st.one_of(st.just("2026-11-20 08:00"), ANY_TEXT))},
    }


def _terminal_text(text: str) -> str:
    # What a shell can pass: no NUL, and the OS gives surrogate escapes for undecodable bytes.
    return text.replace("\x00", "")


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(write=writes())
def test_anything_written_by_any_path_is_read_by_every_reader(
    client: TestClient, diary: Path, tmp_path: Path, write: dict[str, Any]
) -> None:
    for path, body in (("/api/v1/diary/entries", write["entry"]),
                       ("/api/v1/timers", write["timer"]),
                       ("/api/v1/diary/medicines", write["dose"]),
                       ("/api/v1/checks", {"answers": write["answers"]})):
        answer = client.post(path, json=body)
        assert answer.status_code < 500, (path, body, answer.text[:300])
    page = client.get("/diary").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    form = {name: value.replace("\x00", "") for name, value in write["form"].items()}
    answer = client.post("/diary/entries", data=form | {"csrf_token": token.group(1)})
    assert answer.status_code < 500, (form, answer.text[:300])
    terminal = write["terminal"]
    code = run_command(diary, "log", "--pain", _terminal_text(terminal["pain"]),
                       "--note", _terminal_text(terminal["note"]))
    assert code in (0, 2)
    code = run_command(diary, "took", _terminal_text(terminal["medicine"]),
                       _terminal_text(terminal["dose_mg"]), "--at", _terminal_text(terminal["at"]))
    assert code in (0, 2)
    read_everything(client, diary, tmp_path)


# -- rows no version writes, straight into the file -----------------------------------------

HOSTILE_ENTRIES = [
    # (created_at, location, note, symptoms), as SQL expressions
    ("'2025-03-01 09:30:00'", "CAST(X'636166E9' AS TEXT)", "'not UTF-8 in where'", "'[]'"),
    ("'2025-03-02 09:30:00'", "NULL", "'JSON that does not parse'", "'[\"x\"'"),
    ("'not a time at all'", "NULL", "'a time that is not one'", "'[]'"),
    ("'2025-03-03 09:30:00'", "NULL", "'symptoms as an object'", "'{\"a\": [1, 2]}'"),
    ("'2025-03-04 09:30:00'", "NULL", "CAST(X'FFFE00' AS TEXT)", "'[1, null, 2.5]'"),
]


@pytest.fixture
def hostile_diary(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.db"
    with Store.open(str(path)) as store:
        store.log_timer("ice", 10, 600, True)
    connection = sqlite3.connect(path)
    with connection:
        for moment, where, note, symptoms in HOSTILE_ENTRIES:
            connection.execute(
                "INSERT INTO diary_entries (created_at, pain, location, note, symptoms) "
                f"VALUES ({moment}, 5, {where}, {note}, {symptoms})"
            )
        connection.execute(
            "INSERT INTO checks (created_at, answers, result, version) VALUES "
            "('2025-03-05 09:30:00', '{\"age\": 40', CAST(X'7B22E922' AS TEXT), '0.1')"
        )
        connection.execute(
            "INSERT INTO checks (created_at, answers, result, version) VALUES "
            "('2025-03-06 09:30:00', '[1, 2]', '\"a string\"', NULL)"
        )
    connection.close()
    return path


def test_rows_no_version_writes_are_read_by_every_reader(
    hostile_diary: Path, tmp_path: Path
) -> None:
    with Store.open(str(hostile_diary)) as store:
        entries = store.entries()
        checks = store.checks()
    assert len(entries) == 5 and len(checks) == 2
    assert {e.where for e in entries} >= {"caf\ufffd"}
    assert ['["x"'] in [e.symptoms for e in entries]
    assert all(c.answers == {} for c in checks)
    settings = WebSettings(db_url=f"sqlite:///{hostile_diary}", secret_key="k", testing=True)
    with TestClient(create_app(settings)) as client:
        read_everything(client, hostile_diary, tmp_path)
        assert "caf\ufffd" in client.get("/api/v1/diary/entries").text
