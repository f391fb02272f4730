"""`upperback guide`: the guide itself, generated from the knowledge base."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from .errors import UserError
from .render import Url, bullets
from .runtime import Runtime
from .text import literal, safe_text

if TYPE_CHECKING:
    from ..knowledge_base import KnowledgeBase
    from ..knowledge_models import Cause, Finding, ReliefMethod

# The causes in the order of the original article the guide grew from; the others follow
# under "Other causes to know about".
ARTICLE_CAUSES = (
    "poor_posture",
    "muscle_overuse",
    "disc_herniation",
    "injury",
    "pinched_nerve",
    "myofascial_pain",
    "spinal_infection",
)


def _heading(title: str) -> Rule:
    return Rule(f"[bold]{safe_text(title)}[/]", align="left", style="dim")


def _sources(kb: KnowledgeBase, ids: tuple[str, ...]) -> list[RenderableType]:
    # Each address on a line of its own, never split, so a terminal can link it.
    out: list[RenderableType] = [_heading("Sources")]
    for source in kb.cited_sources(ids):
        out += [bullets([f"{source.publisher}: {source.title}"], style="dim"), Url(str(source.url))]
    return out


def _entry(topic_id: str, name: str, summary: str) -> list[RenderableType]:
    line = Text()
    line.append(name, style="bold")
    line.append(f"  ({topic_id})", style="dim")
    return [line, Padding(Text(summary), (0, 0, 1, 4))]


def overview(kb: KnowledgeBase) -> list[RenderableType]:
    """The whole guide in brief: causes (the article's first), relief, when to get help now."""
    out: list[RenderableType] = [
        Text(kb.guide.title, style="bold underline"),
        Text(kb.guide.disclaimer, style="italic"),
        Text(""),
        _heading("Causes of upper back pain"),
    ]
    for cause_id in ARTICLE_CAUSES:
        if cause_id in kb.causes:
            cause = kb.causes[cause_id]
            out += _entry(cause.id, cause.name, cause.summary)
    others = [c for c in kb.causes.values() if c.id not in ARTICLE_CAUSES]
    if others:
        out.append(_heading("Other causes to know about"))
        for cause in others:
            out += _entry(cause.id, cause.name, cause.summary)
    out.append(_heading("Ways to ease the pain"))
    for method in kb.relief.values():
        out += _entry(method.id, method.name, method.summary)
    emergency = kb.guide.levels["emergency"]
    out.append(_heading("When to get help now"))
    out.append(Text(emergency.action, style="bold red"))
    out.append(bullets(rule.message for rule in kb.red_flags if rule.level == "emergency"))
    out.append(Text(""))
    out.append(Text("Read one topic in full with: upperback guide TOPIC (e.g. poor_posture)"))
    return out


def cause_page(kb: KnowledgeBase, cause: Cause) -> list[RenderableType]:
    """One cause in detail."""
    helps = [m.name for m in kb.relief.values() if any(cause.id in r.causes for r in m.recommend)]
    out: list[RenderableType] = [
        Text(cause.name, style="bold underline"),
        Text(f"How soon to get care: {kb.guide.levels[cause.urgency].label}", style="bold"),
        Text(cause.summary),
        Text(""),
        _heading("What it feels like"),
        Text(cause.feels_like),
        Text(""),
        _heading("What to do"),
        bullets(cause.what_to_do),
    ]
    if helps:
        out.append(Text(f"Relief that can help: {', '.join(helps)}", style="dim"))
    out += [Text(""), _heading("When to get help"), Text(cause.when_to_get_help), Text("")]
    return out + _sources(kb, cause.sources)


def relief_page(kb: KnowledgeBase, method: ReliefMethod) -> list[RenderableType]:
    """One relief method in detail."""
    out: list[RenderableType] = [
        Text(method.name, style="bold underline"),
        Text(method.summary),
        Text(""),
        _heading("How to"),
        bullets(method.how_to, "1."),
        Text(""),
        _heading("Safety"),
    ]
    limit = [f"At most {method.max_minutes} minutes a session."] if method.max_minutes else []
    out.append(bullets([*method.safety, *limit]))
    if method.contraindications or method.unsafe_with_causes:
        out += [Text(""), _heading("When not to use it")]
        reasons = [c.reason for c in method.contraindications]
        reasons += [c.reason for c in method.unsafe_with_causes]
        out.append(bullets(dict.fromkeys(reasons)))
    causes = [kb.causes[c].name for r in method.recommend for c in r.causes]
    out += [Text(""), Text(f"Can help with: {', '.join(dict.fromkeys(causes))}", style="dim")]
    out.append(Text(""))
    return out + _sources(kb, method.sources)


def topic_texts(kb: KnowledgeBase) -> Iterator[tuple[str, str, str]]:
    """Every topic as (id, name, all its text), for search."""
    for cause in kb.causes.values():
        words = [cause.name, cause.summary, cause.feels_like, *cause.what_to_do]
        yield cause.id, cause.name, "\n".join([*words, cause.when_to_get_help])
    for method in kb.relief.values():
        words = [method.name, method.summary, *method.how_to, *method.safety]
        words += [c.reason for c in method.contraindications]
        yield method.id, method.name, "\n".join(words)


def find_topic(kb: KnowledgeBase, topic: str) -> Cause | ReliefMethod:
    """A cause or relief method by id or name; unknown topics suggest the closest."""
    key = topic.strip().lower().replace("-", "_").replace(" ", "_")
    topics: list[Cause | ReliefMethod] = [*kb.causes.values(), *kb.relief.values()]
    by_name = {t.name.lower(): t for t in topics}
    found = kb.causes.get(key) or kb.relief.get(key) or by_name.get(topic.strip().lower())
    if found is not None:
        return found
    names = [*kb.causes, *kb.relief]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise UserError(f"no topic {topic!r}.{hint} Run 'upperback guide' to list the topics.")


def search(kb: KnowledgeBase, word: str) -> list[RenderableType]:
    """The topics whose text contains the word, with the first line that mentions it."""
    needle = word.strip().lower()
    out: list[RenderableType] = []
    for topic_id, name, text in topic_texts(kb):
        lines = [line for line in text.splitlines() if needle in line.lower()]
        if lines:
            line = Text()
            line.append(name, style="bold")
            line.append(f"  ({topic_id})", style="dim")
            out.append(line)
            out.append(Padding(Text(lines[0]), (0, 0, 0, 4)))
    if not out:
        out.append(literal(f"No topic mentions {word!r}."))  # the word as typed, literally
    return out


def finding_allowed(finding: Finding) -> str:
    """What an answers file may give for a finding, in words."""
    if finding.type == "int":
        unit = f" ({finding.unit})" if finding.unit else ""
        return f"a whole number from {finding.min} to {finding.max}{unit}"
    if finding.type == "enum":
        return "one of: " + ", ".join(finding.values or ())
    return "true or false"


def findings_list(kb: KnowledgeBase) -> list[RenderableType]:
    """Every answer id an answers file (`check --answers`) can use: what it means and the
    values allowed. null (or leaving it out) means "don't know"."""
    out: list[RenderableType] = [
        _heading("The answers: ids for `upperback check --answers FILE`"),
        Text("A file holds id: value lines, e.g. age: 34 and fever: false. Leave an id out, "
             "or give null, for \"don't know\"."),
        Text(""),
    ]
    for finding in kb.findings.values():
        line = Text()
        line.append(finding.id, style="bold")
        line.append(f"  {finding_allowed(finding)}", style="cyan")
        out.append(line)
        meaning = finding.meaning[:1].upper() + finding.meaning[1:]
        out.append(Padding(literal(meaning), (0, 0, 0, 4)))
    return out


def guide(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="TOPIC", help="A cause or relief method, e.g. poor_posture or ice_pack."
        ),
    ] = None,
    word: Annotated[
        str | None,
        typer.Option("--search", metavar="WORD", help="List the topics that mention a word."),
    ] = None,
    findings: Annotated[
        bool,
        typer.Option("--findings", help="List the answer ids for `check --answers`, what each "
                     "means, and the values allowed."),
    ] = False,
) -> None:
    """Read the guide: causes, ways to ease the pain, when to get help.

    \b
    Examples:
      upperback guide                  the whole guide in brief
      upperback guide poor_posture     one cause or relief method
      upperback guide --search ice     the topics that mention a word
      upperback guide --findings       the answer ids for check --answers
    """
    runtime = Runtime.of(ctx)
    kb = runtime.kb
    if findings:
        parts = findings_list(kb)
    elif word is not None:
        parts = search(kb, word)
    elif topic is None:
        parts = overview(kb)
    else:
        from ..knowledge_models import Cause

        found = find_topic(kb, topic)
        parts = cause_page(kb, found) if isinstance(found, Cause) else relief_page(kb, found)
    _print(runtime.out, parts)


def _print(console: Console, parts: list[RenderableType]) -> None:
    for part in parts:
        console.print(part, soft_wrap=isinstance(part, Url))
