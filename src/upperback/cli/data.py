"""Your data: `upperback export`, `upperback forget` and `upperback report`."""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

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


class Kind(StrEnum):
    """The CSV export's tables."""

    checks = "checks"
    answers = "answers"
    entries = "entries"
    medicines = "medicines"
    timers = "timers"
    exercises = "exercises"
    breaks = "breaks"


def _write_file(path: Path, write: Callable[[Any], None], binary: bool = False) -> None:
    """Write to a new file beside `path`, then put it in place: a failure half-way leaves
    the file that was there (if any) as it was. `write` gets a text file, or a binary one."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        if binary:
            with partial.open("wb") as raw:
                write(raw)
        else:
            with partial.open("w", encoding="utf-8", newline="") as out:
                write(out)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {error.strerror or error}") from error


def _check_export_options(format: Format, output: Path | None, kind: Kind | None,
                          name: str | None, born: str | None) -> None:
    """Refuse options that do not go together, before anything is read."""
    if kind is not None and format is not Format.csv:
        raise UserError("--kind is only for --format csv.")
    if (name is not None or born is not None) and format is not Format.fhir:
        raise UserError("--name and --born are only for --format fhir.")
    if format is Format.csv and kind is None and output is None:
        # All the tables come as one zip, which is no use on a terminal.
        raise UserError(
            "A CSV export of everything is a zip file: give --kind TABLE for one table "
            "on the screen, or -o FILE.zip for all of them."
        )


def export(
    ctx: typer.Context,
    format: Annotated[
        Format,
        typer.Option(
            "--format", "-f",
            help="json: everything; csv: a table per kind of record (a zip, or one table "
                 "with --kind); fhir: a FHIR R4B Bundle.",
        ),
    ] = Format.json,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to a file instead of the screen."
        ),
    ] = None,
    kind: Annotated[
        Kind | None,
        typer.Option("--kind", "-k", help="csv: only this table (to the screen or a file)."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", metavar="NAME", help="fhir: your name, for a Patient record."),
    ] = None,
    born: Annotated[
        str | None,
        typer.Option("--born", metavar="YYYY-MM-DD",
                     help="fhir: your birth date, for a Patient record."),
    ] = None,
) -> None:
    """Export your checks, pain diary, medicines and timer sessions.

    \b
    Examples:
      upperback export -o backup.json            everything, to a file
      upperback export -f csv -o diary.zip       a CSV table per kind of record
      upperback export -f fhir --name "Sam Lee" -o fhir.json
    """
    runtime = Runtime.of(ctx)
    from ..documents import export as exports

    _check_export_options(format, output, kind, name, born)
    patient = exports.patient_details(name, born, "--name", "--born")
    store, kb = runtime.store(read_only=True), runtime.kb

    # A record at a time: memory stays the same however big the diary is. Times in the CSV
    # tables are in this computer's zone (zone None).
    def write_export(out: Any) -> None:
        if format is Format.json:
            exports.write_json(store, kb, out)
        elif format is Format.fhir:
            exports.write_fhir(store, kb, out, patient)
        elif kind is not None:
            exports.write_csv(store, kb, out, kind.value, None)
        else:
            exports.write_csv_zip(store, kb, out, None)

    if output is None:
        with _Echo() as screen:
            write_export(screen)  # every format ends with a newline
    else:
        _write_file(output, write_export, binary=format is Format.csv and kind is None)
        runtime.err.print(f"Exported to {safe_text(output)}.")


def forget(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete everything saved: checks, pain diary, timer sessions and medicine doses.

    \b
    Examples:
      upperback export -o backup.json; upperback forget    keep a copy first
      upperback forget --yes                             without asking
    """
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
    start: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE",
                     help="First day of the period, e.g. 2026-11-01 (default: 30 days ago)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", metavar="DATE", help="Last day of the period (default: today)."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="Your name, printed at the top (it is not saved)."),
    ] = None,
    born: Annotated[
        str | None,
        typer.Option("--born", metavar="DATE",
                     help="Your date of birth, e.g. 1980-04-02, printed at the top (not saved)."),
    ] = None,
) -> None:
    """Write a PDF report for your doctor or physical therapist.

    It covers one period (the last 30 days unless you choose): the current level and why,
    every check, warning signs you logged, pain relievers by day against the label's maximum,
    ice and heat sessions and the pain chart.

    Example: upperback report --pdf report.pdf --from 2026-11-01 --name "Sam Lee"
    """
    from ..documents.report import write_report_pdf
    from ..report_period import report_period, report_subject

    period = report_period(start, end)  # bad dates are refused before the diary is opened
    subject = report_subject(name, born)
    runtime = Runtime.of(ctx)
    if pdf.parent and not pdf.parent.exists():
        raise UserError(f"cannot write {pdf}: the folder {pdf.parent} does not exist")
    try:
        written = write_report_pdf(runtime.store(read_only=True), runtime.kb, pdf, period, subject)
    except OSError as error:
        raise UserError(f"cannot write {pdf}: {error.strerror or error}") from error
    runtime.out.print(f"Wrote the report for {period.label()} to {safe_text(written)}.")
