"""When to check again: the follow-up's re-check days, counted from the last check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from upperback import KnowledgeBase
from upperback.recheck import recheck_due

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
