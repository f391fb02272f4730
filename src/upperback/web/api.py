"""The JSON API under /api/v1: assess, a stateless interview, the knowledge base, the diary.

Every error is `{"error": {"code", "message", "field", "allowed"}}` (see errors.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from upperback import LEVELS, AnswerError, KnowledgeBase
from upperback.answers import check_answers
from upperback.assessment import assess_checked
from upperback.body_regions import check_regions, where_text
from upperback.conditions import AnswerValue
from upperback.diary import check_changes, check_entry, log_entry
from upperback.free_text import parse
from upperback.medicines import check_dose, log_dose
from upperback.recheck import recheck_answers, recheck_due
from upperback.sessions import check_session, session_cautions
from upperback.store import Store
from upperback.store.records import Page
from upperback.store.store import CURSOR_PATTERN
from upperback.trend import TREND_ENTRIES, pain_trend

from . import api_models as m
from . import diary_import
from .context import web
from .errors import API_ERRORS, ApiError, ErrorBody, register
from .idempotency import IdempotencyKey, write_once
from .interview_state import replay
from .knowledge_views import (
    cause_summary,
    cause_view,
    finding_view,
    home_view,
    level_view,
    question_view,
    relief_summary,
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
from .visitors import in_diary
from .write_limits import count_write

router = APIRouter(prefix="/api/v1", responses=API_ERRORS)
# The writes take an Idempotency-Key (idempotency.py) and are capped (write_limits.py).
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "A request with the same Idempotency-Key is still "
          "being handled (`idempotency_key_in_progress`); retry after Retry-After seconds."},
    429: {"model": ErrorBody, "description": "Too many writes from this address or into this "
          "diary (`too_many_writes`); nothing was saved; retry after Retry-After seconds."},
}
WRITES = [Depends(count_write)]
# A saved check's id: the store's ids are 64-bit integers, from 1.
CheckId = Annotated[int, Path(ge=1, le=2**63 - 1, description="an id listed by GET /api/v1/checks")]
register(m.AnswersIn, m.DiaryEntryIn, m.TimerIn, m.MedicineDoseIn, m.DiaryEntryPatch)


def checked_answers(kb: KnowledgeBase, answers: Mapping[str, object]) -> dict[str, AnswerValue]:
    """Validate answers, or raise the API error naming the bad one and what it allows."""
    try:
        return check_answers(kb, answers)
    except AnswerError as error:
        field = f"answers.{error.finding}"
        if error.allowed is None:  # the finding itself is unknown
            listing = "a finding id listed by GET /api/v1/knowledge/findings"
            raise ApiError(422, "unknown_finding", str(error), field, listing) from error
        raise ApiError(422, "invalid_answer", str(error), field, error.allowed) from error


def _not_found(kind: str, given: str, listing: str) -> ApiError:
    return ApiError(404, "not_found", f"There is no {kind} {given!r}.", f"{kind}_id",
                    f"an id listed by GET {listing}")


# -- health and about -----------------------------------------------------------------------


@router.get("/health", response_model=m.HealthOut, tags=["service"])
async def health() -> dict[str, str]:
    """A trivial answer that the server is up."""
    return {"status": "ok"}


@router.get("/about", response_model=m.AboutOut, tags=["service"])
async def about(request: Request) -> dict[str, Any]:
    """The version, where the diary is kept, and the disclaimer (twin of /about)."""
    return about_data(web(request))


# -- assessment -----------------------------------------------------------------------------


@router.post("/assess", response_model=m.AssessmentOut, tags=["assessment"])
async def assess(body: m.AnswersIn, request: Request, explain: bool = False) -> Response:
    """Assess answers: triage with reasons, likely causes, and a safe relief plan.

    `?explain=true` adds, for each cause, the answers that raised and lowered it (`why`) and
    the list of answers in words; without it `why` is null and `answers` is empty."""
    context = web(request)
    answers = checked_answers(context.kb, body.answers)
    # Made by the core's typed result: sent as it is, without validating it again.
    body_bytes = context.results.assessment(answers, explain)
    return Response(body_bytes, media_type="application/json")


@router.post("/interview", response_model=m.InterviewOut, tags=["assessment"])
async def interview(body: m.InterviewIn, request: Request, explain: bool = False
                    ) -> JSONResponse:
    """Stateless interview: send every answer so far, get the next question or the result
    (`?explain=true`: the result with each cause's `why`, as for /assess). With `text`, the
    person's own words fill in what the answers do not say (`understood` says what was read);
    the answers always win."""
    kb = web(request).kb
    answers = checked_answers(kb, body.answers)
    understood = None
    if body.text is not None:
        parsed = await run_in_threadpool(parse, body.text, kb)
        understood = parsed.to_dict()
        answers = parsed.interview_answers() | dict(answers)
    step = interview_step(kb, answers, explain)
    return JSONResponse(step | {"understood": understood})


@router.post("/parse", response_model=m.ParsedOut, tags=["assessment"])
async def parse_text(body: m.TextIn, request: Request) -> dict[str, Any]:
    """The findings a person's own words state, with where each was written and how sure
    (affirmed, negated, uncertain, hypothetical, past, about someone else). Nothing is kept."""
    parsed = await run_in_threadpool(parse, body.text, web(request).kb)
    return parsed.to_dict()


def interview_step(
    kb: KnowledgeBase, answers: Mapping[str, AnswerValue], explain: bool = False
) -> dict[str, Any]:
    """The next question for these answers, or the result once there are no more."""
    iv = replay(kb, answers)
    question = iv.next_question()
    emergency = iv.is_emergency()
    asked = [q.id for q in iv.asked]
    if question is None:
        result = assess_checked(kb, answers).to_dict(explain)
        return {
            "status": "result",
            "should_stop": True,
            "has_emergency_evidence": emergency,
            "question": None,
            "questions_left": 0,
            "asked": asked,
            "result": result,
        }
    return {
        "status": "question",
        "should_stop": False,
        "has_emergency_evidence": emergency,
        "question": question_view(kb, question),
        "questions_left": iv.questions_left(),
        "asked": asked,
        "result": None,
    }


# -- knowledge ------------------------------------------------------------------------------


@router.get("/knowledge", response_model=m.GuideOut, tags=["knowledge"])
async def knowledge_home(request: Request) -> dict[str, Any]:
    """The guide's front page: when to get help now, causes and relief (twin of /)."""
    return home_view(web(request).kb)


@router.get("/knowledge/findings", response_model=list[m.FindingOut], tags=["knowledge"])
async def findings(request: Request) -> list[dict[str, Any]]:
    """Every finding the API accepts as an answer, with what each allows."""
    return [finding_view(f) for f in web(request).kb.findings.values()]


@router.get("/knowledge/findings/{finding_id}", response_model=m.FindingOut, tags=["knowledge"])
async def finding(finding_id: str, request: Request) -> dict[str, Any]:
    """One finding."""
    kb = web(request).kb
    if finding_id not in kb.findings:
        raise _not_found("finding", finding_id, "/api/v1/knowledge/findings")
    return finding_view(kb.findings[finding_id])


@router.get("/knowledge/causes", response_model=list[m.CauseSummaryOut], tags=["knowledge"])
async def causes(request: Request) -> list[dict[str, Any]]:
    """The causes the guide knows, in brief."""
    kb = web(request).kb
    return [cause_summary(kb, c) for c in kb.causes]


@router.get("/knowledge/causes/{cause_id}", response_model=m.CauseOut, tags=["knowledge"])
async def cause(cause_id: str, request: Request) -> dict[str, Any]:
    """One cause with what to do and its sources (twin of /causes/{id})."""
    kb = web(request).kb
    if cause_id not in kb.causes:
        raise _not_found("cause", cause_id, "/api/v1/knowledge/causes")
    return cause_view(kb, cause_id)


@router.get("/knowledge/relief", response_model=list[m.ReliefSummaryOut], tags=["knowledge"])
async def relief_methods(request: Request) -> list[dict[str, Any]]:
    """The relief methods, in brief."""
    kb = web(request).kb
    return [relief_summary(kb, r) for r in kb.relief]


@router.get("/knowledge/relief/{method_id}", response_model=m.ReliefOut, tags=["knowledge"])
async def relief(method_id: str, request: Request) -> dict[str, Any]:
    """One relief method with its safety rules and sources (twin of /relief/{id})."""
    kb = web(request).kb
    if method_id not in kb.relief:
        raise _not_found("method", method_id, "/api/v1/knowledge/relief")
    return relief_view(kb, method_id)


@router.get("/knowledge/sources", response_model=list[m.SourceOut], tags=["knowledge"])
async def sources(request: Request) -> list[dict[str, Any]]:
    """Every source the guide cites (twin of /sources)."""
    return [source_dict(s) for s in web(request).kb.sources.values()]


@router.get("/knowledge/questions", response_model=list[m.QuestionOut], tags=["knowledge"])
async def questions(request: Request) -> list[dict[str, Any]]:
    """The check's questions, in the knowledge base's order."""
    kb = web(request).kb
    return [question_view(kb, q) for q in kb.questions]


@router.get("/knowledge/questions/{question_id}", response_model=m.QuestionOut,
            tags=["knowledge"])
async def question(question_id: str, request: Request) -> dict[str, Any]:
    """One question of the check (twin of /check/q/{id})."""
    kb = web(request).kb
    found = next((q for q in kb.questions if q.id == question_id), None)
    if found is None:
        raise _not_found("question", question_id, "/api/v1/knowledge/questions")
    return question_view(kb, found)


@router.get("/knowledge/levels/{level}", response_model=m.LevelOut, tags=["knowledge"])
async def level(level: str, request: Request) -> dict[str, Any]:
    """What a triage level means and what to do (twin of /check/emergency for 'emergency')."""
    if level not in LEVELS:
        raise ApiError(404, "not_found", f"There is no level {level!r}.", "level",
                       f"one of {', '.join(LEVELS)}")
    return level_view(web(request).kb, level)


# -- checks, diary and timers ---------------------------------------------------------------

PAGE_DEFAULT = 50
PAGE_LIMIT = 200
PAGED_DOC = (
    " A page at a time: the newest `limit` (default 50, at most 200) before the cursor "
    "`before` (the newest when there is none), listed oldest first. The `Link` header "
    '(RFC 8288) names the page of older ones (rel="next") and of newer ones (rel="prev").'
)


class PageQuery(BaseModel):
    """Which page of a list to answer: how many items, and the cursor where the page ends."""

    limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_LIMIT,
                       description=f"a whole number from 1 to {PAGE_LIMIT}")
    before: str | None = Field(
        None, pattern=CURSOR_PATTERN,
        description='a cursor from this list\'s Link header (rel="next" or "prev"), unchanged',
    )


