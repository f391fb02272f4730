"""The web app's settings, passed to `create_app` so each test can build its own app."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field

from upperback.limits import IMPORT_MAX_BYTES

SECRET_FILE = "web-secret.key"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


class WebSettings(BaseModel):
    """Where the diary lives, the key that signs cookies, and which host names are served."""

    model_config = ConfigDict(frozen=True)

    db_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL or SQLite path; None means the default diary file.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs cookies and form tokens; None means a key kept in the data folder.",
    )
    testing: bool = Field(default=False, description="Accept the test client's host name.")
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS
    max_body_bytes: int = Field(default=64 * 1024, gt=0)
    import_max_bytes: int = Field(
        default=IMPORT_MAX_BYTES, gt=0,
        description="The largest body the diary's import takes (API and page), in bytes.",
    )
    writes_per_minute: int | None = Field(
        default=60, gt=0, description="Writes a minute one address may make; None: no cap."
    )
    diary_writes_per_minute: int | None = Field(
        default=120, gt=0, description="Writes a minute into one diary; None: no cap."
    )
    public: bool = Field(
        default=False,
        description="Many visitors, each with a private diary opened by a key (serve --public).",
    )
    diary_days: int = Field(
        default=180, gt=0, le=36_500,
        description="Public mode: a diary unused this many days is deleted.",
    )

    def hosts(self) -> list[str]:
        """Host names the app answers to (guards a local server against DNS rebinding)."""
        hosts = list(self.allowed_hosts)
        if self.testing:
            hosts.append("testserver")
        return hosts

    def key(self) -> bytes:
        """The signing key: the one given, else the one kept in the user's data folder."""
        if self.secret_key:
            return self.secret_key.encode("utf-8")
        return stored_secret(Path(user_data_dir("upperback", appauthor=False)))


def stored_secret(folder: Path) -> bytes:
    """Read the key kept in `folder`, creating it (readable by this user only) on first use."""
    path = folder / SECRET_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key


DEFAULT_WRITES_PER_MINUTE = 60


def write_caps(per_minute: int | str | None) -> dict[str, int | None]:
    """The two write caps from one setting (writes a minute from one address; the diary's
    cap is twice that): None means the default, 0 no cap. Raises ValueError naming what is
    allowed for anything else."""
    if per_minute is None:
        per_minute = DEFAULT_WRITES_PER_MINUTE
    try:
        number = int(per_minute)
    except ValueError:
        number = -1
    if not 0 <= number <= 100_000:
        raise ValueError(
            f"writes a minute must be a whole number from 0 (no cap) to 100000, not {per_minute!r}"
        )
    if number == 0:
        return {"writes_per_minute": None, "diary_writes_per_minute": None}
    return {"writes_per_minute": number, "diary_writes_per_minute": 2 * number}
