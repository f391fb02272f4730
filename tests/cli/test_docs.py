"""docs/cli.md holds every command's live --help (like `cog --check`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import COMMANDS

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "gen_cli_docs.py"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    """scripts/gen_cli_docs.py, imported."""
    spec = importlib.util.spec_from_file_location("gen_cli_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_docs_are_up_to_date(gen: ModuleType) -> None:
    current = gen.DOCS.read_text("utf-8")
    assert gen.updated(current) == current, "run: .venv/bin/python scripts/gen_cli_docs.py"


def test_every_command_is_documented(gen: ModuleType) -> None:
    document = gen.DOCS.read_text("utf-8")
    hand_written = document.split(gen.START)[0]
    names = gen.command_names()
    assert set(COMMANDS) <= set(names)
    for name in names:
        assert f"### `upperback {name}`" in document
        assert f"**`{name}`**" in hand_written, f"describe `{name}` under 'What each command does'"


def test_every_command_has_a_help_text(gen: ModuleType) -> None:
    for line, text in gen.help_texts().items():
        usage, _, rest = text.partition("\n\n")
        assert usage.startswith(f"Usage: {line}")
        assert rest.strip() and not rest.startswith("Options:"), f"{line} has no help text"
