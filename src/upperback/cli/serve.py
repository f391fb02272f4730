"""`upperback serve`: the web app. The web helper's module `upperback.web.server` provides
`run(host, port, db_url)`; it is imported only when this command runs."""

from __future__ import annotations

from importlib import import_module
from typing import Annotated

import typer

from .errors import UserError
from .runtime import Runtime


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (this computer only by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    writes_per_minute: Annotated[
        int | None,
        typer.Option(
            "--writes-per-minute", min=0, max=100_000,
            help="Diary writes a minute one address may make (0: no cap). "
            "Default: UPPERBACK_WRITES_PER_MINUTE, else 60.",
        ),
    ] = None,
) -> None:
    """Run the guide as a web app on this computer (offline)."""
    runtime = Runtime.of(ctx)
    try:
        server = import_module("upperback.web.server")
    except ModuleNotFoundError as error:
        if error.name is None or not error.name.startswith("upperback.web"):
            raise
        raise UserError(
            "the web app is not part of this copy of upperback (upperback.web.server is missing)"
        ) from error
    cap = writes_per_minute if writes_per_minute is not None else runtime.config.writes_per_minute
    try:
        server.write_caps(cap)
    except ValueError as error:
        raise UserError(f"UPPERBACK_WRITES_PER_MINUTE: {error}") from None
    server.run(host, port, runtime.database_url, cap)
