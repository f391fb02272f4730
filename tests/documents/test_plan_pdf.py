"""The exercise plan's PDF: read back as text (pdftotext), as word boxes (pdftotext -bbox)
and as page images (pdftoppm), so each exercise's picture is checked where it is drawn."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from upperback.assessment import assess
from upperback.documents import plan_pdf as plan_pdf_module
from upperback.documents.plan_pdf import (
    NoPlan,
    pdf_picture,
    planned_once,
    with_arrowheads,
    write_plan_pdf,
)
from upperback.knowledge_base import KnowledgeBase, exercise_picture
from upperback.programme import Programme, make_programme

TOOLS = ("pdftotext", "pdftoppm", "pdfinfo")
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="needs poppler-utils (pdftotext, pdftoppm, pdfinfo): scripts/install-system",
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "plan-pdf"
CHECKED = date(2026, 11, 2)
# Days 6 to 12: the end of week 1 and the start of week 2, when the dose grows and more
# exercises join, so the PDF shows both.
START = CHECKED + timedelta(days=5)
MADE = date(2026, 11, 7)
DPI = 60
MM = DPI / 25.4  # pixels a millimetre at DPI
NAVY = (31, 58, 95)  # the pictures' figures (#1f3a5f)
RED = (176, 58, 46)  # the pictures' arrows (#b03a2e)


def desk_answers(kb: KnowledgeBase) -> dict[str, Any]:
    """A posture case at self-care whose thin bones (osteoporosis) withhold the bending and
    twisting exercises."""
    return dict.fromkeys(kb.warning_signs, False) | {
        "age": 28, "sex": "male", "duration_days": 21, "pain_severity": 4,
        "desk_hours_per_day": 10, "hunched_posture": True, "pain_between_shoulder_blades": True,
        "pain_dull_ache_tight": True, "pain_worse_after_sitting": True, "osteoporosis": True,
    }


@pytest.fixture
def desk_worker(kb: KnowledgeBase) -> dict[str, Any]:
    return desk_answers(kb)


def plan(kb: KnowledgeBase, answers: dict[str, Any], days: int = 7,
         pain: tuple[int, ...] = ()) -> Programme:
    assessment = assess(answers, kb)
    return make_programme(kb, assessment.answers, assessment.result(), CHECKED, START, days,
                          pain)


@pytest.fixture(scope="module")
def programme(kb: KnowledgeBase) -> Programme:
    made = plan(kb, desk_answers(kb))
    assert made.days and made.withheld
    return made


@pytest.fixture(scope="module")
def written(kb: KnowledgeBase, programme: Programme, tmp_path_factory: pytest.TempPathFactory
            ) -> Path:
    """The plan's PDF, made once for the tests that only read it."""
    return write_plan_pdf(kb, programme, tmp_path_factory.mktemp("plan") / "plan.pdf", MADE)


def flat(text: str) -> str:
    return " ".join(text.split())


def raw_text(path: Path, page: int | None = None) -> str:
    """The text in the order it was drawn (so a column's lines stay together), white space
    made single spaces."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-raw", *pages, str(path), "-"], capture_output=True,
                         check=True, text=True)
    return flat(out.stdout)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


@dataclass(frozen=True)
class Word:
    page: int  # from 1
    x0: float  # points from the page's top left
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def words(path: Path) -> list[Word]:
    """Every word with its box, from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         check=True, text=True).stdout
    root = ElementTree.fromstring(out)
    found: list[Word] = []
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), 1):
        for word in page.iter("{http://www.w3.org/1999/xhtml}word"):
            found.append(Word(number, float(word.get("xMin", 0)), float(word.get("yMin", 0)),
                              float(word.get("xMax", 0)), float(word.get("yMax", 0)),
                              word.text or ""))
    return found


def headings(path: Path, names: list[str]) -> dict[str, Word]:
    """Where each exercise's heading ("2. Shoulder-blade squeezes") is: its first word, in
    the headings' large type (the days' table names the exercises in small type)."""
    found: dict[str, Word] = {}
    boxes = words(path)
    for number, name in enumerate(names, 1):
        wanted = [f"{number}.", *name.split()]
        for index in range(len(boxes) - len(wanted) + 1):
            run = boxes[index:index + len(wanted)]
            if [w.text for w in run] == wanted and run[0].height > 11:
                found[name] = run[0]
                break
    return found


