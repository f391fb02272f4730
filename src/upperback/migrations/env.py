"""Alembic environment for upperback's diary database.

upperback runs this itself (upperback.store.schema.upgrade) and hands over a connection that is
already inside a transaction, so a migration is all-or-nothing even on SQLite. Without a
connection it opens the URL given as the x-argument `url` (else the usual default), or, in
offline mode, writes the SQL for it: with `config = upperback.store.schema.alembic_config()`,
`config.cmd_opts = argparse.Namespace(x=["url=postgresql://..."])`, then
`alembic.command.upgrade(config, "head", sql=True)`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from upperback.store.engine import make_engine
from upperback.store.models import Base
from upperback.store.settings import resolve_url


def run_migrations(connection: Connection) -> None:
    """Apply the migrations on this connection."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        transactional_ddl=True,  # SQLite can roll back DDL; a killed migration leaves no trace
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Use the connection upperback passed in, or open the URL given with -x url=..."""
    given = context.config.attributes.get("connection")
    if given is not None:
        run_migrations(given)
        return
    url = resolve_url(context.get_x_argument(as_dictionary=True).get("url"))
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    try:
        with engine.execution_options(write=True).begin() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


main()
