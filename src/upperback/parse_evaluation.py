"""How well `parse()` reads a labelled corpus (tests/language/): finding precision and
recall, warning signs found, negations right. `upperback validate`'s cousin for the text
parser; the test suite and the note report these figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from statistics import median
from typing import Any

from .conditions import AnswerValue
from .free_text import parse
from .knowledge_base import KnowledgeBase


@dataclass
class CorpusScore:
    """Counts over a corpus, and the misses to read."""

    texts: int = 0
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0
    warning_expected: int = 0
    warning_found: int = 0
    negations_expected: int = 0
    negations_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Of the answers read, the share the labels state."""
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Of the answers the labels state, the share read."""
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def warning_recall(self) -> float:
        """Of the warning signs the texts state as present, the share read as present."""
        return self.warning_found / self.warning_expected if self.warning_expected else 1.0

    @property
    def negation_accuracy(self) -> float:
        """Of the findings the texts deny, the share never read as present."""
        return (self.negations_right / self.negations_expected
                if self.negations_expected else 1.0)

    def figures(self) -> dict[str, Any]:
        """The figures as plain data."""
        return {"texts": self.texts, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3),
                "warning_sign_recall": round(self.warning_recall, 3),
                "warning_signs": self.warning_expected,
                "negation_accuracy": round(self.negation_accuracy, 3),
                "negations": self.negations_expected}


def score_corpus(kb: KnowledgeBase, entries: Iterable[Mapping[str, Any]]) -> CorpusScore:
    """Parse each entry's `text` (on its `written_on` date, for weekday words) and compare
    with its `findings`."""
    score = CorpusScore()
    warning = kb.red_flag_findings()
    for entry in entries:
        found = parse(str(entry["text"]), kb, today=written_on(entry)).findings
        gold: Mapping[str, Any] = entry.get("findings") or {}
        score.texts += 1
        score.predicted += len(found)
        score.expected += len(gold)
        for finding, value in found.items():
            if finding in gold and gold[finding] == value:
                score.true_positives += 1
            else:
                score.misses.append(f"{entry['id']}: read {finding}={value!r}, "
                                    f"labels say {gold.get(finding, 'nothing')!r}")
        for finding, value in gold.items():
            if finding not in found:
                score.misses.append(f"{entry['id']}: missed {finding}={value!r}")
            if value is True and finding in warning:
                score.warning_expected += 1
                score.warning_found += found.get(finding) is True
            if value is False:
                score.negations_expected += 1
                score.negations_right += found.get(finding) is not True
    return score


@dataclass
class TextStart:
    """How the interview goes when it starts from the words, against the plain interview,
    for people who answer every question as the labels say (a yes/no finding the labels do
    not give is "no"; one they leave unsettled is "don't know")."""

    questions_with_text: list[int] = field(default_factory=list)
    questions_plain: list[int] = field(default_factory=list)
    lower_with_text: list[str] = field(default_factory=list)  # ids: a lower level from words
    higher_with_text: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        """The figures as plain data."""
        return {"texts": len(self.questions_plain),
                "questions_median_with_text": median(self.questions_with_text or [0]),
                "questions_median_plain": median(self.questions_plain or [0]),
                "questions_saved_median": median(
                    [p - t for p, t in zip(self.questions_plain, self.questions_with_text,
                                           strict=True)] or [0]),
                "lower_level_with_text": len(self.lower_with_text),
                "higher_level_with_text": len(self.higher_with_text)}


def interview_from_text(kb: KnowledgeBase, entries: Iterable[Mapping[str, Any]]) -> TextStart:
    """Run each entry's interview twice, from its words and from nothing, answered from its
    labels, and count the questions and the levels (`TextStart`)."""
    from .evaluation import run_interview
    from .levels import rank

    out = TextStart()
    for entry in entries:
        person = labelled_person(kb, entry)
        start = parse(str(entry["text"]), kb, today=written_on(entry)).interview_answers()
        (from_words, with_text, _), (plain_run, plain, _) = (
            run_interview(person, kb, start), run_interview(person, kb))
        level_text = rank(from_words.result().triage)
        level_plain = rank(plain_run.result().triage)
        out.questions_with_text.append(with_text)
        out.questions_plain.append(plain)
        if level_text < level_plain:
            out.lower_with_text.append(str(entry["id"]))
        elif level_text > level_plain:
            out.higher_with_text.append(str(entry["id"]))
    return out


def labelled_person(kb: KnowledgeBase, entry: Mapping[str, Any]) -> dict[str, AnswerValue]:
    """The answers of a person who answers as an entry's labels say: what they state, "don't
    know" to what they leave unsettled, and "no" to every other yes/no finding."""
    person: dict[str, AnswerValue] = {
        f.id: False for f in kb.findings.values() if f.type == "bool"}
    person.update(entry.get("findings") or {})
    person.update(dict.fromkeys(entry.get("not_stated") or (), None))
    return person


def written_on(entry: Mapping[str, Any]) -> date:
    """The day an entry was written (for "since Tuesday"), or the corpus's default day."""
    written = entry.get("written_on")
    return date.fromisoformat(str(written)) if written else date(2026, 12, 1)
