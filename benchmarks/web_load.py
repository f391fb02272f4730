"""Load benchmark of the web API (not a test): POST /api/v1/assess against a trivial endpoint.

Starts the web app with uvicorn on 127.0.0.1 (a free port, a throwaway diary) and drives it
at 32 concurrent clients for 10 seconds per run:
  1. GET /api/v1/health, the trivial endpoint;
  2. POST /api/v1/assess with one complete check's answers, sent again and again (after the
     first request the server answers from its memo of results);
  3. POST /api/v1/assess with different answers in every request (age, days, pain and desk
     hours vary), so the engine assesses each one: the cost of a new person's check.
Prints requests per second, p50/p99 latency and errors, and whether each assess run meets
the targets: >= half the trivial endpoint's requests/s, p99 <= 50 ms, no errors.

Uses wrk (Debian package `wrk`) when installed; otherwise a bounded Python asyncio + httpx
load generator (slower: it shares the machine's CPU with the server, so wrk's figures are
the ones to quote).

    .venv/bin/python benchmarks/web_load.py [--seconds 10] [--clients 32] [--python]
Only loopback addresses are used, and every run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import upperback

HOST = "127.0.0.1"
SERVER = textwrap.dedent(
    """
    import os, uvicorn
    from upperback.web import WebSettings, create_app
    app = create_app(WebSettings(db_url=os.environ["BENCH_DB"], secret_key="benchmark"))
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["BENCH_PORT"]),
                log_level="warning", access_log=False)
    """
)


@dataclass
class Figures:
    """What one run measured."""

    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


Body = dict[str, dict[str, object]]  # {"answers": {finding id: value}}
VARIED = ("age", "duration_days", "pain_severity", "desk_hours_per_day")


def complete_check() -> Body:
    """A realistic body: every question of a desk worker's finished self-care check."""
    kb = upperback.load_knowledge()
    yes = {"hunched_posture", "pain_between_shoulder_blades", "pain_dull_ache_tight",
           "pain_worse_after_sitting"}
    numbers = {"age": 34, "duration_days": 10, "desk_hours_per_day": 9, "pain_severity": 4}
    interview = upperback.Interview(kb)
    while (question := interview.next_question()) is not None:
        answers: dict[str, object] = {}
        for finding_id in question.findings:
            finding = kb.findings[finding_id]
            if finding.type == "bool":
                answers[finding_id] = finding_id in yes
            elif finding.type == "int":
                assert finding.min is not None and finding.max is not None
                answers[finding_id] = min(finding.max,
                                          max(finding.min, numbers.get(finding_id, finding.min)))
            else:
                answers[finding_id] = (finding.values or ("",))[0]
        interview.answer(answers)
    return {"answers": dict(interview.answers)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(port: int, folder: Path) -> subprocess.Popen[bytes]:
    environment = os.environ | {"BENCH_DB": f"sqlite:///{folder / 'diary.db'}",
                                "BENCH_PORT": str(port)}
    server = subprocess.Popen([sys.executable, "-c", SERVER], env=environment)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/health", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


# -- wrk ------------------------------------------------------------------------------------


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def varied_template(body: Body) -> str:
    """The body as a format string whose VARIED answers are %d placeholders."""
    answers = {k: v for k, v in body["answers"].items() if k not in VARIED}
    fixed = json.dumps({"answers": answers}).replace("%", "%%")
    return fixed[:-2] + "".join(f', "{name}": %d' for name in VARIED) + "}}"


def varied_body(template: str, counter: int) -> str:
    """The counter-th distinct body (the same numbers as the wrk script makes)."""
    return template % (12 + counter % 99, counter // 99 % 7301, counter // 722799 % 11,
                       counter // 7950789 % 25)


VARIED_LUA = """
local made = 0
function setup(thread)
  thread:set("offset", made * 1000000)
  made = made + 1
end
function init(args)
  counter = offset
end
template = %s
function request()
  counter = counter + 1
  local body = string.format(template, 12 + counter %% 99, math.floor(counter / 99) %% 7301,
    math.floor(counter / 722799) %% 11, math.floor(counter / 7950789) %% 25)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
"""


def run_wrk(name: str, url: str, body: Body | None, seconds: int, clients: int,
            folder: Path, varied: bool = False) -> Figures:
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if body is not None and varied:
        script = folder / "varied.lua"
        script.write_text(VARIED_LUA % json.dumps(varied_template(body)))
        command += ["-s", str(script)]
    elif body is not None:
        script = folder / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = {json.dumps(json.dumps(body))}\n"
        )
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True,
                            timeout=seconds + 30).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    return Figures(name, rate, _milliseconds(percentiles["50"]),
                   _milliseconds(percentiles["99"]), requests, errors)


