"""Idempotency-Key on the API's writes: a retry after a lost answer saves once.

A write sent with `Idempotency-Key: K` is run once; the same request sent again with K gets
the first answer back, with `Idempotent-Replayed: true` and nothing saved twice. K used for a
different request is a 422; K whose first request is still being handled is a 409 (retry in a
moment). Keys are kept for 24 hours. The store does the bookkeeping (store/request_keys.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any, Final

from fastapi import Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from upperback.store import Store
from upperback.store.request_keys import KEY_ALLOWED, KEY_PATTERN, KeyConflict

from .errors import FIELD_ALLOWED, ApiError
from .visitors import in_diary

HEADER: Final = "Idempotency-Key"
REPLAYED_HEADER: Final = "Idempotent-Replayed"
FIELD_ALLOWED[HEADER] = KEY_ALLOWED

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        pattern=KEY_PATTERN,
        description="Optional. Send the same key again with the same request after a lost "
        "answer: the write is saved once and the first answer comes back (with "
        f"`{REPLAYED_HEADER}: true`). Allowed: {KEY_ALLOWED}. Kept for 24 hours.",
    ),
]


def _fingerprint(request: Request, body: bytes) -> str:
    # The method, path and exact body: the same key with anything else is another request.
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.url.path.encode(), body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


async def write_once(
    request: Request,
    key: str | None,
    model: type[BaseModel],
    status: int,
    write: Callable[[Store], dict[str, Any]],
) -> Any:
    """Run `write(store)` on the store's thread, once for `key` when one was sent.

    Without a key it returns the data (FastAPI checks it against `model`); with one, the JSON
    response, first or replayed.
    """
    if key is None:
        return await in_diary(request, write)
    fingerprint = _fingerprint(request, await request.body())

    def reply(store: Store) -> tuple[int, Any]:
        return status, jsonable_encoder(model.model_validate(write(store)))

    try:
        answer = await in_diary(request, lambda store: store.once(key, fingerprint,
                                                                  lambda: reply(store)))
    except KeyConflict as conflict:
        if conflict.kind == "reused":
            raise ApiError(422, "idempotency_key_reused", str(conflict), HEADER,
                           KEY_ALLOWED) from None
        raise ApiError(409, "idempotency_key_in_progress", str(conflict), HEADER,
                       "the same key again once the first request has been answered",
                       headers={"Retry-After": "1"}) from None
    headers = {REPLAYED_HEADER: "true"} if answer.replayed else None
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)
