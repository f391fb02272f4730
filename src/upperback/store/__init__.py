"""The person's saved data: checks, the pain diary and timer sessions.

    >>> from upperback.store import Store
    >>> store = Store.open("sqlite://")          # in memory; Store.open() uses the default file
    >>> store.add_entry(pain=4, helped="heat").pain
    4
    >>> store.close()

SQLite in the user's data folder by default (UPPERBACK_DATABASE_URL or a path to choose another;
any SQLAlchemy URL, e.g. PostgreSQL, works too). Problems come out as StoreError messages.
"""

from .errors import RecordError, StoreError
from .records import CheckRecord, DiaryEntry, TimerSession
from .settings import default_path, resolve_url
from .store import Store

__all__ = [
    "CheckRecord",
    "DiaryEntry",
    "RecordError",
    "Store",
    "StoreError",
    "TimerSession",
    "default_path",
    "resolve_url",
]
