"""Opening a diary whose schema is current does not run Alembic; a new or older one still
migrates. The quick look at the revision agrees with SQLAlchemy's reflection.

The tests that take `database_url` run on each backend (SQLite and PostgreSQL, see conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, inspect, text

import upperback.store.store as store_module
from upperback.store import Store
from upperback.store.engine import make_engine
from upperback.store.layout import HEAD_REVISION, VERSION_TABLE
from upperback.store.schema import current_revision


@contextmanager
def engine_for(url: str) -> Iterator[Engine]:
    """A plain engine on the test's database, for looking behind the store's back."""
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _reflected(engine: Engine) -> str | None:
    """The revision as SQLAlchemy's reflection reads it (the slow, general way)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        row = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).first()
        return str(row[0]) if row else None


def _quick(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return current_revision(connection)


def test_a_new_database_has_no_revision_until_the_store_opens_it(database_url: str) -> None:
    with engine_for(database_url) as engine:
        assert _quick(engine) is None
        Store.open(database_url).close()
        assert _quick(engine) == HEAD_REVISION == _reflected(engine)


def test_the_quick_look_agrees_with_reflection(database_url: str) -> None:
    with engine_for(database_url) as engine:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE unrelated (x INTEGER)"))
        assert _quick(engine) is None is _reflected(engine)
        with engine.begin() as connection:
            connection.execute(text(f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32))"))
        assert _quick(engine) is None is _reflected(engine)  # the table, but no stamp
        with engine.begin() as connection:
            connection.execute(text(f"INSERT INTO {VERSION_TABLE} VALUES ('0001')"))
        assert _quick(engine) == "0001" == _reflected(engine)


def test_a_current_diary_opens_without_running_the_migrations(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(database_url).close()

    def no_migrations(*args: object) -> None:
        raise AssertionError("Alembic ran on a current diary")

    monkeypatch.setattr(store_module, "upgrade", no_migrations)
    with Store.open(database_url) as store:
        assert store.add_entry(3).pain == 3


def test_an_older_diary_is_migrated(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(database_url).close()
    # As if this upperback knew a newer revision than the one the diary was stamped with.
    monkeypatch.setattr(store_module, "REVISIONS", (HEAD_REVISION, "9999"))
    monkeypatch.setattr(store_module, "HEAD_REVISION", "9999")
    ran: list[Engine] = []
    monkeypatch.setattr(store_module, "upgrade", ran.append)
    Store.open(database_url).close()
    assert len(ran) == 1
