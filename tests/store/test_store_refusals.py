"""What the store refuses by itself, and the messages for databases it cannot write: a full
disk, a read-only file, a user without write rights, a password that shows up in a message."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from _postgres import PASSWORD, PASSWORD_USER, Cluster
from upperback.limits import TEXT_LIMITS
from upperback.store import Store, StoreError
from upperback.store.errors import RecordError, translate


def test_a_note_over_its_limit_is_refused_by_the_store_itself(store: Store) -> None:
    limit = TEXT_LIMITS["note"]
    with pytest.raises(RecordError) as refused:
        store.add_entry(4, note="x" * (limit + 1))
    assert refused.value.field == "note"
    assert f"({limit + 1} characters)" in str(refused.value)
    assert store.add_entry(4, note="  " + "x" * limit + "  ").note == "x" * limit  # trimmed
    assert [e.pain for e in store.entries()] == [4]


@pytest.mark.parametrize("when", ["2025-03-01T09:30:00Z", 1740821400, "yesterday"])
def test_a_time_that_is_not_a_date_and_time_is_refused_naming_the_field(
    store: Store, when: Any
) -> None:
    with pytest.raises(RecordError) as refused:
        store.add_entry(4, created_at=when)
    assert refused.value.field == "created_at"
    with pytest.raises(RecordError, match="started_at"):
        store.log_timer("ice", 10, 600, True, started_at=when)
    assert store.entries() == [] and store.timers() == []


@pytest.mark.parametrize(
    ("answers", "result", "field"),
    [([("age", 30)], {}, "answers"), ({"age": 30}, "self_care", "result")],
)
def test_a_check_that_is_not_two_mappings_is_refused_naming_which(
    store: Store, answers: Any, result: Any, field: str
) -> None:
    with pytest.raises(RecordError) as refused:
        store.save_check(answers, result)
    assert refused.value.field == field
    assert store.checks() == []


def test_a_database_of_a_kind_sqlalchemy_does_not_know_is_refused_clearly() -> None:
    with pytest.raises(StoreError) as refused:
        Store.open("nosuchdb://ann@example.org/diary")
    assert refused.value.kind == "unavailable"
    assert refused.value.message.startswith("Cannot use the database nosuchdb://")


def test_an_in_memory_diary_works_and_leaves_no_file(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Store.open("sqlite://") as store:
        assert store.path is None
        store.add_entry(3)
        assert [e.pain for e in store.entries()] == [3]
    assert list(tmp_path.iterdir()) == []


def test_a_diary_opened_read_only_can_be_read_but_refuses_writes_clearly(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        store.add_entry(3)
    before = db_path.read_bytes()
    with Store.open(f"sqlite:///file:{db_path}?mode=ro&uri=true") as read_only:
        assert [e.pain for e in read_only.entries()] == [3]
        with pytest.raises(StoreError) as refused:
            read_only.add_entry(5)
    assert refused.value.kind == "unwritable"
    assert "Cannot write the diary at" in refused.value.message
    assert "readonly database" in refused.value.message
    assert db_path.read_bytes() == before


def sqlite_disk_full(tmp_path: Path) -> sqlite3.Error:
    """The error SQLite itself gives when the database cannot grow."""
    connection = sqlite3.connect(tmp_path / "full.db")
    try:
        connection.execute("PRAGMA max_page_count = 2")
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    except sqlite3.Error as error:
        return error
    finally:
        connection.close()
    raise AssertionError("SQLite wrote past its page limit")


def test_a_full_disk_under_sqlite_says_the_disk_is_full(tmp_path: Path) -> None:
    error = sqlite_disk_full(tmp_path)
    assert error.sqlite_errorname == "SQLITE_FULL"
    message = translate(error, "/home/ann/diary.db")
    assert message.kind == "unwritable"
    assert message.message.startswith(
        "Cannot write the diary at /home/ann/diary.db: the disk is full."
    )


def test_a_full_disk_on_the_server_says_it_is_out_of_space() -> None:
    psycopg_errors = pytest.importorskip("psycopg.errors")
    error = psycopg_errors.DiskFull("could not extend file \"base/16384/16385\": No space left")
    message = translate(error, "postgresql://ann:***@db/upperback")
    assert message.kind == "unwritable"
    assert "the database server is out of space (could not extend file" in message.message


@pytest.mark.postgresql
def test_a_database_user_without_write_rights_gets_a_clear_message(
    postgres_cluster: Cluster,
) -> None:
    name = postgres_cluster.empty_database()
    with Store.open(postgres_cluster.url(name)) as owner:
        owner.add_entry(2)
    with postgres_cluster.connect(name) as admin:
        admin.execute(f"GRANT USAGE ON SCHEMA public TO {PASSWORD_USER}")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {PASSWORD_USER}")
    url = postgres_cluster.url(name, user=PASSWORD_USER, password=PASSWORD)
    with Store.open(url) as reader:
        assert [e.pain for e in reader.entries()] == [2]
        with pytest.raises(StoreError) as refused:
            reader.add_entry(5)
    assert refused.value.kind == "unwritable"
    assert "the database user may not change it" in refused.value.message
    assert PASSWORD not in refused.value.message


@pytest.mark.postgresql
def test_a_password_that_also_appears_in_the_servers_message_is_hidden(
    postgres_cluster: Cluster,
) -> None:
    name = postgres_cluster.empty_database()
    word = "authentication"  # a wrong password that the refusal itself contains
    with pytest.raises(StoreError) as refused:
        Store.open(postgres_cluster.url(name, user=PASSWORD_USER, password=word))
    message = refused.value.message
    assert refused.value.kind == "unavailable"
    assert word not in message and word not in str(refused.value)
    assert f'password *** failed for user "{PASSWORD_USER}"' in message