def pages(path: Path, folder: Path, prefix: str = "page") -> list[Image.Image]:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(path), str(folder / prefix)],
                   check=True)
    return [Image.open(png).convert("RGB") for png in sorted(folder.glob(f"{prefix}-*.png"))]


def picture_area(page: Image.Image, heading: Word) -> Image.Image:
    """Where the picture goes: under the heading, the width of the picture's column."""
    left = 15 * MM
    top = heading.y1 * DPI / 72 + 2 * MM
    width = plan_pdf_module.PICTURE_WIDTH * MM
    return page.crop((int(left), int(top), int(left + width), int(top + 47 * MM)))


def pixels_like(image: Image.Image, colour: tuple[int, int, int], within: int = 25) -> int:
    """How many pixels are this colour (each channel within `within`)."""
    data = image.tobytes()  # RGB, three bytes a pixel
    r, g, b = colour
    return sum(1 for i in range(0, len(data), 3)
               if abs(data[i] - r) <= within and abs(data[i + 1] - g) <= within
               and abs(data[i + 2] - b) <= within)


@needs_poppler
def test_the_first_page_says_the_dates_who_it_is_for_and_when_to_get_help(
    kb: KnowledgeBase, programme: Programme, written: Path
) -> None:
    first = raw_text(written, 1)
    assert first.startswith("Your exercise plan")
    assert "Sat 7 Nov 2026 to Fri 13 Nov 2026: days 6 to 12 of your 4-week plan." in first
    assert "Made for you from your check of Mon 2 Nov 2026 (result: Self-care at home)." in first
    assert "Name" not in first  # no name is needed, and none is printed
    assert "Stop and get help if" in first
    for line in kb.guide.follow_up.come_back_if:
        assert flat(line) in first, line
    assert flat(kb.guide.levels["emergency"].action) in first
    assert flat(kb.guide.follow_up.if_not_improving["self_care"]) in first
    assert flat(kb.guide.disclaimer) in first


@needs_poppler
def test_each_planned_exercise_is_shown_once_with_its_steps_dose_and_cautions(
    kb: KnowledgeBase, programme: Programme, written: Path
) -> None:
    text = raw_text(written)
    exercises = planned_once(programme)
    assert [e.id for e in exercises][:2] == ["chin_tuck", "shoulder_blade_squeeze"]
    assert len(exercises) > len(programme.days[0].exercises)  # more join in week 2
    for number, exercise in enumerate(exercises, 1):
        heading = f"{number}. {exercise.name}"
        assert text.count(heading) == 1, heading
        section = text.split(heading, 1)[1]
        ending = f"When to stop: {flat(exercise.stop_if)}"
        assert ending in section, exercise.id
        section = section.split(ending, 1)[0]  # this exercise's part, and nothing after it
        for part in (exercise.summary, *exercise.steps, exercise.how_often,
                     exercise.should_feel, exercise.should_not_feel, exercise.picture_alt):
            assert flat(part) in section, (exercise.id, part)
        first = next(p for day in programme.days for p in day.exercises
                     if p.exercise.id == exercise.id)
        assert first.dose() in section
        assert "sessions a day" in section


@needs_poppler
def test_the_dose_that_grows_in_week_two_is_shown_from_its_day(
    kb: KnowledgeBase, programme: Programme, written: Path
) -> None:
    week_two = next(day for day in programme.days if day.week == 2)
    chin = next(p for p in week_two.exercises if p.exercise.id == "chin_tuck")
    day = week_two.day
    assert f"From {day:%a} {day.day} {day:%b}: {chin.dose()}, {week_two.sessions} sessions a day." \
        in raw_text(written)


@needs_poppler
def test_each_exercise_has_its_picture_drawn_under_its_heading(
    kb: KnowledgeBase, programme: Programme, written: Path, tmp_path: Path
) -> None:
    names = [e.name for e in planned_once(programme)]
    found = headings(written, names)
    assert set(found) == set(names)
    images = pages(written, tmp_path / "png")
    for name, heading in found.items():
        area = picture_area(images[heading.page - 1], heading)
        # The figure's navy strokes, and a red arrow (its head drawn as a path here).
        assert pixels_like(area, NAVY) > 400, name
        assert pixels_like(area, RED, within=40) > 15, name


