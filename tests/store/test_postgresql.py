"""POSTGRESQL ONLY: what a server database adds to the backend-neutral tests in test_store.py.

A server can refuse the password, lack the database or be down; a table can be held by someone
else; and the schema must use the server's own types for times with zones and JSON.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text

from _postgres import PASSWORD, PASSWORD_USER, Cluster
from upperback.store import Store, StoreError
from upperback.store.engine import make_engine
from upperback.store.layout import HEAD_REVISION

pytestmark = pytest.mark.postgresql


@pytest.fixture
def database(postgres_cluster: Cluster) -> tuple[Cluster, str]:
    """The cluster and the name of an empty database on it."""
    return postgres_cluster, postgres_cluster.empty_database()


def test_the_schema_version_table_holds_the_newest_revision(database: tuple[Cluster, str]) -> None:
    cluster, name = database
    Store.open(cluster.url(name)).close()
    with cluster.connect(name) as connection:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert rows == [(HEAD_REVISION,)]


def test_times_are_stored_with_their_zone_and_answers_as_json(
    database: tuple[Cluster, str],
) -> None:
    cluster, name = database
    with Store.open(cluster.url(name)) as store:
        store.add_entry(5, created_at=datetime(2025, 3, 1, 9, 30, tzinfo=UTC))
    with cluster.connect(name) as connection:
        types = dict(
            connection.execute(
                "SELECT table_name || '.' || column_name, data_type"
                " FROM information_schema.columns WHERE column_name"
                " IN ('created_at', 'started_at', 'answers', 'result', 'symptoms')"
            ).fetchall()
        )
        connection.execute("SET TIME ZONE 'America/New_York'")
        (stored,) = connection.execute("SELECT created_at FROM diary_entries").fetchone()
    assert types == {
        "checks.created_at": "timestamp with time zone",
        "checks.answers": "json",
        "checks.result": "json",
        "diary_entries.created_at": "timestamp with time zone",
        "diary_entries.symptoms": "json",
        "timer_sessions.started_at": "timestamp with time zone",
        "exercise_sessions.started_at": "timestamp with time zone",
        "diaries.created_at": "timestamp with time zone",
        "comments.created_at": "timestamp with time zone",
        "moderators.created_at": "timestamp with time zone",
        "breaks_taken.started_at": "timestamp with time zone",
        "request_keys.created_at": "timestamp with time zone",
    }
    assert stored == datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def test_a_plain_postgresql_url_uses_the_psycopg_driver(database: tuple[Cluster, str]) -> None:
    cluster, name = database
    plain = cluster.url(name).replace("postgresql+psycopg://", "postgresql://")
    assert plain.startswith("postgresql://")
    with Store.open(plain) as store:
        store.add_entry(2)
        assert [e.pain for e in store.entries()] == [2]


def test_the_right_password_opens_the_store(database: tuple[Cluster, str]) -> None:
    cluster, name = database
    with cluster.connect(name) as connection:
        connection.execute(f"GRANT ALL ON SCHEMA public TO {PASSWORD_USER}")
    with Store.open(cluster.url(name, user=PASSWORD_USER, password=PASSWORD)) as store:
        assert store.add_entry(1).pain == 1


def test_a_wrong_password_gives_a_clear_message_without_the_password(
    database: tuple[Cluster, str],
) -> None:
    cluster, name = database
    with pytest.raises(StoreError) as caught:
        Store.open(cluster.url(name, user=PASSWORD_USER, password="wrong-s3cret-pw"))
    message = caught.value.message
    assert caught.value.kind == "unavailable"
    assert f'password authentication failed for user "{PASSWORD_USER}"' in message
    assert "user name and password" in message
    assert "wrong-s3cret-pw" not in message and "wrong-s3cret-pw" not in str(caught.value)
    assert PASSWORD not in message
    assert f"{PASSWORD_USER}:***@127.0.0.1:{cluster.port}" in message
    assert "\n" not in message


def test_a_database_that_does_not_exist_is_named_in_the_message(
    postgres_cluster: Cluster,
) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(postgres_cluster.url("no_such_diary"))
    assert caught.value.kind == "unavailable"
    assert 'database "no_such_diary" does not exist' in caught.value.message
    assert caught.value.message.startswith("Cannot connect to the database postgresql+psycopg://")


def test_an_unreachable_database_server_gives_a_message_without_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql://ann:s3cret-pw@127.0.0.1:1/upperback", busy_timeout=0.2)
    assert caught.value.kind == "unavailable"
    assert "s3cret-pw" not in str(caught.value)
    assert "ann:***@127.0.0.1:1/upperback" in caught.value.message
    assert "Check that the server is running" in caught.value.message


def test_without_the_driver_the_message_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql+psycopg://ann:s3cret-pw@127.0.0.1:1/upperback")
    assert "pip install 'upperback[postgres]'" in caught.value.message
    assert "psycopg" in caught.value.message
    assert "s3cret-pw" not in caught.value.message


def test_a_table_someone_else_holds_gives_the_locked_message_after_the_timeout(
    database: tuple[Cluster, str],
) -> None:
    cluster, name = database
    with Store.open(cluster.url(name), busy_timeout=0.3) as store:
        store.add_entry(2)
        with cluster.connect(name) as other:
            other.execute("BEGIN")
            other.execute("LOCK TABLE diary_entries IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(StoreError) as caught:
                store.add_entry(7)
            other.execute("ROLLBACK")
        assert caught.value.kind == "locked"
        assert "another upperback is using the diary; try again" in caught.value.message.lower()
        store.add_entry(8)
        assert [e.pain for e in store.entries()] == [2, 8]


def test_the_connection_says_it_is_upperback_and_has_the_timeouts(
    database: tuple[Cluster, str],
) -> None:
    cluster, name = database
    engine = make_engine(cluster.url(name), busy_timeout=1.5)
    try:
        with engine.connect() as connection:
            settings = connection.execute(
                text("SELECT current_setting('application_name'), current_setting('lock_timeout')")
            ).one()
            assert inspect(connection).get_table_names() == []
    finally:
        engine.dispose()
    assert tuple(settings) == ("upperback", "1500ms")
