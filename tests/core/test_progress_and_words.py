"""The interview's progress count is honest, durations are read in words, and each cause's
probability has words ("most likely", "possible", "less likely")."""

from __future__ import annotations

import random
from typing import Any

import pytest

from upperback import Interview
from upperback.durations import DurationError, parse_duration
from upperback.knowledge_base import KnowledgeBase
from upperback.likelihood import LIKELIHOOD_THRESHOLDS, likelihood_words
from upperback.result import AssessmentResult


def random_person(kb: KnowledgeBase, seed: int) -> dict[str, Any]:
    """Answers drawn at random for every finding: yes/no/don't know, numbers in range."""
    rng = random.Random(seed)
    answers: dict[str, Any] = {}
    for finding in kb.findings.values():
        if finding.values:
            answers[finding.id] = rng.choice([*finding.values, None])
        elif finding.min is not None and finding.max is not None:
            answers[finding.id] = rng.randint(finding.min, min(finding.max, 90))
        else:
            answers[finding.id] = rng.choice([True, False, False, False, None])
    return answers


def shown_counts(interview: Interview, truth: dict[str, Any]) -> list[int | None]:
    counts = []
    while (question := interview.next_question()) is not None:
        counts.append(interview.progress_left())
        interview.answer({f: truth.get(f) for f in question.findings})
    return counts


@pytest.mark.parametrize("seed", range(40))
def test_the_progress_count_only_goes_down_and_says_one_at_most_once(
    kb: KnowledgeBase, seed: int
) -> None:
    interview = Interview(kb)
    counts = [c for c in shown_counts(interview, random_person(kb, seed)) if c is not None]
    assert counts == sorted(counts, reverse=True)
    assert len(counts) == len(set(counts))
    assert all(c >= 1 for c in counts)
    assert interview.progress_left() == 0


def test_going_back_shows_the_same_count_for_the_same_question_again(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    interview = Interview(kb)
    question = interview.next_question()
    assert question is not None
    first = interview.progress_left()
    interview.answer({f: desk_worker.get(f) for f in question.findings})
    interview.progress_left()
    interview.back()
    assert interview.progress_left() == first


@pytest.mark.parametrize(
    ("typed", "days"),
    [("3 weeks", 21), ("10 days", 10), ("2 months", 60), ("1 year", 365), ("today", 0),
     ("14", 14), ("a week", 7), ("two weeks ago", 14), ("3w", 21), ("  6   Months ", 180),
     ("yesterday", 1)],
)  # fmt: skip
def test_a_duration_in_words_is_read_as_days(typed: str, days: int) -> None:
    assert parse_duration(typed) == days


@pytest.mark.parametrize("typed", ["", "weeks", "3 fortnights", "-2 days", "abc", "3 weeks 2"])
def test_a_duration_that_cannot_be_read_says_what_can(typed: str) -> None:
    with pytest.raises(DurationError, match="3 weeks"):
        parse_duration(typed)


@pytest.mark.parametrize(
    ("probability", "words"),
    [(0.97, "most likely"), (0.5, "most likely"), (0.49, "possible"), (0.15, "possible"),
     (0.149, "less likely"), (0.0, "less likely")],
)  # fmt: skip
def test_a_probability_has_words_at_the_thresholds(probability: float, words: str) -> None:
    assert likelihood_words(probability) == words


def test_the_thresholds_go_down() -> None:
    lows = [low for low, _ in LIKELIHOOD_THRESHOLDS]
    assert lows == sorted(lows, reverse=True)


def test_every_cause_in_a_result_carries_its_words_in_the_json(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    from upperback.assessment import assess

    data = assess(desk_worker, kb).result().model_dump(mode="json")
    for cause in data["causes"]:
        assert cause["likelihood"] == likelihood_words(cause["probability"])
    assert data["causes"][0]["likelihood"] == "most likely"


def test_a_check_saved_before_the_words_existed_gets_them_when_read(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    from upperback.assessment import assess

    saved = assess(desk_worker, kb).result().model_dump(mode="json")
    for cause in saved["causes"]:
        del cause["likelihood"]
    read = AssessmentResult.from_saved(saved)
    assert read is not None
    assert read.causes[0].likelihood == "most likely"
