"""The exercise plan as a PDF to print: the days listed from the last check's programme, each
exercise once with its picture (start and end), steps, dose and cautions, then a table of
the days, what was left out and why, and the sources.

Made with fpdf2 in the clinician report's plain style and fonts (`ReportPdf`: DejaVu Sans
embedded when the system has it). Every word of advice comes from the knowledge base (the
programme, the exercises, the guide's "get help" lines); this module only lays it out.

fpdf2 draws an SVG as vector paths, but skips `<marker>`: the pictures' arrowheads are
drawn here as small filled paths (`with_arrowheads`), so a printed arrow still points. The
`<title>` and `<desc>` it cannot draw are taken out first (their text is printed under the
picture), so fpdf2 logs no warning about them.
"""

from __future__ import annotations

import io
import math
import os
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Final, cast

from fpdf.enums import XPos, YPos

from .. import __version__
from ..errors import UpperbackError
from ..knowledge_base import KnowledgeBase, exercise_picture
from ..knowledge_models import Exercise
from ..levels import Level
from ..programme import PlanDay, PlannedExercise, Programme
from .report import ACCENT, GREY, INK, ReportPdf, font_dir, heading_style

SVG: Final = "{http://www.w3.org/2000/svg}"
# The picture's width on paper (start and end side by side), in mm: each half is about 4 cm.
PICTURE_WIDTH: Final = 80.0
GUTTER: Final = 6.0  # between the picture's column and the text beside it
# The marker path commands this module can redraw (absolute moves and lines).
PATH_TOKENS: Final = re.compile(r"[MLZmlz]|-?\d+(?:\.\d+)?")


class NoPlan(UpperbackError):
    """There is no plan to print (no programme at this level, or none left): the message
    says why, as `upperback plan` and the plan page do."""


class PlanPdf(ReportPdf):
    """The report's PDF with the plan's footer: its title and page numbers."""

    def footer(self) -> None:
        self.set_y(-10)
        self.style(7.5, color=GREY)
        self.cell(0, 4, f"Your exercise plan  |  upperback {__version__}  |  "
                        f"page {self.page_no()} of {{nb}}", align="R")

    def text_height(self, text: str, width: float, size: float, height: float,
                    bold: bool = False, italic: bool = False) -> float:
        """How tall a wrapped paragraph would be, without drawing it."""
        self.style(size, bold=bold, italic=italic)
        lines = self.multi_cell(width, height, self.safe(text), dry_run=True, output="LINES")
        return float(len(cast(list[str], lines))) * height

    def column(self, x: float, width: float, text: str, size: float = 9.5,
               height: float = 4.6, bold: bool = False, italic: bool = False,
               color: tuple[int, int, int] = INK) -> None:
        """A wrapped paragraph in a column starting at `x`."""
        self.style(size, bold=bold, italic=italic, color=color)
        self.set_x(x)
        self.multi_cell(width, height, self.safe(text), align="L", new_x=XPos.LEFT,
                        new_y=YPos.NEXT)

    def labelled(self, x: float, width: float, label: str, text: str, size: float = 9.5,
                 height: float = 4.6) -> None:
        """"Label: text", the label in bold, wrapped in a column starting at `x`."""
        margins = self.l_margin, self.r_margin
        self.set_left_margin(x)
        self.set_right_margin(self.w - x - width)
        self.set_x(x)
        self.style(size, bold=True)
        self.write(height, self.safe(label) + " ")
        self.style(size)
        self.write(height, self.safe(text))
        self.ln(height)
        self.set_left_margin(margins[0])
        self.set_right_margin(margins[1])


