"""Your data: `upperback export`, `upperback forget` and `upperback report`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .errors import UserError
from .runtime import Runtime
from .text import safe_text


class Format(StrEnum):
    """Export formats."""

    csv = "csv"
    json = "json"
    fhir = "fhir"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, "utf-8")
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror or error}") from error


def export(
    ctx: typer.Context,
    format: Annotated[
        Format,
        typer.Option(
            "--format", "-f", help="json: everything; csv: one table; fhir: a FHIR R4 Bundle."
        ),
    ] = Format.json,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to a file instead of the screen."
        ),
    ] = None,
) -> None:
    """Export your checks, pain diary and timer sessions."""
    runtime = Runtime.of(ctx)
    from ..documents.export import export_csv, export_fhir, export_json

    writers = {Format.csv: export_csv, Format.json: export_json, Format.fhir: export_fhir}
    text = writers[format](runtime.store(), runtime.kb)
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        _write(output, text)
        runtime.err.print(f"Exported to {safe_text(output)}.")


def forget(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete everything saved: checks, pain diary and timer sessions."""
    runtime = Runtime.of(ctx)
    store = runtime.store()
    summary = (
        f"{_count(len(store.checks()), 'check', 'checks')}, "
        f"{_count(len(store.entries()), 'diary entry', 'diary entries')} and "
        f"{_count(len(store.timers()), 'timer session', 'timer sessions')}"
    )
    if not yes:
        runtime.out.print(
            f"This deletes {summary} from {safe_text(store.where)}. It cannot be undone."
        )
        if not typer.confirm("Delete everything?", default=False):
            runtime.out.print("Nothing was deleted.")
            raise typer.Exit(1)
    store.forget()
    runtime.out.print(f"Deleted {summary}.")


def report(
    ctx: typer.Context,
    pdf: Annotated[
        Path,
        typer.Option("--pdf", metavar="FILE", help="Where to write the PDF, e.g. report.pdf."),
    ],
) -> None:
    """Write a PDF report for your doctor or physical therapist."""
    runtime = Runtime.of(ctx)
    from ..documents.report import write_report_pdf

    if pdf.parent and not pdf.parent.exists():
        raise UserError(f"cannot write {pdf}: the folder {pdf.parent} does not exist")
    try:
        written = write_report_pdf(runtime.store(), runtime.kb, pdf)
    except OSError as error:
        raise UserError(f"cannot write {pdf}: {error.strerror or error}") from error
    runtime.out.print(f"Wrote the report to {safe_text(written)}.")
