"""POSTGRESQL ONLY, SLOW: two real `upperback serve --public` processes on one database act as
one site.

Both servers run as a visitor would meet them: separate processes started with the terminal
command, each on a free loopback port, with the same UPPERBACK_DATABASE_URL (a database of
their own on the throwaway PostgreSQL cluster) and the same UPPERBACK_SECRET_KEY. A diary
started on one opens on the other; one diary's records are never shown with another's key; a
comment approved in the terminal is listed by both; and the comment limit counts the requests
to both together. Only loopback is used, and every process is stopped at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from _postgres import Cluster

pytestmark = [pytest.mark.slow, pytest.mark.postgresql]

HOST = "127.0.0.1"
DATABASE = "upperback_two_processes"
SECRET = "two-processes-share-this-secret-key"
PAGE = "/causes/poor_posture"
# The console script, run by this interpreter (the same upperback as the tests).
UPPERBACK = [sys.executable, "-c", "from upperback.cli import entrypoint; entrypoint()"]
START_SECONDS = 60
START_TRIES = 3
# The comment limit (web/comments_views.py): 5 a window of 10 minutes from one address.
COMMENT_LIMIT = 5
COMMENT_WINDOW = 600


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _environment(cluster: Cluster, folder: Path) -> dict[str, str]:
    """The servers' (and the terminal's) environment: this one without any upperback setting,
    plus the shared database and key, and data and cache folders of the test's own."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("UPPERBACK_")}
    return inherited | {
        "UPPERBACK_DATABASE_URL": cluster.url(DATABASE),
        "UPPERBACK_SECRET_KEY": SECRET,
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", str(folder / "cache")),
    }


@dataclass
class Server:
    """One `upperback serve --public` process and where it answers."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


def _launch(environment: dict[str, str], log: Path) -> Server:
    port = _free_port()
    handle = log.open("wb")
    process = subprocess.Popen(
        [*UPPERBACK, "serve", "--public", "--host", HOST, "--port", str(port),
         "--allowed-host", HOST],
        env=environment, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    handle.close()
    return Server(process, port, log)


def _wait_until_up(server: Server) -> bool:
    """True once the server answers; False if it ended first (say, its port was taken)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            if httpx.get(f"{server.url}/api/v1/health", timeout=2).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server on port {server.port} did not answer within "
                         f"{START_SECONDS} s:\n{server.output()}")


def _start_both(environment: dict[str, str], folder: Path) -> list[Server]:
    """Two servers started at the same moment (so both open the new database at once); a
    port another program took in between means trying another."""
    servers = [_launch(environment, folder / f"server-{n}.log") for n in range(2)]
    for index in range(2):
        for _ in range(START_TRIES):
            if _wait_until_up(servers[index]):
                break
            if "in use" not in servers[index].output():
                raise AssertionError(f"the server stopped:\n{servers[index].output()}")
            servers[index] = _launch(environment, folder / f"server-{index}.log")
        else:
            raise AssertionError(f"no free port after {START_TRIES} tries")
    return servers


@dataclass
class Site:
    """The two servers, clients for them, and the environment the terminal shares."""

    one: httpx.Client
    other: httpx.Client
    environment: dict[str, str]
    cluster: Cluster