def _number(text: str | None, default: float) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def _marker_points(marker: ElementTree.Element) -> tuple[list[tuple[float, float]], str] | None:
    """A marker's one path as its points and fill, when it is a polygon of moves and lines."""
    paths = list(marker.iter(f"{SVG}path"))
    if len(paths) != 1:
        return None
    tokens = PATH_TOKENS.findall(paths[0].get("d", ""))
    if not tokens or re.sub(r"[MLZmlz\s,.\d-]", "", paths[0].get("d", "")):
        return None
    points: list[tuple[float, float]] = []
    numbers: list[float] = []
    for token in tokens:
        if token in {"m", "l", "z"}:
            return None  # relative commands: not worth redrawing here
        if token in {"M", "L", "Z"}:
            continue
        numbers.append(float(token))
        if len(numbers) == 2:
            points.append((numbers[0], numbers[1]))
            numbers = []
    return (points, paths[0].get("fill", "#000000")) if len(points) >= 3 else None


def _arrowhead(marker: ElementTree.Element, line: ElementTree.Element
               ) -> ElementTree.Element | None:
    """The marker drawn at the end of a line, as a filled path in the line's own frame:
    scaled by the stroke width (markerUnits strokeWidth) and turned along the line."""
    shape = _marker_points(marker)
    box = [_number(v, 0) for v in marker.get("viewBox", "").replace(",", " ").split()]
    if shape is None or len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        return None
    points, fill = shape
    stroke = _number(line.get("stroke-width"), 1)
    scale = min(_number(marker.get("markerWidth"), 3) * stroke / box[2],
                _number(marker.get("markerHeight"), 3) * stroke / box[3])
    ref_x, ref_y = _number(marker.get("refX"), 0), _number(marker.get("refY"), 0)
    x1, y1 = _number(line.get("x1"), 0), _number(line.get("y1"), 0)
    x2, y2 = _number(line.get("x2"), 0), _number(line.get("y2"), 0)
    angle = math.atan2(y2 - y1, x2 - x1)
    cos, sin = math.cos(angle), math.sin(angle)
    drawn = []
    for px, py in points:
        dx, dy = (px - ref_x) * scale, (py - ref_y) * scale
        drawn.append((x2 + dx * cos - dy * sin, y2 + dx * sin + dy * cos))
    d = "M" + " L".join(f"{x:.2f} {y:.2f}" for x, y in drawn) + " Z"
    return ElementTree.Element(f"{SVG}path", {"d": d, "fill": fill})


def with_arrowheads(svg: str) -> str:
    """The picture as fpdf2 can draw it: each line's end marker drawn as a path, and the
    elements fpdf2 skips (markers, title, desc) taken out. The pictures are the knowledge
    base's own files, checked at load."""
    root = ElementTree.fromstring(svg)
    markers = {m.get("id"): m for m in root.iter(f"{SVG}marker")}
    for parent in list(root.iter()):
        for index in reversed(range(len(parent))):
            child = parent[index]
            if child.tag in (f"{SVG}title", f"{SVG}desc"):
                del parent[index]
                continue
            found = re.fullmatch(r"url\(#([^)]+)\)", child.get("marker-end", ""))
            marker = markers.get(found.group(1)) if found else None
            if child.tag == f"{SVG}line" and marker is not None:
                head = _arrowhead(marker, child)
                if head is not None:
                    parent.insert(index + 1, head)
                    del child.attrib["marker-end"]
    for defs in list(root.iter(f"{SVG}defs")):
        for marker in list(defs.iter(f"{SVG}marker")):
            defs.remove(marker)
    for index in reversed(range(len(root))):
        if root[index].tag == f"{SVG}defs" and len(root[index]) == 0:
            del root[index]
    for element in root.iter():  # written back unprefixed, in the SVG namespace
        element.tag = element.tag.removeprefix(SVG)
    root.set("xmlns", SVG[1:-1])
    return ElementTree.tostring(root, encoding="unicode")


def pdf_picture(svg: str) -> tuple[bytes, float]:
    """The picture as fpdf2 draws it (`with_arrowheads`), and its height over its width
    (from its view box)."""
    root = ElementTree.fromstring(svg)
    box = [_number(v, 0) for v in root.get("viewBox", "").replace(",", " ").split()]
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        ratio = box[3] / box[2]
    else:
        ratio = _number(root.get("height"), 1) / (_number(root.get("width"), 1) or 1)
    return with_arrowheads(svg).encode("utf-8"), ratio


