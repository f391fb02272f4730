"""Logging a diary entry: the checks on what was typed, and the symptom re-triage.

`log_entry()` is the one way to add an entry: the terminal's `upperback log`, the web diary
form and `POST /api/v1/diary/entries` all call it, so each gets the same limits and the same
raised level. It writes through any object with the store's `add_entry` and `latest_check`
(the core knows nothing of databases).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Generic, Protocol, TypeVar

from .clock import TIME_ALLOWED, check_time
from .errors import InputError, TooLong
from .escalation import Escalation, escalation, symptom_findings
from .knowledge_base import KnowledgeBase
from .limits import PAIN_MAX, PAIN_MIN, SYMPTOMS_MAX, TEXT_LIMITS, pain_allowed, text_allowed

Entry = TypeVar("Entry", covariant=True)
SYMPTOMS_ALLOWED = f"at most {SYMPTOMS_MAX} yes/no finding ids (see the knowledge base)"


class SavedCheck(Protocol):
    """What the re-triage needs of the last saved check."""

    @property
    def answers(self) -> Mapping[str, object]: ...

    @property
    def triage(self) -> str | None: ...


class Diary(Protocol[Entry]):
    """Where entries go (the store has this shape)."""

    def add_entry(
        self,
        pain: int,
        where: str | None = None,
        helped: str | None = None,
        note: str | None = None,
        symptoms: list[str] | None = None,
        created_at: datetime | None = None,
    ) -> Entry: ...

    def latest_check(self) -> SavedCheck | None: ...


@dataclass(frozen=True)
class NewEntry:
    """A diary entry that passed the checks, ready to save."""

    pain: int
    where: str | None = None
    helped: str | None = None
    note: str | None = None
    symptoms: tuple[str, ...] = ()
    created_at: datetime | None = None


@dataclass(frozen=True)
class LoggedEntry(Generic[Entry]):
    """The saved entry, and the raised level its symptoms call for (None: no rise)."""

    entry: Entry
    escalation: Escalation | None
    # Yes/no findings the entry's note states (read by `upperback.parse`), added to the
    # symptoms for the re-triage: "numb legs today" counts as the symptom it names.
    noted: tuple[str, ...] = ()


def check_pain(pain: object) -> int:
    """The pain score if it is a whole number on the scale; InputError naming it if not."""
    if isinstance(pain, bool) or not isinstance(pain, int) or not PAIN_MIN <= pain <= PAIN_MAX:
        raise InputError("pain", f"pain must be {pain_allowed()}, not {pain!r}.", pain_allowed())
    return pain


def clean_text(field: str, value: object, allowed: str) -> str:
    """Text as the guide keeps it: valid Unicode (no lone surrogates), no control characters
    but new lines and tabs, line ends as new lines, composed (NFC), trimmed. Anything else
    raises InputError naming the field, so it is never stored."""
    if not isinstance(value, str):
        raise InputError(field, f"{field} must be text.", allowed)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate: bytes that were not UTF-8, or a broken JSON escape.
        message = f"{field} is not valid text (check its encoding)."
        raise InputError(field, message, allowed) from None
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise InputError(field, f"{field} holds a control character.", allowed)
    return unicodedata.normalize("NFC", text).strip()


def check_text(field: str, value: object) -> str | None:
    """A diary text, cleaned (None when empty); InputError when it is not valid text or is
    too long."""
    if value is None:
        return None
    limit = TEXT_LIMITS[field]
    text = clean_text(field, value, text_allowed(field))
    if len(text) > limit:
        raise TooLong(
            field, f"{field} is {len(text)} characters long; at most {limit} are kept.",
            text_allowed(field),
        )
    return text or None


def check_entry(
    kb: KnowledgeBase,
    *,
    pain: object,
    where: str | None = None,
    helped: str | None = None,
    note: str | None = None,
    symptoms: Sequence[str] = (),
    created_at: object = None,
) -> NewEntry:
    """Check a new entry's fields; the first bad one raises InputError naming it.
    `created_at` (None: now) is an ISO 8601 time with a zone, or a zone-aware datetime."""
    if isinstance(symptoms, str) or len(symptoms) > SYMPTOMS_MAX:
        raise InputError("symptoms", f"at most {SYMPTOMS_MAX} symptoms an entry.",
                         SYMPTOMS_ALLOWED)
    for symptom in symptoms:
        clean_text("symptoms", symptom, SYMPTOMS_ALLOWED)
    return NewEntry(
        pain=check_pain(pain),
        where=check_text("where", where),
        helped=check_text("helped", helped),
        note=check_text("note", note),
        symptoms=tuple(symptom_findings(kb, symptoms)),
        created_at=check_time("created_at", created_at),
    )


#: What `check_changes` takes for a field that is not being changed.
UNCHANGED: Final = object()
EDITABLE: Final = ("pain", "where", "helped", "note", "created_at")


def check_changes(
    *,
    pain: object = UNCHANGED,
    where: object = UNCHANGED,
    helped: object = UNCHANGED,
    note: object = UNCHANGED,
    created_at: object = UNCHANGED,
) -> dict[str, object]:
    """The checked changes to a saved entry, by field (only those given; a text given as
    None or empty clears it). The first bad one raises InputError naming it, as for a new
    entry. The symptoms of an entry are not changed: they may have raised the level."""
    given = {"pain": pain, "where": where, "helped": helped, "note": note,
             "created_at": created_at}
    changes: dict[str, object] = {}
    for field, value in given.items():
        if value is UNCHANGED:
            continue
        if field == "pain":
            changes[field] = check_pain(value)
        elif field == "created_at":
            if value is None:
                raise InputError("created_at", "created_at cannot be cleared.", TIME_ALLOWED)
            changes[field] = check_time("created_at", value)
        else:
            changes[field] = check_text(field, value)
    if not changes:
        raise InputError("changes", "Nothing to change.",
                         "at least one of pain, where, helped, note, created_at")
    return changes


def log_entry(
    kb: KnowledgeBase,
    diary: Diary[Entry],
    entry: NewEntry,
    created_at: datetime | None = None,
) -> LoggedEntry[Entry]:
    """Save a checked entry; with symptoms, re-run the triage on the last saved check.

    The level can only rise here: the symptoms are added as "yes" to the last check's answers
    (see `escalation`), so logging a symptom never makes a result less urgent.
    """
    saved = diary.add_entry(
        pain=entry.pain, where=entry.where, helped=entry.helped, note=entry.note,
        symptoms=list(entry.symptoms), created_at=created_at or entry.created_at,
    )
    noted = note_findings(kb, entry.note)
    symptoms = list(dict.fromkeys([*entry.symptoms, *noted]))
    if not symptoms:
        return LoggedEntry(saved, None)
    latest = diary.latest_check()
    if latest is None:
        return LoggedEntry(saved, escalation(kb, symptoms), noted)
    return LoggedEntry(saved, escalation(kb, symptoms, latest.answers, latest.triage), noted)


def note_findings(kb: KnowledgeBase, note: str | None) -> tuple[str, ...]:
    """The yes/no findings a diary note states as present ("numb legs today"), read by
    `upperback.parse`; none for an empty note. Exemptions ("lifted boxes today") are left
    out: a note can raise the level, never talk a warning sign down."""
    if not note or not note.strip():
        return ()
    from .free_text import parse  # loads spaCy: only for a note

    found = parse(note, kb).findings
    return tuple(f for f, v in found.items()
                 if v is True and kb.findings[f].type == "bool" and f not in kb.easing_findings)
