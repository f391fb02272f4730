"""The cause model: naive Bayes over the findings, with priors from prevalence.

Each cause says how often each finding is present in people who have it; the baseline says how
often it is present in people with ordinary upper back pain. For one answer, the likelihood
ratio is P(answer | cause) / P(answer | ordinary back pain). A cause's *share* is prevalence x
product of ratios, normalised over all causes: the one posterior that ranks the causes and,
through `Scores.risk`, sets the level.

The risk of needing more care than a level adds up, for each cause more urgent than it, the
chance of that cause rather than one of the causes that need no more than the level (the
others more urgent are left out, so each chance is at least the cause's share, and the risk at
least the share of any one shown). One cautious change: a
warning sign answered yes never counts for a milder cause more than it counts for the serious
one it is weighed against (compared with "no" and with "don't know"). A serious cause's ratio
is then the largest of the pair's, so turning a warning sign on can only raise each chance,
and so the level.

Answers of "don't know" and unanswered findings are left out (ratio 1).

Speed: the tables are built once per knowledge base, and each answer picks a whole row of them
(one log ratio per cause). The rows are added up column by column in C (`zip` and `sum`), in
the answers' order, so every sum is the same float a one-by-one loop gives; the risk and the
strongest answers are worked out the same way (tests/core/test_scorer_reference.py checks
both against such a loop).
"""

from __future__ import annotations

import math
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial, reduce
from itertools import repeat
from operator import add, itemgetter, sub

from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase
from .knowledge_models import Cause
from .levels import rank

Outcome = bool | str
# Ratios closer to 1 than this are too weak to be worth showing as a reason.
WEAK_RATIO = 1.25
# How many evidence thresholds (min_ratio values) keep a table of their strong answers, and
# how many answers each table keeps the evidence of.
THRESHOLDS_KEPT = 8
ANSWERS_KEPT = 20_000
# Answers of these types are kept (hashable, and what checked answers are).
_KEPT_TYPES = frozenset({bool, int, str})

# The sum of a column, added left to right like `total += x`, so the same float as a loop.
# Before Python 3.12 sum() does exactly that, in C; from 3.12 it compensates rounding (a
# slightly different float), so there a reduce keeps the order.
_in_order: Callable[[Iterable[float]], float] = (
    sum if sys.version_info < (3, 12) else partial(reduce, add)
)
_first = itemgetter(0)


@dataclass(frozen=True)
class Evidence:
    """One answer's effect on one cause."""

    finding: str
    value: AnswerValue
    ratio: float

    @property
    def raises(self) -> bool:
        return self.ratio > 1.0


@dataclass(frozen=True)
class Scores:
    """The model's view of the causes given some answers (in the knowledge base's order)."""

    cause_ids: tuple[str, ...]
    urgency_ranks: tuple[int, ...]  # each cause's urgency, 0 (self-care) to 3 (emergency)
    log_weights: tuple[float, ...]  # log(prevalence) + sum of log ratios
    # log_caution[h][l]: how much lower milder cause l's log weight is, weighed against
    # cause h, so that the warning signs answered yes count for l no more than for h.
    log_caution: tuple[tuple[float, ...], ...]

    @property
    def shares(self) -> tuple[float, ...]:
        """Each cause's share of the probability (they add up to 1)."""
        top = max(self.log_weights)
        weights = [math.exp(w - top) for w in self.log_weights]
        total = sum(weights)
        return tuple(w / total for w in weights)

    def risk(self, level_rank: int) -> tuple[float, dict[str, float]]:
        """The chance of a cause more urgent than the level of this rank: the chances of each
        such cause, weighed against the causes that need no more than the level, added up
        (at most 1); and each one's chance."""
        ranks, weights = self.urgency_ranks, self.log_weights
        pick = _milder_picker(ranks, level_rank)
        milder_weights = pick(weights)
        parts: dict[str, float] = {}
        for h, cause_id in enumerate(self.cause_ids):
            if ranks[h] <= level_rank:
                continue
            # exp(min(w[m] + against[m] - w[h], 700)) for each milder m, in C (map), in order.
            exponents = map(sub, map(add, milder_weights, pick(self.log_caution[h])),
                            repeat(weights[h]))
            odds_against = sum(map(math.exp, map(min, exponents, repeat(700.0))))
            parts[cause_id] = 1.0 / (1.0 + odds_against)
        return min(1.0, sum(parts.values())), parts


