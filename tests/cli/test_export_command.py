"""`upperback export`: the CSV tables (a zip, or one with --kind), the FHIR Patient from
--name and --born, and clear one-line refusals of options that do not fit."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from upperback.store import Store

from .conftest import Run

T0 = datetime(2025, 2, 3, 8, 15, tzinfo=UTC)


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's zone set to Europe/Berlin for the test, then put back."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def diary(store: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]) -> Store:
    """The diary `run` uses, with a check, an entry, a dose and a timer session."""
    answers, result = desk_check
    store.save_check(answers, result, created_at=T0)
    store.add_entry(6, note="=1+1", created_at=T0)
    store.log_dose("ibuprofen", 400, taken_at=T0)
    store.log_timer("ice", 15, 900, True, started_at=T0)
    return store


def _one_line_refusal(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


def test_csv_to_a_file_is_a_zip_of_one_table_per_kind(
    run: Run, diary: Store, tmp_path: Path
) -> None:
    target = tmp_path / "mine.zip"
    result = run("export", "-f", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "Exported to" in result.output
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        entries = list(csv.DictReader(io.StringIO(archive.read("entries.csv").decode())))
    assert {"checks.csv", "entries.csv", "medicines.csv", "timers.csv"} <= set(names)
    assert [(e["pain"], e["note"]) for e in entries] == [("6", "'=1+1")]


@pytest.mark.parametrize("kind", ["checks", "answers", "entries", "medicines", "timers"])
def test_one_kind_goes_to_the_screen_as_one_table(run: Run, diary: Store, kind: str) -> None:
    result = run("export", "-f", "csv", "--kind", kind)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(row for row in rows)


def test_one_kind_can_go_to_a_file(run: Run, diary: Store, tmp_path: Path) -> None:
    target = tmp_path / "timers.csv"
    assert run("export", "-f", "csv", "-k", "timers", "-o", str(target)).exit_code == 0
    (row,) = csv.DictReader(io.StringIO(target.read_text("utf-8")))
    assert (row["kind"], row["completed"]) == ("ice", "yes")


def test_the_tables_show_this_computers_local_time_with_its_offset(
    run: Run, diary: Store, berlin: None
) -> None:
    (row,) = csv.DictReader(io.StringIO(run("export", "-f", "csv", "-k", "entries").stdout))
    assert row["time"] == "2025-02-03 09:15:00+01:00"


def test_all_the_tables_on_the_screen_are_refused_with_what_to_give_instead(
    run: Run, diary: Store
) -> None:
    result = run("export", "--format", "csv")
    assert result.exit_code == 2
    line = _one_line_refusal(result.output)
    assert "--kind" in line and "-o FILE.zip" in line


def test_a_kind_that_does_not_exist_is_refused_by_name(run: Run, diary: Store) -> None:
    result = run("export", "-f", "csv", "--kind", "everything")
    assert result.exit_code == 2
    assert "--kind" in result.output and "timers" in result.output
    assert "Traceback" not in result.output


def test_a_kind_for_another_format_is_refused(run: Run, diary: Store) -> None:
    result = run("export", "-f", "json", "--kind", "entries")
    assert result.exit_code == 2
    assert "--kind is only for --format csv" in _one_line_refusal(result.output)


def test_fhir_with_a_name_and_birth_date_holds_a_patient_everything_points_at(
    run: Run, diary: Store
) -> None:
    result = run("export", "-f", "fhir", "--name", "Ada Lovelace", "--born", "1980-04-30")
    assert result.exit_code == 0, result.output
    first, *rest = json.loads(result.stdout)["entry"]
    assert first["resource"]["resourceType"] == "Patient"
    assert first["resource"]["birthDate"] == "1980-04-30"
    assert first["resource"]["name"] == [{"text": "Ada Lovelace"}]
    assert {e["resource"]["subject"]["reference"] for e in rest} == {first["fullUrl"]}


def test_fhir_without_them_has_no_patient(run: Run, diary: Store) -> None:
    entries = json.loads(run("export", "-f", "fhir").stdout)["entry"]
    assert "Patient" not in {e["resource"]["resourceType"] for e in entries}


@pytest.mark.parametrize("born", ["30/04/1980", "1980-02-30", "2999-01-01"])
def test_a_birth_date_that_is_not_a_date_is_refused_naming_the_option(
    run: Run, diary: Store, born: str
) -> None:
    result = run("export", "-f", "fhir", "--born", born)
    assert result.exit_code == 2
    line = _one_line_refusal(result.output)
    assert "--born" in line and "YYYY-MM-DD" in line
    assert result.stdout == ""  # nothing half-written


def test_a_name_for_another_format_is_refused(run: Run, diary: Store) -> None:
    result = run("export", "-f", "csv", "--kind", "entries", "--name", "Ada")
    assert result.exit_code == 2
    assert "only for --format fhir" in _one_line_refusal(result.output)


def test_the_kinds_the_option_takes_are_the_tables_the_export_writes() -> None:
    from upperback.cli.data import Kind
    from upperback.documents.export import CSV_KINDS

    assert [kind.value for kind in Kind] == list(CSV_KINDS)
