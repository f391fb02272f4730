"""Score the guide on clinical vignettes, as the evaluation protocol describes.

Each case runs in three modes: *full* (every finding given; other yes/no findings answered
no), *sparse* (only what the case states; everything else unanswered) and *interview* (a
simulated person answers only what the interview asks). The figures are triage in range,
under- and over-triage, emergency sensitivity, top-1 and top-3 cause accuracy, incoherent
results, relief errors, interview length and time per `assess()` call.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .answers import AnswerError
from .assessment import assess_checked
from .conditions import AnswerValue
from .errors import UpperbackError
from .interview import Interview
from .knowledge_base import KnowledgeBase, load_knowledge
from .levels import LEVELS, Level, rank

MAX_QUESTIONS = 60
MODES = ("full", "sparse", "interview")
# A cause shown among the first three at this share or more must not need more care than
# the level given (the protocol's `incoherent` figure).
COHERENT_SHARE = 0.10


class CaseError(UpperbackError, ValueError):
    """A vignette file is malformed: names the file and the case."""


@dataclass(frozen=True)
class Case:
    """One clinical vignette and what a right answer looks like."""

    id: str
    summary: str
    findings: Mapping[str, AnswerValue]
    unknown: tuple[str, ...]
    causes: tuple[str, ...]
    triage: tuple[Level, Level]
    relief_include: tuple[str, ...] = ()
    relief_exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """How the guide did on one case in one mode."""

    case: Case
    triage: Level
    causes: tuple[str, ...]
    relief: frozenset[str]
    questions: int = 0
    findings_asked: int = 0
    incoherent: bool = False

    @property
    def triage_ok(self) -> bool:
        low, high = (LEVELS.index(x) for x in self.case.triage)
        return low <= LEVELS.index(self.triage) <= high

    @property
    def under(self) -> bool:
        return LEVELS.index(self.triage) < LEVELS.index(self.case.triage[0])

    @property
    def over(self) -> bool:
        return LEVELS.index(self.triage) > LEVELS.index(self.case.triage[1])

    @property
    def top1(self) -> bool:
        return bool(self.causes) and self.causes[0] in self.case.causes

    @property
    def top3(self) -> bool:
        return bool(set(self.causes[:3]) & set(self.case.causes))

    @property
    def relief_problems(self) -> list[str]:
        problems = [f"gave {x}" for x in sorted(self.relief & set(self.case.relief_exclude))]
        problems += [f"lacks {x}" for x in sorted(set(self.case.relief_include) - self.relief)]
        if self.relief and self.triage == "emergency":
            problems.append("relief in emergency")
        return problems

    def misses(self) -> list[str]:
        """What went wrong on this case, in words (empty when nothing did)."""
        wrong = [k for k in ("under", "over") if getattr(self, k)]
        wrong += [] if self.top3 else ["top3"]
        wrong += ["incoherent"] if self.incoherent else []
        return wrong + self.relief_problems


@dataclass
class Report:
    """Figures over a set of cases, in the three modes."""

    full: list[Outcome] = field(default_factory=list)
    sparse: list[Outcome] = field(default_factory=list)
    interview: list[Outcome] = field(default_factory=list)
    assess_seconds: list[float] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        """The protocol's figures, named as evaluate.py names them."""
        out: dict[str, float | int] = {"cases": len(self.full)}
        for mode in MODES:
            out |= _mode_figures(getattr(self, mode), f"{mode}_")
        questions = [o.questions for o in self.interview]
        asked = [o.findings_asked for o in self.interview]
        out |= {
            "interview_questions_median": statistics.median(questions),
            "interview_questions_p90": _decile(questions),
            "interview_findings_median": statistics.median(asked),
            "interview_findings_p90": _decile(asked),
            "assess_ms_median": round(1000 * statistics.median(self.assess_seconds), 3),
        }
        return out

    def misses(self) -> list[tuple[str, Outcome, list[str]]]:
        """Every case that missed, with its mode and what went wrong."""
        return [
            (mode, outcome, outcome.misses())
            for mode in MODES
            for outcome in getattr(self, mode)
            if outcome.misses()
        ]


def _mode_figures(outcomes: Sequence[Outcome], prefix: str) -> dict[str, float | int]:
    n = max(1, len(outcomes))
    emergencies = [o for o in outcomes if o.case.triage[0] == "emergency"]

    def pct(items: Sequence[bool]) -> float:
        return round(100 * sum(items) / n, 1)

    return {
        f"{prefix}triage_pct": pct([o.triage_ok for o in outcomes]),
        f"{prefix}under_triage": sum(o.under for o in outcomes),
        f"{prefix}over_triage": sum(o.over for o in outcomes),
        f"{prefix}emergency_sensitivity_pct": round(
            100 * sum(o.triage == "emergency" for o in emergencies) / max(1, len(emergencies)), 1
        ),
        f"{prefix}top1_pct": pct([o.top1 for o in outcomes]),
        f"{prefix}top3_pct": pct([o.top3 for o in outcomes]),
        f"{prefix}incoherent": sum(o.incoherent for o in outcomes),
        f"{prefix}relief_errors": sum(len(o.relief_problems) for o in outcomes),
    }


