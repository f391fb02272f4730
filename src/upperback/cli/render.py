"""Rich rendering of an assessment's typed result (saved checks are read back into the same
type, so they render the same).

All the words shown come from the result, which takes them from the knowledge base; this
module only adds headings and layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .text import literal, plain

if TYPE_CHECKING:  # the result models need pydantic: not imported for `upperback --help`
    from ..knowledge_base import KnowledgeBase
    from ..recheck import Changes
    from ..result import AnswerShown, AssessmentResult, ReliefShown, SourceShown, TriageResult

LEVEL_STYLE = {
    "self_care": "green",
    "soon": "yellow",
    "urgent": "dark_orange",
    "emergency": "red",
}
TOP_CAUSES = 3
BAR_WIDTH = 20
# The default result fits one screen: at most this many lines (at 80 columns and wider).
SUMMARY_LINES = 40


def probability_bar(probability: float, width: int = BAR_WIDTH) -> str:
    """A bar of block characters with the percentage, e.g. '████████░░░░ 62%'."""
    share = min(1.0, max(0.0, probability))
    filled = round(share * width)
    percent = "<1%" if 0 < share < 0.005 else f"{share:.0%}"
    return "█" * filled + "░" * (width - filled) + f" {percent:>4}"


def _answers(answers: Iterable[AnswerShown]) -> str:
    return "; ".join(a.text for a in answers)


def _heading(title: str) -> Rule:
    return Rule(f"[bold]{escape(title)}[/]", align="left", style="dim")


def bullets(lines: Iterable[str], marker: str = "-", style: str = "") -> Table:
    """Lines with a hanging indent: '-' bullets, '!' warnings, or '1.' numbers when marker='1.'."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style=style)
    grid.add_column(style=style, overflow="fold")
    for number, line in enumerate(lines, start=1):
        # A Text: shown literally, whatever the line holds (a saved result's words, say).
        grid.add_row(f"{number}." if marker == "1." else marker, literal(line))
    return grid


def cited(result: AssessmentResult, source_ids: Iterable[str]) -> list[SourceShown]:
    """The result's sources with these ids, in the order first cited."""
    by_id = {s.id: s for s in result.sources}
    return [by_id[i] for i in dict.fromkeys(source_ids) if i in by_id]


def emergency_screen(result: TriageResult) -> RenderableType:
    """Only what to do now: the headline, the steps, and the warning signs that led here."""
    lines: list[RenderableType] = [
        Text(result.headline.upper(), style="bold", justify="center"),
        Text(""),
        bullets(result.emergency_steps or [result.action], "1.", style="bold"),
    ]
    reasons = [r for r in result.triage_reasons if r.level == "emergency"]
    if reasons:
        lines.append(Text(""))
        lines.append(Text("Why:", style="bold"))
        lines.append(bullets(r.message for r in reasons))
    return Panel(
        Group(*lines),
        title=f"[bold] {escape(result.triage_label.upper())} [/]",
        border_style="bold red",
        style="bold white on red",
        padding=(1, 3),
    )


def triage_panel(result: TriageResult) -> RenderableType:
    """The triage level, what it means, and the reasons with the answers that led there."""
    style = LEVEL_STYLE.get(result.triage, "white")
    lines: list[RenderableType] = [
        Text(result.headline, style="bold"),
        Text(result.action),
    ]
    if result.triage_reasons:
        lines.append(Text(""))
        lines.append(Text("Why this level:", style="bold"))
        for reason in result.triage_reasons:
            lines.append(bullets([reason.message]))
            if reason.answers and reason.kind != "not_ruled_out":
                lines.append(Text(f"  Your answers: {_answers(reason.answers)}", style="dim"))
    open_signs = getattr(result, "not_ruled_out", [])
    if open_signs:
        lines.append(Text(""))
        lines.append(Text("Not ruled out (not answered, or \"don't know\"):", style="bold"))
        groups: dict[str, list[str]] = {}
        for item in open_signs:
            groups.setdefault(item.if_present, []).append(item.text)
        lines.append(bullets(f"{advice} {'; '.join(texts)}." for advice, texts in groups.items()))
    return Panel(
        Group(*lines),
        title=f"[bold {style}]{escape(result.triage_label)}[/]",
        title_align="left",
        border_style=style,
    )


def causes_section(result: AssessmentResult, top: int = TOP_CAUSES) -> list[RenderableType]:
    """The most likely causes with a probability bar and the answers for and against."""
    out: list[RenderableType] = [_heading("Most likely causes")]
    for cause in result.causes[:top]:
        line = Text()
        line.append(probability_bar(cause.probability), style="cyan")
        line.append(f"  {cause.name}", style="bold")
        line.append(f" ({cause.likelihood})")
        out.append(line)
        body = [Text(cause.summary)]
        if cause.shown_because:
            body.append(Text(cause.shown_because, style="bold"))
        if cause.why is not None and cause.why.raised_by:
            body.append(Text(f"More likely because: {_answers(cause.why.raised_by)}", style="dim"))
        if cause.why is not None and cause.why.lowered_by:
            body.append(Text(f"Less likely because: {_answers(cause.why.lowered_by)}", style="dim"))
        out.append(Padding(Group(*body), (0, 0, 1, 4)))
    return out


