"""`upperback serve`: the web app. The web helper's module `upperback.web.server` provides
`run(host, port, db_url)`; it is imported only when this command runs."""

from __future__ import annotations

import re
from importlib import import_module
from typing import Annotated, Any

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
    public: Annotated[
        bool,
        typer.Option("--public", help="Serve many visitors, each with a private diary opened "
                     "by a key (a public website). Default: UPPERBACK_PUBLIC."),
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option("--allowed-host", help="With --public: a host name the site answers to "
                     "(repeat for more). Default: UPPERBACK_ALLOWED_HOSTS, comma-separated."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, max=64, help="With --public: server processes. "
                     "Default: UPPERBACK_WORKERS, else 1."),
    ] = None,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option("--trusted-proxy", help="With --public: the address of a proxy whose "
                     "X-Forwarded-For and -Proto are believed (repeat for more). "
                     "Default: UPPERBACK_TRUSTED_PROXIES."),
    ] = None,
    diary_days: Annotated[
        int | None,
        typer.Option("--diary-days", min=1, max=36_500, help="With --public: a diary unused "
                     "this many days is deleted. Default: UPPERBACK_DIARY_DAYS, else 180."),
    ] = None,
) -> None:
    """Run the guide as a web app: on this computer for you (offline), or with --public as a
    website where every visitor keeps a private diary (see docs/hosting.md).

    \b
    Examples:
      upperback serve                  then open http://127.0.0.1:8000
      upperback serve --port 8080
      upperback serve --public --host 0.0.0.0 --allowed-host guide.example.org --workers 2
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
    server.run(host, port, runtime.database_url, cap,
               public_options(server, runtime, public, allowed_host, workers, trusted_proxy,
                              diary_days))


def public_options(server: Any, runtime: Runtime, public: bool, hosts: list[str] | None,
                   workers: int | None, proxies: list[str] | None, diary_days: int | None
                   ) -> Any:
    """The public mode's options from the command line, else the environment; None when the
    server is for one person. Raises UserError naming a setting that does not fit."""
    config = runtime.config
    given = [name for name, value in (("--allowed-host", hosts), ("--workers", workers),
                                      ("--trusted-proxy", proxies), ("--diary-days", diary_days))
             if value]
    if not (public or config.public):
        if given:
            raise UserError(f"{given[0]} is for a public website: add --public")
        return None
    host_names = tuple(h.strip().lower() for h in (hosts or config.allowed_hosts) if h.strip())
    for name in host_names:
        if not HOST_NAME.fullmatch(name):
            raise UserError(f"--allowed-host {name!r} is not a host name (for example "
                            "guide.example.org, or *.example.org for every subdomain)")
    try:
        chosen_workers = workers or server.public_number(
            "UPPERBACK_WORKERS", config.workers or 1, 1, 64)
        days = diary_days or server.public_number(
            "UPPERBACK_DIARY_DAYS", config.diary_days or 180, 1, 36_500)
    except ValueError as error:
        raise UserError(str(error)) from None
    return server.PublicOptions(
        allowed_hosts=host_names or ("127.0.0.1", "localhost"),
        workers=chosen_workers,
        trusted_proxies=tuple(proxies or config.trusted_proxies),
        diary_days=days,
        secret_key=config.secret_key,
    )


# A host name, an IPv4 address or a wildcard for subdomains ("*.example.org").
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
HOST_NAME = re.compile(rf"(\*\.)?{_LABEL}(\.{_LABEL})*")
