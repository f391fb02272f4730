"""Benchmark the core: assess() per call, the scorer, one next-question step, one whole interview.

    .venv/bin/python benchmarks/core_speed.py

Targets on the 2-core reference machine: assess median <= 1 ms; a next-question step <= 5 ms.
Prints figures; asserts nothing (speed is measured here, never in the tests).
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable

import upperback
from upperback.assessment import model_for
from upperback.evaluation import bundled_cases_path, full_answers, load_cases


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds per call, over `repeat` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - start))
    return out


def describe(name: str, ms: list[float]) -> None:
    """Print one line: the median and p90 of these timings."""
    ordered = sorted(ms)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    print(f"{name:34} median {statistics.median(ms):7.3f} ms   p90 {p90:7.3f} ms   n={len(ms)}")


def main() -> None:
    """Time each part of the core and print the figures."""
    kb = upperback.load_knowledge()
    cases = load_cases(bundled_cases_path(), kb)
    answers = [full_answers(case, kb) for case in cases]
    upperback.assess(answers[0])  # warm the cached model

    assess_ms = [m for a in answers for m in timed(lambda a=a: upperback.assess(a), 50)]
    describe("assess()", assess_ms)
    to_dict_ms = [
        m for a in answers[:10] for m in timed(lambda a=a: upperback.assess(a).to_dict(), 20)
    ]
    describe("assess().to_dict()", to_dict_ms)

    # The scorer alone (bayes.py): the shares, the risk at each level below emergency, and
    # the strongest answers for and against every cause.
    model = model_for(kb)
    scores_ms = [
        m for a in answers
        for m in timed(lambda a=a: [model.scores(a).risk(r) for r in (0, 1, 2)], 50)
    ]
    describe("scores() + risk() at 3 levels", scores_ms)
    evidence_ms = [
        m for a in answers for m in timed(lambda a=a: model.strongest_evidence(a, 5, 1.25), 50)
    ]
    describe("strongest_evidence()", evidence_ms)

    steps: list[float] = []
    whole: list[float] = []
    for truth in answers:
        for _ in range(5):
            start_all = time.perf_counter()
            interview = upperback.Interview(kb)
            while True:
                start = time.perf_counter()
                question = interview.next_question()
                steps.append(1000 * (time.perf_counter() - start))
                if question is None:
                    break
                interview.answer({f: truth.get(f) for f in question.findings})
            interview.result()
            whole.append(1000 * (time.perf_counter() - start_all))
    describe("Interview.next_question() step", steps)
    describe("one whole interview", whole)

    tracemalloc.start()
    upperback.load_knowledge(upperback.evaluation.bundled_cases_path().parent.parent)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{'loading the knowledge base':34} peak {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