# -- Python fallback ------------------------------------------------------------------------


async def _drive(url: str, body: Body | None, seconds: int, clients: int,
                 varied: bool) -> tuple[list[float], int, float]:
    import httpx

    latencies: list[float] = []
    errors = 0
    template = varied_template(body) if body is not None and varied else ""
    nonlocal_counter = [0]  # shared by the workers: every request a new body
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=5) as client:
        started = time.perf_counter()
        stop_at = started + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop_at:
                begun = time.perf_counter()
                try:
                    if body is None:
                        response = await client.get(url)
                    elif varied:
                        nonlocal_counter[0] += 1
                        response = await client.post(
                            url, content=varied_body(template, nonlocal_counter[0]),
                            headers={"Content-Type": "application/json"})
                    else:
                        response = await client.post(url, json=body)
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - begun)

        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def run_python(name: str, url: str, body: Body | None, seconds: int,
               clients: int, varied: bool = False) -> Figures:
    latencies, errors, elapsed = asyncio.run(_drive(url, body, seconds, clients, varied))
    ordered = sorted(latencies)

    def percentile(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return Figures(name, len(ordered) / elapsed, percentile(0.50), percentile(0.99),
                   len(ordered), errors)


# -- main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per endpoint (at most 60)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--python", action="store_true", help="use the Python load generator")
    options = parser.parse_args()
    seconds = max(1, min(options.seconds, 60))
    use_wrk = shutil.which("wrk") is not None and not options.python
    if not use_wrk and not options.python:
        print("wrk is not installed (Debian: apt-get install wrk); using the slower Python "
              "load generator instead.", file=sys.stderr)
    body = complete_check()
    with tempfile.TemporaryDirectory(prefix="upperback-load-") as temporary:
        folder = Path(temporary)
        port = free_port()
        server = start_server(port, folder)
        try:
            base = f"http://{HOST}:{port}/api/v1"
            runs = [("GET /api/v1/health", f"{base}/health", None, False),
                    ("POST assess (same)", f"{base}/assess", body, False),
                    ("POST assess (varied)", f"{base}/assess", body, True)]
            figures = [
                run_wrk(name, url, data, seconds, options.clients, folder, varied) if use_wrk
                else run_python(name, url, data, seconds, options.clients, varied)
                for name, url, data, varied in runs
            ]
        finally:
            server.terminate()
            server.wait(timeout=20)
    tool = "wrk -t2" if use_wrk else "python asyncio+httpx"
    print(f"{options.clients} clients, {seconds} s per endpoint, {tool}, uvicorn 1 worker, "
          f"{len(json.dumps(body))}-byte assess body ({len(body['answers'])} answers)")
    heading = ("endpoint", "req/s", "p50 ms", "p99 ms", "requests", "errors")
    print("{:<22} {:>9} {:>8} {:>8} {:>9} {:>7}".format(*heading))
    for f in figures:
        print(f"{f.name:<22} {f.requests_per_second:>9.0f} {f.p50_ms:>8.1f} {f.p99_ms:>8.1f} "
              f"{f.requests:>9} {f.errors:>7}")
    trivial = figures[0]
    for assess in figures[1:]:
        ratio = assess.requests_per_second / trivial.requests_per_second
        checks = [
            (f"{ratio:.0%} of the trivial endpoint's rate (target >= 50%)", ratio >= 0.5),
            (f"p99 {assess.p99_ms:.1f} ms (target <= 50 ms)", assess.p99_ms <= 50),
            (f"errors {assess.errors} (target 0)", assess.errors == 0 and trivial.errors == 0),
        ]
        for text, ok in checks:
            print(f"{'met' if ok else 'MISSED':>6}: {assess.name}: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