def planned_once(programme: Programme) -> list[Exercise]:
    """Each exercise of the listed days once, in the order they first come."""
    seen: dict[str, Exercise] = {}
    for day in programme.days:
        for planned in day.exercises:
            seen.setdefault(planned.exercise.id, planned.exercise)
    return list(seen.values())


def _doses(programme: Programme, exercise_id: str) -> list[tuple[date, str, int]]:
    """The exercise's dose and sessions a day over the listed days: the first day, then each
    day either changes."""
    changes: list[tuple[date, str, int]] = []
    for day in programme.days:
        planned = next((p for p in day.exercises if p.exercise.id == exercise_id), None)
        if planned is None:
            continue
        if not changes or changes[-1][1:] != (planned.dose(), day.sessions):
            changes.append((day.day, planned.dose(), day.sessions))
    return changes


def _short(day: date) -> str:
    """A day as "Mon 7 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"


def _long(day: date) -> str:
    """A day as "Mon 7 Dec 2026"."""
    return f"{_short(day)} {day.year}"


def _sessions(number: int) -> str:
    return "1 session a day" if number == 1 else f"{number} sessions a day"


def _dose_lines(programme: Programme, exercise_id: str) -> list[str]:
    changes = _doses(programme, exercise_id)
    lines = [f"{dose}, {_sessions(sessions)}." for _, dose, sessions in changes[:1]]
    lines += [f"From {_short(when)}: {dose}, {_sessions(sessions)}."
              for when, dose, sessions in changes[1:]]
    return lines


def _title(pdf: PlanPdf, kb: KnowledgeBase, programme: Programme, made: date) -> None:
    rules = kb.exercise_book.programme
    first, last = programme.days[0], programme.days[-1]
    pdf.style(18, bold=True)
    pdf.cell(0, 10, "Your exercise plan", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.para(f"{_long(first.day)} to {_long(last.day)}: days {first.number} to "
             f"{last.number} of your {rules.weeks}-week plan.", size=11, bold=True)
    level = kb.guide.levels[cast(Level, programme.level)].label if programme.level else ""
    checked = _long(programme.starts) if programme.starts else "your last check"
    pdf.para(f"Made for you from your check of {checked}"
             f"{f' (result: {level})' if level else ''}.", size=10)
    pdf.para(f"Printed on {_long(made)} by upperback {__version__}.", size=8.5, color=GREY)
    pdf.ln(1.5)
    if programme.message:  # the plan eased back: the diary's pain rose
        pdf.set_fill_color(253, 236, 200)
        pdf.style(10, bold=True)
        pdf.multi_cell(0, 4.8, pdf.safe(programme.message), align="L", fill=True, padding=2,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    _get_help(pdf, kb, programme)
    pdf.ln(1)
    pdf.set_fill_color(242, 242, 242)
    pdf.style(8.5, italic=True)
    pdf.multi_cell(0, 4.2, pdf.safe(kb.guide.disclaimer), align="L", fill=True, padding=2,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _get_help(pdf: PlanPdf, kb: KnowledgeBase, programme: Programme) -> None:
    """The guide's "get help" lines, marked by a red bar: what should bring you back, the
    emergency numbers, and when to see someone if it is not getting better."""
    follow = kb.guide.follow_up
    top = pdf.get_y()
    pdf.set_draw_color(176, 58, 46)
    pdf.set_line_width(0.6)
    pdf.set_x(pdf.l_margin + 3)
    pdf.style(12, bold=True, color=(176, 58, 46))
    pdf.cell(0, 7, "Stop and get help if", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_left_margin(pdf.l_margin + 3)
    for item in follow.come_back_if:
        pdf.bullet(item, size=9.5, indent=0)
    pdf.ln(0.8)
    pdf.para(kb.guide.levels["emergency"].action, size=9.5, bold=True)
    not_better = follow.if_not_improving.get(cast(Level, programme.level))
    if not_better:
        pdf.ln(0.8)
        pdf.para(not_better, size=9.5)
    pdf.set_left_margin(pdf.l_margin - 3)
    bottom = pdf.get_y() + 1.5
    pdf.line(pdf.l_margin, top, pdf.l_margin, bottom)
    pdf.set_y(bottom + 1)


def _exercise(pdf: PlanPdf, programme: Programme, exercise: Exercise, number: int) -> None:
    """One exercise: its picture and the words beside and under it, kept on one page."""
    left = pdf.l_margin
    text_x = left + PICTURE_WIDTH + GUTTER
    text_w = pdf.w - pdf.r_margin - text_x
    picture, ratio = pdf_picture(exercise_picture(exercise.id))
    picture_h = PICTURE_WIDTH * ratio
    alt = f"Picture: {exercise.picture_alt}"
    doses = _dose_lines(programme, exercise.id)
    steps = [f"{n}. {step}" for n, step in enumerate(exercise.steps, 1)]
    beside = (pdf.text_height(exercise.summary, text_w, 9.5, 4.6, italic=True) + 1.5
              + 4.8 + sum(pdf.text_height(line, text_w, 9.5, 4.6) for line in doses)
              + pdf.text_height(f"How often: {exercise.how_often}", text_w, 9.5, 4.6) + 1.5
              + 4.8 + sum(pdf.text_height(s, text_w - 2, 9.5, 4.6) + 0.6 for s in steps))
    under = picture_h + 1.5 + pdf.text_height(alt, PICTURE_WIDTH, 7.5, 3.4, italic=True)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    after = sum(pdf.text_height(f"{label} {text}", width, 9.5, 4.6) + 0.8 for label, text in (
        ("It should feel like:", exercise.should_feel),
        ("It should not feel like:", exercise.should_not_feel),
        ("When to stop:", exercise.stop_if)))
    needed = 12 + max(beside, under) + 3 + after
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.heading(f"{number}. {exercise.name}")
    top = pdf.get_y() + 1
    pdf.image(io.BytesIO(picture), x=left, y=top, w=PICTURE_WIDTH, h=picture_h,
              alt_text=pdf.safe(exercise.picture_alt))
    pdf.set_xy(left, top + picture_h + 1.5)
    pdf.column(left, PICTURE_WIDTH, alt, size=7.5, height=3.4, italic=True, color=GREY)
    below_picture = pdf.get_y()
    pdf.set_y(top)
    pdf.column(text_x, text_w, exercise.summary, italic=True)
    pdf.ln(1.5)
    pdf.column(text_x, text_w, "Dose", size=10, height=4.8, bold=True, color=ACCENT)
    for line in doses:
        pdf.column(text_x, text_w, line)
    pdf.labelled(text_x, text_w, "How often:", exercise.how_often)
    pdf.ln(1.5)
    pdf.column(text_x, text_w, "Steps", size=10, height=4.8, bold=True, color=ACCENT)
    for step in steps:
        pdf.column(text_x + 2, text_w - 2, step)
        pdf.ln(0.6)
    pdf.set_y(max(pdf.get_y(), below_picture) + 2)
    for label, text in (("It should feel like:", exercise.should_feel),
                        ("It should not feel like:", exercise.should_not_feel),
                        ("When to stop:", exercise.stop_if)):
        pdf.labelled(left, width, label, text)
        pdf.ln(0.8)


def _lines(pdf: PlanPdf, lines: Sequence[str]) -> str:
    """Lines for one table cell, each made safe (`safe` turns line breaks into spaces)."""
    return "\n".join(pdf.safe(line) for line in lines)


def _exercise_lines(planned: Sequence[PlannedExercise]) -> list[str]:
    return [f"{p.exercise.name}: {p.dose()}" for p in planned]


def _days_table(pdf: PlanPdf, programme: Programme) -> None:
    pdf.heading("Day by day")
    pdf.style(8.5)
    pdf.set_fill_color(255)  # tables take the current fill as their background
    with pdf.table(
        col_widths=(27, 73, 19, 61),
        text_align=("LEFT", "LEFT", "CENTER", "LEFT"),
        v_align="TOP",
        line_height=3.9,
        borders_layout="HORIZONTAL_LINES",
        cell_fill_mode="NONE",
        headings_style=heading_style(pdf),
        repeat_headings=1,
        padding=(1.2, 1, 1.2, 1),
    ) as table:
        table.row([pdf.safe(t) for t in ("Date", "Exercises", "Sessions", "Why this helps")])
        for day in programme.days:
            table.row([
                _lines(pdf, [_short(day.day), f"day {day.number}, week {day.week}"]),
                _lines(pdf, _exercise_lines(day.exercises)),
                str(day.sessions),
                pdf.safe(f"{day.lesson.title}. {day.lesson.text}"),
            ])
    _notes(pdf, programme.days, programme.message)


def _notes(pdf: PlanPdf, days: Sequence[PlanDay], shown: str | None) -> None:
    """The days' other notes (ice or heat, breaks), each once with the days it is for."""
    on: dict[str, list[PlanDay]] = {}
    for day in days:
        for note in day.notes:
            if note != shown:
                on.setdefault(note, []).append(day)
    if not on:
        return
    pdf.ln(2)
    pdf.para("Also on these days:", size=9.5, bold=True)
    for note, listed in on.items():
        when = ("every day" if len(listed) == len(days) else
                _short(listed[0].day) if len(listed) == 1 else
                f"{_short(listed[0].day)} to {_short(listed[-1].day)}")
        pdf.bullet(f"{note} ({when})")