register(PageQuery)
Paging = Annotated[PageQuery, Query()]
PAGED: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "One page of the list.",
        "headers": {
            "Link": {
                "description": 'The older page (rel="next") and the newer page (rel="prev"), '
                "when there are any.",
                "schema": {"type": "string"},
            }
        },
    }
}


def _link_pages(request: Request, response: Response, query: PageQuery, page: Page[Any]) -> None:
    """Name the pages either side of this one in a Link header (RFC 8288)."""

    def target(before: str | None) -> str:
        params: dict[str, str | int] = {"limit": query.limit}
        if before is not None:
            params["before"] = before
        return f"<{request.url.path}?{urlencode(params)}>"

    links = []
    if page.next is not None:
        links.append(f'{target(page.next)}; rel="next"')
    if page.has_previous:
        links.append(f'{target(page.previous)}; rel="prev"')
    if links:
        response.headers["Link"] = ", ".join(links)


@router.get("/checks", response_model=list[m.CheckSummaryOut], tags=["diary"],
            responses=PAGED, description="The saved checks." + PAGED_DOC)
async def checks(request: Request, response: Response, page: Paging) -> list[dict[str, Any]]:
    """The saved checks, a page at a time (newest page first, each page oldest first)."""
    context = web(request)
    found = await in_diary(request, lambda store: store.checks_page(page.limit, page.before))
    _link_pages(request, response, page, found)
    return [check_summary(context.kb, r) for r in reversed(found.items)]


