"""The guide works with the network cut off: no command, no export, no PDF report and no core
call opens a network connection (HAZ-11 in docs/hazards.yaml).

While each test runs, every way Python's standard library reaches the network (a TCP/IP
socket, socket.create_connection, name look-ups) records the attempt and raises; the command
must still succeed, and no attempt may have been made (so code that caught the error and
carried on is caught too). The last test runs every command again in a fresh interpreter
with the guard in place before upperback is imported, so a connection made while a module
loads is caught as well. (A C library that opens its own sockets, like PostgreSQL's libpq,
is outside what this can see; the tests use a SQLite diary.)
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import upperback
from upperback.cli.data import Format
from upperback.knowledge_base import KnowledgeBase

from .conftest import Run

FAST = {"UPPERBACK_TIMER_SCALE": "0.0001"}


def network_guard(attempts: list[str]) -> dict[str, Any]:
    """Stand-ins for the socket module's ways to reach the network: each records the attempt
    in `attempts` and raises. Local (Unix) sockets, and a socket bound to this computer's
    loopback address only, are still allowed."""
    import socket

    real_socket = socket.socket
    network_families = {-1, socket.AF_INET, socket.AF_INET6}  # -1: the default, AF_INET

    class NetworkUsed(OSError):
        """Raised where the guide tried to reach the network."""

    loopback = ("127.0.0.1", "::1", "localhost")

    class OfflineSocket(real_socket):  # type: ignore[misc, valid-type]
        # Making a socket reaches nothing: urllib3 (which spaCy imports, for the parser)
        # makes one and binds it to ::1 to see whether this computer has IPv6. Connecting,
        # sending, or binding anywhere but this computer is what reaches the network.
        def _network(self) -> bool:
            return self.family in network_families

        def connect(self, address: Any) -> None:
            if self._network():
                attempts.append(f"socket.connect({address!r})")
                raise NetworkUsed(f"a network connection was opened to {address!r}")
            super().connect(address)

        def connect_ex(self, address: Any) -> int:
            if self._network():
                attempts.append(f"socket.connect_ex({address!r})")
                raise NetworkUsed(f"a network connection was opened to {address!r}")
            return int(super().connect_ex(address))

        def sendto(self, *args: Any) -> int:
            if self._network():
                attempts.append(f"socket.sendto{args!r}")
                raise NetworkUsed(f"a datagram was sent: {args!r}")
            return int(super().sendto(*args))

        def bind(self, address: Any) -> None:
            host = address[0] if isinstance(address, tuple) else address
            if self._network() and host not in loopback:
                attempts.append(f"socket.bind({address!r})")
                raise NetworkUsed(f"a network socket was bound to {address!r}")
            super().bind(address)

    def refusing(name: str) -> Callable[..., Any]:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"socket.{name}{args!r}")
            raise NetworkUsed(f"socket.{name} was called with {args!r}")

        return refuse

    names = ("create_connection", "create_server", "getaddrinfo", "gethostbyname",
             "gethostbyname_ex", "gethostbyaddr", "getnameinfo")
    return {"socket": OfflineSocket, **{name: refusing(name) for name in names}}


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Cut the network off for this test; the attempts made, which must stay empty."""
    attempts: list[str] = []
    for name, stand_in in network_guard(attempts).items():
        monkeypatch.setattr(socket, name, stand_in)
    yield attempts


@pytest.fixture
def answers_file(tmp_path: Path, desk_worker: dict[str, Any]) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(desk_worker), "utf-8")
    return path


@pytest.fixture
def full_diary(run: Run, answers_file: Path, offline: list[str]) -> list[str]:
    """A diary with a check, two entries (one with a warning sign) and a timer session, all
    made offline; the attempts so far."""
    for args, environ in [
        (("check", "--answers", str(answers_file), "--json"), {}),
        (("log", "--pain", "5", "--where", "between the shoulder blades", "--note", "sore"), {}),
        (("log", "--pain", "6", "--symptom", "fever"), {}),
        (("timer", "heat", "--minutes", "1", "--yes"), FAST),
    ]:
        result = run(*args, environ=environ)
        assert result.exit_code == 0, result.output
    return offline


def test_the_guard_catches_a_connection_even_when_the_error_is_swallowed(
    offline: list[str],
) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80), timeout=1)
    with pytest.raises(OSError):
        urllib.request.urlopen("http://example.org/", timeout=1)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as raw:
        with contextlib.suppress(OSError):  # swallowed, as careless code might: on record
            raw.connect(("93.184.216.34", 80))
        with contextlib.suppress(OSError):
            raw.bind(("0.0.0.0", 0))
    assert len(offline) == 4, offline
    left, right = socket.socketpair()  # a local pipe is not the network
    left.close()
    right.close()
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET6) as probe:
        probe.bind(("::1", 0))  # urllib3's IPv6 probe: this computer only (if it has IPv6)
    assert len(offline) == 4


