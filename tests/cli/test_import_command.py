"""`upperback import FILE`: a JSON export read back; exit 0 with the summary, exit 2 with one
red line on a bad file (and nothing saved)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from upperback.store import Store

from .conftest import Run, flat

T0 = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def backup(tmp_path: Path, run: Run, store: Store) -> Path:
    """An export of a diary with two entries, a timer session and a dose; the diary is then
    emptied, as on a new computer."""
    store.add_entry(5, where="neck", created_at=T0)
    store.add_entry(3, note="better", created_at=T0.replace(day=5))
    store.log_timer("heat", 20, 1200, True, started_at=T0)
    store.log_dose("ibuprofen", 200, taken_at=T0)
    path = tmp_path / "backup.json"
    assert run("export", "--output", str(path)).exit_code == 0
    store.forget()
    return path


def _edited(path: Path, change: dict[str, Any]) -> Path:
    document = json.loads(path.read_text("utf-8"))
    document["diary"][1].update(change)
    edited = path.with_name("edited.json")
    edited.write_text(json.dumps(document), "utf-8")
    return edited


def test_an_import_says_what_it_added(run: Run, backup: Path, store: Store) -> None:
    result = run("import", str(backup))
    assert result.exit_code == 0, result.output
    assert flat(result.stdout) == ("Imported 2 diary entries, 0 checks, 1 medicine dose and 1 "
                                   "timer session; 0 were already there.")
    assert [entry.pain for entry in store.entries()] == [5, 3]


def test_importing_the_same_file_again_adds_nothing(run: Run, backup: Path, store: Store
                                                    ) -> None:
    run("import", str(backup))
    result = run("import", str(backup))
    assert result.exit_code == 0
    assert "Imported 0 diary entries" in flat(result.stdout)
    assert "4 were already there" in flat(result.stdout)
    assert len(store.entries()) == 2


def test_a_dry_run_says_what_it_would_add_and_saves_nothing(run: Run, backup: Path,
                                                            store: Store) -> None:
    result = run("import", "--dry-run", str(backup))
    assert result.exit_code == 0
    assert flat(result.stdout).startswith("Would import 2 diary entries")
    assert "Nothing was saved (dry run)." in flat(result.stdout)
    assert store.entries() == []


def test_the_file_can_come_from_standard_input(run: Run, backup: Path, store: Store) -> None:
    result = run("import", "-", input=backup.read_text("utf-8"))
    assert result.exit_code == 0, result.output
    assert len(store.entries()) == 2


def test_a_bad_record_is_one_red_line_naming_it_and_nothing_is_saved(
    run: Run, backup: Path, store: Store
) -> None:
    result = run("import", str(_edited(backup, {"pain": 11})))
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line == ("Error: diary[1].pain: must be a whole number from 0 to 10 (not 11). "
                    "Nothing was imported.")
    assert "Traceback" not in result.output
    assert store.entries() == [] and store.timers() == []


@pytest.mark.parametrize(
    ("content", "said"),
    [
        pytest.param(b"{not json", "file: is not JSON", id="not JSON"),
        pytest.param(b'{"format": "something-else"}', "is not an upperback export",
                     id="not an export"),
        pytest.param(b'{"format": "upperback-export", "format_version": 7}',
                     "made by a newer upperback", id="newer"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(run: Run, tmp_path: Path, content: bytes,
                                                 said: str) -> None:
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    result = run("import", str(path))
    assert result.exit_code == 2
    assert said in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_file_that_cannot_be_read_is_refused_clearly(run: Run, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "missing.json"))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr and "No such file" in result.stderr
    result = run("import", str(tmp_path))
    assert result.exit_code == 2
    assert "it is a folder" in result.stderr
