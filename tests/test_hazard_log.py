"""The hazard log (docs/hazards.yaml): every hazard is complete, every test it names exists,
and docs/hazard-log.md is its current rendering (like tests/cli/test_docs.py)."""

from __future__ import annotations

import ast
import glob
import importlib.util
import re
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "gen_hazard_log.py"
HAZARD_ID = re.compile(r"^HAZ-\d{2,}$")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_hazard_log", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _script()
HAZARDS: list[dict[str, Any]] = GEN.load()
IDS = [str(h.get("id", f"entry-{n}")) for n, h in enumerate(HAZARDS, start=1)]


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"), filename=str(path))


def problem_with(node_id: str) -> str | None:
    """Why a pytest node id names no test (None when it does), read with ast, not imported.

    `tests/x.py::test_y`, `tests/x.py::TestZ::test_y` and `tests/x.py::test_y[param]` are
    allowed; a parametrized id is resolved to its function.
    """
    path_text, _, rest = node_id.partition("::")
    if not rest:
        return f"{node_id!r} is not a pytest node id (path::test_name)"
    if not path_text.startswith("tests/") or not path_text.endswith(".py"):
        return f"{path_text!r} is not a test file under tests/"
    path = ROOT / path_text
    if not path.is_file():
        return f"{path_text} does not exist"
    names = rest.split("::")
    names[-1] = names[-1].split("[", 1)[0]
    body: list[ast.stmt] = _tree(path).body
    for depth, name in enumerate(names):
        last = depth == len(names) - 1
        found: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | None
        if last:
            found = next((n for n in body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
                          and n.name == name), None)
        else:
            found = next((n for n in body if isinstance(n, ast.ClassDef) and n.name == name), None)
        if found is None:
            return f"{path_text} defines no {'test' if last else 'class'} {name!r}"
        body = found.body
    if not names[-1].startswith("test"):
        return f"{names[-1]!r} in {path_text} is not a test (its name must start with test)"
    return None


@pytest.mark.parametrize("hazard", HAZARDS, ids=IDS)
def test_each_hazard_has_every_field_and_nothing_else(hazard: dict[str, Any]) -> None:
    missing = [f for f in GEN.FIELDS if hazard.get(f) in (None, "", [], {})]
    assert not missing, f"missing or empty: {missing}"
    unknown = set(hazard) - set(GEN.FIELDS) - set(GEN.OPTIONAL)
    assert not unknown, f"unknown fields: {sorted(unknown)}"
    assert HAZARD_ID.match(hazard["id"]), "ids look like HAZ-01"
    for field in ("title", "harm", "residual"):
        assert isinstance(hazard[field], str) and hazard[field].strip(), field
    for field in ("causes", "tests", *GEN.OPTIONAL):
        items = hazard.get(field) or []
        assert isinstance(items, list) and all(isinstance(i, str) and i.strip() for i in items)
    for control in hazard["controls"]:
        assert isinstance(control, dict) and set(control) == {"what"}, control
        assert isinstance(control["what"], str) and control["what"].strip()


@pytest.mark.parametrize("hazard", HAZARDS, ids=IDS)
def test_each_hazard_names_at_least_one_test(hazard: dict[str, Any]) -> None:
    assert hazard.get("tests"), f"{hazard.get('id')}: no test proves its controls"


@pytest.mark.parametrize("hazard", HAZARDS, ids=IDS)
def test_each_test_a_hazard_names_exists(hazard: dict[str, Any]) -> None:
    problems = [p for t in hazard.get("tests") or [] if (p := problem_with(t)) is not None]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("hazard", HAZARDS, ids=IDS)
def test_each_control_names_files_that_exist(hazard: dict[str, Any]) -> None:
    for control in hazard.get("controls") or []:
        what = str(control.get("what", ""))
        named = GEN.NAMED_PATH.findall(what)
        assert named, f"{hazard['id']}: name the module or file that holds it: {what[:60]}"
        for path in named:
            assert glob.glob(str(ROOT / path)), f"{hazard['id']}: {path} does not exist"


def test_the_hazard_ids_are_unique() -> None:
    assert len(set(IDS)) == len(IDS), sorted(i for i in IDS if IDS.count(i) > 1)


def test_the_made_up_test_names_are_caught() -> None:
    here = "tests/test_hazard_log.py"
    assert problem_with(f"{here}::test_the_hazard_ids_are_unique") is None
    assert problem_with(f"{here}::test_each_hazard_names_at_least_one_test[HAZ-01]") is None
    assert "defines no test" in str(problem_with(f"{here}::test_that_nobody_wrote"))
    assert "defines no class" in str(problem_with(f"{here}::TestNothing::test_x"))
    assert "does not exist" in str(problem_with("tests/no_such_file.py::test_x"))
    assert "not a pytest node id" in str(problem_with(here))
    assert "not a test" in str(problem_with(f"{here}::problem_with"))


def test_the_hazard_log_page_is_the_current_rendering() -> None:
    current = GEN.DOCS.read_text("utf-8") if GEN.DOCS.exists() else ""
    assert GEN.render(HAZARDS) == current, "run: .venv/bin/python scripts/gen_hazard_log.py"


def test_the_summary_table_counts_each_hazards_controls_and_tests() -> None:
    page = GEN.render(HAZARDS)
    for hazard in HAZARDS:
        row = next(line for line in page.splitlines() if line.startswith(f"| [{hazard['id']}]"))
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[-3:-1] == [str(len(hazard["controls"])), str(len(hazard["tests"]))]
        assert f"## {hazard['id']}: {hazard['title']}" in page
