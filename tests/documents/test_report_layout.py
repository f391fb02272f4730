"""The report's layout rules: the chart is never split across pages, a report too long for two
pages is drawn again with less detail, an old check still says its level, and a font folder is
used only when it holds every face."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import upperback
from upperback import KnowledgeBase
from upperback.documents import report as report_module
from upperback.documents.report import DETAILS, MAX_PAGES, ReportData, ReportPdf, build_pdf
from upperback.store import CheckRecord, DiaryEntry, Store

T0 = datetime.now(UTC) - timedelta(days=20)
FOOTER_MM = 10  # the footer's line starts this far from the bottom of the page
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="needs pdftotext (poppler-utils)")


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def entries(count: int) -> list[DiaryEntry]:
    return [DiaryEntry(id=i + 1, created_at=T0 + timedelta(days=i), pain=5) for i in range(count)]


@pytest.fixture
def helvetica(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lay out with the built-in font: quicker, and no font files to leave open (fpdf2 keeps
    a Unicode font's file open until the PDF is written out)."""
    monkeypatch.setattr(report_module, "font_dir", lambda: None)


def pages(kb: KnowledgeBase, data: ReportData, detail: Any) -> int:
    """How many pages the report takes with this much detail."""
    return int(build_pdf(kb, data, detail).page_no())


def check(answers: dict[str, Any], result: dict[str, Any] | None = None) -> CheckRecord:
    saved = upperback.assess(answers).to_dict() if result is None else result
    return CheckRecord(id=1, created_at=T0, answers=answers, result=saved)


def test_the_pain_chart_is_never_split_across_pages(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wherever the diary section starts (the check above it can be short or long), the chart
    # is drawn whole, above the page's footer: on this page if it fits, else at the top of
    # the next.
    drawn: list[tuple[int, float, float, float]] = []
    draw = report_module.draw_pain_chart

    def spy(pdf: Any, shown: Any, x: float, y: float, width: float, height: float,
            span: Any = None) -> None:
        drawn.append((pdf.page_no(), y, height, pdf.h - FOOTER_MM))
        draw(pdf, shown, x, y, width, height, span)

    monkeypatch.setattr(report_module, "draw_pain_chart", spy)
    data = ReportData(None, entries(5), [], None)
    starts = range(15, 285, 3)  # mm from the top of the page
    for start in starts:
        pdf = ReportPdf(None)
        pdf.add_page()
        pdf.set_y(start)
        report_module._diary_section(pdf, data)
    assert len(drawn) == len(starts)
    for start, (_, top, height, bottom) in zip(starts, drawn, strict=True):
        assert top + height <= bottom, f"starting at {start} mm, the chart runs into the footer"
    assert {page for page, _, _, _ in drawn} == {1, 2}
    # Some starts leave room for the heading and the summary but not the chart: it alone
    # goes to the top of the next page.
    assert any(page == 2 and top < 20 for page, top, _, _ in drawn)


def test_a_report_too_long_for_two_pages_is_drawn_again_with_less_detail(
    kb: KnowledgeBase, db_path: Path, tmp_path: Path, helvetica: None
) -> None:
    answers: dict[str, Any] = {}
    for finding in kb.findings.values():
        if finding.type == "bool":
            answers[finding.id] = kb.solo_levels.get(finding.id) in ("soon", "urgent")
        elif finding.type == "int":
            answers[finding.id] = finding.min
        else:
            answers[finding.id] = (finding.values or ("",))[0]
    start = datetime.now(UTC) - timedelta(days=20)
    with Store.open(str(db_path)) as store:
        for day in range(30):  # a check a day, and an entry with a warning sign
            store.save_check(answers, upperback.assess(answers).to_dict())
            store.add_entry(5, helped=f"remedy {day}", symptoms=["fever"],
                            created_at=start + timedelta(hours=day))
        data = report_module.read_data(store, kb)
        assert pages(kb, data, DETAILS[0]) > MAX_PAGES  # too long in full
        path = report_module.write_report_pdf(store, kb, tmp_path / "long.pdf")
    shown = next(d for d in DETAILS if pages(kb, data, d) <= MAX_PAGES)
    assert shown != DETAILS[0]
    assert path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = pdf_text(path)
        assert f"Showing the latest {shown.max_checks} of 30 checks (see the data export)." in text
        assert f"and {30 - shown.max_helped} more." in text
        assert f"... and {30 - shown.max_signs} earlier entries with warning signs." in text


@needs_pdftotext
def test_a_check_saved_in_an_older_shape_still_shows_its_level(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    old = check({"age": 30}, {"triage": "soon", "causes": "a list, in the old days"})
    path = tmp_path / "old.pdf"
    build_pdf(kb, ReportData(old, entries(2), [], None), DETAILS[0]).output(str(path))
    text = pdf_text(path)
    assert "Triage: soon (saved by an older version)." in text
    assert "Likely causes" not in text
    assert "Age: 30 years" in text  # the answers present are still listed


def test_a_font_folder_is_used_only_when_it_has_every_face(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    partial, complete = tmp_path / "partial", tmp_path / "complete"
    partial.mkdir()
    complete.mkdir()
    names = list(report_module.FONT_FILES.values())
    for name in names[:-1]:
        (partial / name).write_bytes(b"")
    for name in names:
        (complete / name).write_bytes(b"")
    monkeypatch.setattr(report_module, "FONT_DIRS", (tmp_path / "none", partial))
    assert report_module.font_dir() is None
    monkeypatch.setattr(report_module, "FONT_DIRS", (partial, complete))
    assert report_module.font_dir() == complete
