"""`upperback breaks`: a calm countdown to the next short break from sitting; it rings,
suggests an idea for the break, and lets you take it, put it off once, or skip it. Breaks
taken are logged. The defaults and the ideas come from the knowledge base."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from time import sleep
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import UserError
from .runtime import Runtime
from .text import safe_text

if TYPE_CHECKING:
    from rich.console import Console

# What the countdowns sleep with; a test swaps it for a fake clock that only counts.
BREAK_SLEEP: Callable[[float], None] = sleep


def _clock(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class Clock:
    """Seconds since the start, moved on by sleeping one tick at a time."""

    def __init__(self, tick: float) -> None:
        self.tick = tick
        self.now = 0

    def countdown(self, console: Console, label: str, seconds: int) -> int:
        """A full-width bar counting `seconds` down; returns the seconds run (Ctrl-C
        propagates after updating `now`)."""
        from rich.progress import BarColumn, Progress, TextColumn

        columns = (TextColumn(label), BarColumn(bar_width=None),
                   TextColumn("{task.fields[left]}"))
        ran = 0
        with Progress(*columns, console=console, expand=True) as progress:
            task = progress.add_task("", total=seconds, left=_clock(seconds))
            while ran < seconds:
                BREAK_SLEEP(self.tick)
                ran += 1
                self.now += 1
                progress.update(task, completed=ran, left=_clock(seconds - ran))
        return ran


def breaks(
    ctx: typer.Context,
    every: Annotated[int | None, typer.Option(
        "--every", metavar="MINUTES", help="Minutes of sitting between breaks (default 30).")
    ] = None,
    length: Annotated[int | None, typer.Option(
        "--length", metavar="SECONDS", help="How long each break lasts (default 60 seconds).")
    ] = None,
    count: Annotated[int, typer.Option(
        "--count", min=0, max=100, help="Stop after this many breaks (0: until Ctrl-C).")
    ] = 0,
    seconds_per_second: Annotated[float | None, typer.Option("--seconds-per-second",
                                                             hidden=True)] = None,
) -> None:
    """Remind you to take a short break from sitting, with an idea for each break."""
    from ..breaks import BreakSchedule, check_break_options
    from ..errors import InputError
    from .plan import _tick

    runtime = Runtime.of(ctx)
    kb, out = runtime.kb, runtime.out
    try:
        minutes, seconds = check_break_options(kb, every, length)
    except InputError as error:
        raise UserError(str(error)) from None
    rules = kb.exercise_book.break_reminders
    clock = Clock(_tick(seconds_per_second, runtime.config.timer_scale))
    schedule = BreakSchedule(rules, minutes * 60)
    store = runtime.store()
    publishers = dict.fromkeys(s.publisher for s in kb.cited_sources(rules.sources))
    out.print(f"[bold]A short break every {minutes} minutes, {seconds} seconds long.[/] "
              "Press Ctrl-C to stop.")
    out.print(f"[dim]Sources: {safe_text(', '.join(publishers))}[/]")
    taken = 0
    with suppress(KeyboardInterrupt):
        while count == 0 or schedule.number < count:
            clock.countdown(out, "Next break in", schedule.due - clock.now)
            out.file.write("\a")  # the bell: time for a break
            out.print(f"[bold green]Time for a break.[/] {safe_text(schedule.idea())}")
            choice = _ask(schedule.can_postpone, rules.postpone_minutes)
            if choice == "p":
                schedule.postpone(clock.now)
                out.print(f"Put off for {rules.postpone_minutes} minutes.")
                continue
            if choice == "t":
                started = datetime.now(UTC)
                ran = clock.countdown(out, "Break", seconds)
                store.log_break(ran, started_at=started)
                taken += 1
                out.print("[green]Break done. Back to it, gently.[/]")
            else:
                out.print("[dim]Skipped.[/]")
            schedule.done(clock.now)
    out.print(f"[bold]Breaks taken:[/] {taken} (logged in your diary).")


def _ask(can_postpone: bool, postpone_minutes: int) -> str:
    later = f", put it off {postpone_minutes} minutes (p)" if can_postpone else ""
    allowed = "tps" if can_postpone else "ts"
    while True:
        answer = str(typer.prompt(f"Take it (t){later} or skip (s)?", default="t"))
        answer = answer.strip().lower()
        if answer[:1] and answer[:1] in allowed:
            return answer[:1]
        if answer.startswith("q"):
            raise KeyboardInterrupt
