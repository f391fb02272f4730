"""A terminal that never loses work: the diary is checked before questions, a read-only
diary can still be read, a new folder is named, a busy port is said in one line, and option
errors are in our words."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from upperback.store import Store
from upperback.store.errors import StoreError

from .conftest import Run

WriteAnswers = Callable[[Mapping[str, Any], str], Path]


@pytest.fixture
def read_only_diary(
    run: Run, db: Path, write_answers: WriteAnswers, desk_worker: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """A diary with one check and one entry, then seen as read-only. (The file's modes
    cannot be relied on: root may write any file. The store's own read-only open is tested
    on the file below, where SQLite's mode=ro refuses writes for everyone.)"""
    assert run("check", "--answers", str(write_answers(desk_worker, "json"))).exit_code == 0
    assert run("log", "--pain", "4").exit_code == 0
    monkeypatch.setattr("upperback.cli.runtime._writable", lambda path: False)
    return db


@pytest.mark.parametrize(
    "args",
    [("history",), ("export",), ("check", "--show", "1"), ("check", "--show", "1", "--json")],
)
def test_reading_commands_work_on_a_read_only_diary(
    run: Run, read_only_diary: Path, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "Error" not in result.output


def test_the_export_of_a_read_only_diary_holds_its_records(
    run: Run, read_only_diary: Path
) -> None:
    data = json.loads(run("export").stdout)
    assert data["checks"] and data["diary"]


def test_log_says_a_read_only_diary_cannot_be_written_before_asking_anything(
    run: Run, read_only_diary: Path
) -> None:
    result = run("log", input="4\n")
    assert result.exit_code == 2
    assert "Pain now" not in result.output
    assert "read-only" in result.output and str(read_only_diary) in result.output


def test_a_read_only_store_reads_and_refuses_to_write(read_only_diary: Path) -> None:
    before = read_only_diary.read_bytes()
    with Store.open(str(read_only_diary), read_only=True) as store:
        assert len(store.entries()) == 1
        with pytest.raises(StoreError):
            store.add_entry(3)
    assert read_only_diary.read_bytes() == before


def test_a_read_only_store_of_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no diary"):
        Store.open(str(tmp_path / "none.db"), read_only=True)
    assert not (tmp_path / "none.db").exists()


def test_a_folder_that_does_not_exist_is_made_with_a_message_naming_it(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "typo" / "deeper"
    result = CliRunnerRun(run)("--db", str(folder / "diary.db"), "log", "--pain", "3")
    assert result.exit_code == 0, result.output
    assert f"Making the folder {folder} for your diary." in " ".join(result.output.split())


def CliRunnerRun(run: Run) -> Callable[..., Any]:  # noqa: N802 - reads as a runner
    """The app with its own --db (the last --db given wins)."""
    from typer.testing import CliRunner

    from upperback.cli import app
    from upperback.cli.runtime import Runtime

    def invoke(*args: str) -> Any:
        return CliRunner().invoke(app, list(args), obj=Runtime(environ={}),
                                  catch_exceptions=False)

    return invoke


def test_serve_on_a_busy_port_says_so_in_one_line(run: Run) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert f"port {port}" in lines[0] and "in use" in lines[0]
    assert "running at" not in result.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("timer", "heat", "-m", "abc"), "--minutes must be a whole number from 1 to 20"),
        (("timer", "cold"), "KIND must be one of: ice, heat"),
        (("timer",), "KIND is needed: one of: ice, heat"),
        (("history", "-n", "x"), "--limit must be a whole number"),
        (("check", "--show", "0"), "--show must be a whole number"),
        (("serve", "--port", "http"), "--port must be a whole number"),
    ],
)
def test_an_option_error_is_said_in_our_words(
    run: Run, args: tuple[str, ...], said: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert said in " ".join(result.output.split())
    assert "Invalid value" not in result.output


def test_log_checks_a_damaged_diary_before_asking_anything(run: Run, db: Path) -> None:
    db.write_bytes(b"not a database at all")
    result = run("log", input="4\nback\n\n\n")
    assert result.exit_code == 2
    assert "Pain now" not in result.output
