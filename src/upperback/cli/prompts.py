"""Asking the interview's questions in a terminal, one at a time, with plain-text replies.

Every question accepts `?` (what does this mean?), `d` (don't know) and `b` (back to the
previous question). A reply that does not fit is answered with a message saying what is
allowed, and the question is asked again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TextIO

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from .errors import InputEnded
from .render import bullets

if TYPE_CHECKING:
    from ..conditions import AnswerValue
    from ..knowledge_base import KnowledgeBase
    from ..knowledge_models import Finding, Question


class Back:
    """The person asked to go back to the previous question."""

    def __repr__(self) -> str:
        return "BACK"


BACK: Final = Back()
HELP_WORDS = frozenset({"?", "h", "help"})
DONT_KNOW_WORDS = frozenset({"d", "dk", "don't know", "dont know", "not sure"})
BACK_WORDS = frozenset({"b", "back"})
NONE_WORDS = frozenset({"0", "n", "no", "none"})
YES_WORDS = frozenset({"y", "yes"})
PROMPT = "> "
COMMANDS = "d = don't know   ? = what does this mean?   b = back"


class Invalid(ValueError):
    """A reply that does not fit the question; the message says what would."""


def parse_checklist(reply: str, items: int) -> set[int]:
    """The item numbers ticked (1-based); an empty set means "none of these"."""
    text = reply.strip().lower()
    if text in NONE_WORDS:
        return set()
    tokens = [t for t in re.split(r"[\s,;]+", text) if t]
    allowed = (
        f"Please type the numbers of the items that fit (1 to {items}), or 0 for none of these"
    )
    if not tokens or not all(t.isdigit() for t in tokens):
        raise Invalid(allowed)
    numbers = {int(t) for t in tokens}
    if not all(1 <= n <= items for n in numbers):
        raise Invalid(allowed)
    return numbers


def parse_regions(kb: KnowledgeBase, reply: str) -> tuple[list[str], str]:
    """The body map's region ids in a checklist reply, and the rest of it (the numbers).
    A word that is neither a number nor a region is Invalid, with the closest region."""
    from ..body_regions import UnknownRegion, check_regions

    words = [t for t in re.split(r"[\s,;]+", reply.strip()) if t]
    named = [w for w in words if not w.isdigit() and w.lower() not in NONE_WORDS]
    try:
        regions = check_regions(kb, named, "place")
    except UnknownRegion as error:
        raise Invalid(str(error).split(" The regions are")[0] + " (? lists them)") from None
    return regions, " ".join(w for w in words if w not in named)


def parse_number(reply: str, low: int, high: int) -> int:
    """A whole number from low to high."""
    text = reply.strip()
    if not re.fullmatch(r"[+-]?\d+", text) or not low <= int(text) <= high:
        raise Invalid(f"Please type a whole number from {low} to {high}")
    return int(text)


DURATION_EXAMPLES = "3 weeks, 10 days, 2 months, 1 year, or today"


def is_duration(finding: Finding) -> bool:
    """A number finding counted in days: asked as a duration in words."""
    return finding.type == "int" and finding.unit == "days"


def parse_days(reply: str, low: int, high: int) -> int:
    """A duration in words ("3 weeks") or a number of days, from low to high days."""
    from ..durations import DurationError, parse_duration

    try:
        days = parse_duration(reply)
    except DurationError:
        raise Invalid(f"Please type how long, e.g. {DURATION_EXAMPLES}") from None
    if not low <= days <= high:
        raise Invalid(f"Please type a time from {low} to {high} days ({high // 365} years)")
    return days


def said_before(kb: KnowledgeBase, question: Question, answers: dict[str, AnswerValue]) -> str:
    """The answer given before to a question, in words: a checklist's ticked items, "none of
    these", or "don't know"."""
    values = [answers.get(f) for f in question.findings]
    if question.kind != "checklist":
        finding = kb.findings[question.findings[0]]
        return finding.describe_value(values[0]).split(": ", 1)[-1]
    ticked = [kb.findings[f].item or kb.findings[f].label
              for f, v in zip(question.findings, values, strict=True) if v is True]
    if ticked:
        return "; ".join(ticked)
    return "don't know" if all(v is None for v in values) else "none of these"


def parse_yes_no(reply: str) -> bool:
    """y or n."""
    text = reply.strip().lower()
    if text in YES_WORDS:
        return True
    if text in NONE_WORDS - {"0"}:
        return False
    raise Invalid("Please type y for yes or n for no")


def parse_choice(reply: str, finding: Finding) -> str:
    """One of an enum finding's values, by its number, its id or its label."""
    values = list(finding.values or ())
    labels = finding.value_labels or {}
    text = reply.strip().lower()
    if text.isdigit() and 1 <= int(text) <= len(values):
        return values[int(text) - 1]
    for value in values:
        if text in (value.lower(), labels.get(value, value).lower()):
            return value
    raise Invalid(f"Please type a number from 1 to {len(values)}")


