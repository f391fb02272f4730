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


# guide.yaml's fields that are names or ids, not sentences: a reading grade means nothing
# for one word ("Emergency" scores 20), so they are left out. Every other text in it is read.
GUIDE_NOT_PROSE = frozenset({"title", "label", "sources", "level", "numbers", "recheck_keeps"})
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def guide_texts(data: object, where: str = "guide") -> Iterator[tuple[str, str]]:
    """Every text of guide.yaml a person reads, with where it is (levels.urgent.action).

    Placeholders ({level}, {reason}) are left out: what fills them is measured where it is
    written (a level's label, a withheld reason)."""
    if isinstance(data, str):
        yield where, PLACEHOLDER.sub("", data)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in GUIDE_NOT_PROSE:
                yield from guide_texts(value, f"{where}.{key}")
    elif isinstance(data, list | tuple):
        for n, value in enumerate(data):
            yield from guide_texts(value, f"{where}[{n}]")


def texts(kb: KnowledgeBase) -> Iterator[tuple[str, str, str]]:
    """(kind, id, text) for every text a person reads about their health."""
    for f in kb.findings.values():
        yield "finding help", f.id, f.help
        yield "finding question", f.id, f.question
        if f.item:
            yield "checklist item", f.id, f.item
    for c in kb.causes.values():
        yield "cause", c.id, " ".join([c.summary, c.feels_like, *c.what_to_do, c.when_to_get_help])
    for m in kb.relief.values():
        yield "relief", m.id, " ".join([m.summary, *m.how_to, *m.safety, m.repeat or "",
                                        *(w.text for w in m.worded_for)])
        for recommendation in m.recommend:
            yield "relief why", m.id, recommendation.why
        for contraindication in m.contraindications:
            yield "withheld reason", m.id, contraindication.reason
        for caution in m.unsafe_with_causes:
            yield "withheld reason", m.id, caution.reason
    for r in kb.red_flags:
        yield "red flag", r.id, r.message
    for q in kb.questions:
        yield "question text", q.id, q.text
        yield "question why", q.id, q.why
    for where, text in guide_texts(kb.guide.model_dump(mode="json")):
        yield "guide", where, text
    yield "body map", "text", kb.body_map.text
    yield "body map", "hint", kb.body_map.hint
    for region in kb.body_map.regions:
        yield "body map", region.id, region.label
    for e in kb.exercises.values():
        yield "exercise", e.id, " ".join([e.summary, *e.steps, e.how_often, e.should_feel,
                                          e.should_not_feel, e.stop_if, e.picture_alt])
        for contraindication in e.contraindications:
            yield "withheld reason", e.id, contraindication.reason
        for caution in e.unsafe_with_causes:
            yield "withheld reason", e.id, caution.reason
    for lesson in kb.exercise_book.lessons:
        yield "lesson", lesson.title, lesson.text
    rules = kb.exercise_book.programme
    for name, text in (("ease back", rules.ease_back.message), ("not offered", rules.not_offered),
                       ("none fit", rules.none_fit), ("breaks", rules.breaks),
                       ("ended", rules.ended), ("unreadable", rules.unreadable),
                       ("no check", rules.no_check)):
        yield "programme", name, text
    for n, idea in enumerate(kb.exercise_book.break_reminders.ideas):
        yield "programme", f"break idea {n}", idea


KINDS = ["finding help", "finding question", "checklist item", "cause", "relief", "relief why",
         "withheld reason", "red flag", "question text", "question why", "guide", "body map",
         "exercise", "lesson", "programme"]


def test_every_kind_of_text_a_person_reads_is_measured(kb: KnowledgeBase) -> None:
    measured = list(texts(kb))
    assert sorted({kind for kind, _, _ in measured}) == sorted(KINDS)
    shown = {text for _, _, text in measured}
    # Spot checks that the walk reaches what the result and the emergency page show.
    assert kb.guide.disclaimer in shown
    assert set(kb.guide.levels["emergency"].steps) <= shown
    assert kb.guide.levels["urgent"].action in shown
    assert set(kb.guide.follow_up.come_back_if) <= shown
    assert kb.guide.trend.message_worse in shown
    assert all(f.question in shown for f in kb.findings.values())
    assert all(q.text in shown for q in kb.questions)
    cautions = [c.reason for m in kb.relief.values() for c in m.unsafe_with_causes]
    assert cautions and set(cautions) <= shown
    assert not any(label in shown for label in ("Emergency", kb.guide.title))
    assert {region.label for region in kb.body_map.regions} <= shown


def test_each_text_is_plain_enough(kb: KnowledgeBase) -> None:
    too_hard = [(kind, i, round(grade(t), 1)) for kind, i, t in texts(kb) if grade(t) > MAX_ONE]
    assert not too_hard, too_hard


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_text_averages_grade_eight_or_below(kb: KnowledgeBase, kind: str) -> None:
    grades = [grade(t) for k, _, t in texts(kb) if k == kind]
    assert statistics.mean(grades) <= MAX_MEAN, round(statistics.mean(grades), 2)
