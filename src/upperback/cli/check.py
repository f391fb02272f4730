"""`upperback check`: the interview in the terminal, or an answers file, then the result."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from ..errors import UpperbackError
from .errors import UserError
from .prompts import Back, Prompter
from .runtime import Runtime

if TYPE_CHECKING:
    from rich.console import Console

    from ..conditions import AnswerValue
    from ..interview import Interview
    from ..knowledge_base import KnowledgeBase
    from ..result import AssessmentResult


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
                  start: Mapping[str, AnswerValue] | None = None,
                  resumed: bool = False) -> Interview:
    """Ask the interview's questions one at a time until it ends (at once in an emergency);
    `start` holds answers already known (a re-check's kept answers), not asked again. When
    `resumed`, they are the answers of a stopped check: `b` goes back through them."""
    from ..interview import Interview
    from .prompts import said_before

    interview = (Interview.replayed(kb, start) if resumed and start
                 else Interview(kb, answers=start))
    said: str | None = None
    try:
        while (question := interview.next_question()) is not None:
            number = len(interview.asked) + 1
            reply = prompter.ask(question, number, interview.progress_left(), said)
            said = None
            if isinstance(reply, Back):
                before = interview.answers
                earlier = interview.back()
                if earlier is None:
                    prompter.console.print("[yellow]This is the first question.[/]")
                else:
                    said = said_before(kb, earlier, before)
                continue
            interview.answer(reply)
    except KeyboardInterrupt:
        offer_to_keep(prompter, interview.answers)
        raise typer.Exit(130) from None
    return interview


def offer_to_keep(prompter: Prompter, answers: dict[str, AnswerValue]) -> None:
    """After Ctrl-C: offer to keep the answers so far, and say where they went (or that they
    were not kept). Enter, a second Ctrl-C or the end of input keep them: nothing is lost
    without a word."""
    from .resume import keep_answers

    console = prompter.console
    if not answers:
        console.print("\nStopped. There were no answers yet to keep.")
        return
    console.print(f"\nStopped. Keep your {len(answers)} answers so far, to finish later? "
                  "(y/n, Enter = yes)")
    try:
        reply = prompter.read().strip().lower()
    except (KeyboardInterrupt, UpperbackError):
        reply = ""
    if reply in {"n", "no"}:
        console.print("Your answers were not kept.")
        return
    try:
        path = keep_answers(answers)
    except OSError as error:
        console.print(f"[red]Your answers could not be kept: {escape(str(error))}[/]")
        return
    console.print(f"Kept in {escape(str(path))}. To go on: upperback check --resume",
                  soft_wrap=True)


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
    full: Annotated[
        bool,
        typer.Option("--full", help="Show the whole result: the reasons, the numbers, every "
                     "method and the sources (in a pager on a terminal). Default: one screen."),
    ] = False,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Go on with a check stopped with Ctrl-C, from the "
                     "answers kept then."),
    ] = False,
    describe: Annotated[
        str | None,
        typer.Option("--describe", metavar="TEXT",
                     help="Start from your own words about the pain; only what they leave "
                     "open is asked (warning signs you deny are still asked). Not saved."),
    ] = None,
) -> None:
    """Answer a few questions; get the likely causes and a relief plan.

    The result says how soon to get care and why, the most likely causes and the answers
    behind them, a relief plan with its safety rules, and when to get help. An emergency
    answer stops the questions at once. Every check is saved to your diary.

    On a terminal the check first asks you to describe your pain in your own words (Enter
    skips): what they say is taken as --describe takes it.

    An answers file names each answer by its id; to list the ids, what they mean and the
    values allowed: upperback guide --findings

    \b
    Examples:
      upperback check                          answer the questions here
      upperback check --full                   the whole result, not one screen
      upperback check --answers mine.yaml --json
      upperback check --show 3 --full          a saved check again, in full
      upperback check --again                  how are you now, since the last check?
      upperback check --resume                 go on after Ctrl-C
      upperback check --describe "a burning between my shoulder blades at work, no fever"
    """
    runtime = Runtime.of(ctx)
    kb = runtime.kb
    if show is not None:
        show_saved(runtime, show, as_json, full)
        return
    if resume and (answers_file is not None or again):
        raise UserError("--resume asks the questions left: it cannot take --answers or --again")
    if describe is not None and (answers_file is not None or again or resume):
        raise UserError("--describe starts a new check: it cannot take --answers, --again or "
                        "--resume")
    if again:
        if answers_file is not None:
            raise UserError("--again asks the questions: it cannot take --answers too")
        check_again(runtime, as_json, full)
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
        from .resume import drop_kept, kept_answers, resume_path

        console = runtime.err if as_json else runtime.out
        if not as_json:
            console.print(f"[bold]{kb.guide.title}[/]")
            console.print(f"[italic]{kb.guide.disclaimer}[/]")
        # Read only to resume: a damaged file must not stop a new check.
        start = kept_answers() if resume else None
        if resume and start is None:
            raise UserError("there is no stopped check to go on with (start one: upperback check)")
        if resume:
            console.print(f"Going on from the {len(start or {})} answers you kept.")
        elif resume_path().exists():
            console.print("[dim]You have a stopped check; to go on with it instead: "
                          "upperback check --resume[/]", soft_wrap=True)
        try:
            checked = check_answers(kb, start) if resume and start else None
        except ValueError as error:
            raise UserError(f"the kept answers no longer fit this version ({error}); start "
                            "again: upperback check") from error
        if describe is None and not resume and on_a_terminal():
            describe = ask_own_words(Prompter(console, kb))
        if describe is not None:
            checked = understood_from(console, kb, describe)
        interview = run_interview(kb, Prompter(console, kb), start=checked,
                                  resumed=resume and describe is None)
        answers, assessment = interview.answers, interview.result()
        if resume:
            drop_kept()
    result = assessment.result()
    data = result.model_dump(mode="json")
    saved = save_check(runtime, answers, data)
    if as_json:
        typer.echo(json.dumps({"check_id": saved} | data, indent=2, ensure_ascii=False))
    else:
        runtime.out.print()
        show_result(runtime, result, saved, full)
    if saved is None:
        raise typer.Exit(2)


OWN_WORDS_PROMPT = "Tell us about your pain in your own words (or press Enter to skip):"


def on_a_terminal() -> bool:
    """Whether a person is typing at a terminal (standard input and output both are one):
    scripts and piped input get the questions alone, as before."""
    import sys

    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


def ask_own_words(prompter: Prompter) -> str | None:
    """The interactive check's optional first prompt: the person's own words (read as
    --describe reads them), or None when they press Enter. Ctrl-C stops the check."""
    from ..free_text import TEXT_MAX

    console = prompter.console
    while True:
        console.print()
        console.print(f"[bold]{OWN_WORDS_PROMPT}[/]")
        try:
            text = prompter.read().strip()
        except KeyboardInterrupt:
            offer_to_keep(prompter, {})
            raise typer.Exit(130) from None
        if len(text) <= TEXT_MAX:
            return text or None
        console.print(f"[yellow]Please keep it to {TEXT_MAX} characters (that was "
                      f"{len(text)}), or press Enter to skip.[/]")


def understood_from(console: Console, kb: KnowledgeBase, text: str) -> dict[str, AnswerValue]:
    """Read the person's own words (`upperback.parse`), say what was understood and what was
    left out, and return the answers the interview starts from."""
    from ..free_text import parse

    parsed = parse(text, kb)
    found = parsed.findings
    if found:
        console.print("[bold]We understood:[/]")
        for finding_id, value in found.items():
            console.print(f"  - {escape(kb.findings[finding_id].describe_value(value))}",
                          soft_wrap=True)
    else:
        console.print("We did not find answers in your words: the questions follow.")
    unsure = parsed.not_taken
    if unsure:
        said = "; ".join(f'"{escape(m.text)}" ({m.certainty.replace("_", " ")})'
                         for m in unsure)
        # Wrapped at the terminal's width between words: a quoted phrase is never cut.
        console.print(f"[dim]Not taken as answers: {said}.[/]")
    if parsed.to_confirm:
        again = "; ".join(escape(kb.findings[f].label) for f in parsed.to_confirm)
        console.print(f"[dim]These are asked again, to be sure, as they change how soon you "
                      f"need a doctor: {again}.[/]")
    console.print("[dim]If we read something wrong, stop (Ctrl-C) and start again with other "
                  "words, or without --describe.[/]")
    return parsed.interview_answers()


def print_full(console: Console, result: AssessmentResult,
               after: Callable[[], None] | None = None) -> None:
    """The full result (and what `after` prints), through a pager when on a terminal."""
    from contextlib import nullcontext

    from .render import print_result

    # Plain text in the pager: `less` shows colour codes as junk unless LESS=-R is set.
    with console.pager(styles=False) if console.is_terminal else nullcontext():
        print_result(console, result, None)
        if after is not None:
            after()


def show_result(runtime: Runtime, result: AssessmentResult, saved: int | None, full: bool,
                after: Callable[[], None] | None = None) -> None:
    """The result: one screen ending with where the full result is, or (with --full)
    everything, through a pager when stdout is a terminal. `after` prints what follows
    the result (a re-check's changes)."""
    from .render import FullHint, print_result

    console = runtime.out
    saved_line = f"Saved to your diary as check {saved}." if saved is not None else ""
    if result.is_emergency:
        print_result(console, result, None)
        return
    if full or saved is None:  # not saved: there is no --show to come back to
        print_full(console, result, after)
        if saved_line:
            console.print(f"[dim]{saved_line}[/]")
        return
    command = f"upperback check --show {saved} --full"
    print_result(console, result, FullHint(f"{saved_line} The full result:", command))
    if after is not None:
        after()


def show_saved(runtime: Runtime, check_id: int, as_json: bool, full: bool = False) -> None:
    """Show a saved check's result again, as it was saved (or say it cannot be read)."""
    from ..result import AssessmentResult

    record = runtime.store(read_only=True).check(check_id)
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
    from .render import FullHint, print_result

    if result.is_emergency:
        print_result(runtime.out, result, None)
    elif full:
        print_full(runtime.out, result)
    else:
        print_result(runtime.out, result, FullHint(
            "The full result:", f"upperback check --show {record.id} --full"))


def check_again(runtime: Runtime, as_json: bool, full: bool = False) -> None:
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
        from .render import print_changes

        def print_changed() -> None:
            if changed is not None:
                print_changes(runtime.out, kb, changed, when(last.created_at))

        runtime.out.print()
        show_result(runtime, result, saved, full, after=print_changed)
    if saved is None:
        raise typer.Exit(2)