def _withheld(pdf: PlanPdf, programme: Programme) -> None:
    if not programme.withheld:
        return
    pdf.heading("Left out for you")
    for withheld in programme.withheld:
        pdf.bullet(f"{withheld.exercise.name}: {' '.join(withheld.reasons)}")


def _sources(pdf: PlanPdf, kb: KnowledgeBase, programme: Programme) -> None:
    cited = [*programme.sources, *(s for day in programme.days for s in day.lesson.sources)]
    sources = kb.cited_sources(cited)
    if not sources:
        return
    pdf.heading("Sources")
    for source in sources:
        pdf.bullet(f"{source.publisher}: {source.title}. {source.url}", size=8.5)


def build_plan_pdf(kb: KnowledgeBase, programme: Programme, made: date | None = None
                   ) -> PlanPdf:
    """Lay out the plan (NoPlan when it lists no day)."""
    if not programme.days:
        raise NoPlan(programme.message or kb.exercise_book.programme.not_offered)
    pdf = PlanPdf(font_dir())
    pdf.set_title("Your exercise plan")
    pdf.set_creator(f"upperback {__version__}")
    pdf.add_page()
    _title(pdf, kb, programme, made or datetime.now().astimezone().date())
    for number, exercise in enumerate(planned_once(programme), 1):
        _exercise(pdf, programme, exercise, number)
    _days_table(pdf, programme)
    _withheld(pdf, programme)
    _sources(pdf, kb, programme)
    return pdf


def plan_pdf_bytes(kb: KnowledgeBase, programme: Programme, made: date | None = None) -> bytes:
    """The plan as PDF bytes (NoPlan when it lists no day)."""
    return bytes(build_plan_pdf(kb, programme, made).output())


def write_plan_pdf(kb: KnowledgeBase, programme: Programme, path: str | os.PathLike[str],
                   made: date | None = None) -> Path:
    """Write the plan to `path` and return it (NoPlan when it lists no day). The file is
    written only once the whole PDF is made."""
    data = plan_pdf_bytes(kb, programme, made)
    target = Path(path)
    target.write_bytes(data)
    return target
