"""A cause's probability in words: "most likely", "possible", "less likely".

The shares come from a naive Bayes model over a handful of answers; they rank the causes
well but are not calibrated, so "97%" would claim a certainty the guide does not have.
People see these words; the number stays in the full result and the JSON.
"""

from __future__ import annotations

from typing import Final, Literal

Likelihood = Literal["most likely", "possible", "less likely"]

# The lowest share for each label, highest first. Chosen by hand, not calibrated on the
# case library: at least half the probability reads as "most likely"; a share under 15%
# as "less likely". (These would sit better in knowledge/guide.yaml, as data.)
LIKELIHOOD_THRESHOLDS: Final[tuple[tuple[float, Likelihood], ...]] = (
    (0.5, "most likely"),
    (0.15, "possible"),
)
BELOW_THRESHOLDS: Final[Likelihood] = "less likely"


def likelihood_words(probability: float) -> Likelihood:
    """The words for a cause's share of the probability (0 to 1)."""
    for lowest, words in LIKELIHOOD_THRESHOLDS:
        if probability >= lowest:
            return words
    return BELOW_THRESHOLDS
