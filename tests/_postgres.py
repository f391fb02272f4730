"""A throwaway PostgreSQL server for the store tests: its own cluster in a temporary folder.

It needs the server programs (Debian's `postgresql` package, which scripts/install-system
installs): initdb and pg_ctl are looked for on PATH, then under /usr/lib/postgresql/*/bin. The
cluster listens on 127.0.0.1 at a free port (and on a socket in its folder), trusts local
connections, and is stopped and deleted at the end. initdb refuses to run as root, so as root
the programs run as the `postgres` system user (made by the Debian package) with runuser.
Nothing of Debian's own cluster or service (systemd) is used.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

REQUIRE_ENV = "UPPERBACK_REQUIRE_POSTGRES"
SERVER_USER = "postgres"  # the superuser inside the cluster, and the system user as root
PASSWORD_USER = "upperback_pw"  # the one role that must give a password (scram-sha-256)
PASSWORD = "right-horse-battery"
TEST_DATABASE = "upperback_test"
START_TRIES = 3
# Durability is not under test here, so spare the disk: these settings speed a test cluster up.
FAST = ("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")


class ServerMissing(Exception):
    """PostgreSQL's server programs (or the Python driver) are not installed."""


def _version(bin_dir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name)) or (0,)


def find_bin_dir() -> Path:
    """The folder with initdb and pg_ctl (the newest installed version); ServerMissing if none."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    found = [
        path.parent
        for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")
        if (path.parent / "pg_ctl").is_file()
    ]
    if not found:
        raise ServerMissing(
            "PostgreSQL is not installed (no initdb or pg_ctl on PATH or in "
            "/usr/lib/postgresql/*/bin); scripts/install-system installs it"
        )
    return max(found, key=_version)


def check_driver() -> None:
    """Raise ServerMissing if psycopg (the `postgres` extra) cannot be imported."""
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        raise ServerMissing(
            "psycopg is not installed; pip install -e '.[dev]' (or '.[postgres]')"
        ) from error


def _run_as() -> list[str]:
    """The command prefix that runs the server programs as a user they accept."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError as error:
        raise RuntimeError(
            f"running as root, and there is no '{SERVER_USER}' system user to run PostgreSQL "
            "as (the Debian package makes it); reinstall the postgresql package"
        ) from error
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", SERVER_USER, "--"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """A running throwaway cluster and how to reach it."""

    root: Path
    bin_dir: Path
    run_as: list[str]
    port: int = 0
    _made_test_database: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def _tool(self, name: str, *arguments: str) -> subprocess.CompletedProcess[str]:
        command = [*self.run_as, str(self.bin_dir / name), *arguments]
        # Run from the cluster's folder: the postgres user may not enter the checkout's folder.
        return subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, timeout=120, check=False
        )

    def url(self, database: str, user: str = SERVER_USER, password: str | None = None) -> str:
        """A SQLAlchemy URL (psycopg 3) for a database of this cluster."""
        return URL.create(
            "postgresql+psycopg",
            username=user,
            password=password,
            host="127.0.0.1",
            port=self.port,
            database=database,
        ).render_as_string(hide_password=False)

    def connect(self, database: str = "postgres") -> Any:
        """A psycopg connection (autocommit) as the superuser, for setting up and looking."""
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SERVER_USER, dbname=database, autocommit=True
        )

    def empty_database(self) -> str:
        """The test database, made empty: its public schema dropped and made again, and any
        connection a test left open ended. (Faster than CREATE DATABASE for every test.)"""
        with self.connect() as admin:
            if not self._made_test_database:
                admin.execute(f'CREATE DATABASE "{TEST_DATABASE}"')
                self._made_test_database = True
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (TEST_DATABASE,),
            )
        with self.connect(TEST_DATABASE) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
        return TEST_DATABASE

    def initdb(self) -> None:
        done = self._tool(
            "initdb",
            *("-D", str(self.data), "-U", SERVER_USER, "--auth=trust"),
            *("--no-locale", "--encoding=UTF8", "--no-sync"),
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        # Trust everyone but PASSWORD_USER, who must give the right password over TCP.
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n"
        )

    def start(self) -> None:
        """Start on a free port; a port taken in the meantime means trying another."""
        for _ in range(START_TRIES):
            self.port = _free_port()
            options = " ".join(
                (
                    "-c listen_addresses=127.0.0.1",
                    f"-c port={self.port}",
                    f"-c unix_socket_directories={self.root}",
                    *FAST,
                )
            )
            done = self._tool(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                "-w", "-t", "60", "start",
            )  # fmt: skip
            if done.returncode == 0:
                break
        else:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl could not start PostgreSQL:\n{done.stderr}\n{log[-3000:]}")
        with self.connect() as admin:
            admin.execute(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'")

    def stop(self) -> None:
        self._tool("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """Start a cluster in a new temporary folder; stop it and delete the folder afterwards.

    Raises ServerMissing if PostgreSQL or psycopg is not installed.
    """
    bin_dir = find_bin_dir()
    check_driver()
    run_as = _run_as()
    # Not under pytest's tmp_path (private to root, and the server may run as postgres), and in
    # /tmp rather than a long $TMPDIR: the server's socket path must stay under 108 bytes.
    root = Path(
        tempfile.mkdtemp(prefix="upperback-pg-", dir="/tmp" if os.path.isdir("/tmp") else None)
    )
    try:
        if run_as:
            shutil.chown(root, SERVER_USER, SERVER_USER)
        cluster = Cluster(root=root, bin_dir=bin_dir, run_as=run_as)
        cluster.initdb()
        try:
            cluster.start()
            yield cluster
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
