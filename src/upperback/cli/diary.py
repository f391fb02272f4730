"""`upperback log` and `upperback history`: the pain diary, its chart, and the trend rule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..limits import PAGE_MAX, PAIN_MAX, PAIN_MIN
from ..timeaxis import runs, ticks
from ..trend import TREND_ENTRIES
from .errors import UserError
from .prompts import Prompter
from .runtime import Runtime
from .text import literal, plain, safe_text

if TYPE_CHECKING:
    from rich.console import Console

    from ..diary import NewEntry
    from ..knowledge_base import KnowledgeBase
    from ..store import DiaryEntry, Store
    from ..trend import PainScore

CHART_HEIGHT = 14
HISTORY_LIMIT = 30  # of each kind of record, unless --limit says otherwise


def when(moment: datetime, form: str = "%Y-%m-%d %H:%M") -> str:
    """A saved time in the person's local time, e.g. '2026-11-23 09:30'."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return local.strftime(form)


def check_symptoms(kb: KnowledgeBase, symptoms: Sequence[str]) -> list[str]:
    """Symptoms as yes/no finding ids; an unknown one raises UserError with a suggestion."""
    from ..answers import AnswerError
    from ..escalation import symptom_findings

    try:
        return symptom_findings(kb, symptoms)
    except AnswerError as error:
        raise UserError(
            f"--symptom: {error} See them all with: upperback log --list-symptoms"
        ) from None


def symptom_list(kb: KnowledgeBase) -> Table:
    """Every symptom --symptom accepts, warning signs first."""
    red = kb.red_flag_findings()
    table = Table("symptom", "what it means", "warning sign", box=None, show_header=True)
    bools = [f for f in kb.findings.values() if f.type == "bool"]
    for finding in sorted(bools, key=lambda f: (f.id not in red, f.id)):
        table.add_row(finding.id, finding.label, "yes" if finding.id in red else "")
    return table


WHERE_HELP = (
    "Where it hurts: a place on the body map by its id or label (e.g. between_shoulder_blades, "
    "'left ribs'; repeat it, or give a comma list), or your own words. See the places with "
    "--list-places."
)


def check_where(kb: KnowledgeBase, values: Sequence[str], option: str = "--where"
                ) -> tuple[list[str], str | None]:
    """--where's places (region ids) and the rest as free text; a mistyped id raises
    UserError with "did you mean" and the list of ids."""
    from ..body_regions import UnknownRegion, split_where

    try:
        return split_where(kb, values)
    except UnknownRegion as error:
        raise UserError(f"{option} {error}") from None


def place_list(kb: KnowledgeBase) -> Table:
    """Every place --where takes by id: its label and which drawing it is on."""
    table = Table("place", "label", "view", box=None, show_header=True)
    for region in kb.body_map.regions:
        table.add_row(region.id, region.label, region.view)
    return table


def checked_entry(
    kb: KnowledgeBase,
    pain: int,
    where: str | None,
    helped: str | None,
    note: str | None,
    symptoms: list[str],
) -> NewEntry:
    """The entry after the core's checks; a value not allowed raises UserError naming its
    option (--pain, --where, --helped, --note)."""
    from ..diary import check_entry
    from ..errors import InputError

    try:
        return check_entry(
            kb, pain=pain, where=where, helped=helped, note=note, symptoms=symptoms
        )
    except InputError as error:
        # The core's message starts with the field's name: name the option instead.
        message = str(error).removeprefix(error.field).lstrip()
        option = "symptom" if error.field == "symptoms" else error.field
        raise UserError(f"--{option} {message}") from None


def show_trend(console: Console, kb: KnowledgeBase, entries: Sequence[PainScore]) -> None:
    """The trend rule's verdict on the diary, if it has one."""
    from ..trend import pain_trend

    verdict = pain_trend(entries, kb)
    if verdict is None:
        return
    body = [literal(verdict.message, style="bold")]
    body.append(
        Text(
            f"Average pain at the start: {verdict.start_pain}, lately: {verdict.recent_pain} "
            f"(over {verdict.days} days).",
            style="dim",
        )
    )
    for source in kb.cited_sources(verdict.sources):
        body.append(
            literal(f"Source: {source.publisher}: {source.title}, {source.url}", style="dim")
        )
    label = kb.guide.levels[verdict.level].label
    console.print(
        Panel(
            Text("\n").join(body),
            title=f"[bold yellow]{safe_text(label)}[/]",
            title_align="left",
            border_style="yellow",
        )
    )