class CauseModel:
    """Likelihood tables built once from the knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.cause_ids = tuple(kb.causes)
        causes = [kb.causes[c] for c in self.cause_ids]
        self.log_prior = tuple(math.log(c.prevalence) for c in causes)
        self.urgency_ranks = tuple(rank(c.urgency) for c in causes)
        # probability[finding][outcome] -> P(outcome | cause) for each cause, and baseline
        self.probability: dict[str, dict[Outcome, tuple[float, ...]]] = {}
        self.baseline: dict[str, dict[Outcome, float]] = {}
        self.log_ratio: dict[str, dict[Outcome, tuple[float, ...]]] = {}
        self._bins = {
            fid: [(b.min, b.max, b.id) for b in bins] for fid, bins in kb.baseline.bins.items()
        }
        for fid, p in kb.baseline.bool.items():
            self._add(fid, {True: p, False: 1 - p}, causes)
        for fid, bins in kb.baseline.bins.items():
            self._add(fid, {b.id: b.p for b in bins}, causes)
        for fid, shares in kb.baseline.enum.items():
            enum_base: dict[Outcome, float] = {value: p for value, p in shares.items()}
            self._add(fid, enum_base, causes)
        # For a warning sign answered yes: for each serious cause h and milder cause m, how
        # far to lower m's log weight so that the answer raises m no more than it raises h.
        self.caution: dict[str, tuple[tuple[float, ...], ...]] = {
            fid: self._caution(fid) for fid in kb.red_flag_findings() if fid in self.log_ratio
        }
        size = len(causes)
        # Only a milder cause is ever lowered: the pairs (h, m), as h * size + m, where any
        # sign can lower m against h. Elsewhere every entry is 0.0, so adding is left out.
        self._caution_pairs = tuple(
            h * size + m
            for h in range(size)
            for m in range(size)
            if any(rows[h][m] != 0.0 for rows in self.caution.values())
        )
        # Each sign's lowering of those pairs, in one tuple, so that signs add up in C.
        self._caution_flat = {
            fid: tuple(rows[p // size][p % size] for p in self._caution_pairs)
            for fid, rows in self.caution.items()
        }
        self._zero_pairs = (0.0,) * len(self._caution_pairs)
        # What scores() gives when no warning sign is answered yes (immutable, so shared).
        self._no_caution = tuple((0.0,) * size for _ in range(size))
        # Number findings whose ranges are in order and apart: a binary search finds the one
        # range an answer can fall in (else the ranges are tried in turn, as listed).
        self._bin_search: dict[str, tuple[list[int], list[tuple[int, str]]]] = {}
        for fid, ranges in self._bins.items():
            apart = all(a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False))
            if apart and all(low <= high for low, high, _ in ranges):
                self._bin_search[fid] = ([r[0] for r in ranges], [(r[1], r[2]) for r in ranges])
        # By evidence threshold (min_ratio): the causes each answer moves strongly.
        self._strong: dict[float, _EvidenceTable] = {}

    def _add(self, fid: str, base: Mapping[Outcome, float], causes: Sequence[Cause]) -> None:
        per_cause: list[dict[Outcome, float]] = []
        for cause in causes:
            given = cause.likelihoods.get(fid)
            if given is None:
                per_cause.append(dict(base))
            elif isinstance(given, float | int):
                per_cause.append({True: float(given), False: 1 - float(given)})
            else:
                per_cause.append(_spread(base, given))
        self.baseline[fid] = dict(base)
        self.probability[fid] = {o: tuple(d[o] for d in per_cause) for o in base}
        self.log_ratio[fid] = {
            o: tuple(math.log(d[o] / base[o]) for d in per_cause) for o in base
        }

    def _caution(self, fid: str) -> tuple[tuple[float, ...], ...]:
        yes, no = self.log_ratio[fid][True], self.log_ratio[fid][False]
        ranks = self.urgency_ranks
        size = len(yes)
        rows = []
        for h in range(size):
            row = [0.0] * size  # only milder causes are ever lowered
            rank_h, yes_h, no_h = ranks[h], yes[h], no[h]
            for m in range(size):
                if ranks[m] < rank_h:
                    row[m] = min(0.0, min(no[m] + yes_h - no_h, yes_h) - yes[m])
            rows.append(tuple(row))
        return tuple(rows)

    def range_values(self, fid: str) -> tuple[int, ...]:
        """One value from each range of a number finding (its lowest): what the model can
        tell apart about it."""
        return tuple(low for low, _, _ in self._bins.get(fid, ()))

    def outcome(self, fid: str, value: AnswerValue) -> Outcome | None:
        """The model's outcome for an answer: yes/no, a range id, or a value."""
        if value is None or fid not in self.log_ratio:
            return None
        if isinstance(value, bool | str):
            return value
        search = self._bin_search.get(fid)
        if search is None:
            for low, high, bin_id in self._bins[fid]:
                if low <= value <= high:
                    return bin_id
            return None
        lows, ends = search
        index = bisect_right(lows, value) - 1
        if index < 0:
            return None
        high, bin_id = ends[index]
        return bin_id if value <= high else None

    def scores(self, answers: Mapping[str, AnswerValue]) -> Scores:
        """Score every cause from the answers."""
        log_ratio, caution_flat = self.log_ratio, self._caution_flat
        rows: list[tuple[float, ...]] = [self.log_prior]
        cautions: list[tuple[float, ...]] = []
        for fid, value in answers.items():
            if value is None:
                continue
            table = log_ratio.get(fid)
            if table is None:
                continue
            if isinstance(value, (bool, str)):  # noqa: UP038 - a tuple is faster here
                rows.append(table[value])
                if value is True and fid in caution_flat:
                    cautions.append(caution_flat[fid])
                continue
            outcome = self.outcome(fid, value)
            if outcome is not None:
                rows.append(table[outcome])
        weights = tuple(map(_in_order, zip(*rows, strict=True)))
        if not cautions:
            return Scores(self.cause_ids, self.urgency_ranks, weights, self._no_caution)
        # Every pair's lowering starts at 0.0 and adds each sign's in turn, as before.
        lowered: Sequence[float] = self._zero_pairs
        for lowers in cautions:
            lowered = list(map(add, lowered, lowers))
        size = len(weights)
        flat = [0.0] * (size * size)
        for pair, lowering in zip(self._caution_pairs, lowered, strict=True):
            flat[pair] = lowering
        caution = tuple(tuple(flat[h * size : (h + 1) * size]) for h in range(size))
        return Scores(self.cause_ids, self.urgency_ranks, weights, caution)

    def _evidence_table(self, min_ratio: float) -> _EvidenceTable:
        """The strong answers for one evidence threshold, worked out once and kept."""
        table = self._strong.get(min_ratio)
        if table is None:
            if len(self._strong) >= THRESHOLDS_KEPT:
                self._strong.clear()  # callers use one or two thresholds; never let it grow
            table = self._strong[min_ratio] = _EvidenceTable(self, math.log(min_ratio))
        return table

    def strongest_evidence(
        self,
        answers: Mapping[str, AnswerValue],
        limit: int,
        min_ratio: float,
        causes: Iterable[str] | None = None,
    ) -> dict[str, list[Evidence]]:
        """For every cause (or only those in `causes`; other ids are ignored), up to `limit`
        answers that raised it and `limit` that lowered it, strongest first; ratios closer to
        1 than `min_ratio` are left out. One pass over the answers serves all causes."""
        table = self._evidence_table(min_ratio)
        raised: list[list[tuple[float, Evidence]]] = [[] for _ in self.cause_ids]
        lowered: list[list[tuple[float, Evidence]]] = [[] for _ in self.cause_ids]
        for fid, value in answers.items():
            if value is None:
                continue
            up, down = table.of(fid, value)
            for i, strength, evidence in up:
                raised[i].append((strength, evidence))
            for i, strength, evidence in down:
                lowered[i].append((strength, evidence))
        ids = self.cause_ids
        # Sorting is most of the rest: only the causes asked for are sorted.
        wanted = set(ids if causes is None else causes)
        return {
            ids[i]: _strongest(raised[i], limit) + _strongest(lowered[i], limit)
            for i in range(len(ids))
            if ids[i] in wanted
        }


