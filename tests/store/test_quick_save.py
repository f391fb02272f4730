"""The quick save writes the same row the Store does, and leaves every other case to it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from upperback.store import RecordError, Store
from upperback.store.quick_save import save_check_quickly, sqlite_file_of

WHEN = datetime(2026, 11, 20, 8, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    """A current diary that the Store has created."""
    path = tmp_path / "diary.db"
    Store.open(str(path)).close()
    return path


def test_a_quick_save_reads_back_exactly_as_a_store_save(
    diary: Path, desk_check: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    answers, result = desk_check
    quick_id = save_check_quickly(str(diary), answers, result, created_at=WHEN)
    with Store.open(str(diary)) as store:
        slow = store.save_check(answers, result, created_at=WHEN)
        quick, again = store.checks()
    assert quick_id == quick.id and again.id == slow.id
    assert (quick.created_at, quick.answers, quick.result, quick.version) == (
        slow.created_at, slow.answers, slow.result, slow.version,
    )
    raw = sqlite3.connect(diary).execute("SELECT created_at FROM checks ORDER BY id").fetchall()
    assert raw[0] == raw[1]  # the very same stored text


@pytest.mark.parametrize(
    "url", [None, "sqlite:///", "sqlite:///x.db?mode=ro", "postgresql://u@h/db", "sqlite://"]
)
def test_anything_but_an_existing_sqlite_file_is_left_to_the_store(
    url: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # no default diary yet
    assert sqlite_file_of(url) is None
    assert save_check_quickly(url, {}, {}) is None


def test_a_new_file_is_left_to_the_store(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    assert save_check_quickly(str(path), {"age": 30}, {"triage": "soon"}) is None
    assert not path.exists()


def test_a_diary_at_an_older_schema_is_left_to_the_store_to_migrate(diary: Path) -> None:
    with sqlite3.connect(diary) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0000'")
    assert save_check_quickly(str(diary), {"age": 30}, {"triage": "soon"}) is None
    count = sqlite3.connect(diary).execute("SELECT count(*) FROM checks").fetchone()
    assert count == (0,)


def test_a_file_with_other_tables_is_left_to_the_store_which_refuses_it(diary: Path) -> None:
    with sqlite3.connect(diary) as connection:
        connection.execute("CREATE TABLE shopping (item TEXT)")
    assert save_check_quickly(str(diary), {"age": 30}, {"triage": "soon"}) is None


def test_a_locked_diary_is_left_to_the_store_which_says_so(diary: Path) -> None:
    holder = sqlite3.connect(diary, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert save_check_quickly(str(diary), {"age": 30}, {}, busy_timeout=0.05) is None
    finally:
        holder.rollback()
        holder.close()


def test_a_value_json_cannot_hold_is_refused_like_the_store_refuses_it(diary: Path) -> None:
    with pytest.raises(RecordError) as raised:
        save_check_quickly(str(diary), {"age": float("nan")}, {})
    assert raised.value.field == "answers.age"
    count = sqlite3.connect(diary).execute("SELECT count(*) FROM checks").fetchone()
    assert count == (0,)


def test_the_quick_save_does_not_load_sqlalchemy() -> None:
    import subprocess
    import sys

    code = "import sys, upperback.store.quick_save; print('sqlalchemy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
