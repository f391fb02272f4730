"""The package's layers, checked from the source: the core knows nothing of the terminal, the
web, the store or the documents; each layer imports only the layers below it; there is no
import cycle; and the process environment is read in one place per entry point."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "upperback"

# Each layer, and the layers it may import (besides itself). The core is every module at the
# top of the package; `migrations` belongs to the store.
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "store": {"core"},
    "documents": {"core", "store"},
    "web": {"core", "store", "documents"},
    "cli": {"core", "store", "documents", "web"},
}
LAYER_OF_PACKAGE = {"store": "store", "migrations": "store", "documents": "documents",
                    "web": "web", "cli": "cli"}
# The only modules that may read os.environ: the console script and the server's app factory.
READS_ENVIRONMENT = {"upperback.cli.app", "upperback.web.server"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    parts = module.split(".")
    return LAYER_OF_PACKAGE.get(parts[1], "core") if len(parts) > 1 else "core"


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(module: str, path: Path, with_type_checking: bool = True) -> Iterator[str]:
    """The upperback modules this one imports (anywhere in it: lazy imports count too)."""
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    skipped: set[int] = set()
    if not with_type_checking:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and _is_type_checking(node):
                skipped.update(id(n) for child in node.body for n in ast.walk(child))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("upperback"):
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("upperback"):
                continue
            known = modules()
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield sub if sub in known else target


MODULES = modules()
EDGES = {m: sorted(set(imports(m, p))) for m, p in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_its_own_layer_and_the_ones_below(module: str) -> None:
    own = layer(module)
    allowed = MAY_IMPORT[own] | {own, "core"}
    wrong = [t for t in EDGES[module] if t != "upperback" and layer(t) not in allowed]
    assert not wrong, f"{module} ({own}) imports {wrong}"


def test_the_core_imports_nothing_of_the_terminal_the_web_the_store_or_the_documents() -> None:
    core = [m for m in MODULES if layer(m) == "core"]
    assert {"upperback.assessment", "upperback.triage", "upperback.diary"} <= set(core)
    leaks = {m: [t for t in EDGES[m] if layer(t) != "core"] for m in core}
    assert not {m: t for m, t in leaks.items() if t}


def test_there_is_no_import_cycle_in_the_package() -> None:
    # Imports only for type checking do not run, so they cannot make a cycle at run time.
    graph = {m: {t for t in imports(m, p, with_type_checking=False) if t in MODULES and t != m}
             for m, p in MODULES.items()}
    # The package's __init__ re-exports lazily (PEP 562), it imports nothing at load.
    graph["upperback"] = set()
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            cycle = path[path.index(node):] + [node]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if node in done:
            return
        for target in sorted(graph.get(node, ())):
            visit(target, [*path, node])
        done.add(node)

    for module in sorted(graph):
        visit(module, [])


def test_a_core_module_importing_the_store_lazily_is_caught(tmp_path: Path) -> None:
    # The check itself can fail: an import inside a function, written relative, is found.
    path = tmp_path / "triage.py"
    path.write_text("def f():\n    from .store import Store\n    return Store\n")
    found = list(imports("upperback.triage", path))
    assert found == ["upperback.store"]
    assert layer(found[0]) not in MAY_IMPORT["core"] | {"core"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_the_entry_points_read_the_process_environment(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text())
    reads = any(
        (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb")
         and isinstance(node.value, ast.Name) and node.value.id == "os")
        or (isinstance(node, ast.ImportFrom) and node.module == "os"
            and any(a.name in ("environ", "getenv") for a in node.names))
        for node in ast.walk(tree)
    )
    assert not reads or module in READS_ENVIRONMENT, f"{module} reads the environment"
