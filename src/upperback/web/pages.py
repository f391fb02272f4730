"""The HTML pages: the guide, results, the timer, the diary and the about page.

Every page is built from the knowledge base, the engine and the store; each names its JSON
twin in a `<link rel="alternate">`. Every POST form is checked for its CSRF token.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from upperback import AnswerError, KnowledgeBase
from upperback.diary import check_entry
from upperback.documents.export import export_csv, export_fhir, export_json
from upperback.documents.report import write_report_pdf
from upperback.errors import InputError
from upperback.limits import NOTE_MAX, PAIN_MAX, PAIN_MIN, SHORT_TEXT_MAX, SYMPTOMS_MAX
from upperback.sessions import TIMER_METHODS, check_session, session_cautions, session_limit
from upperback.store import CheckRecord, RecordError, Store
from upperback.trend import pain_trend

from .api_models import CheckOut
from .chart import pain_chart
from .context import web
from .diary_entries import save_entry
from .knowledge_views import (
    cause_view,
    home_view,
    relief_view,
    source_dict,
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
from .security import CSRF_FIELD, UNSAFE_METHODS

PAIN_CHOICES = range(PAIN_MIN, PAIN_MAX + 1)


async def require_csrf(request: Request) -> None:
    """Refuse a form POST whose CSRF token does not match this browser's cookie."""
    if request.method not in UNSAFE_METHODS:
        return
    form = await request.form()
    if not web(request).csrf.valid(request, form.get(CSRF_FIELD)):
        raise HTTPException(
            403,
            "This form has expired or did not come from this site. "
            "Go back, reload the page and try again.",
        )


router = APIRouter(dependencies=[Depends(require_csrf)])


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- the guide -------------------------------------------------------------------------------


@router.get("/")
async def home(request: Request) -> Response:
    """The guide: when to get help now, the causes and the relief methods."""
    context = web(request)
    return context.pages.render(request, "home.html", {"guide": home_view(context.kb)},
                                json_twin="/api/v1/knowledge")


@router.get("/causes/{cause_id}")
async def cause(cause_id: str, request: Request) -> Response:
    """One cause: what it feels like, what to do, when to get help, and sources."""
    context = web(request)
    if cause_id not in context.kb.causes:
        raise HTTPException(404, "There is no such cause in the guide.")
    return context.pages.render(request, "cause.html",
                                {"cause": cause_view(context.kb, cause_id)},
                                json_twin=f"/api/v1/knowledge/causes/{cause_id}")