def _decile(values: Sequence[int]) -> int:
    return sorted(values)[int(0.9 * (len(values) - 1))]


def bundled_cases_path() -> Path:
    """The development vignettes shipped with the package."""
    return Path(str(resources.files("upperback").joinpath("knowledge", "cases", "dev.yaml")))


def load_cases(path: str | Path, kb: KnowledgeBase | None = None) -> list[Case]:
    """Read and check a vignette file."""
    kb = kb or load_knowledge()
    try:
        raw = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CaseError(f"{path}: cannot read cases: {error}") from error
    if not isinstance(raw, list):
        raise CaseError(f"{path}: expected a list of cases")
    cases = []
    for position, item in enumerate(raw, start=1):
        name = item.get("id", f"#{position}") if isinstance(item, dict) else f"#{position}"
        try:
            cases.append(_case(item, kb))
        except (KeyError, TypeError, ValueError) as error:
            raise CaseError(f"{path}: case {name}: {error}") from error
    return cases


def _case(item: dict[str, Any], kb: KnowledgeBase) -> Case:
    from .answers import check_answers

    findings = check_answers(kb, item["findings"])
    unknown = tuple(item.get("unknown", []))
    check_answers(kb, {f: None for f in unknown})
    expect = item["expect"]
    low, high = expect["triage"]
    if low not in LEVELS or high not in LEVELS or LEVELS.index(low) > LEVELS.index(high):
        raise ValueError(f"bad triage range {expect['triage']!r}")
    for cause in expect["causes"]:
        if cause not in kb.causes:
            raise ValueError(f"unknown cause {cause!r}")
    for method in list(expect.get("relief_include", [])) + list(expect.get("relief_exclude", [])):
        if method not in kb.relief:
            raise ValueError(f"unknown relief method {method!r}")
    return Case(
        id=str(item["id"]),
        summary=str(item.get("summary", "")),
        findings=findings,
        unknown=unknown,
        causes=tuple(expect["causes"]),
        triage=(low, high),
        relief_include=tuple(expect.get("relief_include", [])),
        relief_exclude=tuple(expect.get("relief_exclude", [])),
    )


def full_answers(case: Case, kb: KnowledgeBase) -> dict[str, AnswerValue]:
    """The case's findings, every other yes/no finding answered no, and unknowns as None."""
    answers: dict[str, AnswerValue] = {
        fid: False for fid, finding in kb.findings.items() if finding.type == "bool"
    }
    answers.update(case.findings)
    answers.update({fid: None for fid in case.unknown})
    return answers


def sparse_answers(case: Case) -> dict[str, AnswerValue]:
    """Only what the case states, and its unknowns as None: everything else unanswered."""
    return dict(case.findings) | {fid: None for fid in case.unknown}


def run_interview(
    answers: Mapping[str, AnswerValue], kb: KnowledgeBase,
    start: Mapping[str, AnswerValue] | None = None,
) -> tuple[Interview, int, int]:
    """Let a simulated person answer only what the interview asks (from `start`, the answers
    it already has, if any)."""
    interview = Interview(kb, answers=start)
    questions = asked = 0
    while questions < MAX_QUESTIONS:
        question = interview.next_question()
        if question is None:
            break
        questions += 1
        asked += len(question.findings)
        interview.answer({fid: answers.get(fid) for fid in question.findings})
    return interview, questions, asked


def evaluate(cases: Sequence[Case], kb: KnowledgeBase | None = None) -> Report:
    """Run every case in the three modes."""
    kb = kb or load_knowledge()
    report = Report()
    for case in cases:
        answers = full_answers(case, kb)
        start = time.perf_counter()
        result = assess_checked(kb, answers)
        report.assess_seconds.append(time.perf_counter() - start)
        report.full.append(_outcome(case, result))
        report.sparse.append(_outcome(case, assess_checked(kb, sparse_answers(case))))
        interview, questions, asked = run_interview(answers, kb)
        report.interview.append(_outcome(case, interview.result(), questions, asked))
    return report


def _outcome(case: Case, result: Any, questions: int = 0, asked: int = 0) -> Outcome:
    return Outcome(
        case=case,
        triage=result.triage,
        causes=tuple(c.id for c in result.causes),
        relief=frozenset(r.method.id for r in result.relief),
        questions=questions,
        findings_asked=asked,
        incoherent=any(
            c.probability >= COHERENT_SHARE
            and rank(result.kb.causes[c.id].urgency) > rank(result.triage)
            for c in result.causes[:3]
        ),
    )


__all__ = ["AnswerError", "Case", "CaseError", "Report", "evaluate", "load_cases"]
