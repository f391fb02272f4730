"""`upperback serve`: the web app. The web helper's module `upperback.web.server` provides
`run(host, port, db_url)`; it is imported only when this command runs."""

from __future__ import annotations

from importlib import import_module
from typing import Annotated

import typer

from .errors import UserError
from .runtime import Runtime


def check_port(host: str, port: int) -> None:
    """Say in one line (exit code 2) when the port cannot be used, before the server starts
    and prints that it is running."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise UserError(f"--host {host} is not an address on this computer ({error})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As the server binds (SO_REUSEADDR): a socket left in TIME_WAIT does not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise UserError(f"port {port} on {host} is in use (by another program, or "
                                "another upperback serve): try --port 8080") from None
            raise UserError(f"cannot listen on {host} port {port}: "
                            f"{error.strerror or error}") from None


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (this computer only by default).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    writes_per_minute: Annotated[
        int | None,
        typer.Option(
            "--writes-per-minute", min=0, max=100_000,
            help="Diary writes a minute one address may make (0: no cap). "
            "Default: UPPERBACK_WRITES_PER_MINUTE, else 60.",
        ),
    ] = None,
) -> None:
    """Run the guide as a web app on this computer (offline).

    \b
    Examples:
      upperback serve                  then open http://127.0.0.1:8000
      upperback serve --port 8080
    """
    runtime = Runtime.of(ctx)
    check_port(host, port)
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
