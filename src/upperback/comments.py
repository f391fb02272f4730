"""Reader comments on the guide's pages: what a comment may hold, and what it tells its author.

A comment is checked here, once, for every way in (the page's form, the API): the page it is
on must be one of the guide's pages, the name and the text must be plain text within their
limits. Then `review` reads it the way the check reads a person's own words (`parse`), and
runs the knowledge base's red-flag rules on what it affirms: a comment that describes a
warning sign shows its author that level's advice at once, and waits for a moderator. So does
one with an e-mail address or a phone number, whose author is told it would be public.

Pure: no HTTP, no database. The store keeps comments (`store/comments.py`), the web and the
terminal show them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from .conditions import AnswerValue
from .diary import clean_text
from .errors import InputError, TooLong, shown
from .free_text import Parsed, parse
from .knowledge_base import KnowledgeBase
from .levels import Level, rank
from .triage import red_flag_reasons

#: The longest name and comment, in characters (after trimming).
NAME_MAX: Final = 80
TEXT_MAX: Final = 2000
#: The longest page path the store keeps.
PAGE_PATH_MAX: Final = 200

NAME_ALLOWED: Final = f"a name of 1 to {NAME_MAX} characters (plain text, one line)"
TEXT_ALLOWED: Final = f"a comment of 1 to {TEXT_MAX} characters (plain text)"
PAGE_ALLOWED: Final = (
    "the path of a guide page: / (the home page), /causes/ID or /relief/ID, with an ID "
    "listed by GET /api/v1/knowledge"
)

Status = Literal["pending", "approved", "rejected"]
STATUSES: Final[tuple[Status, ...]] = ("pending", "approved", "rejected")
HeldFor = Literal["warning_sign", "contact_details"]

#: What each reason for holding a comment means, for the moderator.
HELD_FOR_TEXT: Final[dict[str, str]] = {
    "warning_sign": "It describes a warning sign. Its author was shown the advice for it.",
    "contact_details": "It has an e-mail address or a phone number in it.",
}

# Said to the author of a comment that describes a warning sign, above the level's advice.
WARNING_SIGN_SAID: Final = (
    "What you wrote may be a warning sign. Please do not wait for a reply here."
)
CONTACT_WARNING: Final = (
    "Your comment has an e-mail address or a phone number in it. Comments are public once a "
    "moderator approves them, so anyone could read it. A moderator will check it first. To "
    "keep your details private, send your comment again without them."
)
THANKS: Final = "A moderator will read your comment before it is shown on its page."

# An e-mail address: something@domain.tld (letters of any script).
EMAIL: Final = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# A run of digits that could be a phone number: an optional +, 00 or "(", then digits with
# spaces, dots, dashes, slashes or brackets between them. Counted by its digits below.
PHONE_RUN: Final = re.compile(r"(?<![\w+])(?:\+|\()?\d[\d \t().\-/]{5,24}\d(?![\w])")
PHONE_DIGITS: Final = range(7, 16)  # E.164 numbers have at most 15 digits
# Runs of digits that are not phone numbers: dates and year ranges.
NOT_A_PHONE: Final = (
    re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"),
    re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"),
    re.compile(r"(?:19|20)\d\d\s*[-/]\s*(?:19|20)\d\d"),
)


@dataclass(frozen=True)
class NewComment:
    """A comment whose page, name and text are allowed (cleaned, trimmed)."""

    page: str
    name: str
    text: str


@dataclass(frozen=True)
class RuleSaid:
    """A red-flag rule a comment's words fire: its id and the sentence it says."""

    id: str
    message: str


