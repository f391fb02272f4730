"""`upperback serve`: run the web app with uvicorn on this computer."""

from __future__ import annotations

import os

import uvicorn
from fastapi import FastAPI

from upperback.config import read_config

from .app import create_app
from .settings import LOCAL_HOSTS, WebSettings, write_caps

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def address(host: str, port: int) -> str:
    """The URL a browser should open."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def app_from_environment() -> FastAPI:
    """The app factory for a server started on its own (`uvicorn --factory
    upperback.web.server:app_from_environment`): settings from the environment, the one
    place the web app reads it (create_app itself never does)."""
    config = read_config(os.environ)
    return create_app(WebSettings(db_url=config.database_url,
                                  **write_caps(config.writes_per_minute)))


def run(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    db_url: str | None = None,
    writes_per_minute: int | str | None = None,
) -> None:
    """Serve the guide on host:port over the diary at db_url (None: the terminal's diary),
    capping writes a minute from one address (None: 60; 0: no cap)."""
    hosts = tuple(dict.fromkeys((*LOCAL_HOSTS, host.strip("[]"), f"[{host.strip('[]')}]")))
    app = create_app(WebSettings(db_url=db_url, allowed_hosts=hosts,
                                 **write_caps(writes_per_minute)))
    print(f"upperback is running at {address(host, port)} (press Ctrl+C to stop)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
