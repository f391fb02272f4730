"""The HTML pages: the guide, results, the timer, the diary and the about page.

Every page is built from the knowledge base, the engine and the store; each names its JSON
twin in a `<link rel="alternate">`. Every POST form is checked for its CSRF token.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date
from typing import IO, Any, TextIO
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData

from upperback import AnswerError, KnowledgeBase
from upperback.body_regions import check_regions, where_text
from upperback.clock import check_local_time, local_text
from upperback.diary import check_entry
from upperback.documents.export import (
    check_csv_kind,
    patient_details,
    write_csv,
    write_csv_zip,
    write_fhir,
    write_json,
)
from upperback.documents.local_time import zone_named
from upperback.errors import InputError, TooLong
from upperback.limits import (
    DOSE_MAX_MG,
    NOTE_MAX,
    PAIN_MAX,
    PAIN_MIN,
    SHORT_TEXT_MAX,
    SYMPTOMS_MAX,
    TEXT_LIMITS,
)
from upperback.medicines import check_dose, log_dose, medicines
from upperback.recheck import changes, recheck_due
from upperback.sessions import TIMER_METHODS, check_session, session_cautions, session_limit
from upperback.store import CheckRecord, RecordError, Store
from upperback.store.programme_view import DONE_WINDOW_DAYS, planned_sessions_done
from upperback.store.records import Counts, DiaryEntry, MedicineDose, Page, PainPoint, TimerSession
from upperback.trend import TREND_ENTRIES, pain_trend

from .api_models import CheckOut
from .chart import pain_chart
from .comments_views import comment_section
from .context import web
from .diary_entries import save_entry
from .emergency_view import emergency_said, phones_view
from .forms import require_csrf
from .knowledge_views import (
    cause_view,
    home_view,
    relief_view,
    source_dict,
    timer_kind,
)
from .record_views import (
    about_data,
    check_dict,
    check_summary,
    entry_dict,
    find_check,
    timer_dict,
    trend_dict,
)
from .visitors import forget_key, in_diary, is_public
from .write_limits import count_write

PAIN_CHOICES = range(PAIN_MIN, PAIN_MAX + 1)


router = APIRouter(dependencies=[Depends(require_csrf)])


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- the guide -------------------------------------------------------------------------------


@router.get("/")
async def home(request: Request) -> Response:
    """The guide: when to get help now, the causes and the relief methods."""
    context = web(request)
    return context.pages.render(request, "home.html",
                                {"guide": home_view(context.kb),
                                 "comments": await comment_section(request, "/")},
                                json_twin="/api/v1/knowledge")


@router.get("/causes/{cause_id}")
async def cause(cause_id: str, request: Request) -> Response:
    """One cause: what it feels like, what to do, when to get help, and sources."""
    context = web(request)
    if cause_id not in context.kb.causes:
        raise HTTPException(404, "There is no such cause in the guide.")
    return context.pages.render(request, "cause.html",
                                {"cause": cause_view(context.kb, cause_id),
                                 "comments": await comment_section(request, f"/causes/{cause_id}")},
                                json_twin=f"/api/v1/knowledge/causes/{cause_id}")


@router.get("/relief/{method_id}")
async def relief(method_id: str, request: Request) -> Response:
    """One relief method: how to use it safely, who should not, and sources."""
    context = web(request)
    if method_id not in context.kb.relief:
        raise HTTPException(404, "There is no such relief method in the guide.")
    return context.pages.render(request, "relief.html",
                                {"method": relief_view(context.kb, method_id),
                                 "comments": await comment_section(request,
                                                                   f"/relief/{method_id}")},
                                json_twin=f"/api/v1/knowledge/relief/{method_id}")


@router.get("/sources")
async def sources(request: Request) -> Response:
    """Every source the guide's facts come from."""
    context = web(request)
    listed = [source_dict(s) for s in context.kb.sources.values()]
    return context.pages.render(request, "sources.html", {"sources": listed},
                                json_twin="/api/v1/knowledge/sources")


@router.get("/about")
async def about(request: Request) -> Response:
    """Privacy, where the data is kept, and the disclaimer."""
    context = web(request)
    return context.pages.render(request, "about.html", {"about": about_data(context)},
                                json_twin="/api/v1/about")


