"""How long a person waits for `upperback check --answers FILE --json`, next to `upperback --help`,
and how long the knowledge base takes to load in a new process.

Each command runs in fresh processes, once untimed (that run creates the diary and fills the
knowledge-base cache, as a person's first check does) and then `--runs` times, the two
commands taking turns so that a busy machine slows both alike. Prints the medians, their
ratio, the knowledge-base load and a verdict against the targets:

  - `check --answers FILE --json` takes at most 2.5 times `--help` (medians);
  - `upperback.load_knowledge()` in a new process takes under 50 ms.

The diary is a temporary SQLite file (UPPERBACK_DATABASE_URL in the children's environment) and
the cache folder a temporary one (XDG_CACHE_HOME, which platformdirs follows on Linux), so the
person's own diary and cache are never touched. The package is byte-compiled first, as pip does
on install: with PYTHONDONTWRITEBYTECODE set, an edited module would otherwise be compiled
again in every timed run. Prints figures; asserts nothing (speed is measured here, never in
the tests).

    .venv/bin/python benchmarks/check_speed.py [--runs 5]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from answer_sets import complete_check  # benchmarks/answer_sets.py

import upperback

CHECK_RATIO = 2.5  # check at most this many times --help
LOAD_MS = 50.0  # load_knowledge() in a new process

# Run in a new process: milliseconds to import the loader, then to load the knowledge base.
LOAD = """
import time
started = time.perf_counter()
import upperback.knowledge_base as knowledge_base
imported = time.perf_counter()
knowledge_base.load_knowledge()
loaded = time.perf_counter()
print(1000 * (imported - started), 1000 * (loaded - imported))
"""


def run_ms(command: list[str], environment: Mapping[str, str]) -> float:
    """Wall-clock milliseconds of one run of the command in a new process (it must succeed)."""
    start = time.perf_counter()
    done = subprocess.run(command, env=dict(environment), capture_output=True)
    elapsed = 1000 * (time.perf_counter() - start)
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise SystemExit(f"{' '.join(command)} failed (exit status {done.returncode})")
    return elapsed


def load_ms(environment: Mapping[str, str]) -> tuple[float, float]:
    """Milliseconds to import upperback.knowledge_base and to call load_knowledge(), measured
    inside a new process."""
    output = subprocess.run([sys.executable, "-c", LOAD], env=dict(environment),
                            capture_output=True, text=True, check=True).stdout.split()
    return float(output[0]), float(output[1])


def verdict(ok: bool) -> str:
    """How a target came out, as printed."""
    return "met" if ok else "MISSED"


def main() -> int:
    """Run the commands, print the figures and the verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    options = parser.parse_args()
    runs = max(1, options.runs)
    script = Path(sys.executable).with_name("upperback")
    compileall.compile_dir(Path(upperback.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory(prefix="upperback-speed-") as temporary:
        folder = Path(temporary)
        answers_file = folder / "answers.json"
        answers_file.write_text(json.dumps(complete_check()), "utf-8")
        environment = os.environ | {
            "UPPERBACK_DATABASE_URL": f"sqlite:///{folder / 'diary.db'}",
            "XDG_CACHE_HOME": str(folder / "cache"),
        }
        help_command = [str(script), "--help"]
        check_command = [str(script), "check", "--answers", str(answers_file), "--json"]

        # Untimed first runs: a new diary (its tables made by the migrations) and a cold cache.
        first_load = load_ms(environment | {"XDG_CACHE_HOME": str(folder / "cold-cache")})
        first_check = run_ms(check_command, environment)
        run_ms(help_command, environment)

        help_ms: list[float] = []
        check_ms: list[float] = []
        for _ in range(runs):
            help_ms.append(run_ms(help_command, environment))
            check_ms.append(run_ms(check_command, environment))
        loads = [load_ms(environment) for _ in range(runs)]

    help_median = statistics.median(help_ms)
    check_median = statistics.median(check_ms)
    ratio = check_median / help_median
    import_median = statistics.median(imported for imported, _ in loads)
    call_median = statistics.median(call for _, call in loads)
    with_imports = statistics.median(imported + call for imported, call in loads)

    def listed(values: list[float]) -> str:
        """The single runs, for the record."""
        return ", ".join(f"{v:.0f}" for v in values)

    print(f"median of {runs} runs each, in fresh processes (wall clock)")
    print(f"  upperback --help                       {help_median:7.0f} ms   ({listed(help_ms)})")
    print(f"  upperback check --answers FILE --json  {check_median:7.0f} ms   "
          f"({listed(check_ms)})")
    print(f"  ratio check / --help                   {ratio:7.2f}")
    print(f"  first check (new diary, no cache yet)  {first_check:7.0f} ms   (not in the median)")
    print("knowledge base in a new process")
    print(f"  load_knowledge()                       {call_median:7.1f} ms   "
          f"({', '.join(f'{c:.1f}' for _, c in loads)})")
    print(f"  import upperback.knowledge_base        {import_median:7.1f} ms   "
          "(Python modules: pydantic and the models)")
    print(f"  both together                          {with_imports:7.1f} ms")
    print(f"  first load (no cache yet)              {first_load[1]:7.1f} ms")
    print(f"{verdict(ratio <= CHECK_RATIO):>6}: check takes {ratio:.2f} x --help "
          f"(target <= {CHECK_RATIO})")
    print(f"{verdict(call_median < LOAD_MS):>6}: load_knowledge() takes {call_median:.1f} ms "
          f"in a new process (target < {LOAD_MS:.0f} ms)")
    print(f"{verdict(with_imports < LOAD_MS):>6}: importing and loading take "
          f"{with_imports:.1f} ms (the same target, counting the imports)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
