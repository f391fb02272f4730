"""Load benchmark of the web API (not a test): a new person's POST /api/v1/assess against the
trivial GET /api/v1/health, driven by wrk against a real uvicorn server, all in one run.

Starts the web app with uvicorn on 127.0.0.1 (a free port, a throwaway diary and cache folder)
and, after a short untimed warm-up of each, drives each endpoint with wrk for `--seconds`, in
`--rounds` rounds that take the endpoints in turn (so that a machine busy with something else
slows them alike; each figure is the median over the rounds):
  1. GET /api/v1/health, the trivial endpoint;
  2. POST /api/v1/assess with one finished check's answers sent again and again (after the
     first request the server answers from its memo of results: shown for comparison);
  3. POST /api/v1/assess with different answers in every request, made by a wrk Lua script
     (the numbers and the ordinary yes/no answers vary, so no two bodies are the same and
     the memo of results never helps): the cost of a new person's check. This is the one the targets
     are about.
Prints requests per second, p50/p99 latency and errors for each, the ratio to the trivial
endpoint, and a verdict: >= half its requests/s, p99 <= 50 ms, no errors.

With two or more CPUs (and taskset), the server and wrk are pinned to different CPUs, so that
they do not take turns on one; wrk then runs one thread. wrk is the Debian package `wrk`
(scripts/install-system installs it).

With `--public`, the site as it is hosted instead (docs/hosting.md): `upperback serve --public
--workers 2`, started with the terminal command, on a throwaway PostgreSQL cluster (the tests'
helper, tests/_postgres.py: its own folder, a free loopback port, fsync off), with three
approved comments on one guide page (posted through the API, approved with `upperback comments
approve`). It measures, against GET /api/v1/health:
  1. GET /causes/poor_posture, a guide page (its HTML, with its comments);
  2. GET /api/v1/comments?page=/causes/poor_posture, a comment list (read from the database);
  3. POST /api/v1/assess with different answers in every request, as above.
The workers, PostgreSQL and wrk share every CPU (two workers pinned to one CPU would measure
nothing), and wrk runs two threads.

    .venv/bin/python benchmarks/web_load.py [--seconds 5] [--rounds 3] [--clients 32] [--no-pin]
    .venv/bin/python benchmarks/web_load.py --public [--seconds 3] [--rounds 1]
Only loopback addresses are used, and every run stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from answer_sets import bundled_knowledge, complete_check, number_ranges, ordinary_yes_no
from serving import wait_until_serving

ROOT = Path(__file__).resolve().parent.parent

HOST = "127.0.0.1"
TARGET_SHARE = 0.5  # of the trivial endpoint's requests/s
TARGET_P99_MS = 50.0
WARM_UP_SECONDS = 2
ROUND_STRIDE = 10_000_000  # more requests than a round can send
# Public mode: the site as docs/hosting.md runs it, and what it shows.
PUBLIC_WORKERS = 2
PUBLIC_DATABASE = "upperback_load"
PUBLIC_PAGE = "/causes/poor_posture"
PUBLIC_COMMENTS = (
    "Heat for fifteen minutes and a walk every hour helped me most.",
    "A lower screen made my shoulders ache less by the end of the week.",
    "The stretches in the plan were easy to fit in between calls.",
)
UPPERBACK = [sys.executable, "-c", "from upperback.cli import entrypoint; entrypoint()"]
SERVER = textwrap.dedent(
    """
    import os, uvicorn
    from upperback.web import WebSettings, create_app
    app = create_app(WebSettings(db_url=os.environ["BENCH_DB"], secret_key="benchmark"))
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["BENCH_PORT"]),
                log_level="warning", access_log=False, server_header=False)
    """
)


@dataclass
class Figures:
    """What one wrk run measured."""

    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


# -- the bodies -----------------------------------------------------------------------------

# Every request's answers come from its number, the same way in Lua and in Python: each number
# finding's value is one digit of the counter in a mixed radix (so no two counters give the
# same numbers), and each ordinary yes/no answer one bit of a Park-Miller sequence.
VARIED_LUA = """
local made = 0
function setup(thread)
  thread:set("first", made * 100000000)
  made = made + 1
end
function init(args)
  counter = first + tonumber(args[1] or "0")
