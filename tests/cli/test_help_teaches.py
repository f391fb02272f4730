"""Help that teaches: examples in every command's help, the answer ids listed by
`guide --findings` (and named in `check --help`), and shell completion offered."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from upperback.cli.guide import finding_allowed
from upperback.knowledge_base import KnowledgeBase

from .conftest import COMMANDS, Run

# `plan`, `exercise` and `breaks` are being built in parallel (issue 13): their help is theirs.
BUILT_ELSEWHERE = {"plan", "exercise", "breaks"}


@pytest.mark.parametrize(
    "name", [c for c in (*COMMANDS, "edit", "delete", "took") if c not in BUILT_ELSEWHERE]
)
def test_every_commands_help_has_examples(run: Run, name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"upperback {name}" in result.output.split("Example", 1)[1]


def test_the_main_help_has_examples_and_offers_completion(run: Run) -> None:
    output = run("--help").output
    assert "Examples:" in output
    assert "--install-completion" in output and "--show-completion" in output


def test_check_help_says_how_to_list_the_answer_ids(run: Run) -> None:
    assert "upperback guide --findings" in " ".join(run("check", "--help").output.split())


def test_guide_findings_lists_every_answer_id_with_what_it_allows(
    run: Run, kb: KnowledgeBase
) -> None:
    result = run("guide", "--findings")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for finding in kb.findings.values():
        assert any(line.startswith(f"{finding.id}  ") for line in lines), finding.id
    assert "age  a whole number from" in result.output


def test_an_answers_file_written_from_the_findings_list_is_accepted(
    run: Run, kb: KnowledgeBase, tmp_path: Path
) -> None:
    # One value of each kind, as guide --findings says: the list tells the truth.
    answers: dict[str, object] = {}
    for finding in kb.findings.values():
        said = finding_allowed(finding)
        if said.startswith("a whole number"):
            answers[finding.id] = finding.min
        elif said.startswith("one of"):
            answers[finding.id] = (finding.values or ())[0]
        else:
            answers[finding.id] = False
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), "utf-8")
    result = run("check", "--answers", str(path), "--json")
    assert result.exit_code == 0, result.output


def test_the_completion_script_for_bash_names_the_command(run: Run) -> None:
    result = run("--show-completion", "bash")
    assert result.exit_code == 0
    assert "_upperback_completion" in result.output
