"""Export: the JSON that round-trips (the CSV and FHIR exports have their own test files)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from upperback import KnowledgeBase
from upperback.documents.export import dose_dict, entry_dict, export_json, timer_dict
from upperback.store import Store

from .filled_diary import AWKWARD, T0, fill


@pytest.fixture
def filled(store: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]) -> Store:
    return fill(store, desk_check)


def test_the_json_export_holds_everything_as_saved(filled: Store, kb: KnowledgeBase) -> None:
    document = json.loads(export_json(filled, kb))
    assert document["format"] == "upperback-export"
    assert document["diary"] == [entry_dict(entry) for entry in filled.entries()]
    assert document["timers"] == [timer_dict(timer) for timer in filled.timers()]
    assert document["medicines"] == [dose_dict(dose) for dose in filled.each_dose()]
    (check,) = document["checks"]
    saved = filled.checks()[0]
    assert check["answers"] == saved.answers
    assert check["result"] == saved.result
    assert document["diary"][0]["note"] == AWKWARD
    assert document["disclaimer"] == kb.guide.disclaimer


def test_the_json_export_keeps_its_fields_for_the_importer(
    filled: Store, kb: KnowledgeBase
) -> None:
    document = json.loads(export_json(filled, kb))
    assert list(document) == ["format", "format_version", "upperback_version", "exported_at",
                              "disclaimer", "checks", "diary", "timers", "medicines",
                              "exercise_sessions", "breaks", "trend"]
    assert document["format_version"] == 1
    assert document["checks"][0]["created_at"] == T0.isoformat()


def test_the_json_export_carries_the_trend_when_pain_gets_worse(
    store: Store, kb: KnowledgeBase
) -> None:
    rise = kb.guide.trend.worse_by_points
    for day, pain in enumerate([2, 2, 2, 2 + rise, 2 + rise, 2 + rise]):
        store.add_entry(pain, created_at=T0 + timedelta(days=2 * day))
    trend = json.loads(export_json(store, kb))["trend"]
    assert trend["kind"] == "worse"
    assert trend["message"] == kb.guide.trend.message_worse


def test_each_dose_is_in_the_json_export_in_mg(store: Store, kb: KnowledgeBase) -> None:
    store.log_dose("ibuprofen", 400, taken_at=T0)
    store.log_dose("acetaminophen", 1000, taken_at=T0 + timedelta(hours=1))
    data = json.loads(export_json(store, kb))
    assert [d["dose_mg"] for d in data["medicines"]] == [400, 1000]
