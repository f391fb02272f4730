"""Vignette files: a malformed one raises CaseError naming the file and the case; a relief
method offered with an emergency result counts as a relief error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from upperback.evaluation import Case, CaseError, Outcome, load_cases

GOOD: dict[str, Any] = {
    "id": "desk-01",
    "findings": {"age": 30, "hunched_posture": True},
    "expect": {"causes": ["poor_posture"], "triage": ["self_care", "soon"]},
}


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def with_expect(**expect: Any) -> dict[str, Any]:
    return GOOD | {"id": "bad-01", "expect": GOOD["expect"] | expect}


def test_a_good_case_file_loads(tmp_path: Path) -> None:
    (case,) = load_cases(write(tmp_path, [GOOD]))
    assert case.id == "desk-01"
    assert case.triage == ("self_care", "soon")
    assert case.findings == {"age": 30, "hunched_posture": True}


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        (with_expect(triage=["soon", "self_care"]), "bad triage range"),
        (with_expect(triage=["self_care", "panic"]), "bad triage range"),
        (with_expect(causes=["sore_back"]), "unknown cause 'sore_back'"),
        (with_expect(relief_include=["hot_bath"]), "unknown relief method 'hot_bath'"),
        (with_expect(relief_exclude=["cold_bath"]), "unknown relief method 'cold_bath'"),
        (GOOD | {"id": "bad-01", "findings": {"fevr": True}}, "fevr"),
        (GOOD | {"id": "bad-01", "unknown": ["fevr"]}, "fevr"),
        ({"id": "bad-01", "findings": {}}, "expect"),
    ],
    ids=["reversed_range", "unknown_level", "unknown_cause", "unknown_include",
         "unknown_exclude", "unknown_finding", "unknown_unknown", "no_expect"],
)
def test_a_malformed_case_names_the_file_and_the_case(
    tmp_path: Path, case: dict[str, Any], problem: str
) -> None:
    path = write(tmp_path, [GOOD, case])
    with pytest.raises(CaseError) as error:
        load_cases(path)
    message = str(error.value)
    assert message.startswith(f"{path}: case bad-01: ")
    assert problem in message


def test_a_case_without_an_id_is_named_by_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, [GOOD, {"findings": {}}])
    with pytest.raises(CaseError, match=r": case #2: "):
        load_cases(path)


def test_a_case_that_is_not_a_mapping_is_named_by_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, [GOOD, "just a line"])
    with pytest.raises(CaseError, match=r": case #2: "):
        load_cases(path)


@pytest.mark.parametrize("data", [{"cases": [GOOD]}, "desk-01", None])
def test_a_file_that_is_not_a_list_of_cases_is_refused(tmp_path: Path, data: Any) -> None:
    path = write(tmp_path, data)
    with pytest.raises(CaseError, match=r"expected a list of cases"):
        load_cases(path)


def test_a_file_that_is_not_yaml_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text("- id: [unclosed\n")
    with pytest.raises(CaseError) as error:
        load_cases(path)
    assert str(error.value).startswith(f"{path}: cannot read cases: ")


def test_a_file_that_cannot_be_read_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match=r"cannot read cases"):
        load_cases(tmp_path)  # a folder, not a file
    with pytest.raises(CaseError, match=r"none\.yaml: cannot read cases"):
        load_cases(tmp_path / "none.yaml")


def test_relief_offered_with_an_emergency_result_is_a_relief_error() -> None:
    case = Case(id="heart", summary="", findings={"chest_pain_pressure": True}, unknown=(),
                causes=("heart_attack",), triage=("emergency", "emergency"))
    wrong = Outcome(case=case, triage="emergency", causes=("heart_attack",),
                    relief=frozenset({"heat_pack"}))
    right = Outcome(case=case, triage="emergency", causes=("heart_attack",),
                    relief=frozenset())
    assert wrong.relief_problems == ["relief in emergency"]
    assert wrong.misses() == ["relief in emergency"]
    assert right.relief_problems == [] and right.misses() == []