def log(
    ctx: typer.Context,
    pain: Annotated[
        int | None,
        typer.Option(
            "--pain", "-p", help="Pain now, from 0 (none) to 10 (the worst). Asked if left out."
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option("--where", metavar="PLACE", help=WHERE_HELP),
    ] = None,
    helped: Annotated[
        str | None, typer.Option("--helped", help="What helped, e.g. 'heat, a walk'.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Anything else to remember.")] = None,
    symptoms: Annotated[
        list[str] | None,
        typer.Option(
            "--symptom",
            "-s",
            metavar="SYMPTOM",
            help="A new symptom, e.g. fever (repeat for more). A warning sign re-runs the triage.",
        ),
    ] = None,
    list_symptoms: Annotated[
        bool, typer.Option("--list-symptoms", help="List the symptoms --symptom accepts and exit.")
    ] = False,
    list_places: Annotated[
        bool, typer.Option("--list-places", help="List the places --where accepts and exit.")
    ] = False,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="WHEN",
                     help="When, if not now, on this computer's clock: '2026-11-20 08:00'."),
    ] = None,
) -> None:
    """Add an entry to your pain diary.

    Give --pain (and the rest) on the command line, or leave it out to be asked.

    Example: upperback log --pain 4 --where between_shoulder_blades --where left_ribs --at
    "2026-11-20 08:00"
    """
    runtime = Runtime.of(ctx)
    kb = runtime.kb
    if list_symptoms:
        runtime.out.print(symptom_list(kb))
        return
    if list_places:
        runtime.out.print(place_list(kb))
        return
    from ..body_regions import where_text
    from ..diary import log_entry

    new_symptoms = check_symptoms(kb, symptoms or [])
    # Checked before anything is asked, so a mistyped place is said at once.
    places, own_words = check_where(kb, where or [])
    where_given = where_text(kb, places, own_words)
    from ..clock import check_local_time

    # Checked before anything is asked, so nothing typed is lost to a mistyped time.
    created_at = check_local_time("--at", at) if at is not None else None
    # Opened (and checked) before anything is asked: a diary that cannot be written is said
    # at once, not after the person has typed everything.
    store = runtime.store()
    if pain is None:
        prompter = Prompter(runtime.out, kb)
        pain = prompter.ask_number(
            f"Pain now, from {PAIN_MIN} (none) to {PAIN_MAX} (the worst):", PAIN_MIN, PAIN_MAX
        )
        if not where:
            typed = prompter.ask_text("Where does it hurt? (Enter to skip)")
            where_given = where_text(kb, [], typed)
        helped = helped or prompter.ask_text("What helped? (Enter to skip)")
        note = note or prompter.ask_text("Any note? (Enter to skip)")
    checked = checked_entry(kb, pain, where_given, helped, note, new_symptoms)
    logged = log_entry(kb, store, checked, created_at)
    entry = logged.entry
    if logged.noted:  # the note named a symptom: it counts as one, and the person is told
        named = ", ".join(kb.findings[f].label for f in logged.noted)
        runtime.out.print(f"[dim]Your note mentions: {escape(named)}.[/]", soft_wrap=True)
    if new_symptoms or logged.noted:
        raised = logged.escalation
        result = raised.assessment.result() if raised else None
        if result is not None and result.is_emergency:
            from .render import emergency_screen

            runtime.out.print(emergency_screen(result))
            return
        runtime.out.print(
            f"Logged: pain {entry.pain}/10 at {when(entry.created_at)} (entry {entry.id})."
        )
        if result is not None:
            from .render import triage_panel

            runtime.out.print(triage_panel(result))
            runtime.out.print("Run [bold]upperback check[/] for a full new check.")
    else:
        runtime.out.print(
            f"Logged: pain {entry.pain}/10 at {when(entry.created_at)} (entry {entry.id})."
        )
    show_trend(runtime.out, kb, store.pain_scores(TREND_ENTRIES))