@pytest.fixture(scope="module")
def site(postgres_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("two-processes")
    with postgres_cluster.connect() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    environment = _environment(postgres_cluster, folder)
    servers: list[Server] = []
    try:
        servers = _start_both(environment, folder)
        with httpx.Client(base_url=servers[0].url, timeout=60) as one, \
                httpx.Client(base_url=servers[1].url, timeout=60) as other:
            yield Site(one, other, environment, postgres_cluster)
    finally:
        for server in servers:
            server.stop()
        assert all(server.process.poll() is not None for server in servers)
        with postgres_cluster.connect() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def _new_diary(client: httpx.Client) -> str:
    answer = client.post("/api/v1/diaries", json={})
    assert answer.status_code == 201, answer.text
    client.cookies.clear()  # from here on the key goes as a Bearer token only
    key = answer.json()["key"]
    assert isinstance(key, str)
    return key


def _as(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _notes(client: httpx.Client, key: str) -> list[str]:
    """The notes of the diary's entries, as this server lists them."""
    answer = client.get("/api/v1/diary/entries", headers=_as(key))
    assert answer.status_code == 200, answer.text
    return [str(entry.get("note")) for entry in answer.json()]


def _terminal(site: Site, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*UPPERBACK, *arguments], env=site.environment, capture_output=True,
                          text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)


def _comment(client: httpx.Client, text: str) -> httpx.Response:
    return client.post("/api/v1/comments",
                       json={"page": PAGE, "name": "Ann", "text": text})


# -- diaries ------------------------------------------------------------------------------------


def test_a_diary_started_on_one_server_is_read_and_written_on_the_other(site: Site) -> None:
    key = _new_diary(site.one)
    assert _notes(site.other, key) == []
    written = site.other.post("/api/v1/diary/entries", json={"pain": 4, "note": "from the other"},
                              headers=_as(key))
    assert written.status_code == 201, written.text
    first = site.one.post("/api/v1/diary/entries", json={"pain": 3, "note": "from the first"},
                          headers=_as(key))
    assert first.status_code == 201, first.text
    assert sorted(_notes(site.one, key)) == sorted(_notes(site.other, key)) == [
        "from the first", "from the other"]


def test_an_entry_written_with_one_diarys_key_is_not_seen_with_anothers(site: Site) -> None:
    mine, theirs = _new_diary(site.one), _new_diary(site.other)
    saved = site.one.post("/api/v1/diary/entries", json={"pain": 7, "note": "only mine"},
                          headers=_as(mine))
    assert saved.status_code == 201, saved.text
    entry_id = saved.json()["id"]
    for client in (site.one, site.other):
        assert _notes(client, theirs) == []
        assert _notes(client, mine) == ["only mine"]
        assert client.get("/api/v1/diary/entries").status_code == 401  # no diary at all
        changed = client.patch(f"/api/v1/diary/entries/{entry_id}", json={"pain": 0},
                               headers=_as(theirs))
        assert changed.status_code == 404, changed.text
    assert [e["pain"] for e in site.other.get("/api/v1/diary/entries",
                                              headers=_as(mine)).json()] == [7]


# -- comments -----------------------------------------------------------------------------------


def _clear_comment_counts(site: Site) -> None:
    """Start the comment limit afresh (the counts are in the database), away from the end of
    a counting window, so that the requests below all fall in one window."""
    left = COMMENT_WINDOW - time.time() % COMMENT_WINDOW
    if left < 30:
        time.sleep(left + 1)
    with site.cluster.connect(DATABASE) as connection:
        connection.execute("DELETE FROM rate_counts")


def test_a_comment_approved_in_the_terminal_is_listed_by_both_servers(site: Site) -> None:
    _clear_comment_counts(site)
    text = "Heat and a short walk every hour helped my upper back a lot."
    posted = _comment(site.one, text)
    assert posted.status_code == 202, posted.text
    comment_id = posted.json()["id"]
    for client in (site.one, site.other):
        listed = client.get("/api/v1/comments", params={"page": PAGE})
        assert listed.status_code == 200, listed.text
        assert comment_id not in [c["id"] for c in listed.json()]  # waits for a moderator

    approved = _terminal(site, "comments", "approve", comment_id)
    assert approved.returncode == 0, approved.stdout + approved.stderr
    assert "Approved comment" in approved.stdout

    for client in (site.one, site.other):
        listed = client.get("/api/v1/comments", params={"page": PAGE}).json()
        assert [(c["id"], c["text"]) for c in listed if c["id"] == comment_id] == [
            (comment_id, text)]


def test_the_comment_limit_counts_the_requests_to_both_servers(site: Site) -> None:
    _clear_comment_counts(site)
    statuses = []
    for n in range(COMMENT_LIMIT + 1):  # 3 to one, then 3 to the other
        client = site.one if n < 3 else site.other
        answer = _comment(client, f"Stretching tip number {n + 1} worked for my shoulders.")
        statuses.append(answer.status_code)
    assert statuses == [202] * COMMENT_LIMIT + [429]
    assert answer.json()["error"]["code"] == "too_many_comments"
    wait = int(answer.headers["Retry-After"])
    assert 1 <= wait <= COMMENT_WINDOW
    # The first server agrees: its own three count with the other's.
    again = _comment(site.one, "One more stretching tip for the shoulders.")
    assert again.status_code == 429
    assert 1 <= int(again.headers["Retry-After"]) <= COMMENT_WINDOW
