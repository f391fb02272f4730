"""How fast `upperback --help` starts: runs it 20 times in fresh processes, prints median/p90.

The target is a median under 300 ms on the development machine. Heavy modules (the engine,
SQLAlchemy, fhir.resources, fpdf, plotext) are imported inside the commands that use them,
so `--help` loads only typer and rich.

    .venv/bin/python benchmarks/cli_startup.py [--runs N] [ARGS...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_MS = 300


def time_runs(command: list[str], runs: int) -> list[float]:
    """Wall-clock milliseconds of each run (after one untimed warm-up run)."""
    subprocess.run(command, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(1000 * (time.perf_counter() - start))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("args", nargs="*", default=["--help"])
    options = parser.parse_args()
    script = Path(sys.executable).with_name("upperback")
    command = [str(script), *options.args]
    times = sorted(time_runs(command, options.runs))
    median = statistics.median(times)
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"upperback {' '.join(options.args)}: {options.runs} runs")
    print(f"  median {median:.0f} ms, p90 {p90:.0f} ms")
    print(f"  min {times[0]:.0f} ms, max {times[-1]:.0f} ms")
    if options.args == ["--help"]:
        verdict = "met" if median < TARGET_MS else "MISSED"
        print(f"  target: median under {TARGET_MS} ms -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