def pain_chart(entries: Sequence[DiaryEntry], width: int) -> str:
    """A line chart of pain over time, as plain text (plotext): a real time axis (the same
    round ticks as the page and the PDF, from `upperback.timeaxis`), with no line drawn
    across a long gap with no entries."""
    import plotext

    figure = plotext.figure
    figure.clear.all()
    figure.plot_size(max(40, width), CHART_HEIGHT)
    # In time order whatever the rows hold (a time an old row could not keep reads as 1970
    # and sorts where the database put its text).
    entries = sorted(entries, key=lambda entry: entry.created_at)
    first, last = entries[0].created_at, entries[-1].created_at

    def hours(moment: datetime) -> float:
        return (moment - first).total_seconds() / 3600

    for run in runs([e.created_at for e in entries]):
        signal = figure.signal([hours(entries[i].created_at) for i in run],
                               [entries[i].pain for i in run])
        signal.lines()
        figure.draw(signal)
    marks = ticks(first, last, most=max(2, width // 10))  # room for each label
    end = max(hours(last), 1e-6)
    figure.ruler(axis="x").lim(0, end).ticks([hours(m.at) for m in marks],
                                             [m.label for m in marks])
    figure.ruler(axis="y").lim(PAIN_MIN, PAIN_MAX).ticks([0, 2, 4, 6, 8, 10])
    figure.title(f"Pain ({PAIN_MIN}-{PAIN_MAX})")
    drawn = str(figure.build().string(colorless=True))
    return "\n".join(line.rstrip() for line in drawn.splitlines())


def _entries_table(entries: Sequence[DiaryEntry]) -> Table:
    table = Table(title="Pain diary", title_justify="left")
    for column in ("entry", "when", "pain", "where", "helped", "symptoms", "note"):
        table.add_column(column, justify="right" if column == "pain" else "left", overflow="fold")
    for e in entries:
        # Stored text is shown literally (Text is not parsed as markup; `literal` drops escape
        # codes and control characters): an old row may hold anything.
        table.add_row(
            literal(e.id),
            when(e.created_at),
            literal(e.pain),
            literal(e.where),
            literal(e.helped),
            literal(", ".join(plain(symptom) for symptom in e.symptoms)),
            literal(e.note),
        )
    return table


def _checks_table(kb: KnowledgeBase, store: Store, limit: int) -> Table | None:
    checks = list(reversed(store.checks_page(limit).items))
    if not checks:
        return None
    table = Table("check", "when", "result", "most likely cause", title="Checks",
                  title_justify="left", caption="See one again: upperback check --show CHECK")
    from ..result import AssessmentResult

    for record in checks:
        result = AssessmentResult.from_saved(record.result)
        if result is None:  # saved by a version whose result this one cannot read
            table.add_row(literal(record.id), when(record.created_at), literal(record.triage), "")
            continue
        top = "" if result.is_emergency or not result.causes else result.causes[0].name
        table.add_row(literal(record.id), when(record.created_at), literal(result.triage_label),
                      literal(top))
    return table


def _timers_table(store: Store, limit: int) -> Table | None:
    timers = list(reversed(store.timers_page(limit).items))
    if not timers:
        return None
    table = Table("when", "kind", "planned", "done", title="Ice and heat", title_justify="left")
    for t in timers:
        ran = f"{t.seconds // 60}:{t.seconds % 60:02d}" if isinstance(t.seconds, int) else t.seconds
        done = f"{plain(ran)}{'' if t.completed else ' (stopped)'}"
        table.add_row(
            when(t.started_at), literal(t.kind), literal(f"{t.planned_minutes} min"), literal(done)
        )
    return table


def _doses_table(kb: KnowledgeBase, store: Store, limit: int) -> Table | None:
    doses = list(reversed(store.doses_page(limit).items))
    if not doses:
        return None
    table = Table("when", "medicine", "dose", title="Pain relievers", title_justify="left")
    for d in doses:
        method = kb.relief.get(d.medicine)
        table.add_row(when(d.taken_at), literal(method.name if method else d.medicine),
                      literal(f"{d.dose_mg:,} mg"))
    return table


def history(
    ctx: typer.Context,
    chart: Annotated[
        bool, typer.Option("--chart/--no-chart", help="Draw the chart of pain over time.")
    ] = True,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=1, max=PAGE_MAX,
                     help="Show the latest N entries, checks and timer sessions of each."),
    ] = HISTORY_LIMIT,
) -> None:
    """Show your pain diary, a pain chart, checks and timer sessions (the latest of each;
    `upperback export` writes them all).

    \b
    Examples:
      upperback history
      upperback history -n 50 --no-chart
    """
    runtime = Runtime.of(ctx)
    kb, store, out = runtime.kb, runtime.store(read_only=True), runtime.out
    entries = list(reversed(store.entries_page(limit).items))
    if entries:
        out.print(_entries_table(entries))
        if chart and len(entries) >= 2:
            out.print(Text(pain_chart(entries, min(out.width, 100) - 2)))
    else:
        out.print("Your pain diary is empty. Add an entry with: upperback log --pain 4")
    tables = (_checks_table(kb, store, limit), _timers_table(store, limit),
              _doses_table(kb, store, limit))
    for table in tables:
        if table is not None:
            out.print(table)
    counts = store.counts()
    if max(counts.entries, counts.checks, counts.timers, counts.doses) > limit:
        out.print(
            f"Showing the latest {limit} of each: the diary holds {counts.entries:,} entries, "
            f"{counts.checks:,} checks, {counts.timers:,} timer sessions and {counts.doses:,} "
            "medicine doses. See more with "
            "--limit N (up to 1000), or all of them with: upperback export"
        )
    show_trend(out, kb, store.pain_scores(TREND_ENTRIES))
    show_sessions_done(out, kb, store)
    latest = store.latest_check()
    if latest is not None:
        show_recheck(out, kb, latest.id, latest.triage, latest.created_at)


