"""The clinician's report on the web: a form to choose its period (and, if the person wants,
a name and birth date), and the PDF itself.

`GET /diary/report.pdf?from=&to=` gives the report of a period (the last 30 days without
them). A name and birth date are sent only by the form's POST, so they never sit in a
link, a browser's history or a server log. Both check their values with the core's
`report_period` and `report_subject`, as `upperback report` does.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from upperback.documents.report import write_report_pdf
from upperback.errors import InputError
from upperback.report_period import (
    DATE_ALLOWED,
    DEFAULT_DAYS,
    NAME_MAX,
    Period,
    Subject,
    report_period,
    report_subject,
)
from upperback.store import Store

from .context import web
from .forms import require_csrf
from .visitors import in_diary

router = APIRouter(dependencies=[Depends(require_csrf)])
FIELDS = ("from", "to", "name", "born")
# What to change, for each field a report form can get wrong, in plain words.
PROBLEMS = {
    "from": f"Give the first day as {DATE_ALLOWED}, on or before the last day.",
    "to": f"Give the last day as {DATE_ALLOWED}, today or earlier.",
    "name": f"Keep the name under {NAME_MAX} characters, with no odd characters.",
    "born": f"Give the date of birth as {DATE_ALLOWED}, today or earlier.",
}


def _form(request: Request, values: dict[str, str], error: InputError | None = None) -> Response:
    context = web(request)
    today = date.today()
    shown = {
        "from": (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
        "to": today.isoformat(),
    } | {name: value for name, value in values.items() if value}
    problem = None if error is None else {"field": error.field,
                                          "message": PROBLEMS.get(error.field, str(error))}
    return context.pages.render(
        request, "report.html",
        {"values": shown, "problem": problem, "days": DEFAULT_DAYS},
        status_code=200 if error is None else 422,
    )


async def _pdf(request: Request, period: Period, subject: Subject) -> Response:
    context = web(request)

    def write(store: Store) -> bytes:
        with tempfile.TemporaryDirectory(prefix="upperback-report-") as folder:
            path = Path(folder) / "report.pdf"
            write_report_pdf(store, context.kb, path, period, subject)
            return path.read_bytes()

    data = await in_diary(request, write)
    name = f"upperback-report-{period.first.isoformat()}-to-{period.last.isoformat()}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/diary/report")
async def report_form(request: Request) -> Response:
    """Choose the report's period, and whether to print a name and birth date on it."""
    return _form(request, {})


@router.get("/diary/report.pdf")
async def report_of_period(request: Request) -> Response:
    """The clinician report as a PDF, for ?from=&to= (default: the last 30 days)."""
    values = {name: request.query_params.get(name, "") for name in ("from", "to")}
    try:
        period = report_period(values["from"] or None, values["to"] or None)
    except InputError as error:
        return _form(request, values, error)
    return await _pdf(request, period, Subject())


@router.post("/diary/report.pdf")
async def report_for_person(request: Request) -> Response:
    """The clinician report from the form: its period, with a name and birth date if given."""
    form = await request.form()
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in FIELDS}
    try:
        period = report_period(values["from"] or None, values["to"] or None)
        subject = report_subject(values["name"] or None, values["born"] or None)
    except InputError as error:
        return _form(request, values, error)
    return await _pdf(request, period, subject)
