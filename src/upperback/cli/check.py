"""`upperback check`: the interview in the terminal, or an answers file, then the result."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from ..errors import UpperbackError
from .errors import UserError
from .prompts import Back, Prompter
from .runtime import Runtime

if TYPE_CHECKING:
    from ..conditions import AnswerValue
    from ..interview import Interview
    from ..knowledge_base import KnowledgeBase


def read_answers_file(path: Path) -> dict[str, Any]:
    """A mapping of finding id to value from a JSON or YAML file.

    A file holding {"answers": {...}} (the shape of a saved check or an API request) is
    accepted too.
    """
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise UserError(f"cannot read {path}: {reason}") from error
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise UserError(f"{path} is not valid JSON: {str(error).splitlines()[0]}") from error
    else:
        import yaml  # only for YAML files: it costs a JSON file's check 15-20 ms

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise UserError(f"{path} is not valid YAML: {str(error).splitlines()[0]}") from error
    if isinstance(data, dict) and set(data) == {"answers"} and isinstance(data["answers"], dict):
        data = data["answers"]
    if not isinstance(data, dict):
        raise UserError(f"{path} must hold a mapping of finding id to answer, e.g. age: 34")
    return data


def run_interview(kb: KnowledgeBase, prompter: Prompter,
                  start: Mapping[str, AnswerValue] | None = None) -> Interview:
    """Ask the interview's questions one at a time until it ends (at once in an emergency);
    `start` holds answers already known (a re-check's kept answers), not asked again."""
    from ..interview import Interview

    interview = Interview(kb, answers=start)
    while (question := interview.next_question()) is not None:
        reply = prompter.ask(question, len(interview.asked) + 1, interview.questions_left())
        if isinstance(reply, Back):
            if interview.back() is None:
                prompter.console.print("[yellow]This is the first question.[/]")
            continue
        interview.answer(reply)
    return interview


def save_check(
    runtime: Runtime, answers: dict[str, AnswerValue], result: dict[str, Any]
) -> int | None:
    """Save the check to the diary; on failure say so, and keep the result on screen."""
    from ..store.quick_save import save_check_quickly

    try:
        # A current SQLite diary takes the row without SQLAlchemy; anything else, the Store.
        saved = save_check_quickly(runtime.database_url, answers, result)
        if saved is not None:
            return saved
        record = runtime.store().save_check(answers, result)
    except UpperbackError as error:
        runtime.err.print(
            f"[bold red]Error:[/] [red]the check was not saved: {escape(str(error))}[/]",
            soft_wrap=True,
        )
        return None
    return int(record.id)


def check(
    ctx: typer.Context,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="Take the answers from a JSON or YAML file (finding id: value) instead of asking.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON (for scripts), with the "
                           "saved check's number as check_id.")
    ] = False,
    show: Annotated[
        int | None,
        typer.Option("--show", metavar="CHECK", min=1,
                     help="Show a saved check again (its number, as history lists it)."),
    ] = None,
    again: Annotated[
        bool,
        typer.Option("--again", help="Check again: start from your last check's answers about "
                     "your days, ask the rest, and say what changed."),
    ] = False,
) -> None:
    """Answer a few questions; get the likely causes and a relief plan.

    The result says how soon to get care and why, the most likely causes and the answers
    behind them, a relief plan with its safety rules, and when to get help. An emergency
    answer stops the questions at once. Every check is saved to your diary.

    Examples: upperback check; upperback check --answers mine.yaml --json; upperback check
    --show 3; upperback check --again
    """
    runtime = Runtime.of(ctx)
    kb = runtime.kb
    if show is not None:
        show_saved(runtime, show, as_json)
        return
    if again:
        if answers_file is not None:
            raise UserError("--again asks the questions: it cannot take --answers too")
        check_again(runtime, as_json)
        return
    from ..answers import check_answers
    from ..assessment import assess_checked

    if answers_file is not None:
        raw = read_answers_file(answers_file)
        try:
            answers = check_answers(kb, raw)
        except ValueError as error:
            raise UserError(f"{answers_file}: {error}") from error
        assessment = assess_checked(kb, answers)
    else:
        # With --json the questions go to stderr so that stdout holds only the JSON.
        console = runtime.err if as_json else runtime.out
        if not as_json:
            console.print(f"[bold]{kb.guide.title}[/]")
            console.print(f"[italic]{kb.guide.disclaimer}[/]")
        interview = run_interview(kb, Prompter(console, kb))
        answers, assessment = interview.answers, interview.result()
    result = assessment.result()
    data = result.model_dump(mode="json")
    saved = save_check(runtime, answers, data)
    if as_json:
        typer.echo(json.dumps({"check_id": saved} | data, indent=2, ensure_ascii=False))
    else:
        from .render import print_result

        runtime.out.print()
        print_result(runtime.out, result)
        if saved is not None and not assessment.is_emergency:
            runtime.out.print(f"[dim]Saved to your diary as check {saved}.[/]")
    if saved is None:
        raise typer.Exit(2)