@router.post("/checks", response_model=m.CheckOut, status_code=201, tags=["diary"],
             responses=WRITE_ERRORS, dependencies=WRITES)
async def save_check(body: m.AnswersIn, request: Request, key: IdempotencyKey = None) -> Any:
    """Assess answers and save the check to the diary."""
    context = web(request)
    answers = checked_answers(context.kb, body.answers)
    result = assess_checked(context.kb, answers).to_dict()

    def save(store: Store) -> dict[str, Any]:
        return check_dict(context.kb, store.save_check(dict(answers), result))

    return await write_once(request, key, m.CheckOut, 201, save)


@router.get("/checks/{check_id}", response_model=m.CheckOut, tags=["diary"])
async def saved_check(check_id: CheckId, request: Request) -> dict[str, Any]:
    """A saved check with its answers and result (twin of /result/{id})."""
    context = web(request)
    record = await find_check(request, check_id)
    if record is None:
        raise ApiError(404, "not_found", f"There is no saved check {check_id}.", "check_id",
                       "an id listed by GET /api/v1/checks")
    return check_dict(context.kb, record)


@router.get("/diary/entries", response_model=list[m.DiaryEntryOut], tags=["diary"],
            responses=PAGED, description="The pain diary (twin of /diary)." + PAGED_DOC)