@router.get("/robots.txt", include_in_schema=False)
async def robots() -> Response:
    """A valid robots.txt. The server listens on this computer only, so no crawler reaches it;
    blocking pages here would only make audits report them as hidden from search."""
    text = "User-agent: *\nDisallow:\n"
    return Response(text, media_type="text/plain")


# -- results ---------------------------------------------------------------------------------


async def _check(request: Request, check_id: int) -> CheckRecord:
    record = await find_check(request, check_id)
    if record is None:
        raise HTTPException(404, "There is no saved check with this number.")
    return record


@router.get("/result/{check_id}.json", include_in_schema=False)
async def result_json(check_id: int, request: Request) -> Response:
    """The result page's JSON twin (the same as GET /api/v1/checks/{id})."""
    context = web(request)
    data = check_dict(context.kb, await _check(request, check_id))
    return Response(CheckOut.model_validate(data).model_dump_json(), media_type="application/json")


@router.get("/result/{check_id}")
async def result(check_id: int, request: Request) -> Response:
    """A saved check's result: triage and why, causes and why, the plan, what was withheld."""
    context = web(request)
    record = await _check(request, check_id)
    if record.assessment() is None:  # saved by a version (or a program) this one cannot read
        return context.pages.render(
            request, "result_unreadable.html", {"when": local_text(record.created_at)},
            json_twin=f"/result/{check_id}.json",
        )
    view = result_view(record) | result_extras(context.kb, record.result)
    # Checking again is offered where the follow-up sets a re-check (not at urgent: be seen).
    view["recheck_offered"] = bool(
        context.kb.guide.follow_up.recheck_after_days.get(record.triage))  # type: ignore[call-overload]
    view["changes"] = None
    since = request.query_params.get("since", "")
    if since.isdigit() and len(since) <= 10 and int(since) < check_id:
        view["changes"] = await _changes_since(request, int(since), record)
    return context.pages.render(
        request,
        "result.html",
        view,
        json_twin=f"/result/{check_id}.json",
    )


async def _changes_since(request: Request, earlier_id: int, record: CheckRecord
                         ) -> dict[str, Any] | None:
    """What changed from an earlier check (a re-check's starting point) to this one."""
    context = web(request)
    earlier = await in_diary(request, lambda store: store.check(earlier_id))
    if earlier is None:
        return None
    found = changes(context.kb, earlier.answers, earlier.triage, record.answers, record.triage)
    if found is None:
        return None
    return {"since": local_text(earlier.created_at, "%Y-%m-%d"), "lines": found.lines(context.kb),
            "rose": found.level_rose}


def result_view(record: Any) -> dict[str, Any]:
    """What the result page needs: the saved result, its likely causes, and source numbers."""
    result = record.result
    likely = set(result.get("likely_causes", []))
    causes = result.get("causes", [])
    return {
        "record": record,
        "result": result,
        "likely": [c for c in causes if c["id"] in likely],
        "others": [c for c in causes if c["id"] not in likely],
        "numbers": {s["id"]: n for n, s in enumerate(result.get("sources", []), start=1)},
        "emergency_level": {
            "headline": result.get("headline"),
            "action": result.get("action"),
            "steps": result.get("emergency_steps", []),
        },
    }


# The relief plan's first methods shown open on the result page; the rest fold below them.
FIRST_METHODS = 3


def result_extras(kb: KnowledgeBase, result: dict[str, Any]) -> dict[str, Any]:
    """What the result page adds from the knowledge base: each ice or heat method's timer at
    the plan's minutes, and for an emergency the numbers to call and the answers behind it."""
    timers = {}
    for method in result.get("relief", []):
        kind = timer_kind(method["id"])
        if kind is not None and method["id"] in kb.relief:
            known = kb.relief[method["id"]]
            timers[method["id"]] = {"kind": kind,
                                    "minutes": known.default_minutes or known.max_minutes}
    return {"timers": timers, "first_methods": FIRST_METHODS, "phones": phones_view(kb),
            "emergency_said": emergency_said(kb, result)}


