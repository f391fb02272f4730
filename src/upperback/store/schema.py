"""Bring a database to the newest schema with the Alembic migrations shipped in the package."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from .errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# Every revision this version knows, oldest first; a test checks it against the scripts.
REVISIONS: tuple[str, ...] = ("0001",)
HEAD_REVISION = REVISIONS[-1]


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config pointing into the package (no alembic.ini needed)."""
    from alembic.config import Config  # imported late: only needed when migrating

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in this database, or None for an empty one."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row else None


def upgrade(engine: Engine) -> None:
    """Run the migrations not yet applied, in one transaction; running it again changes nothing."""
    from alembic import command
    from alembic.util import CommandError

    try:
        with engine.execution_options(write=True).begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    except CommandError as error:
        raise StoreError("unavailable", f"Could not update the diary's tables: {error}") from error