end
local template = %(template)s
local lows = {%(lows)s}
local sizes = {%(sizes)s}
local flips = %(flips)d
function request()
  counter = counter + 1
  local values = {}
  local rest = counter
  for i = 1, #sizes do
    values[#values + 1] = lows[i] + rest %% sizes[i]
    rest = math.floor(rest / sizes[i])
  end
  local state = counter %% 2147483646 + 1
  for i = 1, flips do
    state = (state * 16807) %% 2147483647
    values[#values + 1] = (state %% 2 == 1) and "true" or "false"
  end
  local body = string.format(template, unpack(values))
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
"""


@dataclass
class VariedBodies:
    """A finished check whose numbers and ordinary yes/no answers change with a counter."""

    template: str  # the body as JSON, with %d for each number and %s for each yes/no
    lows: list[int]
    sizes: list[int]
    flips: int

    @classmethod
    def of(cls, answers: dict[str, object]) -> VariedBodies:
        """Vary every number finding and every ordinary yes/no answer of these answers."""
        kb = bundled_knowledge()
        ranges = number_ranges(kb, answers)
        flipped = ordinary_yes_no(kb, answers)
        fixed = {k: v for k, v in answers.items() if k not in ranges and k not in flipped}
        text = json.dumps({"answers": fixed}).replace("%", "%%")
        varied = [f'"{k}": %d' for k in ranges] + [f'"{k}": %s' for k in flipped]
        template = text[:-2] + ("" if not fixed else ", ") + ", ".join(varied) + "}}"
        if not template.isascii():  # Lua 5.1 strings cannot take JSON's \uXXXX escapes
            raise SystemExit("the varied body must be ASCII")
        return cls(template, [low for low, _ in ranges.values()],
                   [high - low + 1 for low, high in ranges.values()], len(flipped))

    def body(self, counter: int) -> str:
        """The body the Lua script makes for this value of its counter."""
        values: list[object] = []
        rest = counter
        for low, size in zip(self.lows, self.sizes, strict=True):
            values.append(low + rest % size)
            rest //= size
        state = counter % 2147483646 + 1
        for _ in range(self.flips):
            state = state * 16807 % 2147483647
            values.append("true" if state % 2 == 1 else "false")
        return self.template % tuple(values)

    def lua(self) -> str:
        """The wrk script that sends these bodies."""
        return VARIED_LUA % {
            "template": json.dumps(self.template),
            "lows": ", ".join(map(str, self.lows)),
            "sizes": ", ".join(map(str, self.sizes)),
            "flips": self.flips,
        }


# -- the server -----------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(port: int, folder: Path, cpu: str | None) -> subprocess.Popen[bytes]:
    """uvicorn serving the app, over a throwaway diary and cache folder; waits until it is up."""
    environment = os.environ | {"BENCH_DB": f"sqlite:///{folder / 'diary.db'}",
                                "BENCH_PORT": str(port), "XDG_CACHE_HOME": str(folder / "cache")}
    command = [sys.executable, "-c", SERVER]
    if cpu is not None:
        command = ["taskset", "-c", cpu, *command]
    server = subprocess.Popen(command, env=environment)
    return wait_until_serving(server, HOST, port)


def public_environment(url: str, folder: Path) -> dict[str, str]:
    """The public site's environment (and its terminal's): no upperback setting of this
    shell, the database and a key of the run's own, throwaway data and cache folders."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("UPPERBACK_")}
    return inherited | {"UPPERBACK_DATABASE_URL": url,
                        "UPPERBACK_SECRET_KEY": "benchmark-public-mode",
                        "XDG_DATA_HOME": str(folder / "data"),
                        "XDG_CACHE_HOME": str(folder / "cache")}


def start_public_server(port: int, environment: dict[str, str]) -> subprocess.Popen[bytes]:
    """`upperback serve --public --workers 2` on loopback; waits until it is up."""
    command = [*UPPERBACK, "serve", "--public", "--workers", str(PUBLIC_WORKERS),
               "--host", HOST, "--port", str(port), "--allowed-host", HOST]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    return wait_until_serving(server, HOST, port, seconds=60)


def seed_comments(base: str, environment: dict[str, str]) -> None:
    """Post the comments to the page and approve each in the terminal; check they are listed."""
    for text in PUBLIC_COMMENTS:
        status, body = post_json(f"{base}/comments",
                                 json.dumps({"page": PUBLIC_PAGE, "name": "Ann", "text": text}))
        if status != 202:
            raise SystemExit(f"a comment was refused: {status} {body}")
        done = subprocess.run([*UPPERBACK, "comments", "approve", json.loads(body)["id"]],
                              env=environment, capture_output=True, text=True, timeout=120,
                              check=False)
        if done.returncode != 0:
            raise SystemExit(f"upperback comments approve failed:\n{done.stdout}{done.stderr}")
    query = urllib.parse.urlencode({"page": PUBLIC_PAGE})
    with urllib.request.urlopen(f"{base}/comments?{query}", timeout=10) as response:
        listed = json.loads(response.read())
    if len(listed) != len(PUBLIC_COMMENTS):
        raise SystemExit(f"{len(listed)} comments listed, not {len(PUBLIC_COMMENTS)}")


def post_json(url: str, body: str) -> tuple[int, str]:
    """The status and body of one POST of JSON."""
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()


def post(url: str, body: str) -> int:
    """The status of one POST (for checking the bodies before the load)."""
    return post_json(url, body)[0]


# -- wrk ------------------------------------------------------------------------------------


def _milliseconds(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise ValueError(f"cannot read wrk's latency {text!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _number(pattern: str, output: str) -> str:
    found = re.search(pattern, output)
    if found is None:
        raise ValueError(f"wrk's output has no {pattern!r}:\n{output}")
    return found.group(1)


def run_wrk(name: str, url: str, script: Path | None, seconds: int, clients: int,
            threads: int, cpu: str | None, first: int = 0) -> Figures:
    """One wrk run; its figures. `first` is where the varied script's counter starts."""
    command = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--latency",
               "--timeout", "5s"]
    if script is not None:
        command += ["-s", str(script)]
    if cpu is not None:
        command = ["taskset", "-c", cpu, *command]
    output = subprocess.run([*command, url, "--", str(first)], capture_output=True, text=True,
                            check=True, timeout=seconds + 30).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return Figures(name, float(_number(r"Requests/sec:\s+([\d.]+)", output)),
                   _milliseconds(percentiles["50"]), _milliseconds(percentiles["99"]),
                   int(_number(r"(\d+) requests in", output)), errors)


def median_of(runs: list[Figures]) -> Figures:
    """One endpoint's figures over the rounds: medians of the rates and latencies, totals of
    the requests and errors."""
    return Figures(
        runs[0].name,
        statistics.median(f.requests_per_second for f in runs),
        statistics.median(f.p50_ms for f in runs),
        statistics.median(f.p99_ms for f in runs),
        sum(f.requests for f in runs),
        sum(f.errors for f in runs),
    )


# -- the sites ------------------------------------------------------------------------------


@contextmanager
def local_site(folder: Path, cpu: str | None) -> Iterator[tuple[str, str]]:
    """One person's server (one uvicorn worker, SQLite): its address and how it was served."""
    port = free_port()
    server = start_server(port, folder, cpu)
    try:
        yield f"http://{HOST}:{port}", "uvicorn, 1 worker, SQLite"
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def public_site(folder: Path) -> Iterator[tuple[str, str]]:
    """The public site on a throwaway PostgreSQL cluster, its comments seeded: its address
    and how it was served."""
    sys.path.insert(0, str(ROOT / "tests"))
    from _postgres import ServerMissing, throwaway_cluster

    with ExitStack() as stack:
        try:
            cluster = stack.enter_context(throwaway_cluster())
        except ServerMissing as missing:
            raise SystemExit(f"--public needs PostgreSQL: {missing}") from None
        with cluster.connect() as admin:
            admin.execute(f'CREATE DATABASE "{PUBLIC_DATABASE}"')
            version = admin.execute("SHOW server_version").fetchone()[0].split()[0]
        environment = public_environment(cluster.url(PUBLIC_DATABASE), folder)
        port = free_port()
        server = start_public_server(port, environment)
        stack.callback(server.wait, timeout=30)
        stack.callback(server.terminate)
        base = f"http://{HOST}:{port}"
        seed_comments(f"{base}/api/v1", environment)
        yield base, (f"upperback serve --public, {PUBLIC_WORKERS} workers, PostgreSQL "
                     f"{version} (throwaway cluster, fsync off), {len(PUBLIC_COMMENTS)} "
                     "approved comments")


# -- main -----------------------------------------------------------------------------------


def main() -> int:
    """Start the server, load each endpoint, print the figures and the verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="per endpoint and round (<= 60)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the endpoints")
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections")
    parser.add_argument("--no-pin", action="store_true",
                        help="let the server and wrk share every CPU")
    parser.add_argument("--public", action="store_true",
                        help="the public site: serve --public --workers 2 on PostgreSQL")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: run scripts/install-system (Debian package wrk).",
              file=sys.stderr)
        return 2
    seconds = max(1, min(options.seconds, 60))
    rounds = max(1, options.rounds)
    pin = (not options.no_pin and not options.public and (os.cpu_count() or 1) >= 2
           and shutil.which("taskset") is not None)
    server_cpu, wrk_cpu = ("0", "1") if pin else (None, None)
    threads = 1 if pin else 2
    answers = complete_check()
    bodies = VariedBodies.of(answers)
    same = json.dumps({"answers": answers})
    with tempfile.TemporaryDirectory(prefix="upperback-load-") as temporary:
        folder = Path(temporary)
        (folder / "same.lua").write_text(
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = {json.dumps(same)}\n"
        )
        (folder / "varied.lua").write_text(bodies.lua())
        site = public_site(folder) if options.public else local_site(folder, server_cpu)
        with site as (address, served):
            base = f"{address}/api/v1"
            # Bodies the script will send must be answers the API accepts.
            statuses = {post(f"{base}/assess", bodies.body(n)) for n in (1, 2, 98, 99, 12345)}
            if statuses != {200} or post(f"{base}/assess", same) != 200:
                raise SystemExit(f"the benchmark's bodies are refused: statuses {statuses}")
            if options.public:
                runs = [("GET /api/v1/health", f"{base}/health", None),
                        ("GET guide page", f"{address}{PUBLIC_PAGE}", None),
                        ("GET comment list", f"{base}/comments?page={PUBLIC_PAGE}", None),
                        ("POST assess (varied)", f"{base}/assess", folder / "varied.lua")]
            else:
                runs = [("GET /api/v1/health", f"{base}/health", None),
                        ("POST assess (same)", f"{base}/assess", folder / "same.lua"),
                        ("POST assess (varied)", f"{base}/assess", folder / "varied.lua")]
            for name, url, script in runs:
                run_wrk(name, url, script, WARM_UP_SECONDS, options.clients, threads, wrk_cpu)
            measured: list[list[Figures]] = [[] for _ in runs]
            for round_ in range(1, rounds + 1):
                for found, (name, url, script) in zip(measured, runs, strict=True):
                    # Each round's varied bodies start further on: none is sent twice.
                    found.append(run_wrk(name, url, script, seconds, options.clients, threads,
                                         wrk_cpu, first=round_ * ROUND_STRIDE))
            figures = [median_of(found) for found in measured]

    where = "server on CPU 0, wrk on CPU 1" if pin else "server and wrk sharing the CPUs"
    print(f"wrk -t{threads} -c{options.clients}, {rounds} rounds of {seconds} s per endpoint "
          f"after a {WARM_UP_SECONDS} s warm-up (medians over the rounds); {served}; {where}")
    print(f"assess body: {len(same)} bytes, {len(answers)} answers; the varied one changes "
          f"{len(bodies.sizes)} numbers and {bodies.flips} yes/no answers in every request")
    heading = ("endpoint", "req/s", "p50 ms", "p99 ms", "requests", "errors", "ratio")
    # requests and errors are totals over the rounds.
    print("{:<22} {:>9} {:>8} {:>8} {:>9} {:>7} {:>7}".format(*heading))
    trivial = figures[0]
    for f in figures:
        ratio = f.requests_per_second / trivial.requests_per_second
        print(f"{f.name:<22} {f.requests_per_second:>9.0f} {f.p50_ms:>8.1f} {f.p99_ms:>8.1f} "
              f"{f.requests:>9} {f.errors:>7} {ratio:>7.2f}")
    new_person = figures[-1]
    ratio = new_person.requests_per_second / trivial.requests_per_second
    checks = [
        (f"{new_person.name}: {ratio:.0%} of the trivial endpoint's rate "
         f"(target >= {TARGET_SHARE:.0%})", ratio >= TARGET_SHARE),
        (f"{new_person.name}: p99 {new_person.p99_ms:.1f} ms (target <= {TARGET_P99_MS:.0f} ms)",
         new_person.p99_ms <= TARGET_P99_MS),
        (f"{new_person.name}: errors {new_person.errors} (target 0)",
         new_person.errors == 0 and trivial.errors == 0),
    ]
    if options.public:  # the page and the list must hold up too, whatever their rate
        errors = sum(f.errors for f in figures[1:-1])
        checks.append((f"guide page and comment list: errors {errors} (target 0)", errors == 0))
    for text, ok in checks:
        print(f"{'met' if ok else 'MISSED':>6}: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
