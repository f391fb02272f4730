"""`upperback validate`: score the guide on clinical vignettes (the evaluation protocol)."""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .errors import UserError
from .runtime import Runtime

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    ">": operator.gt,
    "<": operator.lt,
}
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_]+)\s*(>=|<=|==|>|<)\s*(-?[0-9.]+)\s*$")


@dataclass(frozen=True)
class Requirement:
    """A figure that must meet a bound, e.g. full_triage_pct>=90."""

    name: str
    op: str
    value: float

    def met(self, figures: Mapping[str, float | int]) -> bool:
        """Whether the figure meets the bound."""
        return OPERATORS[self.op](float(figures[self.name]), self.value)

    def __str__(self) -> str:
        return f"{self.name}{self.op}{self.value:g}"


def parse_requirement(text: str, names: list[str]) -> Requirement:
    """Read 'NAME>=VALUE' (or <=, ==, >, <); the name must be one of the figures."""
    match = REQUIREMENT.match(text)
    if match is None:
        raise UserError(f"--require {text!r}: write it as NAME>=VALUE, e.g. full_triage_pct>=90")
    name, op, value = match.groups()
    if name not in names:
        known = ", ".join(names)
        raise UserError(f"--require {text!r}: no figure {name!r}; the figures are {known}")
    try:
        return Requirement(name, op, float(value))
    except ValueError:
        raise UserError(f"--require {text!r}: {value!r} is not a number") from None


def validate(
    ctx: typer.Context,
    cases: Annotated[
        Path | None,
        typer.Argument(
            metavar="CASES.yaml", help="A vignette file (default: the bundled development cases)."
        ),
    ] = None,
    show_misses: Annotated[
        bool, typer.Option("--show-misses", help="List every case that missed, and how.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    require: Annotated[
        list[str] | None,
        typer.Option(
            "--require",
            metavar="NAME>=VALUE",
            help="Exit with code 1 unless a figure meets this bound (repeat for more).",
        ),
    ] = None,
) -> None:
    """Score the guide on clinical vignettes (the evaluation protocol).

    Runs every case with full answers, with only what the case states (sparse), and through
    the interview. Prints triage in range, under- and over-triage, emergency sensitivity,
    top-1 and top-3 cause accuracy, incoherent results, relief errors, interview length and
    the time per assessment.

    \b
    Examples:
      upperback validate
      upperback validate --show-misses
      upperback validate --require full_triage_pct>=90
    """
    runtime = Runtime.of(ctx)
    from ..evaluation import bundled_cases_path, evaluate, load_cases

    kb = runtime.kb
    path = cases if cases is not None else bundled_cases_path()
    if not path.exists():
        raise UserError(f"cannot read {path}: no such file")
    report = evaluate(load_cases(path, kb), kb)
    figures = report.figures()
    requirements = [parse_requirement(r, list(figures)) for r in require or []]
    failed = [r for r in requirements if not r.met(figures)]
    misses = report.misses()
    if as_json:
        document: dict[str, object] = {"cases_file": str(path), "figures": figures}
        if show_misses:
            document["misses"] = [
                {
                    "mode": mode,
                    "case": outcome.case.id,
                    "triage": outcome.triage,
                    "causes": list(outcome.causes[:3]),
                    "problems": problems,
                }
                for mode, outcome, problems in misses
            ]
        if requirements:
            document["failed"] = [str(r) for r in failed]
        typer.echo(json.dumps(document, indent=2))
    else:
        out = runtime.out
        table = Table("figure", "value", title=f"Evaluation on {path.name}", title_justify="left")
        for name, value in figures.items():
            table.add_row(name, f"{value:g}" if isinstance(value, float) else str(value))
        out.print(table)
        if show_misses:
            if not misses:
                out.print("No case missed.")
            for mode, outcome, problems in misses:
                out.print(
                    f"[bold]{escape(outcome.case.id)}[/] ({mode}): {escape(', '.join(problems))}; "
                    f"triage {outcome.triage}, top causes {escape(', '.join(outcome.causes[:3]))}"
                )
        for requirement in requirements:
            ok = requirement not in failed
            mark = "[green]met[/]" if ok else "[bold red]FAILED[/]"
            value = figures[requirement.name]
            out.print(f"{mark}: {requirement} (is {value:g})")
    if failed:
        raise typer.Exit(1)
