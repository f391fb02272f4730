"""The store keeps what it is given, migrates its schema, and fails with clear messages.

Every test here that takes `store` or `database_url` runs on each backend (SQLite and
PostgreSQL, see conftest.py). Tests of the SQLite file itself are in test_sqlite_file.py, and
of PostgreSQL alone in test_postgresql.py.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, inspect, text

from upperback.store import Store, StoreError, resolve_url
from upperback.store.engine import make_engine
from upperback.store.errors import RecordError
from upperback.store.layout import HEAD_REVISION, REVISIONS
from upperback.store.models import Base
from upperback.store.schema import alembic_config, upgrade

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
OUR_TABLES = {"alembic_version", "checks", "diary_entries", "timer_sessions", "request_keys",
              "medicine_doses", "exercise_sessions", "breaks_taken", "diaries", "comments",
              "moderators", "moderator_sessions", "rate_counts"}


@contextmanager
def engine_for(url: str) -> Iterator[Engine]:
    """A plain engine on the test's database, for looking behind the store's back."""
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def test_diary_entries_come_back_as_saved_oldest_first(store: Store) -> None:
    later = store.add_entry(
        6,
        where="left shoulder blade",
        helped="heat",
        note="long drive",
        symptoms=["stiff", "tired"],
        created_at=T0 + timedelta(days=1),
    )
    earlier = store.add_entry(3, created_at=T0)
    assert store.entries() == [earlier, later]
    assert later.where == "left shoulder blade"
    assert later.helped == "heat"
    assert later.note == "long drive"
    assert later.symptoms == ["stiff", "tired"]
    assert later.created_at == T0 + timedelta(days=1)


def test_entries_survive_closing_and_opening_again(database_url: str) -> None:
    with Store.open(database_url) as store:
        saved = store.add_entry(4, note="ünïcode — ok", created_at=T0)
    with Store.open(database_url) as store:
        assert store.entries() == [saved]


def test_times_come_back_in_utc_and_naive_times_are_local(store: Store) -> None:
    naive = datetime(2025, 3, 1, 12, 0)
    entry = store.add_entry(2, created_at=naive)
    assert entry.created_at.tzinfo is UTC
    assert entry.created_at == naive.astimezone(UTC)
    (loaded,) = store.entries()
    assert loaded.created_at.tzinfo is UTC
    assert loaded.created_at == naive.astimezone(UTC)


def test_times_in_other_zones_keep_their_instant_to_the_microsecond(store: Store) -> None:
    tokyo = datetime(2025, 3, 1, 23, 59, 58, 123456, tzinfo=timezone(timedelta(hours=9)))
    store.log_timer("ice", 10, 600, True, started_at=tokyo)
    (loaded,) = store.timers()
    assert loaded.started_at == tokyo
    assert loaded.started_at.tzinfo is UTC
    assert loaded.started_at.microsecond == 123456


def test_a_check_keeps_its_answers_and_result_exactly(
    store: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    answers, result = desk_check
    saved = store.save_check(answers, result)
    (loaded,) = store.checks()
    assert loaded == saved
    assert loaded.answers == answers
    assert loaded.result == json.loads(json.dumps(result))
    assert list(loaded.result) == list(result)  # key order kept, as in the assessment
    assert loaded.triage == "self_care"


def test_the_latest_check_is_the_newest(
    store: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    assert store.latest_check() is None
    answers, result = desk_check
    store.save_check(answers, result, created_at=T0 + timedelta(days=2))
    store.save_check(answers, result, created_at=T0)
    latest = store.latest_check()
    assert latest is not None and latest.created_at == T0 + timedelta(days=2)
    assert [c.created_at for c in store.checks()] == [T0, T0 + timedelta(days=2)]


def test_timer_sessions_round_trip(store: Store) -> None:
    heat = store.log_timer("heat", 20, 1200, True, started_at=T0)
    ice = store.log_timer("ice", 15, 300, False, started_at=T0 + timedelta(hours=3))
    assert store.timers() == [heat, ice]
    assert (ice.kind, ice.planned_minutes, ice.seconds, ice.completed) == ("ice", 15, 300, False)


@pytest.mark.parametrize("pain", [-1, 11, "5", 4.5, True, None])
def test_a_pain_score_outside_0_to_10_is_refused_and_nothing_is_saved(
    store: Store, pain: Any
) -> None:
    store.add_entry(3)
    with pytest.raises(RecordError) as caught:
        store.add_entry(pain)
    assert caught.value.field == "pain"
    assert "pain must be a whole number from 0 to 10" in str(caught.value)
    assert [e.pain for e in store.entries()] == [3]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind": "fire", "planned_minutes": 10, "seconds": 5, "completed": True}, "kind"),
        ({"kind": "ice", "planned_minutes": 0, "seconds": 5, "completed": True}, "planned_minutes"),
        ({"kind": "ice", "planned_minutes": 10, "seconds": -1, "completed": True}, "seconds"),
        ({"kind": "ice", "planned_minutes": 10, "seconds": 5, "completed": "yes"}, "completed"),
        ({"kind": "ice", "planned_minutes": 10, "seconds": 2**31, "completed": True}, "seconds"),
        (
            {"kind": "ice", "planned_minutes": 2**40, "seconds": 5, "completed": True},
            "planned_minutes",
        ),
    ],
    ids=["kind", "no minutes", "negative seconds", "completed", "huge seconds", "huge minutes"],
)
def test_a_bad_timer_session_is_refused_naming_the_field(
    store: Store, arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(StoreError) as caught:
        store.log_timer(**arguments)
    assert isinstance(caught.value, RecordError) and caught.value.field == field
    assert caught.value.message.startswith(field)
    assert store.timers() == []


@pytest.mark.parametrize("field", ["where", "helped", "note", "symptoms"])
def test_text_with_a_nul_character_is_refused_on_every_backend(store: Store, field: str) -> None:
    value: Any = ["stiff", "a\x00b"] if field == "symptoms" else "a\x00b"
    with pytest.raises(RecordError) as caught:
        store.add_entry(4, **{field: value})
    assert caught.value.field == field
    assert "without NUL characters" in caught.value.message
    assert store.entries() == []


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"age": math.nan}, "answers.age"),
        ({"age": 30, "seen": datetime(2025, 1, 1)}, "answers.seen"),
        ({"age": 30, "list": [1, {"deep": math.inf}]}, "answers.list[1].deep"),
        ({1: True}, "answers key"),
    ],
    ids=["not a number", "a datetime", "infinity deep inside", "a number as key"],
)
def test_answers_that_are_not_plain_json_are_refused_naming_where(
    store: Store, answers: dict[Any, Any], field: str
) -> None:
    with pytest.raises(RecordError) as caught:
        store.save_check(answers, {"triage": "self_care"})
    assert caught.value.field == field
    assert caught.value.message.startswith(f"{field} must be JSON data")
    assert store.checks() == []


def test_the_migrations_build_the_same_schema_as_the_models(database_url: str) -> None:
    Store.open(database_url).close()
    with engine_for(database_url) as engine, engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert set(inspect(connection).get_table_names()) == OUR_TABLES


def _columns(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        found = inspect(connection)
        return {table: found.get_columns(table) for table in found.get_table_names()}


def test_upgrading_again_changes_nothing(database_url: str) -> None:
    with Store.open(database_url) as store:
        kept = store.add_entry(5, created_at=T0)
    with engine_for(database_url) as engine:
        before = _columns(engine)
        upgrade(engine)
        upgrade(engine)
        after = _columns(engine)
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert repr(after) == repr(before)
    assert version == [(HEAD_REVISION,)]
    with Store.open(database_url) as store:
        assert store.entries() == [kept]


def test_the_known_revisions_match_the_migration_scripts() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [HEAD_REVISION]
    ordered = [s.revision for s in scripts.walk_revisions()][::-1]
    assert tuple(ordered) == REVISIONS


def test_opening_a_new_database_from_several_places_at_once_migrates_it_once(
    database_url: str,
) -> None:
    failures: list[BaseException] = []
    start = threading.Barrier(4)

    def open_and_write(pain: int) -> None:
        try:
            start.wait()
            with Store.open(database_url, busy_timeout=30) as store:
                store.add_entry(pain)
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)

    threads = [threading.Thread(target=open_and_write, args=(pain,)) for pain in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with Store.open(database_url) as store:
        assert sorted(e.pain for e in store.entries()) == [0, 1, 2, 3]
    with engine_for(database_url) as engine, engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert version == [(HEAD_REVISION,)]


def test_a_database_from_a_newer_upperback_is_refused_and_left_as_it_was(
    database_url: str,
) -> None:
    with Store.open(database_url) as store:
        store.add_entry(6)
    with engine_for(database_url) as engine, engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError) as caught:
        Store.open(database_url)
    assert caught.value.kind == "too_new"
    assert "newer version of upperback (schema 9999)" in str(caught.value)
    with engine_for(database_url) as engine, engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            ("9999",)
        ]
        assert connection.execute(text("SELECT pain FROM diary_entries")).all() == [(6,)]


def test_a_database_holding_another_programs_tables_is_refused_and_left_as_it_was(
    database_url: str,
) -> None:
    with engine_for(database_url) as engine, engine.begin() as connection:
        connection.execute(text("CREATE TABLE contacts (name TEXT)"))
        connection.execute(text("INSERT INTO contacts VALUES ('Ann')"))
    with pytest.raises(StoreError) as caught:
        Store.open(database_url)
    assert caught.value.kind == "not_ours"
    assert "did not make; it was left untouched" in str(caught.value)
    with engine_for(database_url) as engine, engine.connect() as connection:
        assert inspect(connection).get_table_names() == ["contacts"]
        assert connection.execute(text("SELECT name FROM contacts")).all() == [("Ann",)]


def test_forget_deletes_everything_and_numbering_starts_again(
    database_url: str, desk_check: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    with Store.open(database_url) as store:
        store.save_check(*desk_check)
        for pain in range(5):
            store.add_entry(pain, note="private")
        store.log_timer("ice", 10, 600, True)
        store.forget()
        assert (store.checks(), store.entries(), store.timers()) == ([], [], [])
        assert store.integrity_ok()
    with Store.open(database_url) as store:
        assert store.latest_check() is None and store.entries() == []
        assert store.add_entry(3).id == 1  # not even the count of what was there is left


def test_a_migration_that_fails_halfway_leaves_nothing_behind(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from upperback.store import store as store_module

    def failing_engine(url: str, busy_timeout: float = 5.0) -> Engine:
        engine = make_engine(url, busy_timeout)
        driver_error = engine.dialect.loaded_dbapi.OperationalError

        def stop_before_the_last_table(*args: Any) -> None:
            if "CREATE TABLE timer_sessions" in str(args[2]):
                raise driver_error("disk I/O error (simulated)")

        event.listen(engine, "before_cursor_execute", stop_before_the_last_table)
        return engine

    monkeypatch.setattr(store_module, "make_engine", failing_engine)
    with pytest.raises(StoreError) as caught:
        Store.open(database_url)
    assert "simulated" in str(caught.value)
    with engine_for(database_url) as engine, engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    monkeypatch.undo()
    with Store.open(database_url) as store:
        assert store.entries() == []


def test_the_store_never_reads_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPPERBACK_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert resolve_url(str(tmp_path / "given.db")) == f"sqlite:///{tmp_path / 'given.db'}"
    assert resolve_url(None) == f"sqlite:///{(tmp_path / 'data' / 'upperback' / 'upperback.db')}"


@pytest.mark.parametrize(
    "url",
    ["postgresql://ann:s3cret-pw@db.example:notaport/upperback", "://ann:s3cret-pw@db.example"],
    ids=["port is not a number", "no scheme"],
)
def test_a_database_url_that_cannot_be_read_is_named_without_its_password(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    assert caught.value.kind == "invalid"
    assert "not a valid database URL" in caught.value.message
    assert "s3cret-pw" not in caught.value.message


def test_the_migrations_also_write_portable_sql_for_postgresql() -> None:
    import argparse
    import io

    from alembic import command

    config = alembic_config()
    config.output_buffer = io.StringIO()
    config.cmd_opts = argparse.Namespace(x=["url=postgresql://ann:pw@db.example/upperback"])
    command.upgrade(config, "head", sql=True)
    sql = config.output_buffer.getvalue()
    assert "CREATE TABLE diary_entries" in sql
    assert "created_at TIMESTAMP WITH TIME ZONE NOT NULL" in sql
    assert "answers JSON NOT NULL" in sql
    assert "CREATE TABLE request_keys" in sql
    assert f"version_num='{HEAD_REVISION}'" in sql


def test_a_diary_saved_by_the_first_schema_is_upgraded_and_keeps_its_records(
    database_url: str,
) -> None:
    from alembic import command

    config = alembic_config()
    with engine_for(database_url) as engine, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO diary_entries (created_at, pain, symptoms) VALUES "
            "('2025-03-01 09:30:00', 6, '[]')"
        )
    with Store.open(database_url) as store:
        assert [entry.pain for entry in store.entries()] == [6]
        assert not store.once("key", "print", lambda: (201, {"ok": True})).replayed
    with engine_for(database_url) as engine, engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert version == [(HEAD_REVISION,)]


def test_an_entry_is_changed_in_place_and_deleted_alone(store: Store) -> None:
    first = store.add_entry(4, where="left", note="gym", created_at=T0)
    second = store.add_entry(5)
    changed = store.update_entry(first.id, {"pain": 6, "note": None,
                                            "created_at": T0 - timedelta(days=1)})
    assert changed is not None
    assert (changed.pain, changed.where, changed.note) == (6, "left", None)
    assert changed.created_at == T0 - timedelta(days=1)
    assert store.update_entry(999, {"pain": 1}) is None
    assert store.delete_entry(first.id) and not store.delete_entry(first.id)
    assert store.entries() == [second]


@pytest.mark.parametrize("changes", [{"pain": 11}, {"note": "x\x00"}, {"created_at": None},
                                     {"symptoms": []}])
def test_a_bad_change_is_refused_and_the_entry_stays(
    store: Store, changes: dict[str, Any]
) -> None:
    entry = store.add_entry(4, note="kept", created_at=T0)
    with pytest.raises(RecordError):
        store.update_entry(entry.id, changes)
    assert store.entry(entry.id) == entry
