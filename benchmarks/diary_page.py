"""Benchmark of the diary page on a big diary (not a test): GET /diary and its JSON twin.

Makes a throwaway SQLite diary with the Store (so it has the real schema and settings), fills
it quickly with `--entries` diary entries (50,000 by default, each with a long note, about
3 KB a row), `--timers` ice and heat sessions and `--checks` saved checks, with SQLAlchemy
Core bulk inserts, then starts the web app with uvicorn on a free loopback port and times
`--runs` requests (after one untimed warm-up) of:
  1. GET /diary, the page (newest entries, chart, sessions, checks);
  2. GET /api/v1/diary/entries, its JSON twin;
  3. GET /timer, a page with one quick read of the store, once alone and once while a PDF
     report (GET /diary/report.pdf) is being built: how long a small request waits behind a
     slow one.
  4. each export (CSV, JSON, FHIR) and the PDF report, once each, with the server's peak
     resident memory (VmHWM) after each: an export is written a batch of records at a time,
     so the peak should barely move however big the diary.
Prints the median and the largest time and the response size of each, and a verdict: the
page and its twin in under 200 ms (median).

    .venv/bin/python benchmarks/diary_page.py [--entries 50000] [--runs 5] [--no-pdf]
Only loopback addresses are used; the diary and the server go away at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from serving import wait_until_serving
from sqlalchemy import insert

from upperback.store import Store
from upperback.store.engine import make_engine
from upperback.store.models import CheckRow, EntryRow, TimerRow

HOST = "127.0.0.1"
TARGET_MS = 200.0
CHUNK = 2_000
SERVER = textwrap.dedent(
    """
    import os, uvicorn
    from upperback.web import WebSettings, create_app
    app = create_app(WebSettings(db_url=os.environ["BENCH_DB"], secret_key="benchmark"))
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["BENCH_PORT"]),
                log_level="warning", access_log=False, server_header=False)
    """
)
WORDS = ("sore", "tight", "between", "shoulder", "blades", "after", "work", "desk", "walk",
         "better", "worse", "heat", "helped", "stretch", "morning", "evening", "slept", "badly",
         "neck", "ache", "sharp", "dull", "today", "again", "long", "meeting", "drive")


# -- the diary ------------------------------------------------------------------------------


def _text(rng: random.Random, length: int) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length]


def fill(url: str, entries: int, timers: int, checks: int) -> None:
    """A new diary at `url`, made by the Store, then filled in bulk (oldest first)."""
    Store.open(url).close()  # the schema, the settings and the migrations, as upperback makes them
    rng = random.Random(20250101)
    start = datetime(2000, 1, 1, tzinfo=UTC)
    engine = make_engine(url)
    try:
        with engine.execution_options(write=True).begin() as connection:
            for first in range(0, entries, CHUNK):
                rows = [
                    {
                        "created_at": start + timedelta(hours=3 * n, minutes=rng.randrange(60)),
                        "pain": rng.randrange(11),
                        "location": _text(rng, 120),
                        "helped": _text(rng, 120),
                        "note": _text(rng, 1_900),
                        "symptoms": [],
                    }
                    for n in range(first, min(entries, first + CHUNK))
                ]
                connection.execute(insert(EntryRow), rows)
            if timers:
                connection.execute(insert(TimerRow), [
                    {"started_at": start + timedelta(days=n), "kind": rng.choice(("ice", "heat")),
                     "planned_minutes": 15, "seconds": 900, "completed": True}
                    for n in range(timers)
                ])
            if checks:
                answers, result = _one_check()
                connection.execute(insert(CheckRow), [
                    {"created_at": start + timedelta(days=7 * n), "answers": answers,
                     "result": result, "version": "benchmark"}
                    for n in range(checks)
                ])
    finally:
        engine.dispose()


def _one_check() -> tuple[dict[str, Any], dict[str, Any]]:
    from answer_sets import complete_check

    import upperback

    answers = complete_check()
    return answers, upperback.assess(answers).to_dict()


# -- the server and the requests ------------------------------------------------------------


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(port: int, url: str, folder: Path) -> subprocess.Popen[bytes]:
    """uvicorn serving the app over the diary; waits until it answers."""
    environment = os.environ | {"BENCH_DB": url, "BENCH_PORT": str(port),
                                "XDG_CACHE_HOME": str(folder / "cache"),
                                "XDG_DATA_HOME": str(folder / "data")}
    server = subprocess.Popen([sys.executable, "-c", SERVER], env=environment)
    return wait_until_serving(server, HOST, port)


def get(url: str) -> tuple[float, int]:
    """Seconds until the whole body of one GET arrived, and its size in bytes."""
    began = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        size = len(response.read())
        status = response.status
    elapsed = time.perf_counter() - began
    if status != 200:
        raise SystemExit(f"GET {url}: {status}")
    return elapsed, size


@dataclass
class Figures:
    """What the runs of one request measured."""

    name: str
    times: list[float]
    size: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def worst_ms(self) -> float:
        return max(self.times) * 1000


def measure(base: str, path: str, runs: int) -> Figures:
    """One untimed warm-up, then `runs` timed GETs of the path."""
    get(base + path)
    timed = [get(base + path) for _ in range(runs)]
    return Figures(path, [t for t, _ in timed], timed[-1][1])


def behind_a_report(base: str, path: str) -> tuple[Figures, float]:
    """A quick GET sent while the PDF report is being built: its time, and the report's."""
    done: dict[str, float] = {}

    def build() -> None:
        done["pdf"] = get(base + "/diary/report.pdf")[0]

    builder = threading.Thread(target=build)
    builder.start()
    time.sleep(0.3)  # let the server start on the report
    timed = [get(base + path)]
    builder.join()
    return Figures(f"{path} while the PDF is built", [t for t, _ in timed], 0), done["pdf"]


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident memory so far (Linux VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


EXPORTS = ("/diary/export.csv", "/diary/export.json", "/diary/export.fhir.json",
           "/diary/report.pdf")


def exports(base: str, pid: int) -> list[tuple[str, float, int, float]]:
    """Each export once: its time, size, and the server's peak memory afterwards."""
    found = []
    for path in EXPORTS:
        elapsed, size = get(base + path)
        found.append((path, elapsed, size, peak_memory_mb(pid)))
    return found


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--timers", type=int, default=2_000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true", help="skip the request behind a PDF")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="upperback-diary-bench-") as name:
        folder = Path(name)
        path = folder / "diary.db"
        url = f"sqlite:///{path}"
        began = time.perf_counter()
        fill(url, options.entries, options.timers, options.checks)
        print(f"diary: {options.entries} entries, {options.timers} sessions, {options.checks} "
              f"checks, {_size(path.stat().st_size)}, filled in "
              f"{time.perf_counter() - began:.1f} s")
        port = free_port()
        server = start_server(port, url, folder)
        base = f"http://{HOST}:{port}"
        try:
            results = [measure(base, p, options.runs)
                       for p in ("/diary", "/api/v1/diary/entries")]
            quick = measure(base, "/timer", options.runs)
            behind = None if options.no_pdf else behind_a_report(base, "/timer")
            before_exports = peak_memory_mb(server.pid)
            exported = exports(base, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{'request':<44} {'median ms':>10} {'max ms':>9} {'size':>10}")
    for figures in [*results, quick]:
        print(f"{'GET ' + figures.name:<44} {figures.median_ms:>10.1f} "
              f"{figures.worst_ms:>9.1f} {_size(figures.size):>10}")
    if behind is not None:
        figures, pdf = behind
        print(f"{'GET ' + figures.name:<44} {figures.median_ms:>10.1f} "
              f"{figures.worst_ms:>9.1f}   (PDF {pdf * 1000:.0f} ms)")
    print(f"server peak memory before the exports: {before_exports:.0f} MB")
    for path, elapsed, size, peak in exported:
        print(f"{'GET ' + path:<44} {elapsed * 1000:>10.0f} {'':>9} {_size(size):>10}"
              f"   peak memory {peak:.0f} MB")
    slow = [f.name for f in results if f.median_ms >= TARGET_MS]
    verdict = "MISSES" if slow else "meets"
    print(f"verdict: {verdict} the target of {TARGET_MS:.0f} ms for the diary page and its twin"
          + (f" ({', '.join(slow)})" if slow else ""))


if __name__ == "__main__":
    main()
