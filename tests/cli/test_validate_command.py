"""`upperback validate`: the evaluation protocol's figures, misses, JSON and --require."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from upperback.evaluation import bundled_cases_path, evaluate, load_cases

from .conftest import Run


@pytest.fixture(scope="module")
def figures() -> dict[str, float | int]:
    """The figures on the bundled development cases, computed directly."""
    return evaluate(load_cases(bundled_cases_path())).figures()


def test_it_prints_the_figures_on_the_bundled_cases(
    run: Run, figures: dict[str, float | int]
) -> None:
    result = run("validate")
    assert result.exit_code == 0
    rows = dict(
        line.strip("│ ").split("│")[:2] for line in result.output.splitlines() if "│" in line
    )
    shown = {name.strip(): value.strip() for name, value in rows.items()}
    assert set(shown) == set(figures)
    assert shown["cases"] == str(figures["cases"])
    assert shown["full_under_triage"] == str(figures["full_under_triage"])


def test_json_gives_the_same_figures(run: Run, figures: dict[str, float | int]) -> None:
    data = json.loads(run("validate", "--json").stdout)
    assert data["figures"]["cases"] == figures["cases"]
    assert data["figures"]["full_under_triage"] == figures["full_under_triage"]


def test_a_met_requirement_exits_zero(run: Run) -> None:
    result = run("validate", "--require", "cases>=1", "--require", "full_under_triage<=1000")
    assert result.exit_code == 0
    assert "met: cases>=1" in result.output


def test_a_missed_requirement_exits_one_and_says_which(run: Run) -> None:
    result = run("validate", "--require", "full_triage_pct>100", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["failed"] == ["full_triage_pct>100"]


@pytest.mark.parametrize(
    ("requirement", "message"),
    [("speed>=1", "no figure 'speed'"), ("cases at least 3", "write it as NAME>=VALUE")],
)
def test_a_bad_requirement_is_refused_clearly(run: Run, requirement: str, message: str) -> None:
    result = run("validate", "--require", requirement)
    assert result.exit_code == 2
    assert message in result.output


def test_show_misses_lists_the_cases_that_missed(run: Run, tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- id: wrong-on-purpose\n"
        "  findings: {age: 30, hunched_posture: true, desk_hours_per_day: 10}\n"
        "  expect: {causes: [shingles], triage: [urgent, urgent]}\n"
    )
    result = run("validate", str(cases), "--show-misses")
    assert result.exit_code == 0
    assert "wrong-on-purpose (full): under" in result.output


def test_a_broken_cases_file_is_refused_clearly(run: Run, tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- id: bad\n"
        "  findings: {fevr: true}\n"
        "  expect: {causes: [], triage: [self_care, self_care]}\n"
    )
    result = run("validate", str(cases))
    assert result.exit_code == 2
    assert "case bad" in result.output and "fevr" in result.output


def test_a_missing_cases_file_is_named(run: Run, tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2
    assert "none.yaml" in result.output


def test_a_bound_that_is_not_a_number_is_refused_clearly(run: Run) -> None:
    result = run("validate", "--require", "cases>=1.2.3")
    assert result.exit_code == 2
    assert "'1.2.3' is not a number" in result.output


def test_json_with_show_misses_lists_each_miss_with_its_mode_and_problems(
    run: Run, tmp_path: Path
) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- id: wrong-on-purpose\n"
        "  findings: {age: 30, hunched_posture: true, desk_hours_per_day: 10}\n"
        "  expect: {causes: [shingles], triage: [urgent, urgent]}\n"
    )
    data = json.loads(run("validate", str(cases), "--json", "--show-misses").stdout)
    misses = {miss["mode"]: miss for miss in data["misses"]}
    assert set(misses) == {"full", "sparse", "interview"}
    full = misses["full"]
    assert full["case"] == "wrong-on-purpose"
    assert "under" in full["problems"] and "top3" in full["problems"]
    assert full["triage"] == "self_care"
    assert "shingles" not in full["causes"] and len(full["causes"]) <= 3


def test_show_misses_says_so_when_no_case_missed(run: Run, tmp_path: Path) -> None:
    import yaml

    report = evaluate(load_cases(bundled_cases_path()))
    missed = {outcome.case.id for _, outcome, _ in report.misses()}
    every = yaml.safe_load(bundled_cases_path().read_text())
    hits = [case for case in every if case["id"] not in missed]
    assert hits, "no bundled case is right in every mode"
    cases = tmp_path / "hits.yaml"
    cases.write_text(yaml.safe_dump(hits[:2]))
    result = run("validate", str(cases), "--show-misses")
    assert result.exit_code == 0
    assert "No case missed." in result.output
