"""A one- or two-page PDF for the clinician: the latest check, the pain chart, the reliefs used.

Written with fpdf2. A Unicode font (DejaVu Sans) is used when the system has it; otherwise the
built-in Helvetica, with text made Latin-1 safe. If the content would run past two pages, it is
drawn again with less detail (no "don't know" answers, shorter lists).

Every text drawn goes through `ReportPdf.safe`, as stored text may hold anything (an old row, a
database edited by hand): escape sequences and control characters are dropped, line breaks and
tabs become spaces, a lone surrogate becomes U+FFFD, a character the font cannot draw (an emoji,
CJK) becomes U+FFFD (or "?" in Helvetica), and a stored text longer than MAX_TEXT characters is
cut short with an ellipsis. Long words wrap (fpdf2 breaks a word wider than its cell).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace, TTFFont

from .. import __version__
from ..errors import UpperbackError
from ..escalation import escalation
from ..knowledge_base import KnowledgeBase
from ..medicines import dose_summaries
from ..report_period import Period, Subject, report_period
from ..result import AssessmentResult
from ..store import CheckRecord, DiaryEntry, MedicineDose, Store, TimerSession
from ..timeaxis import runs, ticks
from ..trend import TREND_ENTRIES, TrendVerdict, pain_trend
from .export import answer_text, plain_text

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MAX_PAGES = 2
REASON_ANSWERS = 6  # the answers named under one reason; the rest are counted
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
REPORT_RECORDS = 1000  # the newest diary entries (and timer sessions) a report covers
MAX_TEXT = 300  # characters of one stored text (a "helped" note, an answer) the report shows
LINE_BREAKS = str.maketrans(dict.fromkeys("\t\n\r\x85\u2028\u2029", " "))
INK = (30, 30, 30)
GREY = (110, 110, 110)
ACCENT = (31, 92, 153)
LATIN1_SWAPS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u2264": "<=",
        "\u2265": ">=",
        "\u2022": "-",
        "\u00a0": " ",
    }
)


@dataclass(frozen=True)
class Detail:
    """How much to show; smaller settings are tried if the report runs past two pages."""

    max_causes: int
    max_checks: int
    max_signs: int
    max_dose_days: int
    max_helped: int
    max_reasons: int
    max_present: int


DETAILS = (
    Detail(max_causes=5, max_checks=12, max_signs=10, max_dose_days=10, max_helped=8,
           max_reasons=12, max_present=80),
    Detail(max_causes=4, max_checks=8, max_signs=6, max_dose_days=6, max_helped=5,
           max_reasons=5, max_present=30),
    Detail(max_causes=3, max_checks=4, max_signs=3, max_dose_days=3, max_helped=3,
           max_reasons=3, max_present=14),
)


@dataclass(frozen=True)
class ReportData:
    """What the report shows, read from the store once: the records of its period (the newest
    REPORT_RECORDS of each kind) and the latest check up to the period's end."""

    check: CheckRecord | None
    entries: list[DiaryEntry]  # the period's newest REPORT_RECORDS, oldest first
    timers: list[TimerSession]  # likewise
    trend: TrendVerdict | None
    entries_total: int = 0  # how many the period holds in all
    timers_total: int = 0
    doses: list[MedicineDose] = field(default_factory=list)  # the newest REPORT_RECORDS
    checks: list[CheckRecord] = field(default_factory=list)  # the period's checks, oldest first
    checks_total: int = 0
    period: Period | None = None  # None: whatever the records hold (a report built by hand)
    subject: Subject = field(default_factory=Subject)

    @property
    def entries_shown(self) -> str:
        """How many diary entries the report covers, in words ("12", "the latest 1,000 of
        50,000")."""
        shown, total = len(self.entries), max(self.entries_total, len(self.entries))
        return f"{shown:,}" if shown == total else f"the latest {shown:,} of {total:,}"


