"""SQLITE ONLY: killing a writing process (SIGKILL) loses nothing committed and leaves a readable
file. (A PostgreSQL server's crash safety is the server's own; a killed client cannot harm it.)

A child process writes entries in a loop and prints each id after its commit; it is killed at
random moments, again and again. Every id it reported must then be in the diary, whole.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from upperback.store import Store

WRITER = Path(__file__).with_name("_writer.py")
KILLS = 30
SEED = 20250301


def _start(url: str, tag: str, out: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONWARNINGS="error")
    with out.open("wb") as sink:
        return subprocess.Popen(
            [sys.executable, str(WRITER), url, tag], stdout=sink, stderr=subprocess.PIPE, env=env
        )


def _wait_for_first_commit(out: Path, process: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if b"\nentry " in out.read_bytes() or out.read_bytes().startswith(b"entry "):
            return
        time.sleep(0.005)


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    _, err = process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL, err.decode(errors="replace")


def _reported(out: Path) -> tuple[dict[int, str], set[int]]:
    entries: dict[int, str] = {}
    checks: set[int] = set()
    for line in out.read_text().split("\n")[:-1]:  # the last piece may be cut short
        words = line.split()
        if words[:1] == ["entry"]:
            entries[int(words[1])] = words[2]
        elif words[:1] == ["check"]:
            checks.add(int(words[1]))
    return entries, checks


@pytest.mark.slow
def test_killing_a_writer_again_and_again_loses_nothing_committed(tmp_path: Path) -> None:
    db = tmp_path / "upperback.db"
    url = f"sqlite:///{db}"
    Store.open(url).close()
    rng = random.Random(SEED)
    reported: dict[int, str] = {}
    reported_checks: set[int] = set()
    for round_number in range(KILLS):
        out = tmp_path / f"out-{round_number}.txt"
        process = _start(url, f"r{round_number}", out)
        if round_number % 3 == 0:  # some kills land while it starts and opens the file
            time.sleep(rng.uniform(0.0, 0.6))
        else:  # most land in the middle of writing
            _wait_for_first_commit(out, process, limit=15)
            time.sleep(rng.uniform(0.0, 0.15))
        _kill(process)
        entries, checks = _reported(out)
        reported |= entries
        reported_checks |= checks

    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()
    with Store.open(url) as store:
        assert store.integrity_ok()
        saved = {entry.id: entry for entry in store.entries()}
        saved_checks = {check.id for check in store.checks()}
        store.add_entry(5)  # and it still takes writes
    missing = set(reported) - set(saved)
    assert not missing, f"committed but lost (seed {SEED}): {sorted(missing)}"
    assert reported_checks <= saved_checks
    for entry_id, note in reported.items():
        assert saved[entry_id].note == note
        assert saved[entry_id].symptoms == [note.split("-")[0]]
    assert len(reported) > KILLS  # the kills really hit a busy writer
    print(
        f"\nkill test: {KILLS} kills, {len(reported)} reported entries and "
        f"{len(reported_checks)} checks verified, {len(saved)} entries in the file"
    )


@pytest.mark.slow
def test_killing_the_first_use_leaves_a_file_that_opens(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    for attempt in range(4):
        db = tmp_path / f"first-{attempt}.db"
        out = tmp_path / f"first-{attempt}.txt"
        process = _start(f"sqlite:///{db}", "first", out)
        time.sleep(rng.uniform(0.3, 0.9))  # around the time the schema is being created
        _kill(process)
        with Store.open(str(db)) as store:
            entries, _ = _reported(out)
            assert set(entries) <= {entry.id for entry in store.entries()}
            assert store.integrity_ok()
