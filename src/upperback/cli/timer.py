"""`upperback timer ice|heat`: a countdown for one ice or heat session, logged to the diary.

The time limit, the safety lines and the advice on the next session all come from the
knowledge base (the relief method's max_minutes, safety and how_to).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from time import sleep
from typing import TYPE_CHECKING, Annotated

import typer

from ..config import TIMER_SCALE_ENV
from .errors import UserError
from .render import bullets
from .runtime import Runtime
from .text import safe_text

if TYPE_CHECKING:
    from rich.console import Console

    from ..knowledge_base import KnowledgeBase
    from ..knowledge_models import ReliefMethod



class Kind(StrEnum):
    """What the timer is for."""

    ice = "ice"
    heat = "heat"




def seconds_per_tick(option: float | None, raw: str | None) -> float:
    """Real seconds per timer second: 1, unless --seconds-per-minute or the environment's
    scale (`raw`, from upperback.config) speeds it up (for tests and demos)."""
    if option is not None:
        if option <= 0:
            raise UserError("--seconds-per-minute must be more than 0")
        return option / 60
    if raw is None:
        return 1.0
    try:
        scale = float(raw)
    except ValueError:
        scale = -1.0
    if scale <= 0:
        raise UserError(
            f"{TIMER_SCALE_ENV} must be a number more than 0 (1 = real time), not {raw!r}"
        )
    return scale


def next_session_advice(method: ReliefMethod) -> list[str]:
    """When to use the method again, from the knowledge base."""
    return [method.repeat] if method.repeat else []


def refuse(
    console: Console, kb: KnowledgeBase, method: ReliefMethod, minutes: int, limit: int
) -> None:
    """Say why a session that long is refused."""
    publishers = ", ".join(dict.fromkeys(s.publisher for s in kb.cited_sources(method.sources)))
    console.print(
        f"[bold red]Refused:[/] [red]{minutes} minutes is too long. Use "
        f"{safe_text(method.name.lower())} for at most {limit} minutes a session.[/]"
    )
    console.print("[bold]Why:[/]")
    console.print(bullets(method.safety))
    console.print(f"[dim]Sources: {safe_text(publishers)}[/]")


@dataclass
class Countdown:
    """A countdown of `total` timer seconds; `done` says how far it got, even after Ctrl-C."""

    total: int
    tick: float
    done: int = 0

    def run(self, console: Console, label: str) -> None:
        """Count down with a progress bar and the time left (Ctrl-C propagates); `label` is
        Rich markup (escape words with safe_text)."""
        from rich.progress import BarColumn, Progress, TextColumn

        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(bar_width=40),
            TextColumn("{task.fields[left]} left"),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(label, total=self.total, left=_clock(self.total))
            while self.done < self.total:
                sleep(self.tick)
                self.done += 1
                progress.update(task, completed=self.done, left=_clock(self.total - self.done))


def _minutes(count: int) -> str:
    return f"{count} minute" if count == 1 else f"{count} minutes"


def _clock(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def timer(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(metavar="KIND", help="ice or heat.")],
    minutes: Annotated[
        int | None,
        typer.Option(
            "--minutes", "-m", help="How long (default: 15 for ice, 20 for heat; at most 20)."
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help="Start even when your answers on record advise against it."
        ),
    ] = False,
    seconds_per_minute: Annotated[
        float | None, typer.Option("--seconds-per-minute", hidden=True)
    ] = None,
) -> None:
    """Time an ice or heat session and log it in your diary.

    \b
    Examples:
      upperback timer ice              15 minutes of ice
      upperback timer heat -m 10       10 minutes of heat
    """
    from ..sessions import session_cautions, session_limit, timer_method

    runtime = Runtime.of(ctx)
    kb = runtime.kb
    method = timer_method(kb, kind.value)
    limit = session_limit(kb, kind.value)
    # The knowledge base guarantees timed methods have a default (checked at load).
    assert method.default_minutes is not None
    planned = method.default_minutes if minutes is None else minutes
    if planned < 1:
        raise UserError(f"--minutes must be a whole number from 1 to {limit}")
    if planned > limit:
        refuse(runtime.err, kb, method, planned, limit)
        raise typer.Exit(2)
    tick = seconds_per_tick(seconds_per_minute, runtime.config.timer_scale)
    store = runtime.store()
    out = runtime.out

    latest = store.latest_check()
    reasons = session_cautions(kb, kind.value, latest.answers) if latest else []
    if reasons:
        name = safe_text(method.name.lower())
        out.print(
            f"[bold yellow]Careful: your last check's answers say {name} may not be safe"
            " for you:[/]"
        )
        out.print(bullets(reasons, style="yellow"))
        if not yes and not typer.confirm("Start anyway?", default=False):
            out.print("Not started.")
            raise typer.Exit(1)

    out.print(f"[bold]{safe_text(method.name)}: {_minutes(planned)}.[/] Before you start:")
    out.print(bullets(method.safety, "!", style="yellow"))
    out.print("[dim]Press Ctrl-C to stop early.[/]")

    started = datetime.now(UTC)
    clock = Countdown(total=planned * 60, tick=tick)
    # Ctrl-C stops early; the session is still logged below.
    with suppress(KeyboardInterrupt):
        clock.run(out, safe_text(method.name))  # the bar's label is read as markup
    done = clock.done
    completed = done >= clock.total
    store.log_timer(kind.value, planned, done, completed, started_at=started)
    if completed:
        out.file.write("\a")  # the bell: ring at the end
        out.print(f"[bold green]Time is up: {_minutes(planned)} done.[/] Take it off now.")
    else:
        out.print(f"[yellow]Stopped after {_clock(done)}.[/]")
    advice = " ".join(safe_text(x) for x in next_session_advice(method))
    out.print(f"[bold]Next session:[/] {advice}")
    out.print("[dim]Logged in your diary.[/]")
