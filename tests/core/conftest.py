"""Fixtures for the core tests: answer sets and a way to break a copy of the knowledge base."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from upperback.knowledge_base import KnowledgeBase

BreakKnowledge = Callable[[str, Callable[[Any], Any]], Path]


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled knowledge files."""
    source = Path(str(resources.files("upperback").joinpath("knowledge")))
    target = tmp_path / "knowledge"
    shutil.copytree(source, target)
    return target


@pytest.fixture
def break_knowledge(knowledge_copy: Path) -> BreakKnowledge:
    """Edit one file of a knowledge copy with a function of its parsed YAML."""

    def edit(name: str, change: Callable[[Any], Any]) -> Path:
        path = knowledge_copy / name
        data = yaml.safe_load(path.read_text())
        result = change(data)
        path.write_text(yaml.safe_dump(data if result is None else result, sort_keys=False))
        return knowledge_copy

    return edit


@pytest.fixture
def all_no(kb: KnowledgeBase) -> dict[str, Any]:
    """Every yes/no finding answered no."""
    return {fid: False for fid, f in kb.findings.items() if f.type == "bool"}


@pytest.fixture
def desk_worker(all_no: dict[str, Any]) -> dict[str, Any]:
    """A typical posture case: long desk hours, hunched, dull ache."""
    return all_no | {
        "age": 30,
        "sex": "female",
        "duration_days": 14,
        "pain_severity": 4,
        "desk_hours_per_day": 9,
        "hunched_posture": True,
        "pain_between_shoulder_blades": True,
        "pain_dull_ache_tight": True,
        "pain_worse_after_sitting": True,
    }
