"""The person's saved data: checks, the pain diary and timer sessions.

    >>> from upperback.store import Store
    >>> store = Store.open("sqlite://")          # in memory; Store.open() uses the default file
    >>> store.add_entry(pain=4, helped="heat").pain
    4
    >>> store.close()

SQLite in the user's data folder by default (a path or any SQLAlchemy URL, e.g. PostgreSQL,
chooses another). Problems come out as StoreError messages.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import RecordError, StoreError
    from .records import CheckRecord, DiaryEntry, MedicineDose, TimerSession
    from .settings import default_path, resolve_url
    from .store import Store

# Names are imported on first use (PEP 562): `upperback check` saves through
# quick_save.py without importing SQLAlchemy, which costs more than the rest of the check.
_EXPORTS = {
    "CheckRecord": "records",
    "DiaryEntry": "records",
    "MedicineDose": "records",
    "TimerSession": "records",
    "RecordError": "errors",
    "StoreError": "errors",
    "Store": "store",
    "default_path": "settings",
    "resolve_url": "settings",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'upperback.store' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [
    "CheckRecord",
    "DiaryEntry",
    "MedicineDose",
    "RecordError",
    "Store",
    "StoreError",
    "TimerSession",
    "default_path",
    "resolve_url",
]
