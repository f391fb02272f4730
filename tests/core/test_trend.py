"""The diary's trend: worse by the set points, or not better after the set days, means see a
clinician soon. The numbers come from the knowledge base, so the tests read them from there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from upperback import KnowledgeBase
from upperback.trend import current_episode, pain_trend

T0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Score:
    created_at: datetime
    pain: int


def daily(scores: list[int], every_days: float = 1.5, start: datetime = T0) -> list[Score]:
    # Every day and a half by default: six scores span over a week, as the rule needs.
    return [Score(start + timedelta(days=i * every_days), p) for i, p in enumerate(scores)]


def over_days(days: int, scores: list[int]) -> list[Score]:
    """Scores spread evenly from day 0 to `days`."""
    step = days / (len(scores) - 1)
    return daily(scores, every_days=step)


@pytest.mark.parametrize("scores", [[], [9]])
def test_too_few_entries_say_nothing(kb: KnowledgeBase, scores: list[int]) -> None:
    assert pain_trend(daily(scores), kb) is None


def test_pain_that_gets_better_says_nothing(kb: KnowledgeBase) -> None:
    days = kb.guide.trend.not_improving_after_days + 7
    assert pain_trend(over_days(days, [7, 7, 6, 5, 5, 4, 3, 3, 2, 1]), kb) is None


def test_pain_no_better_after_the_set_days_says_see_a_clinician(kb: KnowledgeBase) -> None:
    rule = kb.guide.trend
    verdict = pain_trend(over_days(rule.not_improving_after_days, [5, 5, 6, 5, 4, 5, 5, 6]), kb)
    assert verdict is not None
    assert verdict.kind == "not_improving"
    assert verdict.message == rule.message_not_improving
    assert verdict.level == "soon"
    assert verdict.sources == rule.sources
    assert verdict.days == rule.not_improving_after_days


def test_pain_no_better_but_for_fewer_days_says_nothing_yet(kb: KnowledgeBase) -> None:
    days = kb.guide.trend.not_improving_after_days - 1
    assert pain_trend(over_days(days, [5, 5, 6, 5, 4, 5, 5, 6]), kb) is None


def test_no_pain_for_weeks_is_not_a_problem(kb: KnowledgeBase) -> None:
    days = kb.guide.trend.not_improving_after_days * 2
    assert pain_trend(over_days(days, [0, 0, 0, 0, 0, 0]), kb) is None


def test_pain_worse_by_the_set_points_says_see_a_clinician_at_once(kb: KnowledgeBase) -> None:
    rule = kb.guide.trend
    verdict = pain_trend(
        daily(
            [3, 3, 3, 3 + rule.worse_by_points, 3 + rule.worse_by_points, 3 + rule.worse_by_points]
        ),
        kb,
    )
    assert verdict is not None
    assert verdict.kind == "worse"
    assert verdict.message == rule.message_worse
    assert verdict.level == "soon"
    assert (verdict.start_pain, verdict.recent_pain) == (3, 3 + rule.worse_by_points)


def test_pain_worse_by_less_than_the_set_points_is_not_worse(kb: KnowledgeBase) -> None:
    rule = kb.guide.trend
    rise = rule.worse_by_points - 1
    assert pain_trend(daily([3, 3, 3, 3 + rise, 3 + rise, 3 + rise]), kb) is None


def test_one_bad_day_is_not_a_worsening_trend(kb: KnowledgeBase) -> None:
    rule = kb.guide.trend
    assert pain_trend(daily([3, 3, 3, 3, 3, 3 + rule.worse_by_points]), kb) is None


def test_entries_out_of_order_are_read_by_date(kb: KnowledgeBase) -> None:
    rule = kb.guide.trend
    rising = daily(
        [2, 2, 2, 2 + rule.worse_by_points, 2 + rule.worse_by_points, 2 + rule.worse_by_points]
    )
    verdict = pain_trend(list(reversed(rising)), kb)
    assert verdict is not None and verdict.kind == "worse"


def test_an_old_episode_after_a_long_gap_is_left_out(kb: KnowledgeBase) -> None:
    rule = kb.guide.trend
    old = daily([1, 1, 1])
    gap = timedelta(days=rule.not_improving_after_days + 30)
    new = daily([1 + rule.worse_by_points] * 3, start=T0 + gap)
    assert current_episode(old + new, rule.not_improving_after_days) == new
    assert pain_trend(old + new, kb) is None


def test_scores_typed_in_one_sitting_say_nothing(kb: KnowledgeBase) -> None:
    rule = kb.guide.trend
    burst = daily([2, 2, 2, 2 + rule.worse_by_points * 2] * 2, every_days=1 / (24 * 60))
    assert pain_trend(burst, kb) is None


def test_a_week_of_scores_on_fewer_than_the_set_days_says_nothing(kb: KnowledgeBase) -> None:
    rule = kb.guide.trend
    two_days = [Score(T0, 2), Score(T0 + timedelta(minutes=5), 2),
                Score(T0 + timedelta(days=rule.min_span_days), 9),
                Score(T0 + timedelta(days=rule.min_span_days, minutes=5), 9)]
    assert rule.min_days > 2
    assert pain_trend(two_days, kb) is None
    three_days = [*two_days, Score(T0 + timedelta(days=3), 5)]
    verdict = pain_trend(three_days, kb)
    assert verdict is not None and verdict.kind == "worse"
