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
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase
from .knowledge_models import Cause
from .levels import rank

Outcome = bool | str
# Ratios closer to 1 than this are too weak to be worth showing as a reason.
WEAK_RATIO = 1.25


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
        milder = [i for i, u in enumerate(self.urgency_ranks) if u <= level_rank]
        parts: dict[str, float] = {}
        for h, cause_id in enumerate(self.cause_ids):
            if self.urgency_ranks[h] <= level_rank:
                continue
            against = self.log_caution[h]
            odds_against = sum(
                math.exp(min(self.log_weights[m] + against[m] - self.log_weights[h], 700.0))
                for m in milder
            )
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
        return tuple(
            tuple(
                min(0.0, min(no[m] + yes[h] - no[h], yes[h]) - yes[m])
                if ranks[m] < ranks[h]
                else 0.0
                for m in range(len(yes))
            )
            for h in range(len(yes))
        )

    def outcome(self, fid: str, value: AnswerValue) -> Outcome | None:
        """The model's outcome for an answer: yes/no, a range id, or a value."""
        if value is None or fid not in self.log_ratio:
            return None
        if isinstance(value, bool | str):
            return value
        for low, high, bin_id in self._bins[fid]:
            if low <= value <= high:
                return bin_id
        return None

    def scores(self, answers: Mapping[str, AnswerValue]) -> Scores:
        """Score every cause from the answers."""
        weights = list(self.log_prior)
        caution = [[0.0] * len(weights) for _ in weights]
        for fid, value in answers.items():
            outcome = self.outcome(fid, value)
            if outcome is None:
                continue
            for i, lr in enumerate(self.log_ratio[fid][outcome]):
                weights[i] += lr
            if outcome is True and fid in self.caution:
                for h, lowers in enumerate(self.caution[fid]):
                    row = caution[h]
                    for m, lower in enumerate(lowers):
                        row[m] += lower
        return Scores(
            self.cause_ids,
            self.urgency_ranks,
            tuple(weights),
            tuple(tuple(c) for c in caution),
        )

    def strongest_evidence(
        self, answers: Mapping[str, AnswerValue], limit: int, min_ratio: float
    ) -> dict[str, list[Evidence]]:
        """For every cause, up to `limit` answers that raised it and `limit` that lowered it,
        strongest first; ratios closer to 1 than `min_ratio` are left out. One pass over the
        answers serves all causes."""
        threshold = math.log(min_ratio)
        raised: list[list[tuple[float, str, AnswerValue]]] = [[] for _ in self.cause_ids]
        lowered: list[list[tuple[float, str, AnswerValue]]] = [[] for _ in self.cause_ids]
        for fid, value in answers.items():
            outcome = self.outcome(fid, value)
            if outcome is None:
                continue
            for i, lr in enumerate(self.log_ratio[fid][outcome]):
                if lr >= threshold:
                    raised[i].append((lr, fid, value))
                elif lr <= -threshold:
                    lowered[i].append((-lr, fid, value))
        out = {}
        for i, cause_id in enumerate(self.cause_ids):
            up = heapq.nlargest(limit, raised[i], key=lambda item: item[0])
            down = heapq.nlargest(limit, lowered[i], key=lambda item: item[0])
            out[cause_id] = [Evidence(f, v, math.exp(lr)) for lr, f, v in up] + [
                Evidence(f, v, math.exp(-lr)) for lr, f, v in down
            ]
        return out


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
