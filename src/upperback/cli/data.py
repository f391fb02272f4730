"""Your data: `upperback export`, `upperback forget` and `upperback report`."""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

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


class _Echo(io.StringIO):
    """Text for the screen, passed to typer.echo (which copes with the terminal's encoding)
    every 64 KB, so that a big export is never held whole."""

    def write(self, text: str) -> int:
        written = super().write(text)
        if self.tell() >= 64 * 1024:
            self.flush()
        return written

    def flush(self) -> None:
        typer.echo(self.getvalue(), nl=False)
        self.seek(0)
        self.truncate()

    def close(self) -> None:
        if not self.closed:
            self.flush()
        super().close()


def _write_file(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write to a new file beside `path`, then put it in place: a failure half-way leaves
    the file that was there (if any) as it was."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            write(out)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
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
    from ..documents.export import write_csv, write_fhir, write_json

    writers: dict[Format, Callable[..., None]] = {
        Format.csv: write_csv, Format.json: write_json, Format.fhir: write_fhir
    }
    store, kb = runtime.store(), runtime.kb

    def write_export(out: TextIO) -> None:
        # A record at a time: memory stays the same however big the diary is.
        writers[format](store, kb, out)

    if output is None:
        with _Echo() as screen:
            write_export(screen)  # every format ends with a newline
    else:
        _write_file(output, write_export)
        runtime.err.print(f"Exported to {safe_text(output)}.")


def forget(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete everything saved: checks, pain diary, timer sessions and medicine doses."""
    runtime = Runtime.of(ctx)
    store = runtime.store()
    counts = store.counts()
    summary = (
        f"{_count(counts.checks, 'check', 'checks')}, "
        f"{_count(counts.entries, 'diary entry', 'diary entries')}, "
        f"{_count(counts.timers, 'timer session', 'timer sessions')} and "
        f"{_count(counts.doses, 'medicine dose', 'medicine doses')}"
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