async def entries(request: Request, response: Response, page: Paging) -> list[dict[str, Any]]:
    """The pain diary, a page at a time (newest page first, each page oldest first)."""
    found = await in_diary(request, lambda store: store.entries_page(page.limit, page.before))
    _link_pages(request, response, page, found)
    return [entry_dict(e) for e in reversed(found.items)]


@router.post(
    "/diary/entries", response_model=m.NewDiaryEntryOut, status_code=201, tags=["diary"],
    responses=WRITE_ERRORS, dependencies=WRITES,
)
async def add_entry(body: m.DiaryEntryIn, request: Request, key: IdempotencyKey = None) -> Any:
    """Add a pain diary entry. New symptoms re-run the triage on the last check's answers:
    `escalation` is the raised level and why, or null when it does not rise."""
    kb = web(request).kb
    # The body map's places join `where` as their labels (UnknownRegion: 422 naming the id).
    where = (
        where_text(kb, check_regions(kb, body.regions), body.where) if body.regions else body.where
    )
    try:
        entry = check_entry(kb, pain=body.pain, where=where, helped=body.helped,
                            note=body.note, symptoms=body.symptoms)
    except AnswerError as error:
        raise ApiError(422, "invalid_symptom", str(error), "symptoms",
                       "yes/no finding ids listed by GET /api/v1/knowledge/findings") from error

    def save(store: Store) -> dict[str, Any]:
        # The core's log_entry re-runs the triage when the entry has symptoms.
        logged = log_entry(kb, store, entry, body.created_at)
        raised = logged.escalation
        return entry_dict(logged.entry) | {"escalation": raised.to_dict() if raised else None}

    return await write_once(request, key, m.NewDiaryEntryOut, 201, save)


EntryId = Annotated[int, Path(ge=1, le=2**31 - 1,
                              description="an id listed by GET /api/v1/diary/entries")]


def _no_entry(entry_id: int) -> ApiError:
    return ApiError(404, "not_found", f"There is no diary entry {entry_id}.", "entry_id",
                    "an id listed by GET /api/v1/diary/entries")


@router.patch("/diary/entries/{entry_id}", response_model=m.DiaryEntryOut, tags=["diary"],
              responses=WRITE_ERRORS, dependencies=WRITES)
async def change_entry(entry_id: EntryId, body: m.DiaryEntryPatch, request: Request
                       ) -> dict[str, Any]:
    """Change a diary entry's pain, where, what helped, note or time (`created_at`, to
    back-date it). Only the fields sent change; a text sent as null is cleared."""
    changes = check_changes(**{name: getattr(body, name) for name in body.model_fields_set})
    changed = await in_diary(request, lambda store: store.update_entry(entry_id, changes))
    if changed is None:
        raise _no_entry(entry_id)
    return entry_dict(changed)


@router.delete("/diary/entries/{entry_id}", response_model=m.DeletedOut, tags=["diary"])
async def delete_entry(entry_id: EntryId, request: Request) -> dict[str, bool]:
    """Delete one diary entry (the rest of the diary stays)."""
    if not await in_diary(request, lambda store: store.delete_entry(entry_id)):
        raise _no_entry(entry_id)
    return {"deleted": True}


@router.get("/diary/medicines", response_model=list[m.MedicineDoseOut], tags=["diary"],
            responses=PAGED, description="The medicine doses logged." + PAGED_DOC)
async def doses(request: Request, response: Response, page: Paging) -> list[dict[str, Any]]:
    """The medicine doses, a page at a time (newest page first, each page oldest first)."""
    found = await in_diary(request, lambda store: store.doses_page(page.limit, page.before))
    _link_pages(request, response, page, found)
    return [d.as_dict() for d in reversed(found.items)]


@router.post("/diary/medicines", response_model=m.NewMedicineDoseOut, status_code=201,
             tags=["diary"], responses=WRITE_ERRORS, dependencies=WRITES)
async def add_dose(body: m.MedicineDoseIn, request: Request, key: IdempotencyKey = None) -> Any:
    """Log a dose of acetaminophen or ibuprofen. `warnings` says what it goes against (the
    label's limits for the age in the last check, adults' when unknown; the last check's
    reasons to leave it out)."""
    kb = web(request).kb
    dose = check_dose(kb, body.medicine, body.dose_mg, body.at)

    def save(store: Store) -> dict[str, Any]:
        logged = log_dose(kb, store, dose)
        return logged.dose.as_dict() | {"warnings": [w.to_dict() for w in logged.warnings]}

    return await write_once(request, key, m.NewMedicineDoseOut, 201, save)


