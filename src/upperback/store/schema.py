"""Bring a database to the newest schema with the Alembic migrations shipped in the package.

Alembic is imported and run only when the database is behind: opening a current one costs a
single look at its revision (`current_revision`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from .errors import StoreError
from .layout import OUR_TABLES, VERSION_TABLE

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# A fixed PostgreSQL advisory lock key ("uppb"): two upperbacks opening a new database at once
# migrate it one after the other instead of both creating the tables.
MIGRATION_LOCK = 0x75707062


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config pointing into the package (no alembic.ini needed)."""
    from alembic.config import Config  # imported late: only needed when migrating

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


# SQLite: one look at the catalogue instead of SQLAlchemy's reflection, which costs more than
# the query itself when the diary is opened for a single check. A view counts, as it does for
# Inspector.has_table.
_SQLITE_HAS_VERSION_TABLE = text(
    "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = :name"
)


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in this database, or None for an empty one."""
    if connection.dialect.name == "sqlite":
        found = connection.execute(_SQLITE_HAS_VERSION_TABLE, {"name": VERSION_TABLE}).first()
        if found is None:
            return None
    elif not inspect(connection).has_table(VERSION_TABLE):
        return None
    row = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).first()
    return str(row[0]) if row else None


def holds_only_ours(connection: Connection) -> bool:
    """Whether the database (its default schema) is empty or holds only upperback's tables."""
    tables = set(inspect(connection).get_table_names())
    return not tables or (VERSION_TABLE in tables and tables <= OUR_TABLES)


def upgrade(engine: Engine) -> None:
    """Run the migrations not yet applied, in one transaction; running it again changes nothing."""
    from alembic import command
    from alembic.util import CommandError

    try:
        with engine.execution_options(write=True).begin() as connection:
            if connection.dialect.name == "postgresql":
                # Held to the end of this transaction; SQLite's BEGIN IMMEDIATE does the same.
                lock = text("SELECT pg_advisory_xact_lock(:key)")
                connection.execute(lock, {"key": MIGRATION_LOCK})
            command.upgrade(alembic_config(connection), "head")
    except CommandError as error:
        raise StoreError("unavailable", f"Could not update the diary's tables: {error}") from error
