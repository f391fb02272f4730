"""The typer application: global options, error handling, and the list of commands.

Command modules import only typer and the standard library at the top; the engine, the
store, PDF and chart libraries are imported inside the commands that use them, so that
`upperback --help` starts fast (see benchmarks/cli_startup.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import typer

from .. import __version__
from ..config import DATABASE_URL_ENV
from ..errors import UpperbackError
from . import breaks, check, comments, data, diary, guide, medicines, plan, restore, timer, validate
from .runtime import Runtime
from .serve import serve
from .text import safe_text
from .usage import UsageError


class UpperbackGroup(typer.core.TyperGroup):
    """Shows an error the person can fix as one red line (exit code 2), never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            # An option's value that does not fit: one line in our words, never click's raw text.
            from .usage import our_words

            message = safe_text(our_words(error, Runtime.of(ctx)))
            Runtime.of(ctx).err.print(f"[bold red]Error:[/] [red]{message}[/]", soft_wrap=True)
            raise typer.Exit(2) from None
        except (typer.TyperException, typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            # Ctrl-C: stop quietly, without a traceback (nothing half-done is saved).
            Runtime.of(ctx).err.print("\nStopped.")
            raise typer.Exit(130) from None
        except UpperbackError as error:
            # The one place the terminal shows an error a person can fix.
            Runtime.of(ctx).err.print(
                f"[bold red]Error:[/] [red]{safe_text(str(error))}[/]", soft_wrap=True
            )
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=UpperbackGroup,
    name="upperback",
    help=(
        "An offline guide for upper back muscle pain: likely causes, how soon to get care, "
        "and a safe relief plan you can follow and track.\n\n"
        "This is information, not a diagnosis.\n\n"
        "\b\nExamples:\n"
        "  upperback check                  answer a few questions, get the answer first\n"
        "  upperback guide --findings       the answer ids for check --answers\n"
        "  upperback log --pain 4           add to your pain diary\n"
        "  upperback --install-completion   tab-completion for your shell"
    ),
    no_args_is_help=True,
    # --install-completion and --show-completion (bash, zsh, fish, PowerShell). Measured on
    # `upperback --help`: see CHANGELOG (no start-up cost worth keeping it off for).
    add_completion=True,
    # Plain click help: rich's help formatter costs ~120 ms at start-up.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"upperback {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help=(
                f"The diary database: a file path or a database URL. Default: ${DATABASE_URL_ENV}, "
                "else upperback.db in your user data folder."
            ),
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Set up the run: which database to use."""
    runtime = Runtime.of(ctx)
    runtime.db = db
    ctx.call_on_close(runtime.close)


# The commands, in the order `--help` lists them.
app.command(name="check")(check.check)
app.command(name="guide")(guide.guide)
app.command(name="timer")(timer.timer)
app.command(name="plan")(plan.plan)
app.command(name="exercise")(plan.exercise)
app.command(name="breaks")(breaks.breaks)
app.command(name="log")(diary.log)
app.command(name="history")(diary.history)
app.command(name="edit")(diary.edit)
app.command(name="delete")(diary.delete)
app.command(name="took")(medicines.took)
app.command(name="export")(data.export)
app.command(name="import")(restore.import_file)
app.command(name="forget")(data.forget)
app.command(name="report")(data.report)
app.command(name="validate")(validate.validate)
# The readers' comments and who may moderate them (cli/comments.py).
app.add_typer(comments.comments_app, name="comments")
app.add_typer(comments.moderators_app, name="moderators")
# `upperback serve` is the web app's command; it lives in cli/serve.py and imports
# upperback.web.server only when run.
app.command(name="serve")(serve)


def command() -> Any:
    """The click command behind the app (what CliRunner tests invoke)."""
    return typer.main.get_command(app)


def main(argv: Sequence[str], environ: Mapping[str, str]) -> int:
    """Run `upperback` with these arguments and environment; return the exit code."""
    try:
        command().main(args=list(argv), prog_name="upperback", obj=Runtime(environ=dict(environ)))
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def entrypoint() -> None:
    """The `upperback` console script."""
    sys.exit(main(sys.argv[1:], os.environ))