# One answer's strong effects: (cause index, strength, its Evidence), raising then lowering.
_Effects = tuple[tuple[tuple[int, float, Evidence], ...], tuple[tuple[int, float, Evidence], ...]]
_NO_EFFECTS: _Effects = ((), ())


class _EvidenceTable:
    """For one threshold: which causes each answer moves strongly, and by how much.

    The Evidence of an answer is made the first time it is seen and kept (it is immutable),
    so a later assessment with the same answer only looks it up.
    """

    def __init__(self, model: CauseModel, threshold: float) -> None:
        self.model = model
        # By finding and outcome: the causes the log ratio reaches the threshold for (raised)
        # or its opposite for (lowered, by how much), in cause order.
        self.strong: dict[str, dict[Outcome, tuple[list[tuple[int, float]], ...]]] = {}
        for fid, rows in model.log_ratio.items():
            self.strong[fid] = {}
            for outcome, row in rows.items():
                up: list[tuple[int, float]] = []
                down: list[tuple[int, float]] = []
                for i, lr in enumerate(row):
                    if lr >= threshold:
                        up.append((i, lr))
                    elif lr <= -threshold:
                        down.append((i, -lr))
                self.strong[fid][outcome] = (up, down)
        self.answers: dict[tuple[str, type, AnswerValue], _Effects] = {}

    def of(self, fid: str, value: AnswerValue) -> _Effects:
        """The strong effects of one answer (none for one the model does not count)."""
        kind = value.__class__
        # The type is part of the key: True and 1 are equal as keys, not as answers.
        key = (fid, kind, value)
        if kind in _KEPT_TYPES:
            found = self.answers.get(key)
            if found is not None:
                return found
        outcome = self.model.outcome(fid, value)
        if outcome is None:
            effects = _NO_EFFECTS
        else:
            up, down = self.strong[fid][outcome]
            effects = (
                tuple((i, lr, Evidence(fid, value, math.exp(lr))) for i, lr in up),
                tuple((i, lr, Evidence(fid, value, math.exp(-lr))) for i, lr in down),
            )
        if kind in _KEPT_TYPES:
            if len(self.answers) >= ANSWERS_KEPT:
                self.answers.clear()  # bounded: numbers can take thousands of values
            self.answers[key] = effects
        return effects