@router.get("/plan", response_model=m.PlanOut, tags=["diary"])
async def plan(request: Request,
               days: Annotated[int, Query(ge=1, le=28, description="days from today")] = 7
               ) -> dict[str, Any]:
    """The exercise plan from the last check, day by day from today (twin of /plan). None at
    an urgent or emergency level: `offered` is false and `message` says why."""
    from .plan_views import load_programme

    return (await load_programme(request, days)).to_dict()


@router.get("/diary/recheck", response_model=m.RecheckOut | None, tags=["diary"])
async def recheck(request: Request) -> dict[str, Any] | None:
    """When to check again (null: no check saved, or its level has no re-check: urgent and
    emergency mean be seen now). From the follow-up's re-check days in the knowledge base."""
    context = web(request)
    latest = await in_diary(request, lambda store: store.latest_check())
    if latest is None:
        return None
    due = recheck_due(context.kb, latest.id, latest.triage, latest.created_at)
    if due is None:
        return None
    return due.to_dict() | {"start_answers": recheck_answers(context.kb, latest.answers)}


@router.get("/diary/trend", response_model=m.TrendOut | None, tags=["diary"])
async def trend(request: Request) -> dict[str, Any] | None:
    """What the diary's pain scores say: null, or why to see a clinician."""
    context = web(request)
    records = await in_diary(request, lambda store: store.pain_scores(TREND_ENTRIES))
    return trend_dict(context.kb, pain_trend(records, context.kb))


@router.get("/timers", response_model=list[m.TimerOut], tags=["diary"],
            responses=PAGED, description="The ice and heat sessions." + PAGED_DOC)
async def timers(request: Request, response: Response, page: Paging) -> list[dict[str, Any]]:
    """The ice and heat sessions, a page at a time (newest page first, each page oldest
    first)."""
    found = await in_diary(request, lambda store: store.timers_page(page.limit, page.before))
    _link_pages(request, response, page, found)
    return [timer_dict(t) for t in reversed(found.items)]


@router.post("/timers", response_model=m.NewTimerOut, status_code=201, tags=["diary"],
             responses=WRITE_ERRORS, dependencies=WRITES)
async def log_timer(body: m.TimerIn, request: Request, key: IdempotencyKey = None) -> Any:
    """Log an ice or heat session to the diary (the timer page does this when it ends).
    `cautions`: why the last check's answers say this method may not be safe (often empty)."""
    context = web(request)
    # The core's limit (the method's max_minutes) and cautions, as the terminal's timer.
    check_session(context.kb, body.kind, body.planned_minutes, body.seconds)
    started = body.started_at or datetime.now(UTC) - timedelta(seconds=body.seconds)

    def log(store: Store) -> dict[str, Any]:
        session = store.log_timer(body.kind, body.planned_minutes, body.seconds,
                                  body.completed, started_at=started)
        latest = store.latest_check()
        cautions = session_cautions(context.kb, body.kind, latest.answers) if latest else []
        return timer_dict(session) | {"cautions": cautions}

    return await write_once(request, key, m.NewTimerOut, 201, log)


IMPORT_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "The file is larger than the import takes "
          "(`too_large`; 64 MB unless the server is set to less)."},
    422: {"model": ErrorBody, "description": "The file is not an export this version reads, or "
          "a record in it is not allowed: `field` names it (e.g. `diary[3].pain`); nothing "
          "was imported."},
}


@router.post("/diary/import", response_model=m.ImportOut, tags=["diary"],
             responses=WRITE_ERRORS | IMPORT_ERRORS, dependencies=WRITES,
             openapi_extra=diary_import.request_body())
async def import_diary(request: Request, dry_run: bool = False, key: IdempotencyKey = None
                       ) -> Any:
    """Import a JSON export (as GET /diary/export.json writes it): the records the diary does
    not hold yet are added, in one transaction, so the same file sent twice adds nothing. A
    bad record refuses the whole file (422, naming it). `?dry_run=true` only counts."""
    records = await diary_import.read_records(request, await request.body())
    add = diary_import.import_into(records, dry_run)

    def save(store: Store) -> dict[str, Any]:
        return diary_import.counts_dict(add(store), dry_run)

    return await write_once(request, key, m.ImportOut, 200, save)


@router.delete("/data", response_model=m.DeletedOut, tags=["diary"])
async def delete_data(request: Request) -> dict[str, bool]:
    """Delete every saved check, diary entry, timer session and medicine dose. In public mode:
    of this visitor's diary only, and the diary itself (its key then opens nothing)."""
    await in_diary(request, lambda store: store.forget())
    return {"deleted": True}
