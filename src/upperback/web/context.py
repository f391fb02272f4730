"""What every route needs, built once per app: knowledge, store, signing and page rendering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request

from upperback import KnowledgeBase

from .interview_state import StateCookie
from .result_cache import ResultCache
from .security import Csrf
from .settings import WebSettings
from .storage import StoreGateway
from .templating import Pages

if TYPE_CHECKING:  # write_limits.py reads the context itself
    from .write_limits import WriteLimits


@dataclass(frozen=True)
class WebContext:
    """The app's shared parts (one per `create_app`)."""

    settings: WebSettings
    kb: KnowledgeBase
    store: StoreGateway
    csrf: Csrf
    check_state: StateCookie
    pages: Pages
    results: ResultCache
    write_limits: WriteLimits


def web(request: Request) -> WebContext:
    """The context of the app serving this request."""
    context = request.app.state.web
    assert isinstance(context, WebContext)
    return context