# -- timer -----------------------------------------------------------------------------------


def _timer_method(kb: KnowledgeBase, kind: str) -> dict[str, Any] | None:
    method_id = TIMER_METHODS.get(kind)
    if method_id is None or method_id not in kb.relief:
        return None
    return relief_view(kb, method_id)


@router.get("/timer")
async def timer(request: Request, kind: str = "ice", logged: int = 0,
                minutes: str = "") -> Response:
    """An ice or heat countdown (at most the method's limit) with its safety rules, set to
    `minutes` when a relief plan links to it (a value out of range: the usual length)."""
    context = web(request)
    method = _timer_method(context.kb, kind)
    if method is None:
        raise HTTPException(404, "There is no timer of this kind. Choose ice or heat.")
    limit = method["max_minutes"]
    chosen = int(minutes) if minutes.isdigit() and len(minutes) <= 3 else 0
    if not 1 <= chosen <= limit:
        chosen = method["default_minutes"] or limit
    kinds = [(k, context.kb.relief[m].name) for k, m in TIMER_METHODS.items()
             if m in context.kb.relief]
    latest = await in_diary(request, lambda store: store.latest_check())
    cautions = session_cautions(context.kb, kind, latest.answers) if latest else []
    return context.pages.render(
        request,
        "timer.html",
        {"kind": kind, "method": method, "kinds": kinds, "logged": bool(logged),
         "cautions": cautions, "minutes": chosen},
        json_twin="/api/v1/timers",
    )


@router.post("/timer/log", dependencies=[Depends(count_write)])
async def timer_log(request: Request) -> Response:
    """Log a session timed some other way (the page's form when JavaScript is off)."""
    context = web(request)
    form = await request.form()
    kind = str(form.get("kind", ""))
    method = _timer_method(context.kb, kind)
    if method is None:
        raise HTTPException(400, "Choose ice or heat.")
    minutes = _whole_number(form, "minutes")
    try:
        check_session(context.kb, kind, minutes if minutes is not None else 0)
    except InputError:
        limit = session_limit(context.kb, kind)
        raise HTTPException(
            400, f"Enter the minutes as a whole number from 1 to {limit}."
        ) from None
    assert minutes is not None  # check_session refuses a missing number (0)
    await in_diary(request,
        lambda store: store.log_timer(kind, minutes, minutes * 60, completed=True)
    )
    return _see_other(f"/timer?kind={kind}&logged=1")


