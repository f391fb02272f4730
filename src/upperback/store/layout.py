"""What a diary database of this version holds: its tables and its schema revisions.

Kept apart from the SQLAlchemy modules so that the quick save (quick_save.py) can check a
diary without importing them.
"""

from __future__ import annotations

from typing import Final

#: The first bytes of every SQLite database file.
SQLITE_HEADER: Final = b"SQLite format 3\x00"
VERSION_TABLE: Final = "alembic_version"
OUR_TABLES: Final = frozenset(
    {"checks", "diary_entries", "timer_sessions", "request_keys", "medicine_doses",
     "exercise_sessions", "breaks_taken", "diaries", "comments", "moderators",
     "moderator_sessions", "rate_counts", VERSION_TABLE}
)
# Every revision this version knows, oldest first; a test checks it against the scripts.
REVISIONS: Final[tuple[str, ...]] = ("0001", "0002", "0003", "0004", "0005")
HEAD_REVISION: Final = REVISIONS[-1]
