"""`upperback import FILE`: read the diary's own JSON export back (a new computer, a backup).

The file is checked whole before anything is saved: a bad one is refused with one red line
naming the record and field (exit code 2), and the diary is left as it was. Records the
diary holds already are not added again, so importing the same file twice is harmless.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .errors import UserError
from .runtime import Runtime
from .text import safe_text

STDIN = "-"


def _read(file: str) -> bytes:
    """The file's bytes (standard input for "-"), at most the import's size cap."""
    from ..documents.restore import read_limited

    if file == STDIN:
        return read_limited(sys.stdin.buffer)
    path = Path(file)
    try:
        with path.open("rb") as stream:
            return read_limited(stream)
    except IsADirectoryError:
        raise UserError(f"cannot read {safe_text(path)}: it is a folder, not a file") from None
    except OSError as error:
        raise UserError(f"cannot read {safe_text(path)}: {error.strerror or error}") from None


def import_file(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(metavar="FILE", help="A JSON export (upperback export -o FILE), "
                       "or - to read it from standard input."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be imported; save nothing.")
    ] = False,
) -> None:
    """Import a JSON export of your diary (from a backup or another computer).

    Only the records the diary does not hold yet are added, so importing the same file
    twice adds nothing. A file with a bad record is refused whole: nothing is saved.

    Examples: upperback import backup.json; upperback import --dry-run backup.json
    """
    runtime = Runtime.of(ctx)
    from ..documents.restore import import_export, read_export, summary

    records = read_export(runtime.kb, _read(file))
    counts = import_export(runtime.store(), records, dry_run=dry_run)
    runtime.out.print(summary(counts, dry_run))
