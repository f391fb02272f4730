"""The parser measured on the corpus of people's own words (tests/language/): the tuning
part is read and tuned on; the check part is only scored. The floors below sit just under
today's figures (a regression guard; raise them with the figures, and lower one only with
the reason beside it and in the README): on the
check part issue 12's targets (precision 0.9, recall 0.8, every stated warning sign) are not
met yet, and the figures are reported in tests/language/README.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from upperback import KnowledgeBase
from upperback.evaluation import run_interview
from upperback.free_text import parse
from upperback.parse_evaluation import (
    CorpusScore,
    interview_from_text,
    labelled_person,
    score_corpus,
    written_on,
)

CORPUS = Path(__file__).resolve().parents[1] / "language"
FLOORS = {  # part: (precision, recall, warning-sign recall, negations right)
    # Precision .83 -> .825 and recall .80 -> .795 in round 15: the 16 tuning texts it added
    # score .738 / .728 after it (README, round 15).
    "tuning": (0.825, 0.795, 0.86, 0.99),
    # Precision .76 -> .75 in round 14: 14 texts added to this part unread scored .70, and the
    # round's phrases moved the 217 texts before them from .767 to .761 (README, round 14).
    "check": (0.755, 0.635, 0.74, 0.98),
}


def entries(part: str) -> list[dict[str, Any]]:
    loaded = yaml.safe_load((CORPUS / f"{part}.yaml").read_text("utf-8"))
    assert isinstance(loaded, list)
    return loaded


@pytest.fixture(scope="module")
def scores(kb: KnowledgeBase) -> dict[str, CorpusScore]:
    return {part: score_corpus(kb, entries(part)) for part in FLOORS}


def test_the_corpus_is_big_enough_and_mixed_as_the_issue_asks(kb: KnowledgeBase) -> None:
    every = entries("tuning") + entries("check")
    assert len(every) >= 150
    negated = sum(any(v is False for v in (e.get("findings") or {}).values()) for e in every)
    unsure = sum(bool(e.get("not_stated")) for e in every)
    warning = sum(any(v is True and f in kb.red_flag_findings()
                      for f, v in (e.get("findings") or {}).items()) for e in every)
    assert negated >= len(every) / 4 and unsure >= len(every) / 4 and warning >= len(every) / 5
    assert all(e.get("source", "").startswith("http") for e in every)


def test_every_label_is_a_finding_with_a_value_it_takes(kb: KnowledgeBase) -> None:
    from upperback.answers import check_answers

    for entry in entries("tuning") + entries("check"):
        check_answers(kb, entry.get("findings") or {})
        assert set(entry.get("not_stated") or ()) <= set(kb.findings), entry["id"]


@pytest.mark.parametrize("part", list(FLOORS))
def test_the_parser_holds_its_floors_on_each_part(scores: dict[str, CorpusScore], part: str
                                                 ) -> None:
    score = scores[part]
    precision, recall, warning, negations = FLOORS[part]
    assert score.precision >= precision, score.figures()
    assert score.recall >= recall, score.figures()
    assert score.warning_recall >= warning, score.figures()
    assert score.negation_accuracy >= negations, score.figures()


def test_the_score_counts_what_it_says() -> None:
    from upperback import load_knowledge

    kb = load_knowledge()
    score = score_corpus(kb, [{"id": "x", "text": "no fever. chest pain",
                               "findings": {"fever": False, "chest_pain_pressure": True,
                                            "age": 40}}])
    assert (score.true_positives, score.predicted, score.expected) == (2, 2, 3)
    assert score.warning_recall == 1.0 and score.negation_accuracy == 1.0
    assert score.misses == ["x: missed age=40"]


def test_starting_from_the_words_never_lowers_the_level_and_saves_questions_on_tuning(
    kb: KnowledgeBase,
) -> None:
    # The check part is scored in tests/language/README.md, not held here (never tuned on).
    # Where the words are read as the labels say, starting from them never lowers the level
    # (a text read differently is a different person's answers).
    every = entries("tuning")
    start = interview_from_text(kb, every)
    figures = start.figures()
    assert figures["texts"] == len(every)
    read_right = {e["id"] for e in every
                  if all((e.get("findings") or {}).get(f) == v
                         for f, v in parse(str(e["text"]), kb,
                                           today=written_on(e)).findings.items())}
    assert len(read_right) > len(every) / 2
    for entry in (e for e in every if e["id"] in set(start.lower_with_text) & read_right):
        # The only way allowed: the plain interview left something unanswered (an age, or a
        # sign its answers already exempt) that the one from the words answered; no rule and
        # no cause risk is lower from the words.
        plain = _plain_result(kb, entry)
        raised = [r for r in plain.triage_reasons if r.level == plain.triage]
        assert raised and all(r.kind == "not_ruled_out" for r in raised), entry["id"]
    assert figures["questions_median_with_text"] < figures["questions_median_plain"]


def _plain_result(kb: KnowledgeBase, entry: dict[str, Any]) -> Any:
    return run_interview(labelled_person(kb, entry), kb)[0].result()


def test_the_text_start_counts_a_lower_level_as_lower(kb: KnowledgeBase) -> None:
    # Words that state an emergency end the interview at once: no question, a higher level.
    start = interview_from_text(kb, [{"id": "x", "findings": {},
                                      "text": "I'm 60, crushing chest pain and a cold sweat"}])
    assert start.questions_with_text == [0] and start.higher_with_text == ["x"]
    assert start.questions_plain[0] > 0 and start.lower_with_text == []
