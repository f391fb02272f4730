"""The API against its own OpenAPI document, with schemathesis: every operation, generated
requests valid and not, every built-in check (no server error, status codes, content types,
headers and bodies as documented, valid data accepted, invalid data refused, 405 with Allow).

Each operation runs on a fresh app over a throwaway diary, with a bounded number of examples.
(`schemathesis.pytest.from_fixture` would give each test its app, but it does not work with
this pytest, so the schema is loaded once and its requests go to the test's own app.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from starlette.types import Receive, Scope, Send

from upperback.web import WebSettings, create_app

MAX_EXAMPLES = 300



def app_on(db_url: str) -> FastAPI:
    # Without the write caps: hundreds of generated writes a minute are what they refuse
    # (429, documented, tested in test_write_limits.py), and the data checks need answers.
    return create_app(WebSettings(db_url=db_url, secret_key="test-secret", testing=True,
                                  writes_per_minute=None, diary_writes_per_minute=None))


class CurrentApp:
    """An ASGI app that hands every request to the app of the test running now."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


# Every check is on. What the document cannot say (JSON Schema has no way to compare two
# fields, or to say "tomorrow"): a timer's seconds must fit its planned minutes, and a time
# must be from 1900 to tomorrow. A request that breaks only these is valid to the schema yet
# refused (422, naming the field), so for these two operations a 422 to schema-valid data is
# expected; everything else about them is still checked. The same holds for a page cursor
# (`before`): the schema gives its shape, but only a cursor the server made names a row. And
# for every write: an Idempotency-Key already used by an earlier example for another body is
# refused (422, naming the header), as the Idempotency-Key draft says it must be. A dose's
# medicine is any text to the schema; only the medicines the knowledge base knows are taken.
# A change to an entry must change something (an empty object is refused, naming `changes`).
# An import's records are checked as the other writes check them (times, medicines, the ice
# and heat limits; a check without a result needs answers the knowledge base takes).
CONFIG = """
[[operations]]
include-name = [
    "POST /api/v1/timers", "POST /api/v1/diary/entries", "POST /api/v1/checks",
    "POST /api/v1/diary/medicines", "GET /api/v1/diary/medicines",
    "POST /api/v1/diary/import",
    "GET /api/v1/checks", "GET /api/v1/diary/entries", "GET /api/v1/timers",
]
checks.positive_data_acceptance.expected-statuses = ["2xx", "422"]

[[operations]]
include-name = ["PATCH /api/v1/diary/entries/{entry_id}"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "404", "422"]
"""

# The document does not depend on the diary: read it from an app on an in-memory one.
current = CurrentApp(app_on("sqlite://"))
schema = schemathesis.openapi.from_asgi(
    "/api/v1/openapi.json", current, config=schemathesis.config.SchemathesisConfig.from_str(CONFIG)
)


@pytest.fixture(autouse=True)
def fresh_app(tmp_path: Path) -> Iterator[None]:
    """Each operation's requests go to an app of its own, over a diary of its own."""
    app = app_on(f"sqlite:///{tmp_path / 'diary.db'}")
    before, current.app = current.app, app
    try:
        yield
    finally:
        current.app = before
        app.state.web.store.close()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_keeps_every_promise_of_its_openapi_document(case: Any) -> None:
    case.call_and_validate()
