"""The check: one question per page, plain HTML forms, state in a signed cookie.

- `GET /check` introduces the check; `GET /check/next` sends the browser to the question to
  answer now (`/check/q/<id>`), so back and forward move between real URLs.
- `POST /check/answer` records one question's answers. Answering an earlier question again
  (after Back) undoes the answers after it with the interview's `back()`.
- An answer that calls for emergency help goes straight to `/check/emergency`, which shows only
  how to get help now. A finished check is saved and shown at `/result/<id>`.
The answers so far live in a signed cookie, so a reload or a closed tab keeps the check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from upperback import AnswerError, Interview, KnowledgeBase, Question
from upperback.answers import check_answer
from upperback.assessment import assess_checked
from upperback.body_regions import UnknownRegion, check_regions, merge_regions
from upperback.conditions import AnswerValue
from upperback.durations import UNIT_DAYS, DurationError, parse_duration
from upperback.errors import InputError
from upperback.free_text import TEXT_MAX, Parsed, parse
from upperback.limits import PAIN_MAX, PAIN_MIN
from upperback.recheck import recheck_answers

from .context import WebContext, web
from .emergency_view import emergency_said, mistake_question, phones_view
from .forms import require_csrf
from .interview_state import STATE_MAX_AGE, replay, rewind_to
from .knowledge_views import level_view, question_view
from .visitors import has_diary, in_diary

STATE_COOKIE = "upperback_check"
# The check a re-check started from (its number), so the result can say what changed.
RECHECK_COOKIE = "upperback_recheck"
# Where a public site's visitor without a diary sees a finished check's result (under /check,
# where the answers' cookie is sent).
UNSAVED_RESULT = "/check/result"
DONT_KNOW = "unknown"
# A checklist's explicit answers for the boxes left unticked: "None of these" (all no) or
# "I don't know" (all don't know). One must be ticked when no box is, so that nobody passes
# a screen for warning signs without answering it.
CHECKLIST_REST = "checklist_rest"
NONE_OF_THESE = "none"
# The body map's tick boxes (one value per ticked region), on the question it is shown with.
REGION_FIELD = "region"
# A number of days is asked as a number and a unit (this suffix on the finding's field).
DAYS = "days"
UNIT_SUFFIX = "_unit"

router = APIRouter(dependencies=[Depends(require_csrf)])


def _question(kb: KnowledgeBase, question_id: str) -> Question | None:
    return next((q for q in kb.questions if q.id == question_id), None)


def _answers(request: Request) -> dict[str, AnswerValue]:
    context = web(request)
    return context.check_state.load(context.kb, request.cookies.get(STATE_COOKIE))


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _keep(response: Response, context: WebContext, answers: Mapping[str, AnswerValue]) -> None:
    response.set_cookie(
        STATE_COOKIE,
        context.check_state.dump(answers),
        max_age=STATE_MAX_AGE,
        httponly=True,
        samesite="strict",
        path="/check",
    )


def _forget(response: Response) -> None:
    response.delete_cookie(STATE_COOKIE, path="/check", httponly=True, samesite="strict")
    response.delete_cookie(RECHECK_COOKIE, path="/check", httponly=True, samesite="strict")


def _recheck_of(request: Request) -> int | None:
    value = request.cookies.get(RECHECK_COOKIE, "")
    return int(value) if value.isdigit() and len(value) <= 10 else None


def parse_answers(
    kb: KnowledgeBase, question: Question, form: FormData
) -> dict[str, AnswerValue]:
    """A question's answers from its form; AnswerError (in plain words) for a missing or bad one.

    Checklists: a ticked box is yes; the others are no, or don't know when "I don't know" is
    ticked; with no box ticked, "None of these" or "I don't know" must be. Other questions
    offer "don't know".

    The body map (on the question named by the map's `asked_with`): its ticked regions add
    their findings as yes (never a no, see body_regions.merge_regions). Places ticked on the
    map with no box of the checklist leave the checklist's boxes as "don't know", not no.
    """
    answers: dict[str, AnswerValue] = {}
    rest = form.getlist(CHECKLIST_REST)
    regions = map_regions(kb, question, form)
    ticked = question.kind == "checklist" and any(form.get(f) == "yes" for f in question.findings)
    if question.kind == "checklist" and not ticked and not rest and not regions:
        raise AnswerError(
            question.findings[0],
            'Tick the ones that apply, or tick "None of these" or "I don\'t know".',
            "ticked boxes, none of these, or don't know",
        )
    if NONE_OF_THESE in rest and ticked:
        # "None of these" and a ticked box at once: asked again, never guessed either way.
        # (Places on the body map may come with "None of these": it answers the boxes.)
        raise AnswerError(
            question.findings[0],
            'You ticked "None of these" and something in the list too. Untick "None of these",'
            " or untick the others.",
            "ticked boxes, or none of these, not both",
        )
    # Only places on the map, and no answer for the rest: the rest stays open, never no.
    unticked: AnswerValue = None if DONT_KNOW in rest or not (ticked or rest) else False
    for finding_id in question.findings:
        finding = kb.findings[finding_id]
        raw = form.get(finding_id)
        text = raw.strip() if isinstance(raw, str) else None
        if question.kind == "checklist":
            answers[finding_id] = True if text == "yes" else unticked
        elif finding.type == "bool":
            if text not in ("yes", "no", DONT_KNOW):
                raise AnswerError(finding_id, "Choose yes, no or don't know.", finding.allowed())
            answers[finding_id] = None if text == DONT_KNOW else text == "yes"
        elif finding.type == "int" and finding.unit == DAYS:
            unit = form.get(finding_id + UNIT_SUFFIX)
            answers[finding_id] = _duration(finding_id, finding.max, text,
                                            unit if isinstance(unit, str) else None)
        elif finding.type == "int":
            answers[finding_id] = _number(finding_id, finding.min, finding.max, text)
        else:
            if text == DONT_KNOW:
                answers[finding_id] = None
            elif text in (finding.values or ()):
                answers[finding_id] = text
            else:
                raise AnswerError(finding_id, "Choose one of the answers.", finding.allowed())
        answers[finding_id] = check_answer(kb, finding_id, answers[finding_id])
    return merge_regions(kb, answers, regions) if regions else answers


def map_regions(kb: KnowledgeBase, question: Question, form: FormData) -> list[str]:
    """The body map's ticked region ids on this question's form (none on other questions);
    AnswerError for a value that is not a region (only a changed form sends one)."""
    if question.id != kb.body_map.asked_with:
        return []
    try:
        return check_regions(kb, [str(v) for v in form.getlist(REGION_FIELD)], REGION_FIELD)
    except UnknownRegion:
        raise AnswerError(
            question.findings[0], "Choose places only from the body map.", "the body map's places"
        ) from None


def _number(finding_id: str, low: int | None, high: int | None, text: str | None) -> int | None:
    if not text:
        return None  # left empty: don't know
    message = f"Enter a whole number from {low} to {high}, or leave it empty if you don't know."
    try:
        value = int(text)
    except ValueError:
        raise AnswerError(finding_id, message, message) from None
    if low is not None and high is not None and not low <= value <= high:
        raise AnswerError(finding_id, message, message)
    return value


def _duration(finding_id: str, high: int | None, text: str | None, unit: str | None
              ) -> int | None:
    """Days from a number and a unit (days, weeks, months or years), as the terminal reads
    "3 weeks" (durations.py); None when the number is left empty (don't know)."""
    if not text:
        return None
    message = ("Enter how long as a number, like 3, and choose days, weeks, months or years. "
               "Leave it empty if you don't know.")
    unit = unit or "day"  # a form without the unit picker sends days, as it always did
    if unit not in UNIT_DAYS:
        raise AnswerError(finding_id, message, message)
    try:
        days = parse_duration(f"{text} {unit}")
    except DurationError:
        raise AnswerError(finding_id, message, message) from None
    if high is not None and days > high:
        years = high // UNIT_DAYS["year"]
        limit = f"Enter at most {high:,} days (about {years} years), or leave it empty."
        raise AnswerError(finding_id, limit, limit)
    return days


def typed_values(question: Question, form: FormData) -> dict[str, Any]:
    """What the form sent, to show it again beside the message when it is refused: each
    field's text, the ticked boxes and the "None of these" or "I don't know" box."""
    fields = [*question.findings, *(f + UNIT_SUFFIX for f in question.findings)]
    return {
        "values": {name: str(form.get(name, "")) for name in fields},
        "ticked": [f for f in question.findings if form.get(f) == "yes"],
        "rest": [str(v) for v in form.getlist(CHECKLIST_REST)],
    }


def _question_page(
    request: Request,
    interview: Interview,
    question: Question,
    answers: Mapping[str, AnswerValue],
    error: AnswerError | None = None,
    regions: tuple[str, ...] = (),
    typed: dict[str, Any] | None = None,
) -> Response:
    context = web(request)
    asked = [q.id for q in interview.asked]
    position = asked.index(question.id) + 1 if question.id in asked else len(asked) + 1
    previous = asked[position - 2] if position > 1 else None
    given = [answers[f] for f in question.findings if f in answers]
    return context.pages.render(
        request,
        "question.html",
        {
            "question": question_view(context.kb, question),
            "answers": answers,
            "number": position,
            "left": interview.progress_left() if question.id not in asked else None,
            "previous": previous,
            "error": error,
            "dont_know": DONT_KNOW,
            "none_of_these": NONE_OF_THESE,
            # To show a checklist answered before as it was: which "rest" box was ticked.
            "answered": len(given) == len(question.findings),
            "answers_ticked": any(v is True for v in given),
            "answers_unknown": any(v is None for v in given),
            # The body map, on its question: the places ticked (kept when the form is shown
            # again with an error).
            "show_body_map": question.id == context.kb.body_map.asked_with,
            "regions_ticked": regions,
            # A refused form is shown as it was sent, with the message beside it.
            "typed": typed,
            "pain_anchors": context.kb.guide.pain_scale.anchors,
            "pain_choices": range(PAIN_MIN, PAIN_MAX + 1),
            "pain_range": (PAIN_MIN, PAIN_MAX),
            "units": list(UNIT_DAYS),
            "days": DAYS,
        },
        status_code=422 if error else 200,
        json_twin=f"/api/v1/knowledge/questions/{question.id}",
    )


@router.get("/check")
async def start(request: Request) -> Response:
    """What the check is, and a way to start (or go on with) it."""
    answers = _answers(request)
    return web(request).pages.render(
        request, "check_start.html",
        {"in_progress": bool(answers), "text": "", "text_error": None},
        json_twin="/api/v1/knowledge/questions",
    )


# The "We understood" page: each answer read from the words is a choice the person can change
# ("ask me" leaves it to the question, as if the words had not said it).
ASK_ME = "ask"


@router.post("/check/describe")
async def describe(request: Request) -> Response:
    """Start from the person's own words: an emergency they state goes straight to how to
    get help; anything else is shown as "We understood", to correct before the questions."""
    context = web(request)
    form = await request.form()
    text = str(form.get("text", ""))
    try:
        parsed = await run_in_threadpool(parse, text, context.kb)
    except InputError:
        return context.pages.render(
            request, "check_start.html",
            {"in_progress": False, "text": text[:TEXT_MAX],
             "text_error": f"Keep it under {TEXT_MAX:,} characters, as plain text."},
            status_code=422)
    answers = parsed.interview_answers()
    interview = replay(context.kb, answers)
    if interview.is_emergency():
        return await _after_answer(request, context, interview)  # no page in the way
    if not answers:
        response = _see_other("/check/next")
        _forget(response)
        return response
    return context.pages.render(request, "check_understood.html",
                                _understood_view(context.kb, parsed, answers))


def _understood_view(kb: KnowledgeBase, parsed: Parsed,
                     answers: Mapping[str, AnswerValue]) -> dict[str, Any]:
    kept = [{"id": f, "label": kb.findings[f].label, "type": kb.findings[f].type,
             "value": v, "values": list(kb.findings[f].values or ()),
             "value_labels": kb.findings[f].value_labels or {},
             "min": kb.findings[f].min, "max": kb.findings[f].max,
             "unit": kb.findings[f].unit}
            for f, v in answers.items()]
    asked_again = [kb.findings[f].label for f in parsed.to_confirm]
    unsure = [{"text": m.text, "certainty": m.certainty.replace("_", " ")}
              for m in parsed.not_taken]
    return {"kept": kept, "asked_again": asked_again, "unsure": unsure, "ask_me": ASK_ME}


@router.post("/check/understood")
async def understood(request: Request) -> Response:
    """The answers from the words, as the person corrected them; then the questions."""
    context = web(request)
    form = await request.form()
    answers: dict[str, AnswerValue] = {}
    for finding_id in form.getlist("finding"):
        name = str(finding_id)
        raw = str(form.get(f"value_{name}", ASK_ME)).strip()
        if name not in context.kb.findings or raw in (ASK_ME, ""):
            continue  # left to its question
        finding = context.kb.findings[name]
        value: object = {"yes": True, "no": False}.get(raw) if finding.type == "bool" else (
            int(raw) if finding.type == "int" and raw.isdigit() else raw)
        try:
            answers[name] = check_answer(context.kb, name, value)
        except AnswerError:
            continue  # an odd value: the question asks it
    interview = replay(context.kb, answers)
    if interview.is_emergency():
        return await _after_answer(request, context, interview)
    response = _see_other("/check/next")
    _keep(response, context, answers)
    return response


@router.get("/check/next")
async def next_question(request: Request) -> Response:
    """Send the browser to the question to answer now (or to the end of the check)."""
    context = web(request)
    interview = replay(context.kb, _answers(request))
    question = interview.next_question()
    if question is not None:
        return _see_other(f"/check/q/{question.id}")
    if interview.is_emergency():
        return _see_other("/check/emergency")
    return context.pages.render(request, "check_finish.html")


@router.get("/check/q/{question_id}")
async def show_question(question_id: str, request: Request) -> Response:
    """One question. An earlier one is shown with the answers given, to change them."""
    context = web(request)
    question = _question(context.kb, question_id)
    answers = _answers(request)
    interview = replay(context.kb, answers)
    current = interview.next_question()
    earlier = question is not None and question in interview.asked
    if question is None or not (earlier or question == current):
        return _see_other("/check/next")
    return _question_page(request, interview, question, answers)


@router.post("/check/answer")
async def answer(request: Request) -> Response:
    """Record the answers to one question, then go to the next question or the end."""
    context = web(request)
    form = await request.form()
    question = _question(context.kb, str(form.get("question_id", "")))
    answers = _answers(request)
    interview = replay(context.kb, answers)
    if question is None:
        return _see_other("/check/next")
    try:
        given = parse_answers(context.kb, question, form)
    except AnswerError as error:
        kept = tuple(str(v) for v in form.getlist(REGION_FIELD))
        return _question_page(request, interview, question, answers, error, kept,
                              typed_values(question, form))
    if question in interview.asked:
        rewind_to(interview, question.id)
    if interview.next_question() != question:
        return _see_other("/check/next")  # a stale form from another tab: show the current one
    interview.answer(given)
    return await _after_answer(request, context, interview)


async def _after_answer(request: Request, context: WebContext, interview: Interview) -> Response:
    answers = interview.answers
    if interview.is_emergency():
        if await has_diary(request):  # a public site's visitor without one: nothing stored
            await _save(request, answers)
        response: Response = _see_other("/check/emergency")
        _keep(response, context, answers)  # kept so "I ticked this by mistake" can go back
        return response
    question = interview.next_question()
    if question is not None:
        response = _see_other(f"/check/q/{question.id}")
        _keep(response, context, answers)
        return response
    if not await has_diary(request):
        # A public site's visitor without a diary: nothing is stored. The answers stay in
        # their browser's signed cookie, and the result is shown from them.
        response = _see_other(UNSAVED_RESULT)
        _keep(response, context, answers)
        return response
    record_id = await _save(request, answers)
    since = _recheck_of(request)
    response = _see_other(f"/result/{record_id}" + (f"?since={since}" if since else ""))
    _forget(response)
    return response


async def _save(request: Request, answers: Mapping[str, AnswerValue]) -> int:
    # Not capped like the other writes (write_limits.py): a result, an emergency above all,
    # must never wait behind a cap. A person answers one question at a time anyway.
    result = assess_checked(web(request).kb, answers).to_dict()
    record = await in_diary(request, lambda store: store.save_check(dict(answers), result))
    return record.id


@router.post("/check/back")
async def back(request: Request) -> Response:
    """Go to the question before the one on screen (its answers are kept until changed)."""
    context = web(request)
    form = await request.form()
    interview = replay(context.kb, _answers(request))
    asked = [q.id for q in interview.asked]
    current = str(form.get("question_id", ""))
    position = asked.index(current) if current in asked else len(asked)
    if position == 0:
        return _see_other("/check")
    return _see_other(f"/check/q/{asked[position - 1]}")


@router.post("/check/finish")
async def finish(request: Request) -> Response:
    """Save a check that has no questions left and show its result."""
    context = web(request)
    interview = replay(context.kb, _answers(request))
    if interview.next_question() is not None:
        return _see_other("/check/next")
    return await _after_answer(request, context, interview)


@router.post("/check/restart")
async def restart(request: Request) -> Response:
    """Throw away the answers so far and start again."""
    response = _see_other("/check/next")
    _forget(response)
    return response


@router.post("/check/again")
async def start_again(request: Request) -> Response:
    """A re-check: start from the kept answers (the follow-up's recheck_keeps; never a
    warning sign) of the check the form names, or of the last one, then ask the rest."""
    context = web(request)
    form = await request.form()
    chosen = str(form.get("check_id", ""))
    if chosen.isdigit() and len(chosen) <= 10:  # from a result page: that check
        last = await in_diary(request, lambda store: store.check(int(chosen)))
    else:
        last = await in_diary(request, lambda store: store.latest_check())
    if last is None:
        return _see_other("/check")
    response = _see_other("/check/again")
    _keep(response, context, recheck_answers(context.kb, last.answers))
    response.set_cookie(RECHECK_COOKIE, str(last.id), max_age=STATE_MAX_AGE, httponly=True,
                        samesite="strict", path="/check")
    return response


@router.get("/check/again")
async def again_page(request: Request) -> Response:
    """What a re-check keeps from the last check, and a way to go on or start from nothing."""
    context = web(request)
    since = _recheck_of(request)
    last = None if since is None else await in_diary(request, lambda store: store.check(since))
    if last is None:
        return _see_other("/check")
    kept = [context.kb.findings[f].describe_value(v) for f, v in _answers(request).items()
            if f in context.kb.findings]
    return context.pages.render(request, "check_again.html",
                                {"last": last, "kept": kept})


@router.get("/check/emergency")
async def emergency(request: Request) -> Response:
    """Only how to get help now: nothing else in the way."""
    context = web(request)
    answers = _answers(request)
    interview = replay(context.kb, answers)
    asked = [q.id for q in interview.asked]
    result = assess_checked(context.kb, answers).to_dict() if answers else {}
    view: dict[str, Any] = {
        "level": level_view(context.kb, "emergency"),
        "phones": phones_view(context.kb),
        "said": emergency_said(context.kb, result),
        # "I ticked something by mistake" goes back to the question that made it an emergency.
        "mistake_question": mistake_question(context.kb, result, asked),
        "diary_link": False,
    }
    return context.pages.render(request, "emergency.html", view,
                                json_twin="/api/v1/knowledge/levels/emergency")


def _finished_answers(request: Request) -> dict[str, AnswerValue] | None:
    """The answers of the finished check this browser holds, or None (none, or questions
    are left)."""
    answers = _answers(request)
    if not answers or replay(web(request).kb, answers).next_question() is not None:
        return None
    return answers


@router.get(UNSAVED_RESULT)
async def unsaved_result(request: Request) -> Response:
    """A finished check's result from the answers in this browser, saved nowhere (a public
    site's visitor without a diary), with a way to keep it in a private diary."""
    from datetime import UTC, datetime

    from upperback.store import CheckRecord

    from .pages import result_extras, result_view

    context = web(request)
    answers = _finished_answers(request)
    if answers is None:
        return _see_other("/check/next")
    result = assess_checked(context.kb, answers).to_dict()
    if result.get("triage") == "emergency":
        return _see_other("/check/emergency")
    record = CheckRecord(id=0, created_at=datetime.now(UTC), answers=dict(answers),
                         result=result)
    view = result_view(record) | result_extras(context.kb, result)
    view |= {"recheck_offered": False, "changes": None, "unsaved": True}
    return context.pages.render(request, "result.html", view)


@router.post("/check/save")
async def save_unsaved(request: Request) -> Response:
    """Keep the check on screen in the visitor's private diary, starting one if need be (its
    key is then shown once, to write down)."""
    from .visitors import recovery_link, remember_key, start_diary

    context = web(request)
    answers = _finished_answers(request)
    if answers is None:
        return _see_other("/check/next")
    if await has_diary(request):
        response: Response = _see_other(f"/result/{await _save(request, answers)}")
        _forget(response)
        return response
    key = await start_diary(request)
    record_id = await _save(request, answers)
    page = context.pages.render(request, "diary_key.html", {
        "key": key, "link": recovery_link(request, key), "then": f"/result/{record_id}"})
    remember_key(request, page, key)
    _forget(page)
    return page
