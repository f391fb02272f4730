"""Configuration from the environment, read in this one module.

Only the console script (`upperback.cli.entrypoint`) and the web app factory for servers
(`upperback.web.server.app_from_environment`) pass `os.environ` here; everything else gets
its settings as arguments, so `main(argv, environ)` and `create_app(settings)` never read
the process environment and tests cannot write to a real diary by accident.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

#: The diary database: a SQLite file path or a SQLAlchemy URL.
DATABASE_URL_ENV: Final = "UPPERBACK_DATABASE_URL"
#: Real seconds per timer minute, for tests and demos (unset: real time).
TIMER_SCALE_ENV: Final = "UPPERBACK_TIMER_SCALE"
#: The web server's cap on writes a minute from one address (0: no cap; unset: 60).
WRITES_PER_MINUTE_ENV: Final = "UPPERBACK_WRITES_PER_MINUTE"


@dataclass(frozen=True)
class Config:
    """What the environment chose (None: not set)."""

    database_url: str | None = None
    timer_scale: str | None = None
    writes_per_minute: str | None = None


def read_config(environ: Mapping[str, str]) -> Config:
    """The configuration in this environment mapping (blank values count as not set)."""

    def value(name: str) -> str | None:
        return environ.get(name, "").strip() or None

    return Config(
        database_url=value(DATABASE_URL_ENV),
        timer_scale=value(TIMER_SCALE_ENV),
        writes_per_minute=value(WRITES_PER_MINUTE_ENV),
    )