def font_dir() -> Path | None:
    """The folder holding the Unicode fonts the PDFs embed (report and plan), or None."""
    for directory in FONT_DIRS:
        if all((directory / name).is_file() for name in FONT_FILES.values()):
            return directory
    return None


def _local_date(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _percent(probability: float) -> str:
    return "<1%" if probability < 0.005 else f"{probability:.0%}"


def _cut(text: str) -> str:
    """A stored text, cut to MAX_TEXT characters (with an ellipsis) so that it cannot take
    the report's two pages."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "\u2026"


class ReportPdf(FPDF):
    """FPDF with the report's fonts and a few layout helpers."""

    def __init__(self, font_dir: Path | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(auto=True, margin=14)
        self.unicode = font_dir is not None
        # The characters every style of the font can draw (Helvetica: Latin-1, see `safe`).
        self.glyphs: frozenset[int] = frozenset()
        if font_dir is not None:
            for style, name in FONT_FILES.items():
                self.add_font("DejaVu", style, str(font_dir / name))
            self.family = "DejaVu"
            maps = [set(f.cmap) for f in self.fonts.values() if isinstance(f, TTFFont)]
            self.glyphs = frozenset(set.intersection(*maps)) if maps else frozenset()
        else:
            self.family = "Helvetica"
        self.missing = "\ufffd" if ord("\ufffd") in self.glyphs else "?"

    def close_fonts(self) -> None:
        """Close the font files. fpdf2 closes them only in output(): call this on a report
        that is dropped unwritten (one drawn again with less detail), or they stay open."""
        for font in self.fonts.values():
            if isinstance(font, TTFFont):
                font.close()

    def safe(self, text: object) -> str:
        """Text the current font can draw, whatever `text` holds (see the module's docstring)."""
        shown = plain_text(text).translate(LINE_BREAKS)
        if self.unicode:
            glyphs, missing = self.glyphs, self.missing
            return "".join(c if ord(c) in glyphs or c == " " else missing for c in shown)
        return shown.translate(LATIN1_SWAPS).encode("latin-1", "replace").decode("latin-1")

    def style(
        self,
        size: float,
        bold: bool = False,
        italic: bool = False,
        color: tuple[int, int, int] = INK,
    ) -> None:
        """Set font size, weight and colour."""
        self.set_font(self.family, "B" if bold else "I" if italic else "", size)
        self.set_text_color(*color)

    def para(self, text: str, size: float = 9.5, height: float = 4.6, **style: Any) -> None:
        """A wrapped paragraph across the page."""
        self.style(size, **style)
        self.multi_cell(0, height, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullet(self, text: str, size: float = 9.5, indent: float = 4) -> None:
        """A wrapped bulleted line."""
        self.style(size)
        self.set_x(self.l_margin + indent)
        self.cell(4, 4.6, self.safe("\u2022"))
        self.multi_cell(0, 4.6, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str) -> None:
        """A section heading with a rule under it; starts a new page if too near the bottom."""
        if self.get_y() > self.h - self.b_margin - 25:
            self.add_page()
        self.ln(2.5)
        self.style(12, bold=True, color=ACCENT)
        self.cell(0, 6.5, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)

    def footer(self) -> None:
        self.set_y(-10)
        self.style(7.5, color=GREY)
        self.cell(0, 4, f"upperback {__version__}  |  {self.page_no()}/{{nb}}", align="R")


def read_data(store: Store, kb: KnowledgeBase, period: Period | None = None,
              subject: Subject | None = None) -> ReportData:
    """What the report needs from the store: the checks, diary entries, medicine doses and
    timer sessions of the period (the newest REPORT_RECORDS of each: a report stays a few
    pages, built in bounded time and memory; the exports hold everything), and the latest
    check up to the period's end. The period defaults to the last DEFAULT_DAYS days; its days
    are this computer's calendar days, as every date the report shows."""
    period = period or report_period()
    start, end = period.start(), period.end()
    entries = store.entries_between(start, end, REPORT_RECORDS)
    timers = store.timers_between(start, end, REPORT_RECORDS)
    doses = store.doses_between(start, end, REPORT_RECORDS)
    checks = store.checks_between(start, end, REPORT_RECORDS)
    latest = checks.items[-1] if checks.items else next(
        iter(store.checks_between(EARLIEST, end, 1).items), None)
    trend = pain_trend(entries.items[-TREND_ENTRIES:], kb)
    return ReportData(latest, entries.items, timers.items, trend,
                      entries_total=entries.total, timers_total=timers.total,
                      doses=doses.items, checks=checks.items, checks_total=checks.total,
                      period=period, subject=subject or Subject())


def _title(pdf: ReportPdf, kb: KnowledgeBase, data: ReportData) -> None:
    pdf.style(17, bold=True)
    pdf.cell(
        0,
        9,
        pdf.safe(f"{kb.guide.title}: report for a clinician"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    who = data.subject
    if who.given:
        parts = [f"Name: {who.name}" if who.name else "",
                 f"Born: {who.born.isoformat()}" if who.born else ""]
        pdf.para("    ".join(part for part in parts if part), size=10.5, bold=True)
    if data.period is not None:
        pdf.para(f"Period: {data.period.label()}", size=10.5, bold=True)
    made = f"Made on {_local_date(datetime.now().astimezone())} by upperback {__version__}."
    made += f" Diary entries in the period: {data.entries_shown}."
    pdf.para(made, size=9, color=GREY)
    pdf.ln(1)
    pdf.set_fill_color(242, 242, 242)
    pdf.style(9, italic=True)
    pdf.multi_cell(
        0,
        4.4,
        pdf.safe(kb.guide.disclaimer),
        align="L",
        fill=True,
        padding=2,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _check_section(pdf: ReportPdf, data: ReportData, detail: Detail) -> None:
    check = data.check
    pdf.heading("Current level")
    if check is None:
        pdf.para("No check has been saved up to the end of this period.")
        return
    before = data.period is not None and check.created_at < data.period.start()
    when = f"From the check of {_local_date(check.created_at)}"
    pdf.para(when + (" (before this period)." if before else "."), size=9, color=GREY)
    result = check.assessment()
    if result is None:  # saved in a shape this version cannot read: say what is known
        triage = _cut(plain_text(check.triage)) or "unknown"
        pdf.para(f"Triage: {triage} (saved by an older version).")
        return
    pdf.style(12, bold=True)
    pdf.multi_cell(  # wraps, should a saved label be long
        0,
        6.5,
        pdf.safe(f"Triage: {_cut(plain_text(result.triage_label))}"),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    # The action text speaks to the person about the app's screens; the headline says it all,
    # except in an emergency, where the action is what matters.
    for text in (result.headline, result.action) if result.is_emergency else (result.headline,):
        if text:
            pdf.para(text)
    if result.triage_reasons:
        pdf.para("Why:", bold=True)
    for reason in result.triage_reasons[:detail.max_reasons]:
        said = "; ".join(a.text for a in reason.answers[:REASON_ANSWERS])
        if len(reason.answers) > REASON_ANSWERS:
            said += f"; and {len(reason.answers) - REASON_ANSWERS} more"
        pdf.bullet(reason.message + (f" (Answers: {said}.)" if said else ""))
    if len(result.triage_reasons) > detail.max_reasons:
        more = len(result.triage_reasons) - detail.max_reasons
        pdf.para(f"... and {_count(more, 'more reason')} (see the data export).", size=8)
    if result.is_emergency:
        return  # an emergency shows only how to get help: no causes list in its way
    _causes(pdf, result, detail)


def _top_causes(result: AssessmentResult | None, most: int = 3) -> str:
    if result is None:
        return ""
    if result.is_emergency:  # what set it off matters more than a list of causes
        reasons = [plain_text(reason.message) for reason in result.triage_reasons[:1]]
        return _cut("Emergency: " + (reasons[0] if reasons else "see the check"))
    return "; ".join(f"{_cut(plain_text(c.name))} {_percent(c.probability)}"
                     for c in result.causes[:most])


def _checks_section(pdf: ReportPdf, data: ReportData, detail: Detail) -> None:
    if data.period is None:
        return
    total = max(data.checks_total, len(data.checks))
    pdf.heading(f"Checks in this period ({total})")
    if not data.checks:
        pdf.para("No check was made in this period.")
        return
    shown = data.checks[-detail.max_checks:]  # the newest, oldest first
    pdf.style(9)
    pdf.set_fill_color(255)  # tables take the current fill as their background
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=(24, 46, 110),
        text_align=("LEFT", "LEFT", "LEFT"),
        line_height=4.4,
        borders_layout="HORIZONTAL_LINES",
        cell_fill_mode="NONE",
        headings_style=heading_style(pdf),
    ) as table:
        table.row([pdf.safe(t) for t in ("Date", "Level", "Top causes (from the answers)")])
        for check in shown:
            result = check.assessment()
            label = plain_text(result.triage_label if result else check.triage) or "unknown"
            # An urgent or emergency check stands out: the clinician should not miss one.
            serious = (result.triage if result else check.triage) in ("urgent", "emergency")
            row = table.row()
            row.cell(_local_date(check.created_at))
            row.cell(pdf.safe(_cut(label)), style=bold if serious else None)
            row.cell(pdf.safe(_top_causes(result)))
    if total > len(shown):
        pdf.para(f"Showing the latest {len(shown)} of {total} checks (see the data export).",
                 size=8)


def _warning_signs_section(pdf: ReportPdf, kb: KnowledgeBase, data: ReportData,
                           detail: Detail) -> None:
    logged = [entry for entry in data.entries if entry.symptoms]
    pdf.heading("Warning signs logged in the diary")
    if not logged:
        pdf.para("None logged in this period.")
        return
    answers = data.check.answers if data.check is not None else None
    triage = data.check.triage if data.check is not None else None
    for entry in logged[-detail.max_signs:]:
        # Any stored value (an old or edited row may hold anything): known ids in words.
        known = [s for s in entry.symptoms if isinstance(s, str) and s in kb.findings]
        names = [kb.findings[s].label if isinstance(s, str) and s in kb.findings
                 else plain_text(s) for s in entry.symptoms]
        text = f"{_local_date(entry.created_at)}: {', '.join(_cut(n) for n in names if n)}"
        try:
            raised = escalation(kb, known, answers, triage)
        except UpperbackError:  # an answer an older version saved: the signs still show
            raised = None
        if raised is not None:
            level = kb.guide.levels[raised.assessment.triage].label
            text += f" (calls for: {level})"
        pdf.bullet(text + ".")
    if len(logged) > detail.max_signs:
        pdf.para(f"... and {len(logged) - detail.max_signs} earlier entries with warning signs.",
                 size=8)


def _causes(pdf: ReportPdf, result: AssessmentResult, detail: Detail) -> None:
    causes = result.causes[: detail.max_causes]
    if not causes:
        return
    likely = set(result.likely_causes)
    pdf.heading("Likely causes (from the answers; not a diagnosis)")
    pdf.style(9)
    pdf.set_fill_color(255)  # tables take the current fill as their background
    with pdf.table(
        col_widths=(58, 22, 20, 80),
        text_align=("LEFT", "RIGHT", "LEFT", "LEFT"),
        line_height=4.4,
        borders_layout="HORIZONTAL_LINES",
        cell_fill_mode="NONE",
        headings_style=heading_style(pdf),
    ) as table:
        table.row([pdf.safe(t) for t in ("Cause", "Probability", "ICD-10", "Raised by")])
        for cause in causes:
            raised = ", ".join(e.text for e in (cause.why.raised_by if cause.why else [])[:2])
            name = _cut(plain_text(cause.name))
            table.row(
                [
                    pdf.safe(f"{name}{' (likely)' if cause.id in likely else ''}"),
                    _percent(cause.probability),
                    pdf.safe(_cut(plain_text(cause.icd10))),
                    pdf.safe(_cut(plain_text(raised))),
                ]
            )


def heading_style(pdf: ReportPdf) -> FontFace:
    """How a table's header row looks in the PDFs (report and plan)."""
    return FontFace(family=pdf.family, emphasis="BOLD", color=INK, fill_color=(235, 240, 247))


def draw_pain_chart(
    pdf: ReportPdf, entries: Sequence[DiaryEntry], x: float, y: float, width: float, height: float,
    span: tuple[datetime, datetime] | None = None,
) -> None:
    """A line chart of pain (0 to 10) over time: across `span` (the report's period) when
    given, so days without entries show as the gaps they are, else from the first entry to
    the last."""
    left, bottom = x + 8, y + height - 6
    plot_w, plot_h = width - 10, height - 9
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.15)
    pdf.style(7, color=GREY)
    for score in range(0, 11, 2):
        level = bottom - plot_h * score / 10
        pdf.line(left, level, left + plot_w, level)
        pdf.set_xy(x, level - 1.8)
        pdf.cell(6, 3.6, str(score), align="R")
    pdf.set_draw_color(*GREY)
    pdf.line(left, bottom, left + plot_w, bottom)
    pdf.line(left, bottom, left, bottom - plot_h)
    if not entries:
        return
    first, last = span or (entries[0].created_at, entries[-1].created_at)
    seconds = (last - first).total_seconds() or 1.0
    single = len(entries) == 1 and span is None

    def point(entry: DiaryEntry) -> tuple[float, float]:
        share = 0.5 if single else (entry.created_at - first).total_seconds() / seconds
        return left + 2 + (plot_w - 4) * share, bottom - plot_h * entry.pain / 10

    points = [point(entry) for entry in entries]
    pdf.set_draw_color(*ACCENT)
    pdf.set_fill_color(*ACCENT)
    pdf.set_line_width(0.6)
    # No line across a long gap with no entries (upperback.timeaxis, as the page draws it).
    for run in runs([entry.created_at for entry in entries]):
        if len(run) > 1:
            pdf.polyline([points[i] for i in run])
    radius = 0.9 if len(points) < 40 else 0.5
    for px, py in points:
        pdf.ellipse(px - radius, py - radius, 2 * radius, 2 * radius, style="F")
    pdf.style(7, color=GREY)
    if single:
        pdf.set_xy(left, bottom + 0.8)
        pdf.cell(30, 3.6, _local_date(first), align="L")
        return
    for mark in ticks(first, last, most=6):  # round steps: hours, days, weeks or months
        at = left + 2 + (plot_w - 4) * (mark.at - first).total_seconds() / seconds
        pdf.set_draw_color(*GREY)
        pdf.set_line_width(0.15)
        pdf.line(at, bottom, at, bottom + 0.8)
        pdf.set_xy(at - 15, bottom + 0.8)
        pdf.cell(30, 3.6, pdf.safe(mark.label), align="C")


def _diary_section(pdf: ReportPdf, data: ReportData) -> None:
    pdf.heading("Pain diary (0 = no pain, 10 = worst)")
    entries = data.entries
    if not entries:
        pdf.para("No diary entries in this period." if data.period else "No diary entries yet.")
        return
    scores = [entry.pain for entry in entries]
    pdf.para(
        f"{data.entries_shown.capitalize()} entries, from {_local_date(entries[0].created_at)} to "
        f"{_local_date(entries[-1].created_at)}. First {scores[0]}, latest {scores[-1]}, "
        f"lowest {min(scores)}, highest {max(scores)}."
    )
    height = 48.0
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y() + 1
    span = (data.period.start(), data.period.end()) if data.period is not None else None
    if span and not span[0] <= entries[0].created_at <= entries[-1].created_at < span[1]:
        span = None  # entries outside the period (a report built by hand): fit them instead
    draw_pain_chart(pdf, entries, pdf.l_margin, top, pdf.w - pdf.l_margin - pdf.r_margin, height,
                    span)
    pdf.set_xy(pdf.l_margin, top + height + 2)
    if data.trend is not None:
        pdf.set_fill_color(253, 236, 200)
        pdf.style(9.5, bold=True)
        text = (
            f"Trend: {data.trend.message} (Average pain {data.trend.start_pain:g} at the "
            f"start, {data.trend.recent_pain:g} lately, over {data.trend.days} days.)"
        )
        pdf.multi_cell(
            0,
            4.6,
            pdf.safe(text),
            align="L",
            fill=True,
            padding=2,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def helped_counts(entries: Sequence[DiaryEntry]) -> list[tuple[str, int]]:
    """What the diary says helped, most often first (same words in any case count together)."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for entry in entries:
        words = " ".join(plain_text(entry.helped).split())  # any stored value, as clean text
        if words:
            key = words.casefold()
            spelling.setdefault(key, words)
            counts[key] += 1
    return [(spelling[key], count) for key, count in counts.most_common()]


def _medicines(pdf: ReportPdf, kb: KnowledgeBase, data: ReportData, detail: Detail) -> None:
    answers = data.check.answers if data.check is not None else None
    for summary in dose_summaries(kb, data.doses, answers):
        limit = (f" (the label's maximum: {summary.daily_max_mg:,} mg in 24 hours)"
                 if summary.daily_max_mg else "")
        text = (f"{summary.name}: {_count(summary.doses, 'dose')} on "
                f"{_count(summary.days, 'day')}, {summary.total_mg:,} mg in all; the most on "
                f"one day {summary.most_in_a_day_mg:,} mg{limit}.")
        if summary.days_over:
            text += (f" Over the maximum on {_count(len(summary.days_over), 'day')}: "
                     f"{', '.join(summary.days_over[:5])}.")
        pdf.bullet(text)
        days = summary.by_day[-detail.max_dose_days:]
        over = set(summary.days_over)
        totals = ", ".join(f"{day} {mg:,} mg{' (over)' if day in over else ''}"
                           for day, mg in days)
        earlier = len(summary.by_day) - len(days)
        pdf.bullet(f"Daily totals{f' (latest {len(days)} days)' if earlier else ''}: {totals}.",
                   size=8.5, indent=8)


def _relief_section(pdf: ReportPdf, kb: KnowledgeBase, data: ReportData, detail: Detail
                    ) -> None:
    pdf.heading("Pain relievers, ice and heat")
    if not data.timers and not data.doses and not any(entry.helped for entry in data.entries):
        pdf.para("No timer sessions, pain relievers or notes on what helped in this period."
                 if data.period else
                 "No timer sessions, pain relievers or notes on what helped yet.")
        return
    _medicines(pdf, kb, data, detail)
    if data.timers_total > len(data.timers):
        pdf.para(f"From the latest {len(data.timers):,} of {data.timers_total:,} timer sessions.")
    for kind in ("ice", "heat"):
        sessions = [timer for timer in data.timers if timer.kind == kind]
        if sessions:
            seconds = [t.seconds for t in sessions if isinstance(t.seconds, int | float)]
            minutes = round(sum(seconds) / 60)
            finished = sum(timer.completed for timer in sessions)
            pdf.bullet(
                f"{kind.capitalize()} (timer): {_count(len(sessions), 'session')}, "
                f"{finished} run to the end, {_count(minutes, 'minute')} in all."
            )
    helped = helped_counts(data.entries)
    if helped:
        shown = helped[: detail.max_helped]
        words = ", ".join(f"{_cut(text)} ({count}x)" for text, count in shown)
        more = f", and {len(helped) - len(shown)} more" if len(helped) > len(shown) else ""
        pdf.bullet(f"Noted in the diary as helping: {words}{more}.")


def answers_in_order(kb: KnowledgeBase, answers: dict[str, Any]) -> list[tuple[str, Any]]:
    """Answers with what was present first (yes, numbers, choices), then no, then don't know."""
    order = {finding_id: index for index, finding_id in enumerate(kb.findings)}

    def key(item: tuple[str, Any]) -> tuple[int, int]:
        finding_id, value = item
        group = 2 if value is None else 1 if value is False else 0
        return group, order.get(finding_id, len(order))

    return sorted(answers.items(), key=key)


def _answers_section(
    pdf: ReportPdf, kb: KnowledgeBase, check: CheckRecord | None, detail: Detail
) -> None:
    if check is None or not check.answers:
        return
    ordered = answers_in_order(kb, check.answers)
    present = [_cut(plain_text(answer_text(kb, f, v))) for f, v in ordered
               if v not in (False, None)]
    no = sum(1 for _, v in ordered if v is False)
    # "Don't know" to a warning sign is never "no": those are named, the rest counted.
    open_signs = [_cut(plain_text(kb.findings[f].label)) for f, v in ordered
                  if v is None and f in kb.red_flag_findings()]
    unknown = sum(1 for _, v in ordered if v is None)
    pdf.heading(f"The latest check's answers ({_local_date(check.created_at)})")
    if present:
        pdf.para(f"Present ({len(present)}):", bold=True, size=9)
    hidden = len(present) - detail.max_present
    present = present[:detail.max_present]
    pdf.style(8.5)
    pdf.set_fill_color(255)  # tables take the current fill as their background
    with pdf.table(
        col_widths=(90, 90),
        line_height=3.9,
        borders_layout="NONE",
        first_row_as_headings=False,
        padding=0.6,
        cell_fill_mode="NONE",
    ) as table:
        for start in range(0, len(present), 2):  # read across, so a page break keeps the order
            row = table.row()
            for text in present[start : start + 2]:
                row.cell(pdf.safe(text))
    counts = f"... and {hidden} more present. " if hidden > 0 else ""
    counts += f"Answered no: {no}. Don't know: {unknown}."
    if open_signs:
        counts += f" Warning signs not ruled out (don't know): {', '.join(open_signs)}."
    pdf.para(counts + " Every answer is in the data export.", size=8.5)


def build_pdf(kb: KnowledgeBase, data: ReportData, detail: Detail) -> ReportPdf:
    """Lay out the report with this much detail."""
    pdf = ReportPdf(font_dir())
    pdf.set_title(f"{kb.guide.title}: report")
    pdf.set_creator(f"upperback {__version__}")
    pdf.add_page()
    _title(pdf, kb, data)
    _check_section(pdf, data, detail)
    _checks_section(pdf, data, detail)
    _warning_signs_section(pdf, kb, data, detail)
    _diary_section(pdf, data)
    _relief_section(pdf, kb, data, detail)
    _answers_section(pdf, kb, data.check, detail)
    return pdf


def write_report_pdf(store: Store, kb: KnowledgeBase, path: str | os.PathLike[str],
                     period: Period | None = None, subject: Subject | None = None) -> Path:
    """Write the clinician's report for `period` (default: the last DEFAULT_DAYS days) to
    `path` (at most two A4 pages) and return the path."""
    data = read_data(store, kb, period, subject)
    pdf = build_pdf(kb, data, DETAILS[0])
    for detail in DETAILS[1:]:
        if pdf.page_no() <= MAX_PAGES:
            break
        pdf.close_fonts()
        pdf = build_pdf(kb, data, detail)
    target = Path(path)
    pdf.output(str(target))
    return target
