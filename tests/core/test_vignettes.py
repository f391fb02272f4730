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
LIBRARY = Path(__file__).parent.parent / "vignettes" / "library"
SHARED_EVALUATE = Path(__file__).parents[3] / "shared" / "eval" / "evaluate.py"


@pytest.fixture(scope="module")
def dev_report() -> Report:
    return evaluate(load_cases(bundled_cases_path()))


@pytest.fixture(scope="module")
def independent_report() -> Report:
    return evaluate(load_cases(INDEPENDENT))


DEV_TARGETS = [
    ("full_under_triage", "<=", 0),
    ("sparse_under_triage", "<=", 0),
    ("interview_under_triage", "<=", 0),
    ("full_emergency_sensitivity_pct", ">=", 100),
    ("interview_emergency_sensitivity_pct", ">=", 100),
    ("full_incoherent", "<=", 0),
    ("sparse_incoherent", "<=", 0),
    ("interview_incoherent", "<=", 0),
    ("full_triage_pct", ">=", 90),
    ("interview_triage_pct", ">=", 90),
    ("full_relief_errors", "<=", 0),
    ("full_top3_pct", ">=", 95),
    ("full_top1_pct", ">=", 90),
    ("interview_top3_pct", ">=", 95),
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


@pytest.fixture(scope="module")
def library_report() -> Report:
    cases = [c for part in ("tuning", "check") for c in load_cases(LIBRARY / f"{part}.yaml")]
    return evaluate(cases)


def test_the_case_library_has_200_cases_a_third_sparse_and_a_fifth_traps() -> None:
    import yaml

    raw = [c for part in ("tuning", "check") for c in yaml.safe_load(
        (LIBRARY / f"{part}.yaml").read_text("utf-8"))]
    assert len(raw) >= 200
    assert len({c["id"] for c in raw}) == len(raw)
    assert all(str(c["source"]).startswith("http") for c in raw)
    assert sum(len(c["findings"]) <= 6 for c in raw) >= len(raw) / 3
    assert sum(str(c.get("comment", "")).lstrip().startswith("TRAP") for c in raw) >= len(raw) / 5


@pytest.mark.parametrize("mode", ["full", "sparse", "interview"])
def test_no_case_of_the_library_is_under_triaged(library_report: Report, mode: str) -> None:
    under = [o.case.id for o in getattr(library_report, mode) if o.under]
    assert under == []


@pytest.mark.parametrize("mode", ["full", "sparse", "interview"])
def test_no_result_of_the_library_contradicts_itself(library_report: Report, mode: str) -> None:
    assert [o.case.id for o in getattr(library_report, mode) if o.incoherent] == []


def test_every_emergency_of_the_library_is_caught(library_report: Report) -> None:
    figures = library_report.figures()
    assert figures["full_emergency_sensitivity_pct"] == 100
    assert figures["interview_emergency_sensitivity_pct"] == 100


def test_the_bundled_dev_cases_are_the_protocols_own() -> None:
    shared = SHARED_EVALUATE.parent / "cases" / "dev.yaml"
    if not shared.exists():
        pytest.skip("the shared evaluation folder is not beside the project")
    assert shared.read_text() == bundled_cases_path().read_text()


def test_the_protocols_evaluate_py_agrees_with_our_figures() -> None:
    if not SHARED_EVALUATE.exists():
        pytest.skip("the shared evaluation folder is not beside the project")
    completed = subprocess.run(
        [sys.executable, str(SHARED_EVALUATE), str(LIBRARY / "tuning.yaml"), "--json"],
        capture_output=True, text=True, check=True, timeout=120,
    )
    theirs = json.loads(completed.stdout)
    ours = evaluate(load_cases(LIBRARY / "tuning.yaml")).figures()
    assert theirs["vocabulary_missing"] == 0  # the knowledge base knows every protocol id
    for name, value in theirs.items():
        if name not in ("assess_ms_median", "vocabulary_missing"):
            assert ours[name] == value, name