def relief_section(result: AssessmentResult) -> list[RenderableType]:
    """The relief plan: each method's steps, safety rules and time limit."""
    out: list[RenderableType] = [_heading("Your relief plan")]
    if not result.relief:
        out.append(Text("No relief method fits your answers. Follow the advice above."))
        return out
    for method in result.relief:
        out.append(Text(method.name, style="bold green"))
        body: list[RenderableType] = [Text(method.summary)]
        for why in method.why:
            body.append(Text(f"Why: {why}", style="dim"))
        if method.answers:
            body.append(Text(f"Your answers: {_answers(method.answers)}", style="dim"))
        body.append(bullets(method.instructions, "1."))
        safety = [*method.check_first, *method.safety]
        if method.max_minutes:
            safety.append(f"At most {method.max_minutes} minutes a session.")
        body.append(bullets(safety, "!", style="yellow"))
        out.append(Padding(Group(*body), (0, 0, 1, 2)))
    return out


def avoid_section(result: AssessmentResult) -> list[RenderableType]:
    """Methods withheld from this person, with the reason and the answers behind it."""
    if not result.avoid:
        return []
    out: list[RenderableType] = [_heading("Not suggested for you")]
    for method in result.avoid:
        out.append(Text(method.name, style="bold red"))
        body: list[RenderableType] = [bullets(method.reasons)]
        if method.answers:
            body.append(Text(f"Your answers: {_answers(method.answers)}", style="dim"))
        out.append(Padding(Group(*body), (0, 0, 1, 2)))
    return out


def follow_up_section(result: AssessmentResult) -> list[RenderableType]:
    """When to get care if it does not improve, and the signs that need help sooner."""
    follow = result.follow_up
    out: list[RenderableType] = [_heading("When to get care")]
    if follow.if_not_improving:
        out.append(Text(follow.if_not_improving))
    for cause in follow.for_likely_causes:
        out.append(Text(f"{cause.name}: {cause.when}"))
    out.append(Text(""))
    out.append(Text("Get help if:", style="bold"))
    out.append(bullets(follow.come_back_if))
    out.append(Text(""))
    return out


class Url(Text):
    """A web address on a line of its own, never wrapped (so a terminal can link it)."""

    def __init__(self, url: str, indent: int = 2) -> None:
        super().__init__(" " * indent + plain(url), style="dim", no_wrap=True, overflow="ignore")


def sources_section(sources: Sequence[SourceShown]) -> list[RenderableType]:
    """Each cited source as 'publisher: title', its address on the next line by itself."""
    out: list[RenderableType] = [_heading("Sources")]
    for source in sources:
        out.append(bullets([f"{source.publisher}: {source.title}"], style="dim"))
        out.append(Url(source.url))
    return out


def result_screen(result: AssessmentResult) -> list[RenderableType]:
    """The whole result; an emergency shows the emergency screen and nothing else."""
    if result.is_emergency:
        return [emergency_screen(result)]
    shown = [
        *(s for r in result.triage_reasons for s in r.sources),
        *(s for c in result.causes[:TOP_CAUSES] for s in c.sources),
        *(s for m in result.relief for s in m.sources),
        *(s for m in result.avoid for s in m.sources),
    ]
    return [
        triage_panel(result),
        *causes_section(result),
        *relief_section(result),
        *avoid_section(result),
        *follow_up_section(result),
        *sources_section(cited(result, shown)),
        Text(""),
        Text(result.disclaimer, style="italic"),
    ]


def level_line(result: TriageResult) -> Text:
    """The level and what it means, in one line: the full result ends with it."""
    style = LEVEL_STYLE.get(result.triage, "white")
    line = Text()
    line.append(f"Your level: {result.triage_label}. ", style=f"bold {style}")
    line.append(result.headline)
    return line


def full_screen(result: AssessmentResult) -> list[RenderableType]:
    """The whole result, ending with the level again (an emergency: its screen only)."""
    if result.is_emergency:
        return [emergency_screen(result)]
    return [*result_screen(result), Text(""), level_line(result)]


def summary_panel(result: TriageResult, reasons: bool = True) -> RenderableType:
    """The level, what to do now, and (unless left out for room) the reasons."""
    style = LEVEL_STYLE.get(result.triage, "white")
    lines: list[RenderableType] = [Text(result.headline, style="bold"), Text(result.action)]
    if reasons and result.triage_reasons:
        lines.append(bullets(r.message for r in result.triage_reasons))
    return Panel(
        Group(*lines),
        title=f"[bold {style}]{escape(result.triage_label)}[/]",
        title_align="left",
        border_style=style,
    )