@dataclass
class Prompter:
    """Asks questions on a console and reads the replies from the terminal."""

    console: Console
    kb: KnowledgeBase
    stream: TextIO | None = None  # None: the terminal (standard input)

    def read(self, prompt: str = PROMPT) -> str:
        """One line from the person."""
        try:
            line = self.console.input(prompt, stream=self.stream)
        except EOFError:
            line = ""
        else:
            if self.stream is None or line:
                return line.rstrip("\n")
        raise InputEnded("the input ended before the question was answered")

    def ask(
        self, question: Question, number: int, left: int | None, said: str | None = None
    ) -> dict[str, AnswerValue] | Back:
        """Ask one interview question until it gets a reply that fits. `left` is the honest
        count of the questions to come (None: not sure, so none is shown); `said` is the
        answer given before, when the person went back to this question."""
        self.console.print()
        progress = f"Question {number}" + (f" - about {left} left" if left else "")
        self.console.print(f"[bold cyan]{progress}[/]")
        self.console.print(f"[bold]{escape(question.text)}[/]")
        findings = [self.kb.findings[f] for f in question.findings]
        if question.kind == "checklist":
            items = [finding.item or finding.label for finding in findings]
            self.console.print(Padding(bullets(items, "1."), (0, 0, 0, 2)))
            hint = "Type the numbers that fit, e.g. 1 3 (0 = none of these)"
            if self._has_body_map(question):
                # The terminal's body map: the same places as the web's, typed by id.
                hint += (
                    ". You can add places where it hurts, e.g. 1 between_shoulder_blades "
                    "left_ribs (? lists them)"
                )
        elif question.kind == "number" and is_duration(findings[0]):
            hint = f"Type how long, e.g. {DURATION_EXAMPLES}"
        elif question.kind == "number":
            only = findings[0]
            hint = f"Type a whole number from {only.min} to {only.max}"
        elif question.kind == "choice":
            only = findings[0]
            labels = only.value_labels or {}
            choices = [labels.get(value, value) for value in only.values or ()]
            self.console.print(Padding(bullets(choices, "1."), (0, 0, 0, 2)))
            hint = f"Type a number from 1 to {len(only.values or ())}"
        else:
            hint = "Type y for yes or n for no"
        self.console.print(f"[dim]{escape(hint)}[/]")
        self.console.print(f"[dim]{escape(COMMANDS)}[/]")
        if said:
            self.console.print(Text(f"You said: {said}", style="yellow"))
        return self._reply_loop(question, findings)

    def _reply_loop(
        self, question: Question, findings: list[Finding]
    ) -> dict[str, AnswerValue] | Back:
        parse = self._parser(question, findings)
        while True:
            reply = self.read()
            word = reply.strip().lower()
            if word in HELP_WORDS:
                self.show_help(question, findings)
                continue
            if word in BACK_WORDS:
                return BACK
            if word in DONT_KNOW_WORDS:
                return {f.id: None for f in findings}
            try:
                return parse(reply)
            except Invalid as problem:
                self.console.print(f"[red]{escape(str(problem))}[/] (or d, ? or b)")

    def _parser(
        self, question: Question, findings: list[Finding]
    ) -> Callable[[str], dict[str, AnswerValue]]:
        if question.kind == "checklist":
            with_map = self._has_body_map(question)
            from ..body_regions import merge_regions

            def checklist(reply: str) -> dict[str, AnswerValue]:
                regions, numbers = (
                    parse_regions(self.kb, reply) if with_map else ([], reply)
                )
                if regions and not numbers.strip():
                    # Only places: the checklist's items stay "don't know", never no.
                    return merge_regions(self.kb, {f.id: None for f in findings}, regions)
                ticked = parse_checklist(numbers, len(findings))
                answers: dict[str, AnswerValue] = {
                    f.id: i in ticked for i, f in enumerate(findings, start=1)
                }
                return merge_regions(self.kb, answers, regions) if regions else answers

            return checklist
        only = findings[0]
        if question.kind == "number":
            assert only.min is not None and only.max is not None
            low, high = only.min, only.max
            if is_duration(only):
                return lambda reply: {only.id: parse_days(reply, low, high)}
            return lambda reply: {only.id: parse_number(reply, low, high)}
        if question.kind == "choice":
            return lambda reply: {only.id: parse_choice(reply, only)}
        return lambda reply: {only.id: parse_yes_no(reply)}

    def show_help(self, question: Question, findings: list[Finding]) -> None:
        """The "what does this mean?" text of every item, and why the question is asked."""
        self.console.print()
        for i, finding in enumerate(findings, start=1):
            name = finding.item if question.kind == "checklist" else finding.label
            prefix = f"{i}. " if question.kind == "checklist" else ""
            self.console.print(f"[bold]{prefix}{escape(name or finding.label)}[/]")
            self.console.print(Padding(Text(finding.help), (0, 0, 0, 3)))
        if self._has_body_map(question):
            places = ", ".join(region.id for region in self.kb.body_map.regions)
            self.console.print(f"[bold]Places you can type:[/] {escape(places)}")
        self.console.print(f"[bold]Why we ask:[/] {escape(question.why)}")
        self.console.print()

    def _has_body_map(self, question: Question) -> bool:
        return question.id == self.kb.body_map.asked_with

    def ask_number(self, text: str, low: int, high: int) -> int:
        """Ask for a whole number in a range (no don't know), e.g. pain from 0 to 10."""
        while True:
            reply = self.read(f"{text} ")
            try:
                return parse_number(reply, low, high)
            except Invalid as problem:
                self.console.print(f"[red]{escape(str(problem))}[/]")

    def ask_text(self, text: str) -> str | None:
        """Ask for an optional line of text (Enter to skip)."""
        reply = self.read(f"{text} ").strip()
        return reply or None