def test_a_check_from_an_answers_file_opens_no_network_connection(
    run: Run, answers_file: Path, offline: list[str]
) -> None:
    as_json = run("check", "--answers", str(answers_file), "--json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["triage"] == "self_care"
    on_screen = run("check", "--answers", str(answers_file))
    assert on_screen.exit_code == 0, on_screen.output
    assert offline == []


def test_logging_a_warning_sign_and_the_history_open_no_network_connection(
    run: Run, full_diary: list[str]
) -> None:
    history = run("history")
    assert history.exit_code == 0, history.output
    assert "sore" in history.output
    assert full_diary == []


@pytest.mark.parametrize("kind", list(Format), ids=[f.value for f in Format])
def test_every_export_format_opens_no_network_connection(
    run: Run, full_diary: list[str], kind: Format, tmp_path: Path
) -> None:
    one_table = ["--kind", "entries"] if kind is Format.csv else []  # all: a zip, to a file
    shown = run("export", "--format", kind.value, *one_table)
    assert shown.exit_code == 0, shown.output
    assert shown.output.strip()
    written = tmp_path / f"export.{kind.value}"
    to_file = run("export", "--format", kind.value, "--output", str(written))
    assert to_file.exit_code == 0, to_file.output
    assert written.read_bytes().strip()
    assert full_diary == []


def test_the_pdf_report_opens_no_network_connection(
    run: Run, full_diary: list[str], tmp_path: Path
) -> None:
    pdf = tmp_path / "report.pdf"
    result = run("report", "--pdf", str(pdf))
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    assert full_diary == []


def test_the_guide_pages_open_no_network_connection(run: Run, offline: list[str]) -> None:
    for args in (("guide",), ("guide", "poor_posture"), ("guide", "ice_pack"),
                 ("guide", "--search", "heat")):
        result = run(*args)
        assert result.exit_code == 0, result.output
    assert offline == []


def test_the_core_assess_and_interview_open_no_network_connection(
    kb: KnowledgeBase, desk_worker: dict[str, Any], offline: list[str]
) -> None:
    fresh = upperback.load_knowledge()
    result = upperback.assess(desk_worker, fresh).to_dict()
    assert result["triage"] == "self_care"
    interview = upperback.Interview(kb)
    while (question := interview.next_question()) is not None:
        interview.answer({f: desk_worker.get(f) for f in question.findings})
    assert interview.result().triage == "self_care"
    assert offline == []


FRESH_RUN = """
import json, socket, sys
attempts = []
for name, stand_in in network_guard(attempts).items():
    setattr(socket, name, stand_in)
from upperback.cli import main
import upperback
commands, environ, answers = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
for argv in commands:
    code = main(argv, environ)
    if code != 0:
        sys.exit(f"upperback {' '.join(argv)} exited with {code}")
assessed = upperback.assess(json.loads(open(answers, encoding="utf-8").read()))
interview = upperback.Interview()
while (question := interview.next_question()) is not None:
    interview.answer({f: None for f in question.findings})
interview.result()
if attempts:
    sys.exit("network attempts: " + "; ".join(attempts))
"""


def test_every_command_runs_offline_in_a_fresh_interpreter(
    tmp_path: Path, answers_file: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'fresh.db'}"
    commands: list[list[str]] = [
        ["check", "--answers", str(answers_file), "--json"],
        ["log", "--pain", "6", "--note", "stiff", "--symptom", "fever"],
        ["timer", "ice", "--minutes", "1"],
        ["history"],
        *(["export", "--format", f.value, "--output", str(tmp_path / f"x.{f.value}")]
          for f in Format),
        ["report", "--pdf", str(tmp_path / "fresh.pdf")],
        ["guide", "heat_pack"],
    ]
    environ: Mapping[str, str] = {"UPPERBACK_DATABASE_URL": db, **FAST}
    script = "from __future__ import annotations\n" + inspect.getsource(network_guard) + FRESH_RUN
    home = tmp_path / "home"  # so nothing is read from or written to the real user folders
    process_environ = {k: v for k, v in os.environ.items() if not k.startswith("UPPERBACK_")}
    process_environ |= {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
                        "XDG_CACHE_HOME": str(home / "cache"),
                        "XDG_CONFIG_HOME": str(home / "config")}
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(commands), json.dumps(environ),
         str(answers_file)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, env=process_environ,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "fresh.pdf").read_bytes().startswith(b"%PDF")
