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
#: Public mode (`serve --public`): many visitors, each with a private diary ("1" to turn on).
PUBLIC_ENV: Final = "UPPERBACK_PUBLIC"
#: Public mode: the host names served, comma-separated.
ALLOWED_HOSTS_ENV: Final = "UPPERBACK_ALLOWED_HOSTS"
#: Public mode: how many server processes.
WORKERS_ENV: Final = "UPPERBACK_WORKERS"
#: Public mode: the proxies whose X-Forwarded-For and -Proto are believed, comma-separated.
TRUSTED_PROXIES_ENV: Final = "UPPERBACK_TRUSTED_PROXIES"
#: Public mode: a diary unused this many days is deleted (unset: 180).
DIARY_DAYS_ENV: Final = "UPPERBACK_DIARY_DAYS"
#: The key that signs cookies and form tokens (the same for every worker and machine).
SECRET_KEY_ENV: Final = "UPPERBACK_SECRET_KEY"


@dataclass(frozen=True)
class Config:
    """What the environment chose (None: not set)."""

    database_url: str | None = None
    timer_scale: str | None = None
    writes_per_minute: str | None = None
    public: bool = False
    allowed_hosts: tuple[str, ...] = ()
    workers: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    diary_days: str | None = None
    secret_key: str | None = None


def read_config(environ: Mapping[str, str]) -> Config:
    """The configuration in this environment mapping (blank values count as not set)."""

    def value(name: str) -> str | None:
        return environ.get(name, "").strip() or None

    def listed(name: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in (value(name) or "").split(",") if part.strip())

    return Config(
        database_url=value(DATABASE_URL_ENV),
        timer_scale=value(TIMER_SCALE_ENV),
        writes_per_minute=value(WRITES_PER_MINUTE_ENV),
        public=(value(PUBLIC_ENV) or "").lower() in ("1", "true", "yes", "on"),
        allowed_hosts=listed(ALLOWED_HOSTS_ENV),
        workers=value(WORKERS_ENV),
        trusted_proxies=listed(TRUSTED_PROXIES_ENV),
        diary_days=value(DIARY_DAYS_ENV),
        secret_key=value(SECRET_KEY_ENV),
    )
