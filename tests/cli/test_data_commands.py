"""Your data: `upperback export` (csv, json, fhir), `upperback forget`, `upperback report`."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from upperback.store import Store

from .conftest import Run


@pytest.fixture
def diary(
    store: Store, desk_worker: dict[str, Any], checked_in: Callable[[Mapping[str, Any]], Any]
) -> Store:
    """A diary with a check, two entries and a timer session."""
    checked_in(desk_worker)
    store.add_entry(6, where="between shoulder blades", helped="heat")
    store.add_entry(4, note="better after a walk")
    store.log_timer("heat", 20, 1200, True)
    return store


def test_json_export_holds_everything(run: Run, diary: Store) -> None:
    result = run("export", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["checks"]) == 1 and len(data["diary"]) == 2 and len(data["timers"]) == 1


def test_csv_export_of_one_kind_is_one_table(run: Run, diary: Store) -> None:
    text = run("export", "--format", "csv", "--kind", "entries").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["pain"] for r in rows) == ["4", "6"]


def test_fhir_export_is_a_bundle(run: Run, diary: Store) -> None:
    data = json.loads(run("export", "-f", "fhir").stdout)
    assert data["resourceType"] == "Bundle"
    kinds = sorted(e["resource"]["resourceType"] for e in data["entry"])
    assert kinds == ["Observation", "Observation", "Procedure", "QuestionnaireResponse",
                     "RiskAssessment"]


def test_export_can_write_a_file(run: Run, diary: Store, tmp_path: Path) -> None:
    target = tmp_path / "mine.json"
    result = run("export", "--output", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text())["diary"][0]["pain"] == 6
    assert "Exported to" in result.output


def test_export_to_a_folder_that_does_not_exist_is_refused_clearly(
    run: Run, diary: Store, tmp_path: Path
) -> None:
    result = run("export", "--output", str(tmp_path / "no" / "such" / "file.json"))
    assert result.exit_code == 2
    assert "cannot write" in result.output and "Traceback" not in result.output


def test_an_unknown_format_is_refused_by_name(run: Run) -> None:
    result = run("export", "--format", "xml")
    assert result.exit_code == 2
    assert "csv" in result.output and "fhir" in result.output


def test_forget_asks_first_and_keeps_everything_on_no(run: Run, diary: Store) -> None:
    result = run("forget", input="n\n")
    assert result.exit_code == 1
    assert "1 check, 2 diary entries, 1 timer session and 0 medicine doses" in result.output
    assert "Nothing was deleted." in result.output
    assert len(diary.entries()) == 2


def test_forget_deletes_everything_after_yes(run: Run, diary: Store) -> None:
    result = run("forget", input="y\n")
    assert result.exit_code == 0
    deleted = "Deleted 1 check, 2 diary entries, 1 timer session and 0 medicine doses."
    assert deleted in result.output
    assert (diary.checks(), diary.entries(), diary.timers()) == ([], [], [])


def test_forget_with_yes_does_not_ask(run: Run, diary: Store) -> None:
    result = run("forget", "--yes")
    assert result.exit_code == 0
    assert "Delete everything?" not in result.output
    assert diary.entries() == []


def test_report_writes_a_pdf(run: Run, diary: Store, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    result = run("report", "--pdf", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Poor posture" in text


def test_report_takes_a_period_a_name_and_a_birth_date(
    run: Run, diary: Store, tmp_path: Path
) -> None:
    target = tmp_path / "named.pdf"
    today = date.today().isoformat()
    result = run("report", "--pdf", str(target), "--from", today, "--to", today,
                 "--name", "Sam Lee", "--born", "1982-04-02")
    assert result.exit_code == 0, result.output
    assert f"Wrote the report for {today} to {today} (1 day) to" in " ".join(result.output.split())
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout.split())
        assert "Name: Sam Lee Born: 1982-04-02" in text
        assert f"Period: {today} to {today} (1 day)" in text


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--from", "2026-13-01"], "from is not a date"),
        (["--from", "2026-11-20", "--to", "2026-11-01"], "is after to"),
        (["--born", "someday"], "born is not a date"),
        (["--name", "x" * 101], "at most 100"),
    ],
)
def test_report_refuses_a_bad_period_or_name_in_one_line_and_writes_nothing(
    run: Run, tmp_path: Path, options: list[str], says: str
) -> None:
    target = tmp_path / "report.pdf"
    result = run("report", "--pdf", str(target), *options)
    assert result.exit_code == 2
    assert says in result.output and "Traceback" not in result.output
    assert not target.exists()


def test_report_into_a_missing_folder_is_refused_clearly(run: Run, tmp_path: Path) -> None:
    result = run("report", "--pdf", str(tmp_path / "nowhere" / "report.pdf"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_report_needs_the_pdf_option(run: Run) -> None:
    result = run("report")
    assert result.exit_code == 2
    assert "--pdf" in result.output


def test_report_onto_a_folder_is_refused_clearly(run: Run, diary: Store, tmp_path: Path) -> None:
    folder = tmp_path / "report.pdf"
    folder.mkdir()
    result = run("report", "--pdf", str(folder))
    assert result.exit_code == 2
    assert f"cannot write {folder}" in result.output
    assert "Traceback" not in result.output
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(("form", "writer"), [("json", "write_json"), ("csv", "write_csv_zip"),
                                            ("fhir", "write_fhir")])
def test_an_export_that_fails_half_way_leaves_the_earlier_file_as_it_was(
    run: Run, diary: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str,
    writer: str,
) -> None:
    from upperback.documents import export as export_module

    target = tmp_path / "mine.txt"
    target.write_text("the export of last week", "utf-8")

    def breaks(store: Store, kb: object, out: Any, *options: object) -> None:
        out.write("{ half" if isinstance(out, io.TextIOBase) else b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module, writer, breaks)
    result = run("export", "-f", form, "--output", str(target))
    assert result.exit_code == 2
    assert "No space left on device" in result.output
    assert target.read_text("utf-8") == "the export of last week"
    assert not any(p.name.endswith(".partial") for p in tmp_path.iterdir())


def test_every_export_ends_with_one_newline(run: Run, diary: Store) -> None:
    for form in ("json", "csv", "fhir"):
        text = run("export", "-f", form, *(["--kind", "entries"] if form == "csv" else [])).stdout
        assert text.endswith("\n") and not text.endswith("\n\n"), form
