"""The core's ice and heat session rules: the limit from the knowledge base, and cautions."""

from __future__ import annotations

import pytest

from upperback.errors import InputError
from upperback.knowledge_base import KnowledgeBase
from upperback.sessions import (
    TIMER_METHODS,
    check_session,
    session_cautions,
    session_limit,
    timer_method,
)


@pytest.mark.parametrize("kind", sorted(TIMER_METHODS))
def test_the_limit_is_the_methods_max_minutes_and_never_over_twenty(
    kb: KnowledgeBase, kind: str
) -> None:
    limit = session_limit(kb, kind)
    assert limit == kb.relief[TIMER_METHODS[kind]].max_minutes
    assert 1 <= limit <= 20
    assert check_session(kb, kind, limit) == limit


@pytest.mark.parametrize("kind", sorted(TIMER_METHODS))
@pytest.mark.parametrize("minutes", [0, -1, 21, 600])
def test_a_session_outside_the_limit_is_refused_naming_the_field(
    kb: KnowledgeBase, kind: str, minutes: int
) -> None:
    with pytest.raises(InputError) as raised:
        check_session(kb, kind, minutes)
    assert raised.value.field == "planned_minutes"


def test_more_seconds_than_the_planned_minutes_are_refused(kb: KnowledgeBase) -> None:
    assert check_session(kb, "ice", 2, 120) == 2
    with pytest.raises(InputError) as raised:
        check_session(kb, "ice", 2, 121)
    assert raised.value.field == "seconds"


def test_an_unknown_timer_kind_says_which_are_allowed(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as raised:
        timer_method(kb, "steam")
    assert raised.value.field == "kind"
    assert raised.value.allowed == "one of ice, heat"


def test_heat_is_cautioned_for_diabetes_and_not_for_a_desk_worker(kb: KnowledgeBase) -> None:
    assert session_cautions(kb, "heat", {"diabetes": True})
    assert session_cautions(kb, "heat", {"diabetes": False}) == []


def test_answers_saved_by_an_older_version_are_skipped_not_fatal(kb: KnowledgeBase) -> None:
    answers = {"diabetes": True, "a_finding_since_removed": True, "age": "old"}
    assert session_cautions(kb, "heat", answers) == session_cautions(
        kb, "heat", {"diabetes": True}
    )
