"""The comments API's request and response models (they also make the OpenAPI document).

The checks themselves are the core's (`upperback.comments`): the models say in the schema
what the core allows (a guide page, the limits, plain text), so the document and the answers
agree, and every refusal names its field and what is allowed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from upperback.comments import NAME_ALLOWED, NAME_MAX, PAGE_ALLOWED, TEXT_ALLOWED, TEXT_MAX
from upperback.comments import guide_pages as _guide_pages
from upperback.knowledge_base import load_knowledge
from upperback.levels import Level

# Plain text: no control character but a tab or a line end (the core refuses the rest), and
# at least one character that is not a space (the core refuses an empty name or comment).
_PLAIN = "[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]"
PLAIN_TEXT_PATTERN = f"^{_PLAIN}*[^\\s\\u0000-\\u001F\\u007F-\\u009F]{_PLAIN}*$"


def with_guide_pages(schema: dict[str, Any]) -> None:
    """Put the guide's pages in a schema as its enum (the knowledge base says which exist)."""
    schema["enum"] = _guide_pages(load_knowledge())


def _plain(limit: int) -> dict[str, Any]:
    return {"minLength": 1, "maxLength": limit, "pattern": PLAIN_TEXT_PATTERN}


class CommentIn(BaseModel):
    """A reader's comment on one of the guide's pages."""

    model_config = ConfigDict(extra="forbid", strict=True)

    page: str = Field(description=PAGE_ALLOWED, json_schema_extra=with_guide_pages,
                      examples=["/causes/poor_posture"])
    name: str = Field(description=NAME_ALLOWED, json_schema_extra=_plain(NAME_MAX),
                      examples=["Sam"])
    text: str = Field(description=TEXT_ALLOWED + "; line breaks are kept",
                      json_schema_extra=_plain(TEXT_MAX),
                      examples=["Heat and a short walk every hour helped me."])


class RuleSaidOut(BaseModel):
    """A red-flag rule that the comment's words fire, and what it says."""

    id: str
    message: str


class GuidanceOut(BaseModel):
    """The advice a warning sign in the comment calls for, from the knowledge base's levels."""

    triage: Level
    triage_label: str
    headline: str
    action: str
    emergency_steps: list[str] = Field(description="what to do now (only for an emergency)")
    reasons: list[RuleSaidOut] = Field(description="the warning signs' rules, most urgent first")
    said: str = Field(description="why this advice is shown")


class NoticeOut(BaseModel):
    """Something the author should know about what they sent."""

    code: Literal["contact_details"]
    message: str


class CommentAcceptedOut(BaseModel):
    """A comment taken for moderation: it is public only once a moderator approves it."""

    id: str = Field(description="the comment's id (32 hex characters)")
    status: Literal["pending"]
    guidance: GuidanceOut | None = Field(
        description="null, or the advice for a warning sign the comment describes: show it "
                    "to the author at once")
    warnings: list[NoticeOut] = Field(
        description="e.g. `contact_details`: the comment holds an e-mail address or a phone "
                    "number, which would be public")
    message: str


class CommentOut(BaseModel):
    """An approved comment, as the public sees it."""

    id: str
    page: str
    name: str
    text: str
    created: datetime
