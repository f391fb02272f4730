"""When to check again: the follow-up's re-check days, counted from the last check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upperback import KnowledgeBase, load_knowledge
from upperback.recheck import changes, recheck_answers, recheck_due

FINDING_IDS = set(load_knowledge().findings)

CHECKED = datetime(2026, 11, 1, 9, tzinfo=UTC)


def test_a_self_care_check_comes_back_at_two_weeks_then_four(kb: KnowledgeBase) -> None:
    days = kb.guide.follow_up.recheck_after_days["self_care"]
    assert days == (14, 28)
    soon = recheck_due(kb, 1, "self_care", CHECKED, now=CHECKED + timedelta(days=3))
    assert soon is not None and not soon.overdue
    assert (soon.due, soon.weeks) == (CHECKED + timedelta(days=14), 2)
    late = recheck_due(kb, 1, "self_care", CHECKED, now=CHECKED + timedelta(days=15))
    assert late is not None and late.overdue and late.weeks == 2
    later = recheck_due(kb, 1, "self_care", CHECKED, now=CHECKED + timedelta(days=40))
    assert later is not None and later.overdue and later.weeks == 4


@pytest.mark.parametrize("level", ["urgent", "emergency", None, "not a level", 3])
def test_urgent_and_emergency_have_no_re_check_and_odd_levels_none(
    kb: KnowledgeBase, level: object
) -> None:
    assert recheck_due(kb, 1, level, CHECKED) is None


def test_a_soon_check_comes_back_when_its_two_weeks_are_up(kb: KnowledgeBase) -> None:
    due = recheck_due(kb, 1, "soon", CHECKED, now=CHECKED + timedelta(days=20))
    assert due is not None and due.overdue and due.due == CHECKED + timedelta(days=14)


def rule_findings(kb: KnowledgeBase) -> set[str]:
    return {test.finding for rule in kb.red_flags for test, _ in rule.when.tests()}


def test_a_re_check_starts_only_from_answers_no_warning_sign_rule_reads(kb: KnowledgeBase
                                                                       ) -> None:
    last = {"age": 44, "sex": "female", "desk_hours_per_day": 9, "chest_pain_pressure": False,
            "family_history_back_problems": True, "fever": False, "duration_days": 10}
    kept = recheck_answers(kb, last)
    assert kept == {"desk_hours_per_day": 9, "family_history_back_problems": True}
    assert not set(kept) & rule_findings(kb)


@given(st.dictionaries(st.sampled_from(sorted(FINDING_IDS)),
                       st.one_of(st.booleans(), st.integers(-5, 200), st.none(),
                                 st.sampled_from(["female", "male", "x"]))))
def test_whatever_the_last_answers_a_re_check_never_carries_a_finding_a_rule_reads(
    answers: dict[str, object]
) -> None:
    kb = load_knowledge()
    kept = recheck_answers(kb, answers)
    assert not set(kept) & rule_findings(kb)
    assert set(kept) <= set(answers)


def test_an_answer_this_version_no_longer_takes_is_left_to_be_asked(kb: KnowledgeBase) -> None:
    kept = recheck_answers(kb, {"desk_hours_per_day": "lots", "family_history_back_problems": 3,
                                "not_a_finding": True, 7: True})  # type: ignore[dict-item]
    assert kept == {}


def test_changes_say_the_level_the_pain_and_what_appeared_or_went(kb: KnowledgeBase) -> None:
    before = {"pain_severity": 7, "tender_knots": True, "fever": None, "hunched_posture": True}
    after = {"pain_severity": 4, "tender_knots": False, "fever": True, "hunched_posture": None}
    found = changes(kb, before, "self_care", after, "urgent")
    assert found is not None and found.level_rose
    assert found.new == (kb.findings["fever"].label,)
    # Gone only when answered "no" now: a "don't know" is not "gone".
    assert found.gone == (kb.findings["tender_knots"].label,)
    lines = found.lines(kb)
    assert lines[0] == (f"Level: {kb.guide.levels['self_care'].label}, now "
                        f"{kb.guide.levels['urgent'].label}.")
    assert "Pain: 7 out of 10, now 4." in lines
    assert found.to_dict()["level_rose"] is True


def test_the_same_level_is_said_and_odd_levels_give_no_changes(kb: KnowledgeBase) -> None:
    same = changes(kb, {}, "soon", {}, "soon")
    assert same is not None and not same.level_rose
    assert same.lines(kb) == [f"Level: the same ({kb.guide.levels['soon'].label})."]
    assert changes(kb, {}, None, {}, "soon") is None
    assert changes(kb, {}, "soon", {}, "nope") is None
