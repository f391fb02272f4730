"""SQLITE ONLY: the diary file itself. WAL mode, locks, damaged or foreign files left untouched,
a folder that cannot be written, the default place, private file modes and secure delete.

These are about a file on the person's disk, so they have no PostgreSQL twin (the backend-neutral
tests are in test_store.py; the kill test, also SQLite only, is in test_kill.py).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from upperback.store import Store, StoreError, default_path
from upperback.store import settings as store_settings


def test_a_new_store_creates_its_folder_and_file(db_path: Path) -> None:
    assert not db_path.parent.exists()
    with Store.open(str(db_path)) as store:
        assert store.entries() == []
    assert db_path.is_file()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_new_diary_and_its_folder_are_private_to_their_owner(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        store.add_entry(3, note="private")
        made = [db_path, *db_path.parent.glob("upperback.db-*")]  # with the -wal and -shm files
        assert len(made) >= 2
        for path in made:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_existing_folder_and_diary_keep_the_modes_their_owner_gave(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with Store.open(str(path)) as store:
        store.add_entry(1)
    path.chmod(0o640)
    tmp_path.chmod(0o750)
    with Store.open(str(path)) as store:
        store.add_entry(2)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o750


def test_sqlite_runs_in_wal_mode(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        store.add_entry(1)
        with sqlite3.connect(db_path) as other:
            assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        other.close()


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
            store.add_entry(pain, note="x" * 2000)
    damaged = bytearray(db_path.read_bytes())
    page = 4096
    damaged[2 * page : 4 * page] = b"\xff" * (2 * page)
    db_path.write_bytes(bytes(damaged))
    with pytest.raises(StoreError) as caught:
        Store.open(str(db_path))
    assert caught.value.kind == "corrupt"
    assert db_path.read_bytes() == bytes(damaged)


def test_another_programs_database_file_is_left_byte_for_byte(tmp_path: Path) -> None:
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


def test_a_diary_from_a_newer_upperback_is_left_byte_for_byte(db_path: Path) -> None:
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


def test_forget_leaves_no_trace_in_the_file(
    db_path: Path, desk_check: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    secret = "my-very-private-note-4242"
    with Store.open(str(db_path)) as store:
        store.save_check(*desk_check)
        for pain in range(5):
            store.add_entry(pain, note=secret)
        store.log_timer("ice", 10, 600, True)
        store.forget()
        assert store.entries() == []
    leftovers = b"".join(p.read_bytes() for p in db_path.parent.iterdir())
    assert secret.encode() not in leftovers
