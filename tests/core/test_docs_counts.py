"""The docs agree with the code: the counts they state (findings, causes, relief methods,
rules...) match the knowledge base, and the version has its CHANGELOG.md section.

Each number is read with a pattern tied to the phrase the doc uses. A pattern that finds nothing
fails too, so rewording a doc means updating its pattern here rather than losing the check.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import upperback
from upperback.evaluation import bundled_cases_path, load_cases
from upperback.knowledge_base import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE_DOC = ROOT / "docs" / "knowledge.md"
README = ROOT / "README.md"
CHANGELOG = ROOT / "CHANGELOG.md"

Count = Callable[[KnowledgeBase], int]
COUNTS: dict[str, Count] = {
    "findings": lambda kb: len(kb.findings),
    "causes": lambda kb: len(kb.causes),
    "relief methods": lambda kb: len(kb.relief),
    "red-flag rules": lambda kb: len(kb.red_flags),
    "questions": lambda kb: len(kb.questions),
    "sources": lambda kb: len(kb.sources),
    "development vignettes": lambda kb: len(load_cases(bundled_cases_path())),
}

# (document, what is counted, a pattern whose one group is the number), as the docs say it.
STATED: list[tuple[Path, str, str]] = [
    (KNOWLEDGE_DOC, "findings", r"\((\d+) findings; the 85 of the evaluation protocol"),
    (KNOWLEDGE_DOC, "causes", r"\| the (\d+) causes: plain description"),
    (KNOWLEDGE_DOC, "relief methods", r"\| the (\d+) relief methods: how to use each"),
    (KNOWLEDGE_DOC, "causes", r"normalising over the (\d+) causes"),
    (README, "development vignettes", r"The (\d+) textbook-style development vignettes"),
    (README, "development vignettes",
     r"development vignettes of the evaluation protocol \(`upperback validate`\); (\d+) cases"),
]


def _text(path: Path) -> str:
    """The document with its lines joined, so a phrase may wrap."""
    return re.sub(r"\s*\n\s*", " ", path.read_text("utf-8"))


def _in_numbers(path: Path) -> str:
    """The "In numbers:" paragraph of a document."""
    found = re.search(r"^In numbers: (.+?)(?:\n\n|\Z)", path.read_text("utf-8"), re.M | re.S)
    assert found, f"{path.name} has no 'In numbers:' paragraph"
    return re.sub(r"\s+", " ", found.group(1))


@pytest.mark.parametrize(
    ("document", "what", "pattern"),
    STATED,
    ids=[f"{d.name}-{w.replace(' ', '_')}-{n}" for n, (d, w, _) in enumerate(STATED)],
)
def test_each_count_the_docs_state_matches_the_knowledge_base(
    kb: KnowledgeBase, document: Path, what: str, pattern: str
) -> None:
    stated = [int(n) for n in re.findall(pattern, _text(document))]
    assert stated, f"{document.name} no longer says {pattern!r}: update the pattern here"
    assert stated == [COUNTS[what](kb)] * len(stated), f"{document.name}: {what}"


def test_the_docs_state_the_counts_of_the_knowledge_base(kb: KnowledgeBase) -> None:
    line = _in_numbers(KNOWLEDGE_DOC)
    for what, count in COUNTS.items():
        stated = re.findall(rf"(\d+) {re.escape(what)}\b", line)
        assert stated == [str(count(kb))], f"'In numbers' in knowledge.md: {what}"


def test_the_installed_version_is_the_packages_own() -> None:
    # pyproject.toml reads the version from upperback.__version__; a stale install differs.
    installed = importlib.metadata.version("upperback")
    assert installed == upperback.__version__, "reinstall: .venv/bin/python -m pip install -e ."


def test_the_changelog_has_a_section_for_this_version() -> None:
    headings = re.findall(r"^## \[([^\]]+)\]", CHANGELOG.read_text("utf-8"), re.M)
    assert headings[:1] == ["Unreleased"], "Keep a Changelog: 'Unreleased' comes first"
    assert upperback.__version__ in headings, f"add a '## [{upperback.__version__}]' section"
