"""Shared fixtures for the whole suite: the knowledge base, and a store on every backend.

`store` and `database_url` are parametrised over every backend (like ehrQL's engine fixture): a
test that uses them runs once on SQLite and once on PostgreSQL, with ids [sqlite] and
[postgresql]. The PostgreSQL runs share one throwaway server (started on first need, see
_postgres.py) and one database, emptied before each test. Without PostgreSQL installed they are
skipped, or, with UPPERBACK_REQUIRE_POSTGRES=1 (set by scripts/test in CI), they fail. Tests of
the SQLite file itself use `db_path` and live in store/test_sqlite_file.py and test_kill.py.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import upperback
from _postgres import REQUIRE_ENV, Cluster, ServerMissing, throwaway_cluster
from upperback.knowledge_base import KnowledgeBase
from upperback.store import Store


def pytest_configure(config: pytest.Config) -> None:
    """Keep the knowledge-base cache of this run (and of the commands it starts) out of the
    user's own cache folder."""
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="upperback-test-cache-")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The bundled knowledge base."""
    return upperback.load_knowledge()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]

DESK_WORKER = {
    "age": 30,
    # From 30, pain that spreads to the arm is an emergency sign (red_flags.yaml): the desk
    # worker says it does not spread, as every checklist answered "none of these" would.
    "pain_spreads_arm_jaw": False,
    "desk_hours_per_day": 9,
    "hunched_posture": True,
    "pain_dull_ache_tight": True,
    "duration_days": 10,
}


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL server for the whole run, started only if a test needs it."""
    try:
        with throwaway_cluster() as cluster:
            yield cluster
    except ServerMissing as missing:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {missing}", pytrace=False)
        pytest.skip(str(missing))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The name of the database backend this run of the test uses."""
    return str(request.param)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the SQLite diary file of a test goes (its folder does not exist yet)."""
    return tmp_path / "diary" / "upperback.db"


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A URL of a new, empty database on this test's backend."""
    if backend == "sqlite":
        path: Path = request.getfixturevalue("db_path")
        path.parent.mkdir()  # so a test can also make tables there before the store opens
        yield f"sqlite:///{path}"
        return
    cluster: Cluster = request.getfixturevalue("postgres_cluster")
    yield cluster.url(cluster.empty_database())


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.close()


@pytest.fixture
def desk_check() -> tuple[dict[str, Any], dict[str, Any]]:
    """Answers of a desk worker with a tight upper back, and the assessment made from them."""
    answers = dict.fromkeys(upperback.load_knowledge().warning_signs, False) | DESK_WORKER
    return answers, upperback.assess(answers).to_dict()
