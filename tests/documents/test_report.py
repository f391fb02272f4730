"""The clinician's PDF: read back as text (pdftotext) and as an image (pdftoppm)."""

from __future__ import annotations

import random
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

import upperback
from upperback import KnowledgeBase
from upperback.documents import report as report_module
from upperback.documents.report import write_report_pdf
from upperback.report_period import Period, report_period
from upperback.store import Store

TOOLS = ("pdftotext", "pdftoppm", "pdfinfo", "pdffonts")
pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="needs poppler-utils (pdftotext, pdftoppm, pdfinfo, pdffonts): scripts/install-system",
)
# Far enough back that every entry a test adds (up to 90 days of them) is in the past.
T0 = datetime.now(UTC) - timedelta(days=120)
# A period that holds every record the tests add (the default, the last 30 days, would not).
PERIOD = report_period((date.today() - timedelta(days=130)).isoformat())


def write_report(store: Store, kb: KnowledgeBase, path: Path) -> Path:
    """The report of PERIOD."""
    return write_report_pdf(store, kb, path, PERIOD)


def pdf_text(path: Path) -> str:
    """The PDF's text with all white space made single spaces (lines wrap anywhere)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


def first_page_image(path: Path, tmp_path: Path) -> Image.Image:
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(prefix)], check=True
    )
    (png,) = tmp_path.glob("page*.png")
    return Image.open(png).convert("RGB")


def fill(store: Store, answers: dict[str, Any], entries: int = 14) -> None:
    store.save_check(answers, upperback.assess(answers).to_dict())
    rng = random.Random(7)
    helped = ["heat", "Heat ", "stretching", None]
    for day in range(entries):
        store.add_entry(
            max(0, 6 - day // 3 + rng.randint(-1, 1)),
            helped=helped[day % 4],
            created_at=T0 + timedelta(days=day),
        )
    store.log_timer("heat", 20, 1200, True, started_at=T0)
    store.log_timer("ice", 15, 420, False, started_at=T0 + timedelta(days=1))


@pytest.fixture
def written(store: Store, kb: KnowledgeBase, tmp_path: Path) -> tuple[Path, str]:
    fill(store, dict(upperback_answers()))
    path = write_report(store, kb, tmp_path / "report.pdf")
    return path, pdf_text(path)


def upperback_answers() -> dict[str, Any]:
    return {
        "age": 30,
        "pain_spreads_arm_jaw": False,
        "desk_hours_per_day": 9,
        "hunched_posture": True,
        "pain_dull_ache_tight": True,
        "duration_days": 10,
        "fever": None,
    }


def test_the_report_shows_the_triage_causes_and_the_disclaimer(
    written: tuple[Path, str], kb: KnowledgeBase
) -> None:
    _, text = written
    # The check answered "don't know" to fever: not ruled out, so not self-care.
    assert "See a doctor soon" in text
    assert "Poor posture" in text
    assert "information, not a diagnosis" in text
    assert " ".join(kb.guide.disclaimer.split()) in text
    assert kb.guide.not_ruled_out.message.split(",")[0] in text


def test_the_report_says_the_answers_in_words(written: tuple[Path, str]) -> None:
    _, text = written
    assert "Age: 30 years" in text
    assert "Hunched or slouched posture: yes" in text
    # The noes are counted, not listed; a warning sign not known is named as not ruled out.
    assert "Answered no: 1. Don't know: 1." in text  # the pain does not spread to the arm
    assert "Warning signs not ruled out (don't know): Fever, or hot and shivery." in text


def test_the_report_has_the_pain_chart_and_the_reliefs_used(written: tuple[Path, str]) -> None:
    _, text = written
    assert "Pain diary" in text
    assert "14 entries" in text
    assert "Heat (timer): 1 session, 1 run to the end, 20 minutes in all." in text
    assert "Ice (timer): 1 session, 0 run to the end, 7 minutes in all." in text
    assert "Noted in the diary as helping: heat (8x), stretching (3x)." in text


def test_the_report_is_one_or_two_pages_and_not_blank(
    written: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = written
    assert page_count(path) in (1, 2)
    image = first_page_image(path, tmp_path)
    dark = sum(image.convert("L").histogram()[:200])
    assert dark > image.width * image.height * 0.01  # text and the chart are there
    red, _, blue = image.split()
    bluer_than_red = ImageChops.subtract(blue, red).histogram()
    assert sum(bluer_than_red[60:]) > 50  # the chart's blue line and headings


def test_a_long_check_and_diary_still_fit_on_two_pages(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    answers: dict[str, Any] = {}
    for finding in kb.findings.values():
        if finding.type == "bool":
            answers[finding.id] = None if finding.id in kb.red_flag_findings() else False
        elif finding.type == "int":
            answers[finding.id] = finding.min
        else:
            answers[finding.id] = (finding.values or ("",))[0]
    answers |= upperback_answers()
    fill(store, answers, entries=90)
    path = write_report(store, kb, tmp_path / "long.pdf")
    assert page_count(path) <= 2
    text = pdf_text(path)
    assert "The latest check's answers" in text
    assert "Answered no: " in text


def test_an_emergency_check_shows_how_to_get_help_and_no_causes_list(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    answers = {
        "age": 58,
        "pain_spreads_arm_jaw": True,
        "pain_with_exertion": True,
        "heart_risk_factors": True,
    }
    result = upperback.assess(answers).to_dict()
    assert result["triage"] == "emergency"
    store.save_check(answers, result)
    text = pdf_text(write_report(store, kb, tmp_path / "emergency.pdf"))
    assert kb.guide.levels["emergency"].label in text
    assert " ".join(kb.guide.levels["emergency"].action.split()) in text
    assert "Likely causes" not in text


def test_a_worsening_diary_puts_the_trend_message_in_the_report(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    rise = kb.guide.trend.worse_by_points
    for day, pain in enumerate([2, 2, 2, 2 + rise, 2 + rise, 2 + rise, 2 + rise, 2 + rise]):
        store.add_entry(pain, created_at=T0 + timedelta(days=day))
    text = pdf_text(write_report(store, kb, tmp_path / "trend.pdf"))
    assert " ".join(kb.guide.trend.message_worse.split()) in text


def test_an_empty_store_gives_a_one_page_report_that_says_so(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = write_report(store, kb, tmp_path / "empty.pdf")
    text = pdf_text(path)
    assert page_count(path) == 1
    assert "No check has been saved up to the end of this period." in text
    assert "No diary entries in this period." in text
    assert "Checks in this period (0)" in text


def test_without_a_unicode_font_the_report_falls_back_to_helvetica(
    store: Store, kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_module, "font_dir", lambda: None)
    fill(store, upperback_answers())
    store.add_entry(3, helped="a walk \u2014 outside \u2713", created_at=T0 + timedelta(days=30))
    path = write_report(store, kb, tmp_path / "plain.pdf")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    text = pdf_text(path)
    assert "Helvetica" in fonts and "DejaVu" not in fonts
    assert "information, not a diagnosis" in text
    assert "a walk - outside ?" in text


def test_the_report_adds_up_pain_relievers_by_day_against_the_labels_maximum(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    day = datetime.combine(date.today() - timedelta(days=5), datetime.min.time()).astimezone()
    day += timedelta(hours=8)
    for hours in (0, 4, 8, 12):
        store.log_dose("ibuprofen", 400, taken_at=day + timedelta(hours=hours))
    store.log_dose("acetaminophen", 1000, taken_at=day)
    text = pdf_text(write_report(store, kb, tmp_path / "doses.pdf"))
    assert "Ibuprofen: 4 doses on 1 day, 1,600 mg in all" in text
    assert "the label's maximum: 1,200 mg in 24 hours" in text
    assert f"Over the maximum on 1 day: {day.date().isoformat()}." in text
    assert f"Daily totals: {day.date().isoformat()} 1,600 mg (over)." in text
    assert "Acetaminophen (paracetamol): 1 dose on 1 day, 1,000 mg in all" in text


def test_the_report_covers_only_its_period(store: Store, kb: KnowledgeBase, tmp_path: Path
                                          ) -> None:
    now = datetime.now(UTC)
    store.add_entry(9, created_at=now - timedelta(days=45), helped="old remedy")
    store.add_entry(3, created_at=now - timedelta(days=2), helped="walks")
    store.log_dose("ibuprofen", 400, now - timedelta(days=45))
    text = pdf_text(write_report_pdf(store, kb, tmp_path / "period.pdf"))  # the last 30 days
    first = (date.today() - timedelta(days=29)).isoformat()
    assert f"Period: {first} to {date.today().isoformat()} (30 days)" in text
    assert "walks" in text and "old remedy" not in text
    assert "highest 3" in text and "Ibuprofen" not in text


def test_every_check_of_the_period_is_listed_and_an_earlier_emergency_is_not_lost(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    emergency = {"age": 58, "chest_pain_pressure": True, "cold_sweat_nausea": True}
    store.save_check(emergency, upperback.assess(emergency).to_dict())
    store.save_check(upperback_answers(), upperback.assess(upperback_answers()).to_dict())
    text = pdf_text(write_report_pdf(store, kb, tmp_path / "checks.pdf"))
    assert "Checks in this period (2)" in text
    assert text.count(date.today().isoformat()) >= 2
    assert "Emergency: " in text  # what set it off, not a list of causes
    assert "Poor posture" in text  # the later check's top cause
    assert "Current level" in text and "See a doctor soon" in text


def test_warning_signs_logged_in_the_diary_show_with_their_dates_and_the_level_they_call_for(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    store.save_check(upperback_answers(), upperback.assess(upperback_answers()).to_dict())
    when = datetime.now(UTC) - timedelta(days=3)
    store.add_entry(6, symptoms=["chest_pain_pressure"], created_at=when)
    text = pdf_text(write_report_pdf(store, kb, tmp_path / "signs.pdf"))
    label = kb.findings["chest_pain_pressure"].label
    day = when.astimezone().date().isoformat()
    assert f"{day}: {label} (calls for: {kb.guide.levels['emergency'].label})." in text


def test_a_check_made_before_the_period_still_gives_the_current_level_and_says_when(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    store.save_check(upperback_answers(), upperback.assess(upperback_answers()).to_dict())
    tomorrow = date.today() + timedelta(days=1)
    later = Period(tomorrow, tomorrow)
    text = pdf_text(write_report_pdf(store, kb, tmp_path / "later.pdf", later))
    assert "(before this period)" in text
    assert "Checks in this period (0)" in text and "No check was made in this period." in text


def test_a_name_and_birth_date_head_the_report_only_when_given(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    from upperback.report_period import report_subject

    named = write_report_pdf(store, kb, tmp_path / "named.pdf", None,
                             report_subject("Sam Lee", "1982-04-02"))
    assert "Name: Sam Lee Born: 1982-04-02" in pdf_text(named)
    plain = pdf_text(write_report_pdf(store, kb, tmp_path / "plain.pdf"))
    assert "Name:" not in plain and "Born:" not in plain


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"


def test_a_full_period_report_is_kept_as_png_pages_to_look_at(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    # A month as a person keeps it: a check that was an emergency, two later ones, entries
    # with a week's gap and two warning signs, pain relievers over the label's maximum one
    # day, heat sessions. The pages are written to test-artifacts/report/ to be looked at.
    now = datetime.now(UTC)
    emergency = {"age": 44, "chest_pain_pressure": True, "cold_sweat_nausea": True}
    store.save_check(emergency, upperback.assess(emergency).to_dict())
    store.save_check(upperback_answers(), upperback.assess(upperback_answers()).to_dict())
    rng = random.Random(3)
    for day in (d for d in range(29) if not 12 <= d < 19):
        store.add_entry(max(0, 7 - day // 5 + rng.randint(-1, 1)),
                        created_at=now - timedelta(days=29 - day, hours=2),
                        helped=["heat", "a walk", None][day % 3],
                        symptoms=["fever"] if day == 22 else [])
    for day in range(4):
        taken = now - timedelta(days=8 - day, hours=3)
        for hours in (0, 5, 10) if day == 1 else (0, 6):
            store.log_dose("ibuprofen", 400 if day != 1 else 600, taken + timedelta(hours=hours))
        store.log_timer("heat", 20, 1200, True, started_at=taken)
    path = write_report_pdf(store, kb, tmp_path / "month.pdf", None,
                            report_period_subject("Sam Lee", "1982-04-02"))
    text = pdf_text(path)
    assert page_count(path) <= 2
    first = " ".join(subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
                                    capture_output=True, check=True, text=True).stdout.split())
    for section in ("Name: Sam Lee", "Period:", "Current level", "Checks in this period (2)",
                    "Emergency: ", "Warning signs logged in the diary", "Pain diary"):
        assert section in first, section
    assert "(over)" in text and "Heat (timer): 4 sessions" in text
    assert "The latest check's answers" in text
    backend = "sqlite" if store.path is not None or "sqlite" in store.where else "postgresql"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{backend}-page*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(path),
                    str(ARTIFACTS / f"{backend}-page")], check=True)
    assert len(list(ARTIFACTS.glob(f"{backend}-page*.png"))) == page_count(path)


def report_period_subject(name: str, born: str) -> Any:
    from upperback.report_period import report_subject

    return report_subject(name, born)
