"""`upperback took`: log a dose of an over-the-counter medicine, checked against the label."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.panel import Panel
from rich.text import Text

from .diary import when
from .runtime import Runtime
from .text import literal


def took(
    ctx: typer.Context,
    medicine: Annotated[
        str, typer.Argument(help="acetaminophen (paracetamol) or ibuprofen.", show_default=False)
    ],
    dose_mg: Annotated[
        int, typer.Argument(help="How much, in milligrams, e.g. 500.", show_default=False)
    ],
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="WHEN",
                     help="When you took it, on this computer's clock, e.g. '2026-11-20 08:00'. "
                     "Default: now."),
    ] = None,
) -> None:
    """Log a dose of a pain reliever. Says so in red when it goes past the label's limits
    (one dose, the day's total, the time between doses) or your last check left it out.

    Example: upperback took ibuprofen 400 --at "2026-11-20 08:00"
    """
    runtime = Runtime.of(ctx)
    kb = runtime.kb
    from ..clock import check_local_time
    from ..medicines import check_dose, log_dose

    taken_at = check_local_time("--at", at) if at is not None else None
    dose = check_dose(kb, medicine, dose_mg, taken_at)
    logged = log_dose(kb, runtime.store(), dose)
    name = kb.relief[dose.medicine].name
    runtime.out.print(literal(
        f"Logged: {name} {logged.dose.dose_mg:,} mg at {when(logged.dose.taken_at)} "
        f"(dose {logged.dose.id})."
    ))
    if not logged.warnings:
        return
    body: list[Text] = []
    for warning in logged.warnings:
        body.append(literal(warning.message, style="bold"))
        for source in kb.cited_sources(warning.sources):
            body.append(literal(f"Source: {source.publisher}: {source.title}, {source.url}",
                                style="dim"))
    runtime.out.print(Panel(Text("\n").join(body), title="[bold red]Careful[/]",
                            title_align="left", border_style="red"))