@needs_poppler
def test_the_picture_check_fails_when_the_picture_is_missing(
    kb: KnowledgeBase, programme: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same page with an empty picture: the check above would fail, so it proves the
    # picture is there, not just the words around it.
    blank = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 420 240" width="420" '
             'height="240"><title>blank</title></svg>')
    monkeypatch.setattr(plan_pdf_module, "exercise_picture", lambda exercise_id: blank)
    path = write_plan_pdf(kb, programme, tmp_path / "blank.pdf", MADE)
    names = [e.name for e in planned_once(programme)]
    found = headings(path, names)
    assert set(found) == set(names)
    images = pages(path, tmp_path / "png")
    for heading in found.values():
        assert pixels_like(picture_area(images[heading.page - 1], heading), NAVY) == 0


@needs_poppler
def test_the_days_table_lists_each_day_its_exercises_sessions_and_why_it_helps(
    kb: KnowledgeBase, programme: Programme, written: Path
) -> None:
    text = raw_text(written)
    table = text.split("Day by day", 1)[1]
    assert table.startswith(" Date Exercises Sessions Why this helps")
    rows = re.split(r"(?=\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ Nov day \d+)", table)[1:]
    assert len(rows) == len(programme.days)
    for row, day in zip(rows, programme.days, strict=True):
        assert row.startswith(f"{day.day:%a} {day.day.day} {day.day:%b} day {day.number}, "
                              f"week {day.week}"), row
        for planned in day.exercises:
            assert f"{planned.exercise.name}: {planned.dose()}" in row
        assert f" {day.sessions} " in row
        assert flat(f"{day.lesson.title}. {day.lesson.text}") in row
    # The other notes once each, with their days.
    assert f"{flat(kb.exercise_book.programme.breaks)} (every day)" in text


@needs_poppler
def test_withheld_exercises_are_listed_with_their_reasons_and_never_shown(
    kb: KnowledgeBase, programme: Programme, written: Path
) -> None:
    text = raw_text(written)
    left_out = text.split("Left out for you", 1)[1].split("Sources", 1)[0]
    for withheld in programme.withheld:
        assert f"{withheld.exercise.name}: {flat(' '.join(withheld.reasons))}" in left_out
        assert flat(withheld.exercise.steps[0]) not in text  # no steps for what is left out
    assert "osteoporosis" not in text  # the reason in plain words, not the finding's id


@needs_poppler
def test_the_sources_are_named_and_every_page_is_numbered(
    kb: KnowledgeBase, programme: Programme, written: Path
) -> None:
    text = raw_text(written)
    sources = text.split("Sources", 1)[1]
    for source in kb.cited_sources(programme.sources):
        assert f"{source.publisher}: {flat(source.title)}." in sources
    total = page_count(written)
    assert total >= 3
    for number in range(1, total + 1):
        assert f"page {number} of {total}" in raw_text(written, number)


@needs_poppler
def test_an_eased_plan_says_so_on_the_first_page(
    kb: KnowledgeBase, desk_worker: dict[str, Any], tmp_path: Path
) -> None:
    eased = plan(kb, desk_worker, pain=(3, 3, 3, 5, 6, 6))
    assert eased.eased
    path = write_plan_pdf(kb, eased, tmp_path / "eased.pdf", MADE)
    message = flat(kb.exercise_book.programme.ease_back.message)
    assert message in raw_text(path, 1)
    assert f"{message} (" not in raw_text(path)  # not again among the days' notes


@pytest.mark.parametrize("extra", [{"fever": True, "pain_over_spine": True},
                                   {"chest_pain_pressure": True}], ids=["urgent", "emergency"])
