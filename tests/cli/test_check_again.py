"""`upperback check --again`: a re-check starts from the last check's kept answers, asks the
rest (every warning sign) again, and says what changed."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from upperback.knowledge_base import KnowledgeBase
from upperback.store import Store

from .conftest import Run, flat

# Age 30, then "none of these" or "don't know" to everything after.
REPLIES = "30\n" + "0\n" * 6 + "d\n" * 60


def test_a_re_check_without_a_saved_check_says_how_to_start(run: Run) -> None:
    result = run("check", "--again")
    assert result.exit_code == 2
    assert "no saved check to check again" in result.output and "upperback check" in result.output


def test_a_re_check_keeps_the_desk_hours_and_asks_every_warning_sign_again(
    run: Run, store: Store, checked_in: Callable[[Mapping[str, Any]], Any], kb: KnowledgeBase
) -> None:
    checked_in({"age": 30, "desk_hours_per_day": 9, "chest_pain_pressure": False,
                "tender_knots": True, "pain_severity": 6})
    result = run("check", "--again", input=REPLIES)
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "kept: Time at a desk, screen or studying: 9 hours a day." in text
    # The warning-sign screens are asked again: the old "no" to chest pain is not kept.
    assert flat(next(q.text for q in kb.questions if q.id == "emergency_signs")) in text
    assert "How old are you?" in text
    assert "Since your check of" in text
    assert f"Gone since then: {kb.findings['tender_knots'].label}." not in text  # d: not "no"
    saved = store.latest_check()
    assert saved is not None and saved.answers["desk_hours_per_day"] == 9
    assert saved.answers["chest_pain_pressure"] is False  # answered again, today


def test_a_re_check_in_json_names_the_check_it_started_from_and_the_changes(
    run: Run, store: Store, checked_in: Callable[[Mapping[str, Any]], Any]
) -> None:
    checked_in({"age": 30, "desk_hours_per_day": 9})
    first = store.latest_check()
    assert first is not None
    result = run("check", "--again", "--json", input=REPLIES)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["recheck_of"] == first.id and data["check_id"] == first.id + 1
    assert data["changes"]["level_before"] == first.triage
    assert "level_after" in data["changes"]


def test_a_re_check_cannot_take_an_answers_file(run: Run, tmp_path: Any) -> None:
    path = tmp_path / "a.json"
    path.write_text("{}")
    result = run("check", "--again", "--answers", str(path))
    assert result.exit_code == 2
    assert "--again asks the questions" in result.output