def summary_causes(result: AssessmentResult, top: int = TOP_CAUSES) -> list[RenderableType]:
    """The top causes in a line each, in words ("most likely"), not numbers."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="cyan")
    grid.add_column(overflow="fold")
    for cause in result.causes[:top]:
        name = literal(cause.name, style="bold")
        if cause.shown_because:
            name.append(f" {plain(cause.shown_because)}", style="")
        grid.add_row("-", cause.likelihood, name)
    return [_heading("Likely causes"), grid]


def summary_method(method: ReliefShown) -> RenderableType:
    """A relief method's name, its first step, and every safety line."""
    title = literal(method.name, style="bold green")
    if method.max_minutes:
        title.append(f" (at most {method.max_minutes} minutes a session)", style="")
    body: list[RenderableType] = [title]
    if method.instructions:
        body.append(Padding(bullets(method.instructions[:1], "1."), (0, 0, 0, 2)))
    safety = [*method.check_first, *method.safety]
    if safety:
        body.append(Padding(bullets(safety, "!", style="yellow"), (0, 0, 0, 2)))
    return Group(*body)


def _height(console: Console, parts: Sequence[RenderableType]) -> int:
    return len(console.render_lines(Group(*parts), console.options, pad=False))


@dataclass(frozen=True)
class FullHint:
    """The summary's last line: what comes before the command, and the command that shows
    the full result (kept whole on a line, so it can be copied)."""

    label: str
    command: str

    def lines(self, width: int) -> list[RenderableType]:
        """One line when it fits the width, else the command on a line of its own."""
        if len(self.label) + 1 + len(self.command) <= width:
            return [Text(f"{self.label} {self.command}", style="dim")]
        return [Text(self.label, style="dim"), Url(self.command, indent=2)]


def summary_screen(
    console: Console, result: AssessmentResult, full_hint: FullHint
) -> list[RenderableType]:
    """The answer first, on one screen (SUMMARY_LINES): the level and what to do now, the top
    causes, the plan's first methods with their safety lines (as many as fit, at least one),
    the signs to get help for when they fit, the line naming the other methods, and the
    line that says where the rest is."""
    if result.is_emergency:
        return [emergency_screen(result)]
    hint_lines = full_hint.lines(console.width)
    hint = Group(*hint_lines)
    shown: list[RenderableType] = [summary_panel(result), *summary_causes(result)]
    plan_heading = _heading("Your relief plan: first steps")
    if not result.relief:
        shown += [
            plan_heading,
            Text("No relief method fits your answers. Follow the advice above."),
        ]
    if result.relief:
        shown += [plan_heading, summary_method(result.relief[0])]
    shown_ids = {m.id for m in result.relief[:1]}
    must = [*shown, *also_line(result, shown_ids), hint]
    if _height(console, must) > SUMMARY_LINES - 1:
        # No room: the reasons for the level wait for the full result; what to do stays.
        shown[0] = summary_panel(result, reasons=False)
    optional: list[tuple[str | None, list[RenderableType]]] = []
    if result.follow_up.come_back_if:
        signs: list[RenderableType] = [
            Text("Get help if:", style="bold"), bullets(result.follow_up.come_back_if)
        ]
        optional.append((None, signs))
    optional += [(method.id, [summary_method(method)]) for method in result.relief[1:]]
    for method_id, extra in optional:
        # Room is kept for the line that names every method not shown (see also_line).
        would_show = shown_ids | ({method_id} if method_id else set())
        candidate = [*shown, *extra, *also_line(result, would_show), hint]
        if _height(console, candidate) <= SUMMARY_LINES - 1:  # the blank line above the result
            shown += extra
            shown_ids = would_show
    shown += also_line(result, shown_ids)
    return [*shown, *hint_lines]


def also_line(result: AssessmentResult, shown_ids: set[str]) -> list[RenderableType]:
    """The line naming the plan's methods not shown on the summary (none: no line)."""
    more = [m.name for m in result.relief if m.id not in shown_ids]
    if not more:
        return []
    also = Text("Also in your plan: ", style="bold")
    also.append(plain("; ".join(more)) + ".", style="")
    return [also]


def print_result(
    console: Console, result: AssessmentResult, full_hint: FullHint | None = None
) -> None:
    """Print a result: one screen with the answer first, or everything when full_hint is
    None (the full result: the reasons, every method, the sources, the level again)."""
    parts = full_screen(result) if full_hint is None else summary_screen(console, result, full_hint)
    for part in parts:
        # A URL is printed whole, past the edge if need be: the terminal wraps it, so it stays
        # one string a terminal can link.
        console.print(part, soft_wrap=isinstance(part, Url))


def print_changes(console: Console, kb: KnowledgeBase, changed: Changes, since: str) -> None:
    """What changed since an earlier check, under a heading that says which."""
    console.print(_heading(f"Since your check of {since}"))
    console.print(bullets(changed.lines(kb)))
