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
    server.run(host, port, runtime.database_url)
