"""The CSV export: a table per kind of record (alone, or all in one zip), times in local time
with their offset, to the second."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from upperback import KnowledgeBase
from upperback.documents.export import (
    CSV_COLUMNS,
    CSV_KINDS,
    check_csv_kind,
    export_csv,
    export_csv_zip,
)
from upperback.documents.local_time import local_time_text, zone_named
from upperback.errors import InputError
from upperback.store import Store

from .filled_diary import AWKWARD, fill

BERLIN = ZoneInfo("Europe/Berlin")
LOCAL_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d")


@pytest.fixture
def filled(store: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]) -> Store:
    return fill(store, desk_check)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _table(store: Store, kb: KnowledgeBase, kind: str) -> list[dict[str, str]]:
    return _rows(export_csv(store, kb, kind, BERLIN))


def test_the_zip_holds_one_table_per_kind_of_record(filled: Store, kb: KnowledgeBase) -> None:
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(filled, kb, BERLIN))) as archive:
        assert archive.namelist() == [f"{kind}.csv" for kind in CSV_KINDS]
        tables = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    for kind in CSV_KINDS:
        assert tables[f"{kind}.csv"] == export_csv(filled, kb, kind, BERLIN)
    assert [len(_rows(tables[f"{k}.csv"])) for k in ("checks", "entries", "medicines",
                                                      "timers")] == [1, 2, 1, 2]


def test_the_entries_table_parses_back_with_one_row_per_entry(
    filled: Store, kb: KnowledgeBase
) -> None:
    first, second = _table(filled, kb, "entries")
    assert (first["pain"], first["where"], first["helped"]) == (
        "6", "between the shoulder blades", "heat"
    )
    assert first["note"] == AWKWARD
    assert first["symptoms"] == "stiff; tired"
    assert first["time"] == "2025-02-03 09:15:00+01:00"  # 08:15 UTC in Berlin in winter
    assert (second["pain"], second["note"], second["symptoms"]) == ("4", "", "")


def test_the_checks_table_has_the_level_and_the_top_causes_with_codes_and_shares(
    filled: Store, kb: KnowledgeBase
) -> None:
    (row,) = _table(filled, kb, "checks")
    saved = filled.checks()[0].assessment()
    assert saved is not None
    assert (row["triage"], row["triage_label"]) == ("self_care", "Self-care at home")
    assert "Poor posture" in row["likely_causes"]
    top = saved.causes[0]
    assert row["cause_1"] == top.name
    assert row["cause_1_icd10"] == kb.causes[top.id].icd10
    assert float(row["cause_1_probability"]) == pytest.approx(top.probability, abs=1e-4)
    assert row["time"] == "2025-02-03 08:15:00+01:00"
    assert "answers" not in row  # the answers have a table of their own


def test_the_answers_table_has_one_row_per_answer(filled: Store, kb: KnowledgeBase) -> None:
    rows = _table(filled, kb, "answers")
    saved = filled.checks()[0]
    assert {row["finding"] for row in rows} == set(saved.answers)
    assert {row["check_id"] for row in rows} == {str(saved.id)}
    answers = {row["finding"]: row for row in rows}
    assert answers["age"]["answer"] == "30"
    assert answers["age"]["question"] == kb.findings["age"].label
    assert answers["hunched_posture"]["answer"] == "yes"
    assert answers["fever"]["answer"] == "don't know"
    assert answers["sex"]["answer"] == "female"
    assert {answers[f]["answer"] for f in kb.warning_signs if f != "fever"} == {"no"}


def test_the_medicines_and_timers_tables(filled: Store, kb: KnowledgeBase) -> None:
    (dose,) = _table(filled, kb, "medicines")
    assert (dose["medicine"], dose["name"], dose["dose_mg"]) == (
        "ibuprofen", kb.relief["ibuprofen"].name, "400"
    )
    heat, ice = _table(filled, kb, "timers")
    assert (heat["kind"], heat["planned_minutes"], heat["seconds"], heat["completed"]) == (
        "heat", "20", "1200", "yes"
    )
    assert (heat["time"], heat["ended"]) == ("2025-02-03 10:15:00+01:00",
                                             "2025-02-03 10:35:00+01:00")
    assert (ice["kind"], ice["completed"], ice["ended"]) == (
        "ice", "no", "2025-02-03 11:22:00+01:00"
    )


@pytest.mark.parametrize("kind", CSV_KINDS)
def test_an_empty_diary_gives_tables_with_only_the_header(
    store: Store, kb: KnowledgeBase, kind: str
) -> None:
    text = export_csv(store, kb, kind)
    assert _rows(text) == []
    assert text.splitlines() == [",".join(CSV_COLUMNS[kind])]


# -- times ---------------------------------------------------------------------------------------


def test_times_are_local_with_their_offset_to_the_second(store: Store, kb: KnowledgeBase
                                                         ) -> None:
    store.add_entry(3, created_at=datetime(2026, 7, 1, 6, 0, 5, 123456, tzinfo=UTC))
    (row,) = _rows(export_csv(store, kb, "entries", BERLIN))
    assert row["time"] == "2026-07-01 08:00:05+02:00"  # summer time; no microseconds
    (utc_row,) = _rows(export_csv(store, kb, "entries", UTC))
    assert utc_row["time"] == "2026-07-01 06:00:05+00:00"


def test_without_a_zone_times_are_in_this_computers_zone() -> None:
    moment = datetime(2026, 11, 20, 7, 0, 0, 999, tzinfo=UTC)
    text = local_time_text(moment)
    assert LOCAL_TIME.fullmatch(text)
    assert text == moment.astimezone().isoformat(sep=" ", timespec="seconds")


def test_a_time_the_zone_cannot_hold_is_shown_in_utc() -> None:
    assert local_time_text(datetime(1, 1, 1, tzinfo=UTC), ZoneInfo("America/New_York")) == (
        "0001-01-01 00:00:00+00:00"
    )


def test_a_zone_is_taken_by_its_iana_name() -> None:
    assert zone_named("tz", "Europe/Berlin") == BERLIN
    assert zone_named("tz", " UTC ") is UTC


@pytest.mark.parametrize("name", ["Mars/Olympus", "../../etc/passwd", "", "+01:00",
                                  "Europe/" + "x" * 100, "Europe/Berlin\x00"])
def test_a_name_that_is_not_a_time_zone_is_refused_by_name(name: str) -> None:
    with pytest.raises(InputError) as refused:
        zone_named("tz", name)
    assert refused.value.field == "tz"
    assert "Europe/Berlin" in str(refused.value)


def test_a_table_that_does_not_exist_is_refused_by_name() -> None:
    assert check_csv_kind("kind", "timers") == "timers"
    with pytest.raises(InputError) as refused:
        check_csv_kind("kind", "everything")
    assert refused.value.field == "kind"
    assert "checks" in str(refused.value) and "timers" in str(refused.value)


def test_the_zip_is_written_a_table_at_a_time_to_a_stream_that_cannot_seek(
    filled: Store, kb: KnowledgeBase
) -> None:
    class Forward(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            self.data += bytes(b)
            return len(b)

    from upperback.documents.export import write_csv_zip

    out = Forward()
    write_csv_zip(filled, kb, out, UTC)  # type: ignore[arg-type]
    with zipfile.ZipFile(io.BytesIO(bytes(out.data))) as archive:
        assert archive.testzip() is None
        assert len(archive.namelist()) == len(CSV_KINDS)


def test_times_of_a_table_are_never_microsecond_utc(filled: Store, kb: KnowledgeBase) -> None:
    for kind in ("checks", "entries", "medicines", "timers"):
        for row in _table(filled, kb, kind):
            assert LOCAL_TIME.fullmatch(row["time"]), (kind, row["time"])
