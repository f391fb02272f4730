"""The diary's import on the web: the page /diary/import (a file upload form that works
without JavaScript) and what `POST /api/v1/diary/import` shares with it.

Both read the file with `documents.restore` (the checks, the size cap, the one transaction)
on a worker thread, since a big file takes a while to check. Their bodies may be larger than
other requests' (`WebSettings.import_max_bytes`; RequestGuard answers 413 past it).
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from upperback.documents.restore import (
    ExportIn,
    ImportRefused,
    import_export,
    read_export,
    read_limited,
    summary,
)
from upperback.store import Store
from upperback.store.imports import ImportCounts, Imported

from .context import web
from .forms import require_csrf
from .visitors import in_diary
from .write_limits import count_write

API_PATH: Final = "/api/v1/diary/import"
PAGE_PATH: Final = "/diary/import"
FILE_FIELD: Final = "file"



async def _require_csrf(request: Request) -> None:
    """The pages' CSRF check; a refused upload's file is closed at once (not left to the
    garbage collector)."""
    try:
        await require_csrf(request)
    except HTTPException:
        await (await request.form()).close()
        raise


router = APIRouter(dependencies=[Depends(_require_csrf)])


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(definitions[ref.removeprefix("#/$defs/")], definitions)
        return {key: _inline(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    return node


def export_schema() -> dict[str, Any]:
    """The JSON Schema of an export as the import reads it, whole (its definitions put in
    place: an OpenAPI request body cannot point into a schema's own `$defs`)."""
    schema = ExportIn.model_json_schema()
    definitions = schema.pop("$defs", {})
    inlined = _inline(schema, definitions)
    assert isinstance(inlined, dict)
    return inlined


def request_body() -> dict[str, Any]:
    """The import's request body, for the OpenAPI document (the route reads the body itself,
    so that every refusal names the record and field as the terminal does)."""
    return {"requestBody": {"required": True, "description": "A JSON export, as GET "
                            "/diary/export.json or `upperback export` writes it.",
                            "content": {"application/json": {"schema": export_schema()}}}}


def counts_dict(counts: ImportCounts, dry_run: bool) -> dict[str, Any]:
    """What an import did, as the API answers it."""
    return {"checks": counts.checks, "entries": counts.entries, "timers": counts.timers,
            "doses": counts.doses, "already": counts.already, "dry_run": dry_run,
            "message": summary(counts, dry_run)}


async def read_records(request: Request, data: bytes) -> Imported:
    """The checked records of an export, read on a worker thread (ImportRefused if bad)."""
    return await run_in_threadpool(read_export, web(request).kb, data)


def import_into(records: Imported, dry_run: bool) -> Any:
    """The store call that adds the records (one transaction), for StoreGateway.run."""

    def run(store: Store) -> ImportCounts:
        return import_export(store, records, dry_run=dry_run)

    return run


@router.get(PAGE_PATH)
async def import_page(request: Request) -> Response:
    """The form to import a JSON export."""
    return _page(request)


@router.post(PAGE_PATH, dependencies=[Depends(count_write)])
async def import_upload(request: Request) -> Response:
    """Import the uploaded file; the page shows what was added, or why nothing was."""
    async with request.form() as form:  # closes the uploaded file (spooled to disk if big)
        upload = form.get(FILE_FIELD)
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _page(request, error="Choose a file to import.", status_code=422)
        dry_run = form.get("dry_run") == "yes"
        try:
            data = await run_in_threadpool(read_limited, upload.file,
                                           web(request).settings.import_max_bytes)
            records = await read_records(request, data)
        except ImportRefused as error:
            return _page(request, error=str(error), status_code=422)
    counts = await in_diary(request, import_into(records, dry_run))
    return _page(request, done=summary(counts, dry_run))


def _page(request: Request, error: str | None = None, done: str | None = None,
          status_code: int = 200) -> Response:
    context = web(request)
    limit_mb = context.settings.import_max_bytes / (1024 * 1024)
    return context.pages.render(
        request, "diary_import.html",
        {"error": error, "done": done, "file_field": FILE_FIELD, "limit_mb": f"{limit_mb:g}"},
        status_code=status_code,
    )