def show_saved(runtime: Runtime, check_id: int, as_json: bool) -> None:
    """Show a saved check's result again, as it was saved (or say it cannot be read)."""
    from ..result import AssessmentResult

    record = runtime.store().check(check_id)
    if record is None:
        raise UserError(f"there is no saved check {check_id} (see: upperback history)")
    if as_json:
        typer.echo(json.dumps({"check_id": record.id, "created_at": record.created_at.isoformat()}
                              | record.result, indent=2, ensure_ascii=False, default=str))
        return
    result = AssessmentResult.from_saved(record.result)
    from .diary import when

    runtime.out.print(f"[dim]Check {record.id}, saved {when(record.created_at)}.[/]")
    if result is None:
        runtime.out.print("This check was saved in a form this version cannot show. It is kept "
                          "in your diary and in every export.")
        return
    from .render import print_result

    print_result(runtime.out, result)


def check_again(runtime: Runtime, as_json: bool) -> None:
    """A re-check: the last check's kept answers, every other question asked again, the
    result, and what changed since the last check."""
    from ..recheck import changes, recheck_answers
    from .diary import when

    kb = runtime.kb
    last = runtime.store().latest_check()
    if last is None:
        raise UserError("there is no saved check to check again (start one: upperback check)")
    kept = recheck_answers(kb, last.answers)
    console = runtime.err if as_json else runtime.out
    console.print(f"[bold]{kb.guide.title}: checking again[/]")
    console.print(f"[italic]{kb.guide.disclaimer}[/]")
    said = "; ".join(kb.findings[f].describe_value(v) for f, v in kept.items())
    console.print(f"From your check {last.id} of {when(last.created_at)}, kept: "
                  f"{escape(said) if said else 'nothing'}.", soft_wrap=True)
    console.print("Every other question comes again, as how you are now may have changed. "
                  "(To start from nothing: upperback check.)", soft_wrap=True)
    interview = run_interview(kb, Prompter(console, kb), start=kept)
    assessment = interview.result()
    result = assessment.result()
    data = result.model_dump(mode="json")
    saved = save_check(runtime, interview.answers, data)
    changed = changes(kb, last.answers, last.triage, interview.answers, result.triage)
    if as_json:
        shown = {"check_id": saved, "recheck_of": last.id,
                 "changes": changed.to_dict() if changed else None}
        typer.echo(json.dumps(shown | data, indent=2, ensure_ascii=False))
    else:
        from .render import print_changes, print_result

        runtime.out.print()
        print_result(runtime.out, result)
        if changed is not None and not assessment.is_emergency:
            print_changes(runtime.out, kb, changed, when(last.created_at))
        if saved is not None and not assessment.is_emergency:
            runtime.out.print(f"[dim]Saved to your diary as check {saved}.[/]")
    if saved is None:
        raise typer.Exit(2)
