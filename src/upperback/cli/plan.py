"""`upperback plan` (the exercise programme, day by day) and `upperback exercise [ID]` (a
session player: one exercise at a time, with a progress display for each hold).

The plan is built in the core (programme.py) from the last saved check; every session played
is logged to the diary, each exercise done or skipped.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from time import sleep
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import UserError
from .render import bullets
from .runtime import Runtime
from .text import safe_text

if TYPE_CHECKING:
    from rich.console import Console

    from ..knowledge_base import KnowledgeBase
    from ..programme import PlannedExercise, Programme
    from ..store import Store

# Seconds each repetition of a moving (not held) exercise is paced at: slow and smooth.
REP_SECONDS = 3


def _today() -> date:
    return datetime.now().astimezone().date()


def _programme(kb: KnowledgeBase, store: Store, days: int) -> Programme:
    from ..store.programme_view import current_programme

    programme = current_programme(kb, store, _today(), days)
    if programme is None:
        raise UserError(f"{kb.exercise_book.programme.no_check} Run: upperback check")
    return programme


def plan(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", "-d", min=1, max=28,
                                      help="How many days to show, from today (1 to 28).")] = 7,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    pdf: Annotated[Path | None, typer.Option(
        "--pdf", metavar="FILE",
        help="Write the plan as a PDF to print, with each exercise's pictures, e.g. plan.pdf."),
    ] = None,
) -> None:
    """Show your exercise plan for the next days, from your last check.

    Example: upperback plan --days 14 --pdf plan.pdf
    """
    runtime = Runtime.of(ctx)
    kb, out = runtime.kb, runtime.out
    if as_json and pdf is not None:
        raise UserError("choose --json or --pdf, not both")
    programme = _programme(kb, runtime.store(), days)
    if pdf is not None:
        _write_pdf(out, kb, programme, pdf)
        return
    if as_json:
        typer.echo(json.dumps(programme.to_dict(), indent=2, ensure_ascii=False))
        return
    show_plan(out, kb, programme)


def _write_pdf(out: Console, kb: KnowledgeBase, programme: Programme, pdf: Path) -> None:
    """The plan as a PDF; with no plan to print, what `upperback plan` says, and exit 1."""
    from ..documents.plan_pdf import write_plan_pdf

    if not programme.days:
        show_plan(out, kb, programme)
        out.print("No PDF was written.")
        raise typer.Exit(1)
    if pdf.parent and not pdf.parent.exists():
        raise UserError(f"cannot write {pdf}: the folder {pdf.parent} does not exist")
    try:
        written = write_plan_pdf(kb, programme, pdf)
    except OSError as error:
        raise UserError(f"cannot write {pdf}: {error.strerror or error}") from error
    first, last = programme.days[0].day, programme.days[-1].day
    out.print(f"Wrote your exercise plan for {first.isoformat()} to {last.isoformat()} "
              f"to {safe_text(written)}.")


def show_plan(out: Console, kb: KnowledgeBase, programme: Programme) -> None:
    """The plan as a table of days, then what was withheld and why, and the sources."""
    from rich.table import Table

    if programme.message:
        style = "yellow" if programme.eased or not programme.offered else "bold"
        out.print(f"[{style}]{safe_text(programme.message)}[/]")
    if programme.days:
        table = Table(title="Your exercise plan", show_lines=True, expand=False)
        table.add_column("Date", no_wrap=True)
        table.add_column("Exercises")
        table.add_column("Sessions", justify="right")
        table.add_column("Notes")
        for day in programme.days:
            moves = "\n".join(f"{safe_text(p.exercise.name)}: {p.dose()}" for p in day.exercises)
            notes = "\n".join([f"[bold]{safe_text(day.lesson.title)}:[/] "
                               f"{safe_text(day.lesson.text)}",
                               *(safe_text(n) for n in day.notes)])
            table.add_row(f"{day.day:%a %d %b}\nday {day.number}, week {day.week}", moves,
                          str(day.sessions), notes)
        out.print(table)
        out.print("Play today's session with: upperback exercise")
    if programme.withheld:
        out.print("[bold yellow]Left out for you:[/]")
        for withheld in programme.withheld:
            out.print(f"[yellow]{safe_text(withheld.exercise.name)}:[/]")
            out.print(bullets(withheld.reasons, style="yellow"))
    if programme.sources:
        publishers = dict.fromkeys(s.publisher for s in kb.cited_sources(programme.sources))
        out.print(f"[dim]Sources: {safe_text(', '.join(publishers))}[/]")


@dataclass
class Player:
    """Plays exercises one at a time. `sleep` and `tick` are injectable: tests pass a fake
    sleep that only counts, so a hold of 20 seconds takes no time."""

    out: Console
    tick: float = 1.0
    sleep: Callable[[float], None] = sleep
    ask: Callable[[str], str] = field(default=lambda text: typer.prompt(text, default="d"))
    slept: float = 0.0

    def _wait(self, seconds: float) -> None:
        self.slept += seconds
        self.sleep(seconds * self.tick)

    def play(self, planned: PlannedExercise, number: int, total: int, prompt: bool) -> bool:
        """Show one exercise and count its holds or repetitions; True when done, False when
        skipped. Ctrl-C propagates (the caller logs what was done)."""
        from rich.panel import Panel
        from rich.progress import BarColumn, Progress, TextColumn

        exercise = planned.exercise
        steps = "\n".join(f"{n}. {safe_text(step)}" for n, step in enumerate(exercise.steps, 1))
        body = (f"{steps}\n\n[bold]Dose:[/] {planned.dose()}\n"
                f"[green]Should feel:[/] {safe_text(exercise.should_feel)}\n"
                f"[red]When to stop:[/] {safe_text(exercise.stop_if)}")
        self.out.print(Panel(body, title=f"{number} of {total}: {safe_text(exercise.name)}",
                             expand=False))
        if prompt:
            answer = self.ask("Start (d), skip (s) or stop (q)?").strip().lower()
            if answer.startswith("q"):
                raise KeyboardInterrupt
            if answer.startswith("s"):
                self.out.print("[dim]Skipped.[/]")
                return False
        columns = (TextColumn("[bold]{task.description}"), BarColumn(bar_width=30),
                   TextColumn("{task.fields[say]}"))
        rounds = [(rep, side) for rep in range(1, planned.reps + 1)
                  for side in range(1, planned.sides + 1)]
        with Progress(*columns, console=self.out) as progress:
            for rep, side in rounds:
                where = f" side {side}" if planned.sides == 2 else ""
                label = f"{rep} of {planned.reps}{where}"
                length = planned.hold_seconds or REP_SECONDS
                task = progress.add_task(label, total=length,
                                         say="hold" if planned.hold_seconds else "move slowly")
                for second in range(1, length + 1):
                    self._wait(1)
                    left = length - second
                    progress.update(task, completed=second,
                                    say=f"{left} s left" if left else "relax")
        self.out.print(f"[green]Done: {safe_text(exercise.name)}.[/]")
        return True


def exercise(
    ctx: typer.Context,
    exercise_id: Annotated[str | None, typer.Argument(
        metavar="[ID]", help="One exercise to do (see `upperback plan`); none: today's plan.")
    ] = None,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Do every exercise without asking, even one your answers "
                            "advise against.")] = False,
    seconds_per_second: Annotated[float | None, typer.Option("--seconds-per-second",
                                                             hidden=True)] = None,
) -> None:
    """Do today's exercises one at a time (or one exercise), and log the session."""
    from ..programme import PlannedExercise

    runtime = Runtime.of(ctx)
    kb, out, store = runtime.kb, runtime.out, runtime.store()
    tick = _tick(seconds_per_second, runtime.config.timer_scale)
    programme = _programme(kb, store, 1)
    if exercise_id is None:
        today = programme.days[0] if programme.days else None
        if today is None:
            raise UserError(programme.message or kb.exercise_book.programme.ended)
        todo = list(today.exercises)
        out.print(f"[bold]Today's session[/] (day {today.number}, {today.sessions} sessions "
                  f"today): {len(todo)} exercises. Press Ctrl-C to stop.")
    else:
        chosen = kb.exercises.get(exercise_id)
        if chosen is None:
            close = difflib.get_close_matches(exercise_id, list(kb.exercises), n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            raise UserError(f"There is no exercise {exercise_id!r}.{hint} "
                            f"One of: {', '.join(kb.exercises)}")
        withheld = next((w for w in programme.withheld if w.exercise.id == exercise_id), None)
        held = _held_reasons(kb, programme, withheld.reasons if withheld else ())
        if held:
            out.print(f"[bold yellow]Careful: your last check's answers say "
                      f"{safe_text(chosen.name)} may not be safe for you:[/]")
            out.print(bullets(held, style="yellow"))
            if not yes and not typer.confirm("Do it anyway?", default=False):
                out.print("Not started.")
                raise typer.Exit(1)
        planned_today = programme.days[0].exercises if programme.days else ()
        todo = [next((p for p in planned_today if p.exercise.id == exercise_id),
                     PlannedExercise(chosen, chosen.reps, chosen.hold_seconds))]
    player = Player(out, tick, sleep=PLAYER_SLEEP)
    results: list[tuple[str, bool]] = []
    started = datetime.now(UTC)
    with suppress(KeyboardInterrupt):
        for number, planned in enumerate(todo, 1):
            results.append((planned.exercise.id, False))  # skipped, unless it is finished
            done = player.play(planned, number, len(todo), prompt=not yes)
            results[-1] = (planned.exercise.id, done)
    if not results:
        out.print("Nothing to log.")
        return
    store.log_exercise_session(results, planned=exercise_id is None, started_at=started)
    finished = sum(1 for _, done in results if done)
    out.print(f"[bold]Session logged:[/] {finished} done, {len(results) - finished} skipped"
              f"{'' if len(results) == len(todo) else ', stopped early'}.")


def _held_reasons(kb: KnowledgeBase, programme: Programme, reasons: tuple[str, ...]
                  ) -> list[str]:
    """Why an exercise should wait: its own reasons, and the check's level when no plan is
    made at it (urgent or emergency: get checked first)."""
    not_offered = kb.exercise_book.programme.not_offered
    return [*reasons, *([not_offered] if programme.message == not_offered else [])]


# What the player sleeps with; a test swaps it for a fake that only counts.
PLAYER_SLEEP: Callable[[float], None] = sleep


def _tick(option: float | None, raw: str | None) -> float:
    from .timer import seconds_per_tick

    if option is not None:
        if option <= 0:
            raise UserError("--seconds-per-second must be more than 0")
        return option
    return seconds_per_tick(None, raw)
