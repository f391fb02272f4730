"""exercises.yaml is checked at load like the rest: real causes, findings and sources, a
sane dose, a programme only for self-care and "soon", and a picture for every exercise."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from upperback.knowledge_base import KnowledgeBase, KnowledgeError, load_knowledge

BreakKnowledge = Callable[[str, Callable[[Any], Any]], Path]


def test_the_bundled_exercises_load_with_at_least_ten_for_the_upper_back_and_neck(
    kb: KnowledgeBase,
) -> None:
    assert len(kb.exercises) >= 10
    assert {"neck", "upper_back", "shoulders"} == {e.area for e in kb.exercises.values()}
    assert all(e.sources for e in kb.exercises.values())


def test_every_picture_is_an_svg_with_its_name_and_text_alternative(kb: KnowledgeBase) -> None:
    folder = Path(__file__).resolve().parents[2] / "src/upperback/knowledge/exercise_pictures"
    for exercise in kb.exercises.values():
        svg = (folder / f"{exercise.id}.svg").read_text("utf-8")
        assert re.search(r"<title[^>]*>" + re.escape(exercise.name) + "</title>", svg)
        assert "Start" in svg and "End" in svg and 'viewBox="0 0 420 240"' in svg


def _first(data: dict[str, Any]) -> dict[str, Any]:
    return data["exercises"][0]


BAD = [
    ("unknown cause", lambda d: _first(d).update(for_causes=["bad_posture"]), "unknown cause"),
    ("unknown finding", lambda d: _first(d).update(
        contraindications=[{"when": "osteoporsis", "reason": "x"}]), "did you mean"),
    ("unknown source", lambda d: _first(d).update(sources=["nowhere"]), "unknown source"),
    ("reps over max", lambda d: _first(d).update(reps=20, max_reps=10), "above max_reps"),
    ("urgent programme", lambda d: d["programme"].update(levels=["self_care", "urgent"]),
     "no programme when urgent"),
    ("sessions per week", lambda d: d["programme"].update(sessions_a_day=[2]), "each week"),
    ("relief method", lambda d: d["programme"].update(relief_days={"snow": 2}),
     "unknown method"),
]


@pytest.mark.parametrize(("change", "message"), [(c, m) for _, c, m in BAD],
                         ids=[name for name, _, _ in BAD])
def test_a_broken_exercise_file_is_refused_naming_the_problem(
    break_knowledge: BreakKnowledge, change: Any, message: str
) -> None:
    folder = break_knowledge("exercises.yaml", change)
    with pytest.raises(KnowledgeError, match=message) as raised:
        load_knowledge(folder)
    assert "exercises.yaml" in str(raised.value)


def test_an_exercise_without_its_picture_is_refused(knowledge_copy: Path) -> None:
    (knowledge_copy / "exercise_pictures" / "chin_tuck.svg").unlink()
    with pytest.raises(KnowledgeError, match="chin_tuck.svg"):
        load_knowledge(knowledge_copy)
