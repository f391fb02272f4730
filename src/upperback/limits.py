"""The limits every layer shares: the pain scale, how long diary texts may be, how many
symptoms one entry may carry. The terminal, the web pages, the API and the store all read
them from here, so a limit is written once.

(The longest ice or heat session is knowledge, not a limit of the program: it is each relief
method's `max_minutes` in the knowledge base; see `sessions.py`.)
"""

from __future__ import annotations

from typing import Final

#: The pain score, from none to the worst imaginable (the 0-10 numeric rating scale).
PAIN_MIN: Final = 0
PAIN_MAX: Final = 10

#: The longest "where it hurts" and "what helped" texts, in characters.
SHORT_TEXT_MAX: Final = 200
#: The longest free note, in characters.
NOTE_MAX: Final = 2000
#: The most symptoms one diary entry may carry.
SYMPTOMS_MAX: Final = 20

#: How each diary text field is limited, by field name.
# The most records one page, or one screen of `upperback history`, may hold: every read is
# bounded (the exports read everything, a batch at a time).
PAGE_MAX: Final = 1000

# The most milligrams one logged medicine dose may hold (more is a typing slip, not a dose).
DOSE_MAX_MG: Final = 5000

#: The largest file `upperback import` (and the web's import) reads, in bytes. The file is
#: read whole, so this bounds the memory an import takes (about four times the file's size at
#: most). 50,000 diary entries export to about 14 MB and a saved check to about 50 KB, so a
#: diary of 50,000 entries and 1,000 checks fits.
IMPORT_MAX_BYTES: Final = 64 * 1024 * 1024

TEXT_LIMITS: Final = {"where": SHORT_TEXT_MAX, "helped": SHORT_TEXT_MAX, "note": NOTE_MAX}


def pain_allowed() -> str:
    """What the pain field allows, in words."""
    return f"a whole number from {PAIN_MIN} to {PAIN_MAX}"


def text_allowed(field: str) -> str:
    """What a diary text field allows, in words."""
    return (
        f"text of at most {TEXT_LIMITS[field]} characters (no control characters but new "
        "lines and tabs), or nothing"
    )
