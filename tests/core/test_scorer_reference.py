"""The fast scorer gives exactly what a plain computation gives, on many random answer sets.

The reference below is the scorer written the simplest way: one answer at a time, one cause at
a time, every range tried in turn, every sum a `+=` loop, heapq for the strongest answers. The
fast one precomputes tables and adds whole rows in C; the floats must come out the same,
bit for bit (`==`), or the level could differ at a threshold.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import upperback
from upperback.assessment import model_for
from upperback.bayes import CauseModel, Outcome
from upperback.conditions import AnswerValue

KB = upperback.load_knowledge()
MODEL = model_for(KB)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value(fid: str) -> st.SearchStrategy[AnswerValue]:
    finding = KB.findings[fid]
    if finding.type == "bool":
        known: st.SearchStrategy[AnswerValue] = st.booleans()
    elif finding.type == "int":
        assert finding.min is not None and finding.max is not None
        # Past both ends too: a number outside every range counts for nothing.
        known = st.integers(finding.min - 3, finding.max + 3)
    else:
        known = st.sampled_from(list(finding.values or ()))
    return st.one_of(st.none(), known)


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, AnswerValue]:
    """Any subset of the findings, in any order, each answered or "don't know"; sometimes
    many warning signs answered yes at once."""
    order = draw(st.permutations(sorted(KB.findings)))
    kept = draw(st.lists(st.booleans(), min_size=len(order), max_size=len(order)))
    many_yes = draw(st.booleans())
    answers: dict[str, AnswerValue] = {}
    for fid, keep in zip(order, kept, strict=True):
        if not keep:
            continue
        if many_yes and KB.findings[fid].type == "bool" and fid in KB.red_flag_findings():
            answers[fid] = True
        else:
            answers[fid] = draw(_value(fid))
    return answers


# -- the reference --------------------------------------------------------------------------


def reference_outcome(fid: str, value: AnswerValue) -> Outcome | None:
    """The outcome of an answer, every range tried in turn."""
    if value is None or fid not in MODEL.log_ratio:
        return None
    if isinstance(value, bool | str):
        return value
    for bin_ in KB.baseline.bins[fid]:
        if bin_.min <= value <= bin_.max:
            return bin_.id
    return None


def reference_scores(
    model: CauseModel, answers: Mapping[str, AnswerValue]
) -> tuple[list[float], list[list[float]]]:
    """The log weights and the caution matrix, one `+=` at a time."""
    weights = list(model.log_prior)
    caution = [[0.0] * len(weights) for _ in weights]
    for fid, value in answers.items():
        outcome = reference_outcome(fid, value)
        if outcome is None:
            continue
        for i, lr in enumerate(model.log_ratio[fid][outcome]):
            weights[i] += lr
        if outcome is True and fid in model.caution:
            for h, lowers in enumerate(model.caution[fid]):
                for m, lower in enumerate(lowers):
                    caution[h][m] += lower
    return weights, caution


def reference_risk(
    ranks: tuple[int, ...], weights: list[float], caution: list[list[float]], level_rank: int
) -> tuple[float, dict[str, float]]:
    """The risk above a level, one exp at a time."""
    milder = [i for i, u in enumerate(ranks) if u <= level_rank]
    parts: dict[str, float] = {}
    for h, cause_id in enumerate(MODEL.cause_ids):
        if ranks[h] <= level_rank:
            continue
        odds_against = sum(
            math.exp(min(weights[m] + caution[h][m] - weights[h], 700.0)) for m in milder
        )
        parts[cause_id] = 1.0 / (1.0 + odds_against)
    return min(1.0, sum(parts.values())), parts


def reference_evidence(
    answers: Mapping[str, AnswerValue], limit: int, min_ratio: float
) -> dict[str, list[tuple[str, AnswerValue, float]]]:
    """The strongest answers for and against each cause, by heapq over every answer."""
    threshold = math.log(min_ratio)
    out = {}
    for i, cause_id in enumerate(MODEL.cause_ids):
        raised, lowered = [], []
        for fid, value in answers.items():
            outcome = reference_outcome(fid, value)
            if outcome is None:
                continue
            lr = MODEL.log_ratio[fid][outcome][i]
            if lr >= threshold:
                raised.append((lr, fid, value))
            elif lr <= -threshold:
                lowered.append((-lr, fid, value))
        up = heapq.nlargest(limit, raised, key=lambda item: item[0])
        down = heapq.nlargest(limit, lowered, key=lambda item: item[0])
        out[cause_id] = [(f, v, math.exp(lr)) for lr, f, v in up] + [
            (f, v, math.exp(-lr)) for lr, f, v in down
        ]
    return out


# -- the comparisons ------------------------------------------------------------------------


@SETTINGS
@given(answers=answer_sets())
def test_the_scores_equal_a_plain_loop_over_the_answers(answers: dict[str, AnswerValue]) -> None:
    weights, caution = reference_scores(MODEL, answers)
    scores = MODEL.scores(answers)
    assert scores.log_weights == tuple(weights)
    assert scores.log_caution == tuple(tuple(row) for row in caution)
    top = max(weights)
    exps = [math.exp(w - top) for w in weights]
    assert scores.shares == tuple(e / sum(exps) for e in exps)


@SETTINGS
@given(answers=answer_sets())
def test_the_risk_at_every_level_equals_a_plain_loop(answers: dict[str, AnswerValue]) -> None:
    weights, caution = reference_scores(MODEL, answers)
    scores = MODEL.scores(answers)
    for level_rank in (-1, 0, 1, 2, 3):
        expected = reference_risk(MODEL.urgency_ranks, weights, caution, level_rank)
        assert scores.risk(level_rank) == expected


@SETTINGS
@given(
    answers=answer_sets(),
    limit=st.integers(0, 6),
    min_ratio=st.sampled_from([1.0, 1.1, 1.25, 2.0, 5.0]),
)
def test_the_strongest_evidence_equals_a_plain_sort_of_every_answer(
    answers: dict[str, AnswerValue], limit: int, min_ratio: float
) -> None:
    expected = reference_evidence(answers, limit, min_ratio)
    for _ in range(2):  # the second time from what the first one kept
        found = MODEL.strongest_evidence(answers, limit, min_ratio)
        assert {c: [(e.finding, e.value, e.ratio) for e in found[c]] for c in found} == expected
    some = MODEL.cause_ids[::3]
    found = MODEL.strongest_evidence(answers, limit, min_ratio, causes=[*some, "no_such_cause"])
    assert list(found) == list(some)
    assert {c: [(e.finding, e.value, e.ratio) for e in found[c]] for c in found} == {
        c: expected[c] for c in some
    }


@SETTINGS
@given(answers=answer_sets())
def test_every_answer_falls_in_the_same_range_as_when_tried_in_turn(
    answers: dict[str, AnswerValue],
) -> None:
    for fid, value in answers.items():
        assert MODEL.outcome(fid, value) == reference_outcome(fid, value)


def test_a_one_is_not_taken_for_a_yes() -> None:
    """True and 1 are equal as dict keys; what is kept for a yes must not answer a 1."""
    yes_no = next(f.id for f in KB.findings.values() if f.type == "bool")
    MODEL.strongest_evidence({yes_no: True}, 5, 1.0)
    with pytest.raises(KeyError):
        reference_evidence({yes_no: 1}, 5, 1.0)
    with pytest.raises(KeyError):
        MODEL.strongest_evidence({yes_no: 1}, 5, 1.0)
    with pytest.raises(KeyError):
        MODEL.scores({yes_no: 1})


def test_a_new_model_scores_alike() -> None:
    """The model kept per knowledge base and a freshly built one agree."""
    answers: dict[str, AnswerValue] = {"age": 70, "duration_days": 3}
    assert CauseModel(KB).scores(answers) == MODEL.scores(answers)