@router.get("/relief/{method_id}")
async def relief(method_id: str, request: Request) -> Response:
    """One relief method: how to use it safely, who should not, and sources."""
    context = web(request)
    if method_id not in context.kb.relief:
        raise HTTPException(404, "There is no such relief method in the guide.")
    return context.pages.render(request, "relief.html",
                                {"method": relief_view(context.kb, method_id)},
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
    record = await find_check(web(request), check_id)
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
    return context.pages.render(
        request,
        "result.html",
        result_view(record),
        json_twin=f"/result/{check_id}.json",
    )


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


# -- timer -----------------------------------------------------------------------------------


def _timer_method(kb: KnowledgeBase, kind: str) -> dict[str, Any] | None:
    method_id = TIMER_METHODS.get(kind)
    if method_id is None or method_id not in kb.relief:
        return None
    return relief_view(kb, method_id)


@router.get("/timer")
async def timer(request: Request, kind: str = "ice", logged: int = 0) -> Response:
    """An ice or heat countdown (at most the method's limit) with its safety rules."""
    context = web(request)
    method = _timer_method(context.kb, kind)
    if method is None:
        raise HTTPException(404, "There is no timer of this kind. Choose ice or heat.")
    kinds = [(k, context.kb.relief[m].name) for k, m in TIMER_METHODS.items()
             if m in context.kb.relief]
    latest = await context.store.run(lambda store: store.latest_check())
    cautions = session_cautions(context.kb, kind, latest.answers) if latest else []
    return context.pages.render(
        request,
        "timer.html",
        {"kind": kind, "method": method, "kinds": kinds, "logged": bool(logged),
         "cautions": cautions},
        json_twin="/api/v1/timers",
    )


@router.post("/timer/log")
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
    await context.store.run(
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


def _diary(store: Store) -> dict[str, Any]:
    return {"entries": store.entries(), "timers": store.timers(), "checks": store.checks()}


async def _diary_page(
    request: Request,
    error: str | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
    raised: dict[str, Any] | None = None,
) -> Response:
    context = web(request)
    data = await context.store.run(_diary)
    entries = data["entries"]
    return context.pages.render(
        request,
        "diary.html",
        {
            "entries": [entry_dict(e) for e in reversed(entries)],
            "chart": pain_chart([(e.created_at, e.pain) for e in entries]),
            "trend": trend_dict(context.kb, pain_trend(entries, context.kb)),
            "timers": [timer_dict(t) for t in reversed(data["timers"])],
            "timer_names": {k: context.kb.relief[m].name for k, m in TIMER_METHODS.items()
                            if m in context.kb.relief},
            "checks": [check_summary(context.kb, c) for c in reversed(data["checks"])],
            "pain_choices": PAIN_CHOICES,
            "symptom_choices": [
                (fid, context.kb.findings[fid].item or context.kb.findings[fid].label)
                for fid in context.kb.warning_signs
            ],
            "escalation": raised,
            "error": error,
            "form": form or {},
            "added": request.query_params.get("added") == "1",
            "deleted": request.query_params.get("deleted") == "1",
        },
        status_code=status_code,
        json_twin="/api/v1/diary/entries",
    )


@router.get("/diary")
async def diary(request: Request) -> Response:
    """The pain diary: a chart, the entries, timer sessions, past checks, export and delete."""
    return await _diary_page(request)


def _form_problem(error: InputError) -> str:
    """What to change on the diary form, in plain words."""
    if isinstance(error, AnswerError):
        return "Choose new symptoms only from the list."
    return {
        "pain": f"Choose how bad the pain is, from {PAIN_MIN} (none) to {PAIN_MAX} (the worst).",
        "where": f"Keep 'where' and 'what helped' under {SHORT_TEXT_MAX} characters.",
        "helped": f"Keep 'where' and 'what helped' under {SHORT_TEXT_MAX} characters.",
        "note": f"Keep the note under {NOTE_MAX} characters.",
        "symptoms": f"Choose at most {SYMPTOMS_MAX} new symptoms.",
    }.get(error.field, str(error))


@router.post("/diary/entries")
async def add_entry(request: Request) -> Response:
    """Add a diary entry from the page's form."""
    form = await request.form()
    values: dict[str, Any] = {
        name: str(form.get(name, "")).strip() for name in ("pain", "where", "helped", "note")
    }
    values["symptoms"] = [str(v) for v in form.getlist("symptom")]
    kb = web(request).kb
    try:
        entry = check_entry(
            kb, pain=_whole_number(form, "pain"), where=values["where"],
            helped=values["helped"], note=values["note"], symptoms=values["symptoms"],
        )
    except InputError as error:
        return await _diary_page(request, _form_problem(error), values, status_code=422)
    try:
        raised = (await save_entry(web(request), entry)).escalation
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
            request, "emergency.html", {"level": level, "last_question": None}
        )
    return await _diary_page(request, raised=shown)


def _download(content: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _exporter(export: Callable[[Store, KnowledgeBase], str], kb: KnowledgeBase
              ) -> Callable[[Store], str]:
    return lambda store: export(store, kb)


@router.get("/diary/export.csv")
async def export_as_csv(request: Request) -> Response:
    """Everything saved, as CSV."""
    context = web(request)
    text = await context.store.run(_exporter(export_csv, context.kb))
    return _download(text, "text/csv; charset=utf-8", "upperback.csv")


@router.get("/diary/export.json")
async def export_as_json(request: Request) -> Response:
    """Everything saved, as JSON."""
    context = web(request)
    text = await context.store.run(_exporter(export_json, context.kb))
    return _download(text, "application/json", "upperback.json")


@router.get("/diary/export.fhir.json")
async def export_as_fhir(request: Request) -> Response:
    """Everything saved, as a FHIR R4B bundle."""
    context = web(request)
    text = await context.store.run(_exporter(export_fhir, context.kb))
    return _download(text, "application/fhir+json", "upperback.fhir.json")


@router.get("/diary/report.pdf")
async def report(request: Request) -> Response:
    """The clinician report as a PDF."""
    context = web(request)

    def write(store: Store) -> bytes:
        with tempfile.TemporaryDirectory(prefix="upperback-report-") as folder:
            path = write_report_pdf(store, context.kb, Path(folder) / "report.pdf")
            return path.read_bytes()

    data = await context.store.run(write)
    return _download(data, "application/pdf", "upperback-report.pdf")


@router.get("/data/delete")
async def confirm_delete(request: Request) -> Response:
    """Ask before deleting everything."""
    context = web(request)
    return context.pages.render(request, "delete.html", {"error": None})


@router.post("/data/delete")
async def delete_everything(request: Request) -> Response:
    """Delete every check, diary entry and timer session, once the person has confirmed."""
    context = web(request)
    form = await request.form()
    if form.get("confirm") != "yes":
        return context.pages.render(
            request, "delete.html",
            {"error": "Tick the box to confirm that you want to delete everything."},
            status_code=422,
        )
    await context.store.run(lambda store: store.forget())
    response = _see_other("/diary?deleted=1")
    response.delete_cookie("upperback_check", path="/check")
    return response