def show_sessions_done(console: Console, kb: KnowledgeBase, store: Store) -> None:
    """How many of the exercise plan's sessions were done lately (nothing without a plan)."""
    from ..store.programme_view import DONE_WINDOW_DAYS, planned_sessions_done

    counted = planned_sessions_done(kb, store, datetime.now().astimezone().date())
    if counted is not None:
        console.print(f"Exercise sessions: {counted[0]} of {counted[1]} planned done in the "
                      f"last {DONE_WINDOW_DAYS} days of your plan.")


def show_recheck(console: Console, kb: KnowledgeBase, check_id: int, level: str | None,
                 checked_at: datetime) -> None:
    """When to check again, from the last check's level (nothing when it has no re-check)."""
    from ..recheck import recheck_due

    due = recheck_due(kb, check_id, level, checked_at)
    if due is None:
        return
    day = when(due.due, "%Y-%m-%d")
    if due.overdue:
        console.print(f"[bold yellow]Time to check again:[/] your last check (check {check_id}) "
                      f"was {due.weeks} weeks ago, on {when(checked_at, '%Y-%m-%d')}. If your "
                      "pain is not better, run: upperback check")
    else:
        console.print(f"Next check-in: {day}, {due.weeks} weeks after your last check. "
                      "If your pain is not better by then, run: upperback check")


EntryId = Annotated[int, typer.Argument(min=1, metavar="ENTRY",
                                        help="The entry's number, as `history` shows it.")]


def edit(
    ctx: typer.Context,
    entry_id: EntryId,
    pain: Annotated[int | None, typer.Option("--pain", "-p", help="The pain, 0 to 10.")] = None,
    where: Annotated[list[str] | None, typer.Option(
        "--where", metavar="PLACE",
        help="Where it hurt: body map places (ids or labels, see: upperback log --list-places) "
             "or your own words; repeat it for more ('' clears it).")
    ] = None,
    helped: Annotated[str | None, typer.Option("--helped", help="What helped ('' clears it).")
                      ] = None,
    note: Annotated[str | None, typer.Option("--note", help="The note ('' clears it).")] = None,
    at: Annotated[str | None, typer.Option("--at", metavar="WHEN",
                                           help="When, on this computer's clock.")] = None,
) -> None:
    """Change a diary entry: its pain, where, what helped, note or time.

    Example: upperback edit 12 --pain 5 --at "2026-11-20 08:00"
    """
    runtime = Runtime.of(ctx)
    from ..body_regions import where_text
    from ..clock import check_local_time
    from ..diary import UNCHANGED, check_changes
    from ..errors import InputError

    # --where replaces the whole "where" (places and words); only empty values clear it.
    new_where = None if where is None else where_text(runtime.kb, *check_where(runtime.kb, where)
                                                      ) or ""
    given = {"pain": pain, "where": new_where, "helped": helped, "note": note}
    try:
        changes = check_changes(
            **{k: (UNCHANGED if v is None else v) for k, v in given.items()},
            created_at=UNCHANGED if at is None else check_local_time("created_at", at),
        )
    except InputError as error:
        if error.field == "changes":
            raise UserError("give what to change: --pain, --where, --helped, --note or --at"
                            ) from None
        option = "at" if error.field == "created_at" else error.field
        raise UserError(f"--{option} {str(error).removeprefix(error.field).lstrip()}") from None
    store = runtime.store()
    changed = store.update_entry(entry_id, changes)
    if changed is None:
        raise UserError(f"there is no diary entry {entry_id} (see: upperback history)")
    runtime.out.print(
        f"Changed entry {changed.id}: pain {changed.pain}/10 at {when(changed.created_at)}."
    )


def delete(
    ctx: typer.Context,
    entry_id: EntryId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete one diary entry (the rest of the diary stays).

    Example: upperback delete 12
    """
    runtime = Runtime.of(ctx)
    store = runtime.store()
    entry = store.entry(entry_id)
    if entry is None:
        raise UserError(f"there is no diary entry {entry_id} (see: upperback history)")
    if not yes:
        runtime.out.print(literal(
            f"Entry {entry.id}: pain {entry.pain}/10 at {when(entry.created_at)}"
            + (f", {entry.note}" if entry.note else "") + "."
        ))
        if not typer.confirm("Delete this entry?", default=False):
            runtime.out.print("Nothing was deleted.")
            raise typer.Exit(1)
    store.delete_entry(entry_id)
    runtime.out.print(f"Deleted entry {entry_id}.")
