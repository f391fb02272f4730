"""`upperback guide`: the overview, one topic in detail, search, and unknown topics."""

from __future__ import annotations

import pytest

from upperback.cli.guide import ARTICLE_CAUSES
from upperback.knowledge_base import KnowledgeBase

from .conftest import Run, flat


def test_the_overview_lists_the_articles_causes_first_then_the_others_then_relief(
    run: Run, kb: KnowledgeBase
) -> None:
    result = run("guide")
    assert result.exit_code == 0
    output = result.output
    assert output.startswith(kb.guide.title)
    positions = [output.index(f"({cause_id})") for cause_id in ARTICLE_CAUSES]
    assert positions == sorted(positions)
    others = output.index("Other causes to know about")
    assert max(positions) < others
    for cause_id in set(kb.causes) - set(ARTICLE_CAUSES):
        assert output.index(f"({cause_id})") > others
    relief = output.index("Ways to ease the pain")
    assert all(output.index(f"({m})") > relief for m in kb.relief)


def test_the_overview_ends_with_when_to_get_help_now(run: Run, kb: KnowledgeBase) -> None:
    text = flat(run("guide").output)
    section = text[text.index("When to get help now") :]
    assert kb.guide.levels["emergency"].action in section
    for rule in kb.red_flags:
        if rule.level == "emergency":
            assert flat(rule.message) in section


def test_a_cause_page_says_what_it_feels_like_what_to_do_when_to_get_help_and_sources(
    run: Run, kb: KnowledgeBase
) -> None:
    cause = kb.causes["poor_posture"]
    text = flat(run("guide", "poor_posture").output)
    for heading in ("What it feels like", "What to do", "When to get help", "Sources"):
        assert heading in text
    assert flat(cause.feels_like) in text
    assert all(flat(step) in text for step in cause.what_to_do)
    assert flat(cause.when_to_get_help) in text
    assert all(str(kb.sources[s].url) in text.replace(" ", "") for s in cause.sources)


def test_a_relief_page_gives_the_steps_the_safety_rules_and_the_time_limit(
    run: Run, kb: KnowledgeBase
) -> None:
    method = kb.relief["ice_pack"]
    text = flat(run("guide", "ice_pack").output)
    assert all(flat(step) in text for step in method.how_to)
    assert all(flat(rule) in text for rule in method.safety)
    assert f"At most {method.max_minutes} minutes a session." in text
    assert all(flat(c.reason) in text for c in method.contraindications)


@pytest.mark.parametrize("topic", ["poor-posture", "Poor posture", "POOR_POSTURE"])
def test_a_topic_can_be_named_loosely(run: Run, topic: str) -> None:
    result = run("guide", topic)
    assert result.exit_code == 0
    assert "What it feels like" in result.output


def test_an_unknown_topic_suggests_the_closest(run: Run) -> None:
    result = run("guide", "posure")
    assert result.exit_code == 2
    assert "no topic 'posure'" in result.output
    assert "Did you mean 'poor_posture'?" in result.output


def test_search_lists_the_topics_that_mention_a_word(run: Run, kb: KnowledgeBase) -> None:
    output = run("guide", "--search", "frozen peas").output
    assert "(ice_pack)" in output
    assert "(heat_pack)" not in output


def test_search_says_when_nothing_matches(run: Run) -> None:
    assert "No topic mentions 'xylophone'." in run("guide", "--search", "xylophone").output
