"""The core's diary rules: what an entry may hold, and the re-triage its symptoms cause."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from upperback.diary import check_entry, log_entry
from upperback.errors import InputError, UpperbackError
from upperback.knowledge_base import KnowledgeBase
from upperback.limits import NOTE_MAX, PAIN_MAX, PAIN_MIN, SHORT_TEXT_MAX, SYMPTOMS_MAX


@dataclass
class Saved:
    answers: Mapping[str, object]
    triage: str | None


@dataclass
class MemoryDiary:
    """A diary with the store's shape, kept in memory."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    last: Saved | None = None

    def add_entry(
        self,
        pain: int,
        where: str | None = None,
        helped: str | None = None,
        note: str | None = None,
        symptoms: list[str] | None = None,
        created_at: datetime | None = None,
    ) -> dict[str, Any]:
        entry = {"pain": pain, "where": where, "note": note, "symptoms": symptoms}
        self.entries.append(entry)
        return entry

    def latest_check(self) -> Saved | None:
        return self.last


@pytest.mark.parametrize("pain", [PAIN_MIN - 1, PAIN_MAX + 1, None, True, 2.5, "3"])
def test_a_pain_score_off_the_scale_is_refused_naming_the_field(
    kb: KnowledgeBase, pain: object
) -> None:
    with pytest.raises(InputError) as raised:
        check_entry(kb, pain=pain)
    assert raised.value.field == "pain"
    assert raised.value.allowed == f"a whole number from {PAIN_MIN} to {PAIN_MAX}"


@pytest.mark.parametrize(
    "name, limit", [("where", SHORT_TEXT_MAX), ("helped", SHORT_TEXT_MAX), ("note", NOTE_MAX)]
)
def test_a_text_over_its_limit_is_refused_and_one_at_the_limit_is_kept(
    kb: KnowledgeBase, name: str, limit: int
) -> None:
    assert getattr(check_entry(kb, pain=3, **{name: "x" * limit}), name) == "x" * limit
    with pytest.raises(InputError) as raised:
        check_entry(kb, pain=3, **{name: "x" * (limit + 1)})
    assert raised.value.field == name
    assert str(limit) in str(raised.value.allowed)


def test_blank_texts_are_kept_as_nothing(kb: KnowledgeBase) -> None:
    entry = check_entry(kb, pain=2, where="  ", note="\n")
    assert entry.where is None and entry.note is None


def test_too_many_symptoms_are_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as raised:
        check_entry(kb, pain=2, symptoms=["fever"] * (SYMPTOMS_MAX + 1))
    assert raised.value.field == "symptoms"


def test_an_unknown_symptom_is_an_error_a_person_can_fix(kb: KnowledgeBase) -> None:
    with pytest.raises(UpperbackError, match="fevr"):
        check_entry(kb, pain=2, symptoms=["fevr"])


def test_an_entry_without_symptoms_is_saved_with_no_escalation(kb: KnowledgeBase) -> None:
    diary = MemoryDiary()
    logged = log_entry(kb, diary, check_entry(kb, pain=4, where="upper back"))
    assert logged.escalation is None
    assert diary.entries == [logged.entry]
    assert logged.entry["where"] == "upper back"


def test_a_warning_sign_logged_after_a_self_care_check_raises_the_level(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    diary = MemoryDiary(last=Saved(desk_worker, "self_care"))
    logged = log_entry(kb, diary, check_entry(kb, pain=6, symptoms=["chest_pain_pressure"]))
    assert logged.escalation is not None
    assert logged.escalation.assessment.triage == "emergency"
    assert logged.escalation.previous == "self_care"
    assert diary.entries[0]["symptoms"] == ["chest_pain_pressure"]


def test_a_note_that_names_a_warning_sign_raises_the_level_as_the_symptom_would(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    by_note = log_entry(kb, MemoryDiary(last=Saved(desk_worker, "self_care")),
                        check_entry(kb, pain=6, note="numb legs today"))
    by_symptom = log_entry(kb, MemoryDiary(last=Saved(desk_worker, "self_care")),
                           check_entry(kb, pain=6, symptoms=["leg_numbness_tingling"]))
    assert by_note.noted == ("leg_numbness_tingling",)
    assert by_note.escalation is not None and by_symptom.escalation is not None
    assert by_note.escalation.assessment.triage == by_symptom.escalation.assessment.triage
    assert by_note.entry["symptoms"] == []  # the entry keeps what was ticked, and the note


def test_a_note_is_never_read_as_an_exemption_from_a_warning_sign(kb: KnowledgeBase) -> None:
    from upperback.diary import note_findings

    assert "lifting_twisting_onset" in kb.easing_findings
    assert note_findings(kb, "lifted heavy boxes today, numb legs") == ("leg_numbness_tingling",)


def test_a_note_that_denies_or_wonders_about_a_sign_raises_nothing(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    for note in ("no numbness in my legs", "worried my legs might go numb", "felt better"):
        logged = log_entry(kb, MemoryDiary(last=Saved(desk_worker, "self_care")),
                           check_entry(kb, pain=3, note=note))
        assert logged.escalation is None, note


def test_a_symptom_with_no_check_on_record_is_triaged_on_its_own(kb: KnowledgeBase) -> None:
    logged = log_entry(kb, MemoryDiary(), check_entry(kb, pain=6, symptoms=["fever"]))
    assert logged.escalation is not None
    assert logged.escalation.assessment.triage in ("urgent", "emergency")


@pytest.mark.parametrize(
    "bad",
    ["\udc00", "caf\udce9", "bell\x07", "esc \x1b[2J", "nul\x00", "del\x7f", "c1\x85"],
    ids=["lone surrogate", "undecodable byte", "bell", "escape", "nul", "del", "c1 control"],
)
@pytest.mark.parametrize("name", ["where", "helped", "note"])
def test_text_that_is_not_valid_or_holds_a_control_character_is_refused(
    kb: KnowledgeBase, name: str, bad: str
) -> None:
    with pytest.raises(InputError) as raised:
        check_entry(kb, pain=3, **{name: bad})
    assert raised.value.field == name


def test_new_lines_and_tabs_are_kept_and_text_is_composed(kb: KnowledgeBase) -> None:
    entry = check_entry(kb, pain=3, note="line one\r\nline\ttwo\rcafe\u0301")
    assert entry.note == "line one\nline\ttwo\ncaf\u00e9"


def test_a_symptom_that_is_not_valid_text_is_refused_before_anything_is_saved(
    kb: KnowledgeBase,
) -> None:
    diary = MemoryDiary()
    with pytest.raises(InputError) as raised:
        log_entry(kb, diary, check_entry(kb, pain=3, symptoms=["\udc00"]))
    assert raised.value.field == "symptoms"
    assert diary.entries == []


def test_a_back_dated_entry_keeps_its_time(kb: KnowledgeBase) -> None:
    diary = MemoryDiary()
    entry = check_entry(kb, pain=3, created_at="2026-11-20T08:00:00Z")
    log_entry(kb, diary, entry)
    assert entry.created_at is not None and entry.created_at.day == 20
