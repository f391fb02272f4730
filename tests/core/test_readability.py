"""Every sentence the person reads is plain: Flesch-Kincaid grade 8 or below on average.

Syllables are counted with pyphen's English hyphenation (offline); the formula is the
standard one: 0.39 * words/sentences + 11.8 * syllables/words - 15.59.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator

import pyphen
import pytest

from upperback.knowledge_base import KnowledgeBase

HYPHENATOR = pyphen.Pyphen(lang="en_US")
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
# One text may run a little over grade 8 (a single long sentence of common words scores
# high on short texts); the average over each kind of text must stay at 8 or below.
MAX_ONE = 10.0
MAX_MEAN = 8.0


def syllables(word: str) -> int:
    return max(1, len(HYPHENATOR.positions(word.lower())) + 1)


def grade(text: str) -> float:
    """Flesch-Kincaid grade level of a text."""
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text.strip() + " ")))
    words = WORD.findall(text)
    if not words:
        return 0.0
    syllable_count = sum(syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59


def test_the_grade_formula_scores_plain_and_hard_text_apart() -> None:
    assert grade("The cat sat on the mat. It was warm.") < 3
    assert grade(
        "Comprehensive musculoskeletal evaluation necessitates multidisciplinary consideration."
    ) > 14


def texts(kb: KnowledgeBase) -> Iterator[tuple[str, str, str]]:
    for f in kb.findings.values():
        yield "finding help", f.id, f.help
    for c in kb.causes.values():
        yield "cause", c.id, " ".join([c.summary, c.feels_like, *c.what_to_do, c.when_to_get_help])
    for m in kb.relief.values():
        yield "relief", m.id, " ".join([m.summary, *m.how_to, *m.safety])
        for contraindication in m.contraindications:
            yield "withheld reason", m.id, contraindication.reason
    for r in kb.red_flags:
        yield "red flag", r.id, r.message
    for q in kb.questions:
        yield "question why", q.id, q.why


def test_each_text_is_plain_enough(kb: KnowledgeBase) -> None:
    too_hard = [(kind, i, round(grade(t), 1)) for kind, i, t in texts(kb) if grade(t) > MAX_ONE]
    assert not too_hard


@pytest.mark.parametrize(
    "kind", ["finding help", "cause", "relief", "withheld reason", "red flag", "question why"]
)
def test_each_kind_of_text_averages_grade_eight_or_below(kb: KnowledgeBase, kind: str) -> None:
    grades = [grade(t) for k, _, t in texts(kb) if k == kind]
    assert statistics.mean(grades) <= MAX_MEAN, round(statistics.mean(grades), 2)