def test_there_is_no_pdf_without_a_plan(
    kb: KnowledgeBase, desk_worker: dict[str, Any], extra: dict[str, Any], tmp_path: Path
) -> None:
    programme = plan(kb, desk_worker | extra)
    assert not programme.days
    with pytest.raises(NoPlan, match=re.escape(kb.exercise_book.programme.not_offered)):
        write_plan_pdf(kb, programme, tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()


@needs_poppler
def test_without_the_unicode_font_the_plan_is_still_made(
    kb: KnowledgeBase, programme: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_pdf_module, "font_dir", lambda: None)
    path = write_plan_pdf(kb, programme, tmp_path / "helvetica.pdf", MADE)
    text = raw_text(path)
    assert "1. Chin tucks" in text and flat(kb.exercises["chin_tuck"].steps[0]) in text


def test_every_picture_is_given_to_fpdf2_with_its_arrowheads_drawn(kb: KnowledgeBase) -> None:
    for exercise in kb.exercises.values():
        svg = exercise_picture(exercise.id)
        arrows = svg.count('marker-end="url(#tip)"')
        drawn = with_arrowheads(svg)
        assert "<marker" not in drawn and "marker-end" not in drawn
        assert "<title" not in drawn and "<desc" not in drawn  # printed under it instead
        assert drawn.count('fill="#b03a2e"') == svg.count('fill="#b03a2e"') - 1 + arrows
        picture, ratio = pdf_picture(svg)
        assert picture.startswith(b"<svg") and ratio == pytest.approx(240 / 420)


def test_an_arrowhead_points_along_its_line_from_the_markers_shape(kb: KnowledgeBase) -> None:
    # Chin tucks: the arrow runs left from (120, 40) to (104, 40). The marker (10 by 10,
    # tip at (10, 5), reference point (8, 5), 4 stroke widths of 4) puts the tip 3.2 units
    # past the end, and the back corners 12.8 units behind it, 8 above and below.
    drawn = with_arrowheads(exercise_picture("chin_tuck"))
    (head,) = re.findall(r'<path d="([^"]+)" fill="#b03a2e"', drawn.split("<g", 2)[2])
    points = [tuple(map(float, pair.split())) for pair in re.findall(r"[\d.-]+ [\d.-]+", head)]
    assert points == [pytest.approx(p) for p in [(116.8, 48.0), (100.8, 40.0), (116.8, 32.0)]]


@pytest.mark.parametrize("path", ["M0 0 l10 5 L0 10 Z", "M0 0 C1 1 2 2 3 3 Z", "M0 0 L10 5"])
def test_a_marker_it_cannot_redraw_is_left_out_never_drawn_wrong(path: str) -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><defs><marker '
           f'id="tip" viewBox="0 0 10 10" refX="8" refY="5"><path d="{path}"/></marker></defs>'
           '<line x1="0" y1="0" x2="10" y2="0" marker-end="url(#tip)"/></svg>')
    drawn = with_arrowheads(svg)
    assert "<path" not in drawn and "<marker" not in drawn and "<defs" not in drawn
    assert pdf_picture(svg)[1] == pytest.approx(0.5)  # no view box: from width and height


@needs_poppler
def test_the_plan_is_kept_as_png_pages_to_look_at(
    kb: KnowledgeBase, programme: Programme, written: Path, tmp_path: Path
) -> None:
    # Written to test-artifacts/plan-pdf/ (60 dpi, as a printed page looks on screen): the
    # plan above (page-N.png), and a week-3 plan with nothing withheld, which has every
    # exercise and so every picture (all-exercises-N.png).
    images = pages(written, ARTIFACTS)
    assert len(images) == page_count(written)
    assert all(image.size[0] < image.size[1] for image in images)  # A4, upright
    answers = desk_answers(kb) | {"osteoporosis": False}
    assessment = assess(answers, kb)
    every = make_programme(kb, assessment.answers, assessment.result(), CHECKED,
                           CHECKED + timedelta(days=14), 7)
    assert {e.id for e in planned_once(every)} == set(kb.exercises)
    path = write_plan_pdf(kb, every, tmp_path / "every.pdf", MADE)
    images = pages(path, ARTIFACTS, "all-exercises")
    found = headings(path, [e.name for e in planned_once(every)])
    assert len(found) == len(kb.exercises)
    for name, heading in found.items():
        assert pixels_like(picture_area(images[heading.page - 1], heading), NAVY) > 400, name
