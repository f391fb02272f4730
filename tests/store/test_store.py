"""The store keeps what it is given, migrates its schema, and fails with clear messages."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from upperback.store import Store, StoreError, default_path, resolve_url
from upperback.store import settings as store_settings
from upperback.store.engine import make_engine
from upperback.store.errors import RecordError
from upperback.store.models import Base
from upperback.store.schema import HEAD_REVISION, REVISIONS, alembic_config, upgrade

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def test_a_new_store_creates_its_folder_and_file(db_path: Path) -> None:
    assert not db_path.parent.exists()
    with Store.open(str(db_path)) as store:
        assert store.entries() == []
    assert db_path.is_file()


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


def test_entries_survive_closing_and_opening_again(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        saved = store.add_entry(4, note="ünïcode — ok", created_at=T0)
    with Store.open(str(db_path)) as store:
        assert store.entries() == [saved]


def test_times_come_back_in_utc_and_naive_times_are_local(store: Store) -> None:
    naive = datetime(2025, 3, 1, 12, 0)
    entry = store.add_entry(2, created_at=naive)
    assert entry.created_at.tzinfo is UTC
    assert entry.created_at == naive.astimezone(UTC)
    assert store.entries()[0].created_at == naive.astimezone(UTC)


def test_a_check_keeps_its_answers_and_result_exactly(
    store: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    answers, result = desk_check
    saved = store.save_check(answers, result)
    (loaded,) = store.checks()
    assert loaded == saved
    assert loaded.answers == answers
    assert loaded.result == json.loads(json.dumps(result))
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
    ],
)
def test_a_bad_timer_session_is_refused_naming_the_field(
    store: Store, arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(StoreError) as caught:
        store.log_timer(**arguments)
    assert isinstance(caught.value, RecordError) and caught.value.field == field
    assert caught.value.message.startswith(field)
    assert store.timers() == []


def test_the_migrations_build_the_same_schema_as_the_models(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    engine = make_engine(f"sqlite:///{db_path}")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert set(inspect(connection).get_table_names()) == {
            "alembic_version",
            "checks",
            "diary_entries",
            "timer_sessions",
        }
    engine.dispose()


def test_upgrading_again_changes_nothing(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        kept = store.add_entry(5, created_at=T0)
    engine = make_engine(f"sqlite:///{db_path}")
    with engine.connect() as connection:
        before = {
            t: inspect(connection).get_columns(t) for t in inspect(connection).get_table_names()
        }
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as connection:
        after = {
            t: inspect(connection).get_columns(t) for t in inspect(connection).get_table_names()
        }
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    engine.dispose()
    assert repr(after) == repr(before)
    assert version == [(HEAD_REVISION,)]
    with Store.open(str(db_path)) as store:
        assert store.entries() == [kept]


def test_the_known_revisions_match_the_migration_scripts() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [HEAD_REVISION]
    ordered = [s.revision for s in scripts.walk_revisions()][::-1]
    assert tuple(ordered) == REVISIONS


def test_sqlite_runs_in_wal_mode(store: Store, db_path: Path) -> None:
    store.add_entry(1)
    with sqlite3.connect(db_path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_diary_another_writer_holds_gives_a_clear_message(db_path: Path) -> None:
    with Store.open(str(db_path), busy_timeout=0.2) as store:
        store.add_entry(2)
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError) as caught:
                store.add_entry(7)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert caught.value.kind == "locked"
        assert "another upperback is using the diary; try again" in str(caught.value).lower()
        store.add_entry(8)
        assert [e.pain for e in store.entries()] == [2, 8]


def test_opening_a_diary_locked_exclusively_gives_a_clear_message(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        store.add_entry(2)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as caught:
            Store.open(str(db_path), busy_timeout=0.2)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert caught.value.kind == "locked"
    assert "another upperback is using the diary" in str(caught.value).lower()


def _sqlite_with_garbage() -> bytes:
    return b"SQLite format 3\x00" + bytes(range(256)) * 64


@pytest.mark.parametrize(
    "content",
    [b"this is my shopping list\n", bytes(range(256)) * 8, _sqlite_with_garbage()],
    ids=["text file", "random bytes", "sqlite header then garbage"],
)
def test_a_corrupt_file_is_refused_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "upperback.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        Store.open(str(path))
    assert caught.value.kind == "corrupt"
    assert "the file is not a readable upperback database; it was left untouched" in str(
        caught.value
    )
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["upperback.db"]


def test_a_damaged_diary_is_refused_and_left_untouched(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        for pain in range(11):
            store.add_entry(pain, note="x" * 3000)
    damaged = bytearray(db_path.read_bytes())
    page = 4096
    damaged[2 * page : 4 * page] = b"\xff" * (2 * page)
    db_path.write_bytes(bytes(damaged))
    with pytest.raises(StoreError) as caught:
        Store.open(str(db_path))
    assert caught.value.kind == "corrupt"
    assert db_path.read_bytes() == bytes(damaged)


def test_another_programs_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE contacts (name TEXT)")
        other.execute("INSERT INTO contacts VALUES ('Ann')")
    other.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(str(path))
    assert caught.value.kind == "not_ours"
    assert "did not make; it was left untouched" in str(caught.value)
    assert path.read_bytes() == before


def test_a_diary_from_a_newer_upperback_is_refused_and_left_untouched(db_path: Path) -> None:
    Store.open(str(db_path)).close()
    with sqlite3.connect(db_path) as other:
        other.execute("UPDATE alembic_version SET version_num = '9999'")
    other.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(str(db_path))
    assert caught.value.kind == "too_new"
    assert "newer version of upperback" in str(caught.value)
    assert db_path.read_bytes() == before


def test_a_place_that_cannot_be_written_gives_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(StoreError) as caught:
        Store.open(str(blocker / "upperback.db"))
    assert caught.value.kind == "unwritable"
    assert "Cannot write the diary at" in str(caught.value)
    assert "--db" in str(caught.value)


def test_an_unreachable_database_server_gives_a_message_without_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql://ann:s3cret-pw@127.0.0.1:1/upperback", busy_timeout=0.2)
    assert "s3cret-pw" not in str(caught.value)


def test_the_database_url_in_the_environment_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "from-env.db"
    monkeypatch.setenv("UPPERBACK_DATABASE_URL", f"sqlite:///{chosen}")
    with Store.open() as store:
        store.add_entry(4)
    assert chosen.is_file()
    with Store.open(str(chosen)) as store:
        assert [e.pain for e in store.entries()] == [4]


def test_a_url_given_outright_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPPERBACK_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert resolve_url(str(tmp_path / "given.db")) == f"sqlite:///{tmp_path / 'given.db'}"


def test_the_default_diary_is_upperback_db_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data" / "upperback"
    monkeypatch.setattr(store_settings, "user_data_dir", lambda *a, **k: str(data_dir))
    assert default_path() == data_dir / "upperback.db"
    with Store.open() as store:
        store.add_entry(1)
        assert store.path == (data_dir / "upperback.db").resolve()
    assert (data_dir / "upperback.db").is_file()


def test_forget_deletes_everything_and_leaves_no_trace_in_the_file(
    db_path: Path, desk_check: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    secret = "my-very-private-note-4242"
    with Store.open(str(db_path)) as store:
        store.save_check(*desk_check)
        for pain in range(5):
            store.add_entry(pain, note=secret)
        store.log_timer("ice", 10, 600, True)
        store.forget()
        assert (store.checks(), store.entries(), store.timers()) == ([], [], [])
        assert store.integrity_ok()
    with Store.open(str(db_path)) as store:
        assert store.latest_check() is None and store.entries() == []
    leftovers = b"".join(p.read_bytes() for p in db_path.parent.iterdir())
    assert secret.encode() not in leftovers


def test_a_migration_that_fails_halfway_leaves_nothing_behind(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import event

    from upperback.store import store as store_module

    def failing_engine(url: str, busy_timeout: float = 5.0) -> Any:
        engine = make_engine(url, busy_timeout)

        def stop_before_the_last_table(*args: Any) -> None:
            if "CREATE TABLE timer_sessions" in str(args[2]):
                raise sqlite3.OperationalError("disk I/O error (simulated)")

        event.listen(engine, "before_cursor_execute", stop_before_the_last_table)
        return engine

    monkeypatch.setattr(store_module, "make_engine", failing_engine)
    with pytest.raises(StoreError):
        Store.open(str(db_path))
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("SELECT name FROM sqlite_master").fetchall() == []
    raw.close()
    monkeypatch.undo()
    with Store.open(str(db_path)) as store:
        assert store.entries() == []


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
    assert f"VALUES ('{HEAD_REVISION}')" in sql
