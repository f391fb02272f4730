"""Import: the JSON export read back, on every backend: the same records, nothing twice, and a
bad file changes nothing."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

import upperback
from upperback import KnowledgeBase
from upperback.documents import restore
from upperback.documents.export import export_json
from upperback.documents.restore import (
    ImportRefused,
    import_export,
    parse_json,
    read_export,
    read_limited,
    summary,
    too_big,
)
from upperback.limits import IMPORT_MAX_BYTES
from upperback.store import Store
from upperback.store.imports import ImportCounts

from .filled_diary import T0, fill

Document = dict[str, Any]


@pytest.fixture
def filled(store: Store, desk_check: tuple[dict[str, Any], dict[str, Any]]) -> Store:
    return fill(store, desk_check)


@pytest.fixture
def exported(filled: Store, kb: KnowledgeBase) -> Document:
    """The filled diary's export, parsed; the diary itself is emptied, ready to import into."""
    document: Document = json.loads(export_json(filled, kb))
    filled.forget()
    return document


def _records(document: Document) -> dict[str, Any]:
    # What an export says about the records, without the ids and the time of the export.
    kept = {name: document[name] for name in ("checks", "diary", "timers", "medicines")}
    for items in kept.values():
        for item in items:
            item.pop("id", None)
    return kept


def _import(store: Store, kb: KnowledgeBase, document: Document, dry_run: bool = False
            ) -> ImportCounts:
    return import_export(store, read_export(kb, json.dumps(document).encode()), dry_run)


def test_an_export_imported_into_an_empty_diary_exports_the_same_records(
    store: Store, kb: KnowledgeBase, exported: Document
) -> None:
    counts = _import(store, kb, exported)
    assert counts == ImportCounts(checks=1, entries=2, timers=2, doses=1, already=0)
    again = json.loads(export_json(store, kb))
    assert _records(again) == _records(copy.deepcopy(exported))


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    store: Store, kb: KnowledgeBase, exported: Document
) -> None:
    _import(store, kb, exported)
    counts = _import(store, kb, exported)
    assert (counts.total, counts.already) == (0, 6)
    assert store.counts().entries == 2 and store.counts().checks == 1


def test_a_diary_holding_some_of_the_records_gets_only_the_missing_ones(
    store: Store, kb: KnowledgeBase, exported: Document
) -> None:
    store.add_entry(4, created_at=T0 + timedelta(days=1))  # the file's second entry
    store.log_dose("ibuprofen", 400, taken_at=T0 + timedelta(hours=4))  # and its dose
    store.add_entry(9, created_at=T0 + timedelta(days=1))  # the same time, other content
    counts = _import(store, kb, exported)
    assert counts == ImportCounts(checks=1, entries=1, timers=2, doses=0, already=2)
    assert sorted(e.pain for e in store.entries()) == [4, 6, 9]


def test_two_equal_records_in_a_file_are_both_kept(store: Store, kb: KnowledgeBase,
                                                   exported: Document) -> None:
    exported["diary"].append(copy.deepcopy(exported["diary"][1]))
    assert _import(store, kb, exported).entries == 3
    assert _import(store, kb, exported).entries == 0


def test_a_check_keeps_the_result_it_was_saved_with(
    store: Store, kb: KnowledgeBase, exported: Document
) -> None:
    exported["checks"][0]["result"]["triage"] = "soon"  # what it said then, not what it says now
    _import(store, kb, exported)
    (check,) = store.checks()
    assert check.result == exported["checks"][0]["result"]
    assert check.answers == exported["checks"][0]["answers"]
    assert check.version == exported["checks"][0]["version"]


@pytest.mark.parametrize("missing", [None, {}])
def test_a_check_without_a_result_is_assessed_with_this_knowledge_base(
    store: Store, kb: KnowledgeBase, exported: Document, missing: Any
) -> None:
    exported["checks"][0]["result"] = missing
    _import(store, kb, exported)
    (check,) = store.checks()
    assert check.result == upperback.assess(check.answers, kb).to_dict()
    assert check.assessment() is not None


def test_a_dry_run_counts_what_would_be_added_and_saves_nothing(
    store: Store, kb: KnowledgeBase, exported: Document
) -> None:
    counts = _import(store, kb, exported, dry_run=True)
    assert counts.total == 6
    assert store.counts().entries == 0
    assert summary(counts, dry_run=True).startswith("Would import 2 diary entries, 1 check,")


def test_the_summary_counts_each_kind() -> None:
    counts = ImportCounts(checks=3, entries=12, timers=4, doses=2, already=40)
    assert summary(counts) == ("Imported 12 diary entries, 3 checks, 2 medicine doses and "
                               "4 timer sessions; 40 were already there.")


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        target = document
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return change


