"""Fixtures for the store, export, trend and report tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import upperback
from upperback.store import Store

DESK_WORKER = {
    "age": 30,
    "desk_hours_per_day": 9,
    "hunched_posture": True,
    "pain_dull_ache_tight": True,
    "duration_days": 10,
}


@pytest.fixture(autouse=True)
def _no_database_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPPERBACK_DATABASE_URL", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "diary" / "upperback.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(str(db_path))
    yield opened
    opened.close()


@pytest.fixture
def desk_check() -> tuple[dict[str, Any], dict[str, Any]]:
    """Answers of a desk worker with a tight upper back, and the assessment made from them."""
    answers = dict(DESK_WORKER)
    return answers, upperback.assess(answers).to_dict()