@dataclass(frozen=True)
class Guidance:
    """The advice a comment's warning sign calls for: its level's words from the knowledge base."""

    triage: Level
    label: str
    headline: str
    action: str
    steps: tuple[str, ...]
    reasons: tuple[RuleSaid, ...]
    said: str = WARNING_SIGN_SAID

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (the API's `guidance`)."""
        return {
            "triage": self.triage,
            "triage_label": self.label,
            "headline": self.headline,
            "action": self.action,
            "emergency_steps": list(self.steps),
            "reasons": [{"id": r.id, "message": r.message} for r in self.reasons],
            "said": self.said,
        }


@dataclass(frozen=True)
class Notice:
    """Something the author should know about what they sent."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """As JSON-ready data."""
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Review:
    """A checked comment and what it tells its author and the moderator."""

    comment: NewComment
    guidance: Guidance | None = None
    contact: tuple[str, ...] = ()  # "email", "phone": what kinds of contact details it holds
    warnings: tuple[Notice, ...] = field(default=())

    @property
    def held_for(self) -> HeldFor | None:
        """Why it waits for a moderator beyond the usual: a warning sign first (the moderator
        should know it most), then contact details; None for neither."""
        if self.guidance is not None:
            return "warning_sign"
        if self.contact:
            return "contact_details"
        return None


# -- the parts of a comment --------------------------------------------------------------------


def guide_pages(kb: KnowledgeBase) -> list[str]:
    """Every page a comment may be on: the home page, each cause's and each relief method's."""
    return ["/", *(f"/causes/{c}" for c in kb.causes), *(f"/relief/{m}" for m in kb.relief)]


def page_title(kb: KnowledgeBase, page: str) -> str:
    """A guide page's title, for a feed or a list (the path itself for a page not known)."""
    if page == "/":
        return kb.guide.title
    kind, _, item = page.strip("/").partition("/")
    if kind == "causes" and item in kb.causes:
        return kb.causes[item].name
    if kind == "relief" and item in kb.relief:
        return kb.relief[item].name
    return page


def check_page(kb: KnowledgeBase, page: object) -> str:
    """A guide page's path, or InputError naming `page` and what it allows."""
    if isinstance(page, str) and page in guide_pages(kb):
        return page
    said = f"{shown(page[:60])!r}" if isinstance(page, str) else "that"
    raise InputError("page", f"The page {said} is not a page of the guide.", PAGE_ALLOWED)


def _checked(field_name: str, value: object, limit: int, allowed: str, what: str) -> str:
    """Text cleaned as the diary cleans it, at most `limit` characters as sent and as kept;
    InputError when it is missing, empty or not plain text."""
    if value is None:
        value = ""
    if isinstance(value, str) and len(value) > limit:
        raise _too_long(field_name, len(value), limit, allowed, what)
    text = clean_text(field_name, value, allowed)
    if not text:
        raise InputError(field_name, f"Please enter your {what}.", allowed)
    if len(text) > limit:  # composing the text (NFC) can, rarely, lengthen it
        raise _too_long(field_name, len(text), limit, allowed, what)
    return text


def _too_long(field_name: str, length: int, limit: int, allowed: str, what: str) -> TooLong:
    return TooLong(field_name, f"Your {what} is {length} characters long. The most is "
                               f"{limit}.", allowed)


def check_name(value: object) -> str:
    """A commenter's name: plain text on one line (runs of spaces and line breaks become one
    space), 1 to NAME_MAX characters; InputError naming `name` otherwise."""
    return " ".join(_checked("name", value, NAME_MAX, NAME_ALLOWED, "name").split())


def check_text(value: object) -> str:
    """A comment's text: plain text with its line breaks, 1 to TEXT_MAX characters;
    InputError naming `text` otherwise."""
    return _checked("text", value, TEXT_MAX, TEXT_ALLOWED, "comment")


def check_comment(kb: KnowledgeBase, page: object, name: object, text: object) -> NewComment:
    """A comment's three parts, checked in the order a form shows them (the first problem
    raises InputError naming its field)."""
    return NewComment(check_page(kb, page), check_name(name), check_text(text))


# -- what a comment says -------------------------------------------------------------------------


def _phone_like(run: str) -> bool:
    digits = sum(c.isdigit() for c in run)
    if digits not in PHONE_DIGITS:
        return False
    if any(pattern.fullmatch(run.strip()) for pattern in NOT_A_PHONE):
        return False
    # A list of small numbers ("10 20 30 40") is not a phone number: one part has 3 digits.
    return any(len(part) >= 3 for part in re.split(r"\D+", run))


def contact_details(text: str) -> tuple[str, ...]:
    """The kinds of contact details in a text: "email" and "phone", each once, in that order."""
    found = []
    if EMAIL.search(text):
        found.append("email")
    # Full-width digits and the like count too ("０７７００..."): read them as ASCII digits.
    ascii_digits = unicodedata.normalize("NFKC", text)
    if any(_phone_like(m.group(0)) for m in PHONE_RUN.finditer(ascii_digits)):
        found.append("phone")
    return tuple(found)


def affirmed(parsed: Parsed) -> dict[str, AnswerValue]:
    """The answers a text affirms (a yes or a number), without what it denies: a comment is
    not an interview, and a "no" in it is no reason to rule anything out."""
    return {f: v for f, v in parsed.findings.items() if v is not False and v is not None}


def guidance_for(kb: KnowledgeBase, answers: dict[str, AnswerValue]) -> Guidance | None:
    """The advice the knowledge base's red-flag rules give for these answers: the level of the
    most urgent rule that fires, that level's words, and each rule's sentence; None when no
    rule fires (a comment that describes no warning sign)."""
    fired = [r for r in red_flag_reasons(kb, answers) if rank(r.level) > rank("self_care")]
    if not fired:
        return None
    level = fired[0].level  # most urgent first
    advice = kb.guide.levels[level]
    reasons = tuple(RuleSaid(r.id, r.message) for r in fired)
    return Guidance(level, advice.label, advice.headline, advice.action,
                    advice.steps if level == "emergency" else (), reasons)


def review(kb: KnowledgeBase, page: object, name: object, text: object,
           reader: Callable[[str, KnowledgeBase], Parsed] | None = None) -> Review:
    """Check a comment and read it: the advice a warning sign in it calls for, and a warning
    when it holds contact details. InputError (naming the field) when a part is not allowed.
    `reader` reads the text into findings (default: `upperback.parse`)."""
    comment = check_comment(kb, page, name, text)
    read = reader or (lambda words, knowledge: parse(words, knowledge))
    guidance = guidance_for(kb, affirmed(read(comment.text, kb)))
    contact = contact_details(f"{comment.name}\n{comment.text}")
    warnings = (Notice("contact_details", CONTACT_WARNING),) if contact else ()
    return Review(comment, guidance, contact, warnings)


# -- moderators ---------------------------------------------------------------------------------

MODERATOR_NAME_MAX: Final = 80
MODERATOR_NAME_ALLOWED: Final = (
    f"1 to {MODERATOR_NAME_MAX} letters, digits, dots, dashes or underscores"
)
MODERATOR_NAME: Final = re.compile(rf"[\w.-]{{1,{MODERATOR_NAME_MAX}}}")
PASSWORD_MIN: Final = 10
PASSWORD_MAX: Final = 1024  # hashing a huge password would tie up the server
PASSWORD_ALLOWED: Final = f"{PASSWORD_MIN} to {PASSWORD_MAX} characters"


def check_moderator_name(value: object) -> str:
    """A moderator's name (letters, digits, dots, dashes, underscores), or InputError."""
    if isinstance(value, str) and MODERATOR_NAME.fullmatch(value):
        return value
    raise InputError("name", f"A moderator's name must be {MODERATOR_NAME_ALLOWED}.",
                     MODERATOR_NAME_ALLOWED)


def check_password(value: object) -> str:
    """A new moderator password of PASSWORD_MIN to PASSWORD_MAX characters, or InputError."""
    if not isinstance(value, str) or not PASSWORD_MIN <= len(value) <= PASSWORD_MAX:
        raise InputError("password", f"The password must be {PASSWORD_ALLOWED} long.",
                         PASSWORD_ALLOWED)
    return value