BAD_RECORDS = [
    pytest.param(_set(("diary", 1, "pain"), 11), "diary[1].pain", "from 0 to 10", id="pain"),
    pytest.param(_set(("diary", 0, "note"), "x" * 2001), "diary[0].note", "2000", id="note"),
    pytest.param(_set(("diary", 0, "where"), "bad\x07text"), "diary[0].where", "control",
                 id="control character"),
    pytest.param(_set(("diary", 0, "created_at"), "yesterday"), "diary[0].created_at",
                 "ISO 8601", id="time"),
    pytest.param(_set(("diary", 0, "created_at"), "2025-02-03T08:15:00"),
                 "diary[0].created_at", "time zone", id="time without a zone"),
    pytest.param(_set(("diary", 0, "created_at"), "3025-01-01T00:00:00Z"),
                 "diary[0].created_at", "tomorrow", id="time in the future"),
    pytest.param(_set(("diary", 0, "pain"), "6"), "diary[0].pain", "whole number",
                 id="pain as text"),
    pytest.param(_set(("timers", 0, "planned_minutes"), 90), "timers[0].planned_minutes",
                 "20", id="session over the limit"),
    pytest.param(_set(("timers", 1, "kind"), "sauna"), "timers[1].kind", "ice", id="kind"),
    pytest.param(_set(("medicines", 0, "medicine"), "arsenic"), "medicines[0].medicine",
                 "ibuprofen", id="medicine"),
    pytest.param(_set(("medicines", 0, "dose_mg"), 0), "medicines[0].dose_mg", "milligrams",
                 id="dose"),
    pytest.param(_set(("checks", 0, "answers", "fever"), [1]), "checks[0].answers.fever",
                 "finding", id="answer"),
    pytest.param(_set(("checks", 0, "result"), "fine"), "checks[0].result", "object",
                 id="result"),
    pytest.param(_set(("checks", 0, "answers", "note"), "a\x00b"), "checks[0].answers.note",
                 "NUL", id="NUL in an answer"),
    pytest.param(_set(("diary",), {"pain": 3}), "diary", "list", id="not a list"),
]


@pytest.mark.parametrize(("change", "field", "said"), BAD_RECORDS)
def test_a_bad_record_refuses_the_file_naming_it_and_nothing_is_saved(
    store: Store, kb: KnowledgeBase, exported: Document,
    change: Callable[[Document], None], field: str, said: str,
) -> None:
    store.add_entry(2)
    change(exported)
    with pytest.raises(ImportRefused) as refused:
        _import(store, kb, exported)
    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")
    assert said in str(refused.value)
    assert str(refused.value).endswith("Nothing was imported.")
    assert store.counts().entries == 1 and store.counts().checks == 0


def test_a_missing_field_is_named(kb: KnowledgeBase, exported: Document) -> None:
    del exported["timers"][0]["seconds"]
    with pytest.raises(ImportRefused, match=r"^timers\[0\]\.seconds: is missing"):
        read_export(kb, json.dumps(exported))


def test_an_unknown_finding_in_a_check_to_assess_is_named(kb: KnowledgeBase,
                                                         exported: Document) -> None:
    exported["checks"][0]["result"] = {}
    exported["checks"][0]["answers"]["fevr"] = True
    with pytest.raises(ImportRefused, match=r"^checks\[0\]\.answers\.fevr: unknown finding"):
        read_export(kb, json.dumps(exported))


BAD_FILES = [
    pytest.param(b"not json at all", "is not JSON (line 1, column 1", id="not JSON"),
    pytest.param(b'{"format": "upperback-export", "format_version": 1, "diary": [',
                 "is not JSON", id="cut short"),
    pytest.param(b"\xff\xfe{}", "is not UTF-8", id="not UTF-8"),
    pytest.param(b"[1, 2]", "is not an upperback export", id="a list"),
    pytest.param(b'{"resourceType": "Bundle"}', "is not an upperback export", id="FHIR"),
    pytest.param(b'{"format": "upperback-export", "format_version": 1, "diary": [{"pain": NaN}]}',
                 "is not JSON", id="NaN"),
    pytest.param(b"[" * 100_000, "is not JSON", id="nested too deep"),
]


@pytest.mark.parametrize(("data", "said"), BAD_FILES)
def test_a_file_that_is_not_an_export_is_refused(kb: KnowledgeBase, data: bytes, said: str
                                                  ) -> None:
    with pytest.raises(ImportRefused) as refused:
        read_export(kb, data)
    assert refused.value.field == "file"
    assert said in str(refused.value)


def test_a_file_from_a_newer_version_is_refused_with_what_to_do(
    store: Store, kb: KnowledgeBase, exported: Document
) -> None:
    exported["format_version"] = 2
    with pytest.raises(ImportRefused, match="newer upperback.*update upperback") as refused:
        _import(store, kb, exported)
    assert refused.value.field == "format_version"
    assert store.counts().entries == 0


def test_a_file_over_the_size_cap_is_refused_before_it_is_read_whole() -> None:
    stream = io.BytesIO(b" " * 1000)
    with pytest.raises(ImportRefused, match="larger than 100 bytes"):
        read_limited(stream, limit=100)
    assert stream.tell() == 101  # the cap and one byte, never the rest
    assert "larger than 64 MB" in str(too_big())
    assert IMPORT_MAX_BYTES == 64 * 1024 * 1024


def test_text_over_the_size_cap_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(restore, "IMPORT_MAX_BYTES", 10)
    with pytest.raises(ImportRefused, match="larger than 10 bytes"):
        parse_json(b'{"format": "upperback-export"}')


def test_fields_the_import_does_not_know_are_left_out(
    store: Store, kb: KnowledgeBase, exported: Document
) -> None:
    exported["diary"][0]["mood"] = "grumpy"
    exported["extra"] = {"anything": 1}
    assert _import(store, kb, exported).entries == 2
