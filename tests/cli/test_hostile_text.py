"""The terminal shows stored and typed text literally: Rich markup is not obeyed (nor crashes
the command), and no escape code or control character reaches the screen. The hostile rows are
written straight into the diary with sqlite3, past the input checks, as an old row may be."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from upperback.cli import app
from upperback.cli.runtime import Runtime
from upperback.store import Store

from .conftest import Run, flat

# What must never reach the terminal: ESC, BEL, NUL, DEL, the C1 CSI, a lone surrogate.
FORBIDDEN = "\x1b\x07\x00\x7f\x9b\udc00"


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide console, so that no table folds a short word across lines."""
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def sql(db: Path, store: Store) -> Iterator[Callable[..., None]]:
    """Run one SQL statement on the test's diary (the `store` fixture has made its tables)."""
    connection = sqlite3.connect(db)

    def execute(statement: str, *values: Any) -> None:
        with connection:
            connection.execute(statement, values)

    yield execute
    connection.close()


def add_entry(
    sql: Callable[..., None],
    note: str,
    where: str | None = None,
    helped: str | None = None,
    symptoms: str = "[]",
    days: int = 1,
) -> None:
    moment = (datetime.now(UTC) - timedelta(days=days)).replace(tzinfo=None)
    sql(
        "INSERT INTO diary_entries (created_at, pain, location, helped, note, symptoms) "
        "VALUES (?, 4, ?, ?, ?, ?)",
        moment.isoformat(" "),
        where,
        helped,
        note,
        symptoms,
    )


def assert_shown_safely(result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert not [c for c in FORBIDDEN if c in result.output]


def test_history_prints_stored_markup_literally_without_crashing(
    run: Run, sql: Callable[..., None]
) -> None:
    add_entry(
        sql,
        note="[/]",
        where="[bold]loud[/bold]",
        helped="[link=http://evil.example]click[/link]",
        symptoms=json.dumps(["[/]", ":smile:"]),
    )
    result = run("history")
    assert_shown_safely(result)
    shown = flat(result.output)
    for text in ("[/]", "[bold]loud[/bold]", "[link=http://evil.example]click[/link]"):
        assert text in shown
    assert "[/], :smile:" in shown


def test_history_prints_no_escape_code_or_control_character_from_stored_rows(
    run: Run, sql: Callable[..., None]
) -> None:
    add_entry(
        sql,
        note="\x1b[2J\x1b]0;owned\x07clear\x00 \x9b31mred\x7f",
        where="\x1b[31mthere\x1b[0m",
        helped="bell\x07\x07",
        symptoms='["\\u001b[5mblink", "\\u009b1m"]',
    )
    result = run("history")
    assert_shown_safely(result)
    shown = flat(result.output)
    assert "clear red" in shown and "there" in shown and "bell" in shown
    assert "blink, " in shown


def test_history_takes_a_lone_surrogate_and_odd_values_in_stored_symptoms_and_timers(
    run: Run, sql: Callable[..., None]
) -> None:
    add_entry(sql, note="odd", symptoms='[5, null, "x", "\\udc00"]')
    sql(
        "INSERT INTO timer_sessions (started_at, kind, planned_minutes, seconds, completed) "
        "VALUES (?, ?, 'lots', 'some', 0)",
        datetime.now(UTC).replace(tzinfo=None).isoformat(" "),
        "[/]\x1b[2J",
    )
    result = run("history")
    assert_shown_safely(result)
    shown = flat(result.output)
    assert "5, , x, \ufffd" in shown
    assert "[/]" in shown and "lots min" in shown and "some (stopped)" in shown


def test_history_lists_a_saved_check_with_markup_in_its_names_literally(
    run: Run,
    sql: Callable[..., None],
    checked_in: Callable[[Mapping[str, Any]], Result],
    desk_worker: dict[str, Any],
) -> None:
    checked_in(desk_worker)
    sql(
        "UPDATE checks SET result = json_set(result, '$.triage_label', ?, '$.causes[0].name', ?)",
        "[/]label\x1b[2J",
        "[bold]cause[/bold]\x1b]0;t\x07",
    )
    result = run("history")
    assert_shown_safely(result)
    shown = flat(result.output)
    assert "[/]label" in shown and "[bold]cause[/bold]" in shown


def test_a_note_typed_with_markup_is_logged_and_then_shown_literally(run: Run) -> None:
    logged = run("log", "--pain", "3", "--note", "[/] and [red]x[/red]")
    assert logged.exit_code == 0, logged.output
    result = run("history")
    assert_shown_safely(result)
    assert "[/] and [red]x[/red]" in flat(result.output)


def test_export_and_report_name_their_file_literally(run: Run, tmp_path: Path) -> None:
    run("log", "--pain", "3")
    exported = run("export", "-o", str(tmp_path / "[bold]out.json"))
    assert exported.exit_code == 0, exported.output
    assert "[bold]out.json" in flat(exported.output)
    reported = run("report", "--pdf", str(tmp_path / "[bold]report.pdf"))
    assert reported.exit_code == 0, reported.output
    assert "[bold]report.pdf" in flat(reported.output)


def test_forget_names_a_database_path_literally(tmp_path: Path) -> None:
    db = tmp_path / "[red]diary.db"
    result = CliRunner().invoke(
        app,
        ["--db", str(db), "forget"],
        input="n\n",
        obj=Runtime(environ={}),
        catch_exceptions=False,
    )
    assert "[red]diary.db" in flat(result.output)


def test_the_terminal_helper_drops_escape_sequences_whole_and_escapes_markup() -> None:
    from upperback.cli.text import literal, plain, safe_text

    assert plain("a\x1b[1;31mb\x1b[0m\x1b]8;;http://x\x1b\\c\x9b2Jd\x07\x00\x7f\x85") == "abcd"
    assert plain("line\nand\ttab\r") == "line\nand\ttab"
    assert plain("\udc00 \ud83d\ude00") == "\ufffd 😀"
    assert plain(None) == "" and plain(5) == "5" and plain(b"\xff ok") == "\ufffd ok"
    assert safe_text("[/] \x1b[2J") == "\\[/] "
    assert literal("[bold]x[/bold]").plain == "[bold]x[/bold]"