@cache
def _milder_picker(
    ranks: tuple[int, ...], level_rank: int
) -> Callable[[Sequence[float]], tuple[float, ...]]:
    """A function giving the entries of a row that belong to the causes needing no more than
    the level of this rank, in order (itemgetter: no Python loop per entry)."""
    milder = [i for i, u in enumerate(ranks) if u <= level_rank]
    if len(milder) == 1:
        only = milder[0]
        return lambda row: (row[only],)
    if not milder:
        return lambda row: ()
    return itemgetter(*milder)


def _strongest(items: list[tuple[float, Evidence]], limit: int) -> list[Evidence]:
    """The evidence of the `limit` strongest items, strongest first, ties in their order
    (what heapq.nlargest gives)."""
    if limit <= 0 or not items:
        return []
    if len(items) == 1:
        return [items[0][1]]
    return [evidence for _, evidence in sorted(items, key=_first, reverse=True)[:limit]]


def _spread(base: Mapping[Outcome, float], given: Mapping[str, float]) -> dict[Outcome, float]:
    """Shares named by a cause, with the rest split among the other outcomes like the baseline."""
    named = sum(given.values())
    rest = [o for o in base if o not in given]
    rest_base = sum(base[o] for o in rest)
    out: dict[Outcome, float] = {}
    for outcome, p in base.items():
        if isinstance(outcome, str) and outcome in given:
            out[outcome] = given[outcome]
        else:
            out[outcome] = max((1 - named) * p / rest_base, 1e-4) if rest_base else 1e-4
    return out
