"""`upperback serve`: run the web app with uvicorn, for one person or (public) many visitors."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from upperback.config import (
    ALLOWED_HOSTS_ENV,
    DATABASE_URL_ENV,
    DIARY_DAYS_ENV,
    PUBLIC_ENV,
    SECRET_KEY_ENV,
    WRITES_PER_MINUTE_ENV,
    read_config,
)

from .app import create_app
from .settings import LOCAL_HOSTS, WebSettings, write_caps
from .slow_headers import HeaderTimeoutProtocol

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
FACTORY = "upperback.web.server:app_from_environment"
KEEP_ALIVE_SECONDS = 5


def address(host: str, port: int) -> str:
    """The URL a browser should open."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def settings_from(environ: Mapping[str, str]) -> WebSettings:
    """The web app's settings from an environment mapping. Raises ValueError naming the
    setting and what it allows."""
    config = read_config(environ)
    extra: dict[str, object] = {}
    if config.public:
        extra["public"] = True
        extra["allowed_hosts"] = config.allowed_hosts or LOCAL_HOSTS
        if config.diary_days is not None:
            extra["diary_days"] = public_number(DIARY_DAYS_ENV, config.diary_days, 1, 36_500)
    return WebSettings(db_url=config.database_url, secret_key=config.secret_key,
                       **write_caps(config.writes_per_minute), **extra)


def public_number(name: str, value: str | int, low: int, high: int) -> int:
    """A whole-number setting from `low` to `high`, or ValueError naming it."""
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, not {value!r}")
    return number


def app_from_environment() -> FastAPI:
    """The app factory for a server started on its own (`uvicorn --factory
    upperback.web.server:app_from_environment`, and each worker of `serve --public`):
    settings from the environment, the one place the web app reads it (create_app itself
    never does)."""
    return create_app(settings_from(os.environ))


@dataclass(frozen=True)
class PublicOptions:
    """How `serve --public` serves many visitors."""

    allowed_hosts: Sequence[str]
    workers: int = 1
    trusted_proxies: Sequence[str] = ()
    diary_days: int = 180
    secret_key: str | None = None


def run(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    db_url: str | None = None,
    writes_per_minute: int | str | None = None,
    public: PublicOptions | None = None,
) -> None:
    """Serve the guide on host:port over the diary at db_url (None: the terminal's diary),
    capping writes a minute from one address (None: 60; 0: no cap). With `public`, serve
    many visitors (each with a private diary) in `public.workers` processes."""
    if public is not None:
        _run_public(host, port, db_url, writes_per_minute, public)
        return
    hosts = tuple(dict.fromkeys((*LOCAL_HOSTS, host.strip("[]"), f"[{host.strip('[]')}]")))
    app = create_app(WebSettings(db_url=db_url, allowed_hosts=hosts,
                                 **write_caps(writes_per_minute)))
    print(f"upperback is running at {address(host, port)} (press Ctrl+C to stop)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False,
                http=HeaderTimeoutProtocol, timeout_keep_alive=KEEP_ALIVE_SECONDS)


def _run_public(host: str, port: int, db_url: str | None, writes_per_minute: int | str | None,
                public: PublicOptions) -> None:
    # Every worker builds its app from the environment (uvicorn starts them afresh), so the
    # settings go there; this process is about to become the server anyway.
    os.environ[PUBLIC_ENV] = "1"
    os.environ[ALLOWED_HOSTS_ENV] = ",".join(public.allowed_hosts)
    os.environ[DIARY_DAYS_ENV] = str(public.diary_days)
    if db_url is not None:
        os.environ[DATABASE_URL_ENV] = db_url
    if writes_per_minute is not None:
        os.environ[WRITES_PER_MINUTE_ENV] = str(writes_per_minute)
    if public.secret_key is not None:
        os.environ[SECRET_KEY_ENV] = public.secret_key
    # Open (and migrate) the database once, before the workers start, so that they do not
    # race to create it and a database problem is one clear line here.
    prepare = settings_from(os.environ)
    from upperback.store import Store

    Store.open(prepare.db_url).close()
    shown = ", ".join(public.allowed_hosts)
    print(f"upperback (public) is serving {shown} on {address(host, port)} with "
          f"{public.workers} worker(s) (press Ctrl+C to stop)", flush=True)
    uvicorn.run(
        FACTORY, factory=True, host=host, port=port, workers=public.workers,
        log_level="warning", access_log=False,  # access logs hold addresses and paths
        server_header=False, date_header=True,
        proxy_headers=bool(public.trusted_proxies),
        forwarded_allow_ips=list(public.trusted_proxies) or None,
        http=HeaderTimeoutProtocol, timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
