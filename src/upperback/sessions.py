"""Ice and heat sessions: which relief method each timer times, how long a session may last,
and the cautions a person's answers raise. The terminal's `upperback timer`, the timer page
and `POST /api/v1/timers` all call these, so each refuses and warns alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, Literal

from .errors import InputError

if TYPE_CHECKING:  # the store imports the timer kinds: keep this module light to import
    from .conditions import AnswerValue
    from .knowledge_base import KnowledgeBase
    from .knowledge_models import ReliefMethod

TimerKind = Literal["ice", "heat"]
#: The timer kinds, and the relief method of the knowledge base each one times.
TIMER_METHODS: Final[dict[str, str]] = {"ice": "ice_pack", "heat": "heat_pack"}
TIMER_KINDS: Final[tuple[TimerKind, ...]] = ("ice", "heat")


def timer_method(kb: KnowledgeBase, kind: str) -> ReliefMethod:
    """The relief method a timer kind times; InputError for an unknown kind."""
    method = kb.relief.get(TIMER_METHODS.get(kind, ""))
    if method is None or method.max_minutes is None:
        allowed = f"one of {', '.join(TIMER_METHODS)}"
        raise InputError("kind", f"There is no timer for {kind!r}.", allowed)
    return method


def session_limit(kb: KnowledgeBase, kind: str) -> int:
    """The most minutes one session may last (the method's max_minutes, from its sources)."""
    limit = timer_method(kb, kind).max_minutes
    assert limit is not None  # timer_method only returns timed methods
    return limit


def minutes_allowed(kb: KnowledgeBase, kind: str) -> str:
    """What a session's planned minutes allow, in words."""
    return f"a whole number of minutes from 1 to {session_limit(kb, kind)}"


def check_session(
    kb: KnowledgeBase, kind: str, planned_minutes: int, seconds: int | None = None
) -> int:
    """The planned minutes if the session is allowed; InputError naming the field if not.

    A session longer than the method's limit is refused, never shortened without a word: the
    limit is a safety rule (skin damage from cold or heat), not a default.
    """
    limit = session_limit(kb, kind)
    if not 1 <= planned_minutes <= limit:
        raise InputError(
            "planned_minutes",
            f"{planned_minutes} minutes is not allowed: at most {limit} minutes a session.",
            minutes_allowed(kb, kind),
        )
    if seconds is not None and not 0 <= seconds <= planned_minutes * 60:
        raise InputError(
            "seconds", f"{seconds} seconds does not fit a {planned_minutes}-minute session.",
            f"a whole number from 0 to {planned_minutes * 60}",
        )
    return planned_minutes


def session_cautions(kb: KnowledgeBase, kind: str, answers: Mapping[str, object]) -> list[str]:
    """Why this session may not be safe for someone with these answers (empty: no caution),
    from the method's contraindications in the knowledge base."""
    from .answers import AnswerError, check_answer

    method = timer_method(kb, kind)
    known: dict[str, AnswerValue] = {}
    for finding, value in answers.items():
        # Answers saved by an older version may name a finding or value since removed.
        try:
            known[finding] = check_answer(kb, finding, value)
        except AnswerError:
            continue
    return [c.reason for c in method.contraindications if c.when.holds(known)]
