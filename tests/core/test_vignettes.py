"""The guide's figures on clinical vignettes hold the issue's targets.

Development vignettes (bundled, copied from the evaluation protocol) must meet every target.
The independent vignettes (tests/vignettes/independent.yaml, written separately from the
knowledge base) guard against tuning to the development cases: no under-triage there either.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from upperback.evaluation import Report, bundled_cases_path, evaluate, load_cases

INDEPENDENT = Path(__file__).parent.parent / "vignettes" / "independent.yaml"
SHARED_EVALUATE = Path(__file__).parents[3] / "shared" / "eval" / "evaluate.py"


@pytest.fixture(scope="module")
def dev_report() -> Report:
    return evaluate(load_cases(bundled_cases_path()))


@pytest.fixture(scope="module")
def independent_report() -> Report:
    return evaluate(load_cases(INDEPENDENT))


DEV_TARGETS = [
    ("full_under_triage", "<=", 0),
    ("full_emergency_sensitivity_pct", ">=", 100),
    ("full_triage_pct", ">=", 90),
    ("full_top3_pct", ">=", 90),
    ("full_top1_pct", ">=", 75),
    ("full_relief_errors", "<=", 0),
    ("interview_under_triage", "<=", 0),
    ("interview_top3_pct", ">=", 85),
    ("interview_questions_median", "<=", 12),
]


@pytest.mark.parametrize("figure, op, bound", DEV_TARGETS)
def test_the_dev_vignettes_meet_the_target(
    dev_report: Report, figure: str, op: str, bound: float
) -> None:
    value = dev_report.figures()[figure]
    misses = [(m, o.case.id, w) for m, o, w in dev_report.misses()]
    assert (value <= bound) if op == "<=" else (value >= bound), (figure, value, misses)


@pytest.mark.parametrize(
    "figure, op, bound",
    [
        ("full_under_triage", "<=", 0),
        ("interview_under_triage", "<=", 0),
        ("full_emergency_sensitivity_pct", ">=", 100),
        ("interview_emergency_sensitivity_pct", ">=", 100),
        ("full_top3_pct", ">=", 85),
        ("interview_top3_pct", ">=", 80),
    ],
)
def test_the_independent_vignettes_are_never_under_triaged(
    independent_report: Report, figure: str, op: str, bound: float
) -> None:
    value = independent_report.figures()[figure]
    assert (value <= bound) if op == "<=" else (value >= bound), (figure, value)


def test_the_bundled_dev_cases_are_the_protocols_own() -> None:
    shared = SHARED_EVALUATE.parent / "cases" / "dev.yaml"
    if not shared.exists():
        pytest.skip("the shared evaluation folder is not beside the project")
    assert shared.read_text() == bundled_cases_path().read_text()


def test_the_protocols_evaluate_py_agrees_with_our_figures(dev_report: Report) -> None:
    if not SHARED_EVALUATE.exists():
        pytest.skip("the shared evaluation folder is not beside the project")
    completed = subprocess.run(
        [sys.executable, str(SHARED_EVALUATE), str(bundled_cases_path()), "--json"],
        capture_output=True, text=True, check=True, timeout=120,
    )
    theirs = json.loads(completed.stdout)
    ours = dev_report.figures()
    for name, value in theirs.items():
        if name != "assess_ms_median":
            assert ours[name] == value, name