def _whole_number(form: FormData, name: str) -> int | None:
    raw = form.get(name)
    try:
        return int(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


# -- diary -----------------------------------------------------------------------------------


# Every list on the diary page is one bounded page: the newest first, older and newer pages
# by links with a cursor (the entries' page is the same as its JSON twin's default page).
DIARY_ENTRIES = 50
DIARY_SESSIONS = 10
DIARY_CHECKS = 10
DIARY_DOSES = 10
# The trend reads the newest entries' scores only (times and pain, no notes): a current
# episode longer than this is judged by its newest entries.
# The query parameter that holds each list's cursor, and the part of the page it links to.
DIARY_LISTS = {"entries": ("before", "entries"), "timers": ("timers_before", "timers"),
               "checks": ("checks_before", "checks")}


@dataclass(frozen=True)
class DiaryCursors:
    """Where each list of the diary page starts (None: at the newest)."""

    entries: str | None = None
    timers: str | None = None
    checks: str | None = None

    @classmethod
    def of(cls, request: Request) -> DiaryCursors:
        """The cursors in a GET /diary address (none for the page a form post answers)."""
        if request.method != "GET":
            return cls()
        query = request.query_params
        return cls(*(query.get(name) for name, _ in DIARY_LISTS.values()))

    def link(self, kind: str, before: str | None) -> str:
        """The diary's address with this list at the page ending at `before`, the rest kept."""
        cursors = {k: getattr(self, k) for k in DIARY_LISTS} | {kind: before}
        query = urlencode({DIARY_LISTS[k][0]: v for k, v in cursors.items() if v is not None})
        return f"/diary{'?' + query if query else ''}#{DIARY_LISTS[kind][1]}"

    def pager(self, kind: str, page: Page[Any]) -> dict[str, str | None]:
        """Links to the older and the newer page of one list (None where there is none)."""
        return {
            "older": self.link(kind, page.next) if page.next is not None else None,
            "newer": self.link(kind, page.previous) if page.has_previous else None,
        }


@dataclass(frozen=True)
class DiaryData:
    """What the diary page reads from the store, each part bounded."""

    entries: Page[DiaryEntry]
    timers: Page[TimerSession]
    checks: Page[CheckRecord]
    counts: Counts
    scores: list[PainPoint]
    doses: Page[MedicineDose]
    latest: CheckRecord | None


def _diary(cursors: DiaryCursors) -> Callable[[Store], DiaryData]:
    def read(store: Store) -> DiaryData:
        return DiaryData(
            entries=store.entries_page(DIARY_ENTRIES, cursors.entries),
            timers=store.timers_page(DIARY_SESSIONS, cursors.timers),
            checks=store.checks_page(DIARY_CHECKS, cursors.checks),
            counts=store.counts(),
            scores=store.pain_scores(TREND_ENTRIES),
            doses=store.doses_page(DIARY_DOSES),
            latest=store.latest_check(),
        )

    return read


BAD_LINK = (
    "This link to a page of your diary is not valid (it may have been cut short or changed). "
    "Open the diary again from the menu."
)


async def _diary_page(
    request: Request,
    error: str | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
    raised: dict[str, Any] | None = None,
    dose: dict[str, Any] | None = None,
) -> Response:
    context = web(request)
    cursors = DiaryCursors.of(request)
    try:
        data = await in_diary(request, _diary(cursors))
    except RecordError as problem:
        if problem.field != "before":
            raise
        raise HTTPException(422, BAD_LINK) from problem
    shown = data.entries.items
    exercise_done = await in_diary(request,
        lambda store: planned_sessions_done(context.kb, store, date.today()))
    twin = "/api/v1/diary/entries"
    if cursors.entries is not None:
        twin += "?" + urlencode({"before": cursors.entries})
    return context.pages.render(
        request,
        "diary.html",
        {
            "entries": [entry_dict(e) for e in shown],
            "entries_pages": cursors.pager("entries", data.entries),
            "counts": data.counts,
            "chart": pain_chart([(e.created_at, e.pain) for e in shown]),
            "trend": trend_dict(context.kb, pain_trend(data.scores, context.kb)),
            "timers": [timer_dict(t) for t in data.timers.items],
            "timers_pages": cursors.pager("timers", data.timers),
            "timer_names": {k: context.kb.relief[m].name for k, m in TIMER_METHODS.items()
                            if m in context.kb.relief},
            "checks": [check_summary(context.kb, c) for c in data.checks.items],
            "checks_pages": cursors.pager("checks", data.checks),
            "pain_choices": PAIN_CHOICES,
            "pain_anchors": context.kb.guide.pain_scale.anchors,
            "symptom_choices": [
                (fid, context.kb.findings[fid].item or context.kb.findings[fid].label)
                for fid in context.kb.warning_signs
            ],
            "escalation": raised,
            "doses": [d.as_dict() for d in data.doses.items],
            "recheck": (recheck_due(context.kb, data.latest.id, data.latest.triage,
                                    data.latest.created_at) if data.latest else None),
            "medicine_names": {m.id: m.name for m in medicines(context.kb).values()},
            "dose": dose,
            "exercise_done": exercise_done,
            "exercise_days": DONE_WINDOW_DAYS,
            "error": error,
            "form": form or {},
            "added": request.query_params.get("added") == "1",
            "deleted": request.query_params.get("deleted") == "1",
            "removed": request.query_params.get("removed") == "1",
        },
        status_code=status_code,
        json_twin=twin,
    )


@router.get("/diary")
async def diary(request: Request) -> Response:
    """The pain diary: a chart, the entries, timer sessions, past checks, export and delete."""
    return await _diary_page(request)


def _form_problem(error: InputError) -> str:
    """What to change on one of the diary page's forms, in plain words."""
    if isinstance(error, AnswerError):
        return "Choose new symptoms only from the list."
    if not isinstance(error, TooLong) and error.field in TEXT_LIMITS:
        # Not too long but not valid text (a control character, a broken encoding).
        return f"Remove the odd characters from '{error.field}' and try again."
    return {
        "pain": f"Choose how bad the pain is, from {PAIN_MIN} (none) to {PAIN_MAX} (the worst).",
        "where": f"Keep 'where' and 'what helped' under {SHORT_TEXT_MAX} characters.",
        "helped": f"Keep 'where' and 'what helped' under {SHORT_TEXT_MAX} characters.",
        "note": f"Keep the note under {NOTE_MAX} characters.",
        "symptoms": f"Choose at most {SYMPTOMS_MAX} new symptoms.",
        "when": "Enter when it was as a date and time from 1900 to now, or leave it empty.",
        "medicine": "Choose the medicine from the list.",
        "dose_mg": f"Enter the dose as a whole number of mg, from 1 to {DOSE_MAX_MG:,}.",
        "at": "Enter when you took it as a date and time, or leave it empty for now.",
    }.get(error.field, str(error))


@router.post("/diary/entries", dependencies=[Depends(count_write)])
async def add_entry(request: Request) -> Response:
    """Add a diary entry from the page's form."""
    form = await request.form()
    values: dict[str, Any] = {
        name: str(form.get(name, "")).strip()
        for name in ("pain", "where", "helped", "note", "when")
    }
    values["symptoms"] = [str(v) for v in form.getlist("symptom")]
    values["regions"] = [str(v) for v in form.getlist("region")]
    kb = web(request).kb
    try:
        # The body map's places and the free text are kept together as the "where" text.
        where = where_text(kb, check_regions(kb, values["regions"]), values["where"])
        entry = check_entry(
            kb, pain=_whole_number(form, "pain"), where=where,
            helped=values["helped"], note=values["note"], symptoms=values["symptoms"],
        )
        # The form's date and time field is local time (a blank field: now).
        when = check_local_time("when", values["when"]) if values["when"] else None
    except InputError as error:
        return await _diary_page(request, _form_problem(error), values, status_code=422)
    try:
        raised = (await save_entry(request, entry, when)).escalation
    except RecordError as error:
        return await _diary_page(request, str(error), values, status_code=422)
    if raised is None:
        return _see_other("/diary?added=1#entries")
    # The same rise the terminal and the API report: an emergency shows only how to get help.
    shown = raised.to_dict()
    if shown["triage"] == "emergency":
        level = {"headline": shown["headline"], "action": shown["action"],
                 "steps": shown["emergency_steps"]}
        return web(request).pages.render(
            request, "emergency.html",
            {"level": level, "phones": phones_view(kb), "said": emergency_said(kb, shown),
             "mistake_question": None, "diary_link": True},
        )
    return await _diary_page(request, raised=shown)


@router.post("/diary/entries/{entry_id}/delete")
async def delete_entry(entry_id: int, request: Request) -> Response:
    """Delete one entry from the diary page (its button, with the form token)."""
    if entry_id < 1:
        raise HTTPException(404, "There is no such diary entry.")
    found = await in_diary(request, lambda store: store.delete_entry(entry_id))
    if not found:
        raise HTTPException(404, "There is no such diary entry (it may be deleted already).")
    return _see_other("/diary?removed=1#entries")


def _download(content: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


SPOOL_IN_MEMORY = 1024 * 1024  # an export up to this size stays in memory, then goes to disk
CHUNK = 64 * 1024


async def _export(
    request: Request,
    write: Callable[[Store, IO[bytes]], None],
    media_type: str,
    filename: str,
) -> Response:
    """Write an export on the store's thread into a spooled file (memory stays bounded
    however big the diary), then send it in chunks."""

    def spool(store: Store) -> tempfile.SpooledTemporaryFile[bytes]:
        # Not a with-block: the file is handed on to the response, which closes it.
        spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        try:
            write(store, spooled)
        except BaseException:
            spooled.close()
            raise
        spooled.seek(0)
        return spooled

    spooled = await in_diary(request, spool)

    def chunks() -> Iterator[bytes]:
        with spooled:
            while chunk := spooled.read(CHUNK):
                yield chunk

    return StreamingResponse(
        chunks(),  # a plain iterator: Starlette reads it on a worker thread
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _as_text(write: Callable[[Store, TextIO], None]) -> Callable[[Store, IO[bytes]], None]:
    """A text writer as one that writes UTF-8 into a binary file (left open)."""

    def write_bytes(store: Store, raw: IO[bytes]) -> None:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        write(store, text)
        text.flush()
        text.detach()  # leaves the file open for reading

    return write_bytes


def _query(request: Request, name: str) -> str | None:
    """A query parameter's text, None when it is not given or empty."""
    value = request.query_params.get(name, "").strip()
    return value or None


@router.post("/diary/medicines", dependencies=[Depends(count_write)])
async def add_dose(request: Request) -> Response:
    """Log a dose from the diary page's quick form; the page shows what it goes against."""
    context = web(request)
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in ("medicine", "dose_mg", "at")}
    try:
        dose = check_dose(context.kb, values["medicine"], _whole_number(form, "dose_mg"),
                          check_local_time("at", values["at"]) if values["at"] else None)
    except InputError as error:
        return await _diary_page(request, None, {"medicine": values,
                                                 "medicine_error": _form_problem(error)},
                                 status_code=422)
    logged = await in_diary(request, lambda store: log_dose(context.kb, store, dose))
    shown = logged.dose.as_dict() | {
        "name": context.kb.relief[dose.medicine].name,
        "warnings": [w.to_dict() | {"cited": context.kb.cited_sources(w.sources)}
                     for w in logged.warnings],
    }
    return await _diary_page(request, dose=shown)


@router.get("/diary/export.csv")
async def export_as_csv(request: Request) -> Response:
    """Everything saved, as a zip of CSV tables; `?kind=entries` (or another table) gives that
    table alone. Times are in `?tz=` (an IANA zone name), UTC when it is not given."""
    zone_name, kind = _query(request, "tz"), _query(request, "kind")
    zone = zone_named("tz", zone_name) if zone_name is not None else UTC
    kb = web(request).kb
    if kind is None:
        return await _export(
            request, lambda store, raw: write_csv_zip(store, kb, raw, zone),
            "application/zip", "upperback-csv.zip",
        )
    table = check_csv_kind("kind", kind)
    return await _export(
        request,
        _as_text(lambda store, out: write_csv(store, kb, out, table, zone)),
        "text/csv; charset=utf-8", f"upperback-{table}.csv",
    )


@router.get("/diary/export.json")
async def export_as_json(request: Request) -> Response:
    """Everything saved, as JSON."""
    kb = web(request).kb
    return await _export(
        request, _as_text(lambda store, out: write_json(store, kb, out)),
        "application/json", "upperback.json",
    )


@router.get("/diary/export.fhir.json")
async def export_as_fhir(request: Request) -> Response:
    """Everything saved, as a FHIR R4B bundle; `?name=` and `?born=YYYY-MM-DD` add a Patient
    that every other resource points at."""
    patient = patient_details(_query(request, "name"), _query(request, "born"))
    kb = web(request).kb
    return await _export(
        request,
        _as_text(lambda store, out: write_fhir(store, kb, out, patient)),
        "application/fhir+json", "upperback.fhir.json",
    )


@router.get("/data/delete")
async def confirm_delete(request: Request) -> Response:
    """Ask before deleting everything."""
    context = web(request)
    return context.pages.render(request, "delete.html", {"error": None})


@router.post("/data/delete")
async def delete_everything(request: Request) -> Response:
    """Delete every check, diary entry, timer session and dose, once the person has confirmed."""
    context = web(request)
    form = await request.form()
    if form.get("confirm") != "yes":
        return context.pages.render(
            request, "delete.html",
            {"error": "Tick the box to confirm that you want to delete everything."},
            status_code=422,
        )
    await in_diary(request, lambda store: store.forget())
    if is_public(request):  # the diary itself is gone: its key opens nothing now
        response = _see_other("/?deleted=1")
        forget_key(response)
    else:
        response = _see_other("/diary?deleted=1")
    response.delete_cookie("upperback_check", path="/check")
    return response
