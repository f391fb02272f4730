"""Rich rendering of an assessment's typed result (saved checks are read back into the same
type, so they render the same).

All the words shown come from the result, which takes them from the knowledge base; this
module only adds headings and layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .text import literal

if TYPE_CHECKING:  # the result models need pydantic: not imported for `upperback --help`
    from ..knowledge_base import KnowledgeBase
    from ..recheck import Changes
    from ..result import AnswerShown, AssessmentResult, SourceShown, TriageResult

LEVEL_STYLE = {
    "self_care": "green",
    "soon": "yellow",
    "urgent": "dark_orange",
    "emergency": "red",
}
TOP_CAUSES = 3
BAR_WIDTH = 20


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


def sources_section(sources: Sequence[SourceShown]) -> list[RenderableType]:
    """Each cited source as 'publisher: title, url'."""
    lines = [f"{s.publisher}: {s.title}, {s.url}" for s in sources]
    return [_heading("Sources"), bullets(lines, style="dim")]


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


def print_result(console: Console, result: AssessmentResult) -> None:
    """Print an assessment's result screen."""
    for part in result_screen(result):
        console.print(part)


def print_changes(console: Console, kb: KnowledgeBase, changed: Changes, since: str) -> None:
    """What changed since an earlier check, under a heading that says which."""
    console.print(_heading(f"Since your check of {since}"))
    console.print(bullets(changed.lines(kb)))
