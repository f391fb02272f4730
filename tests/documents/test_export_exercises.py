"""Everything saved is in the exports: exercise sessions and breaks too (JSON lists, CSV
tables), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from upperback import KnowledgeBase
from upperback.documents.export import export_csv, export_json
from upperback.store import Store

AT = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)


def test_the_json_export_holds_exercise_sessions_and_breaks(store: Store, kb: KnowledgeBase
                                                             ) -> None:
    store.log_exercise_session([("chin_tuck", True), ("shoulder_rolls", False)], True, AT)
    store.log_break(60, AT)
    data = json.loads(export_json(store, kb))
    (session,) = data["exercise_sessions"]
    assert session["planned"] is True and session["started_at"].startswith(AT.date().isoformat())
    assert session["exercises"] == [{"id": "chin_tuck", "done": True},
                                    {"id": "shoulder_rolls", "done": False}]
    assert data["breaks"] == [{"started_at": session["started_at"], "seconds": 60}]


def test_the_csv_export_has_a_row_per_exercise_and_a_table_of_breaks(
    store: Store, kb: KnowledgeBase
) -> None:
    store.log_exercise_session([("chin_tuck", True), ("shoulder_rolls", False)], False, AT)
    store.log_break(90, AT)
    rows = list(csv.DictReader(io.StringIO(export_csv(store, kb, "exercises"))))
    assert [(r["exercise"], r["done"], r["planned"]) for r in rows] == [
        ("chin_tuck", "done", "no"), ("shoulder_rolls", "skipped", "no")]
    assert rows[0]["name"] == kb.exercises["chin_tuck"].name
    (pause,) = list(csv.DictReader(io.StringIO(export_csv(store, kb, "breaks"))))
    assert pause["seconds"] == "90" and pause["time"].startswith(AT.astimezone().date().isoformat())
