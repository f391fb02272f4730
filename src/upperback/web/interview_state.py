"""Rebuild an interview from the answers so far, and keep those answers in a signed cookie.

The web check and the stateless `/api/v1/interview` both hold nothing but the answers. The
interview is replayed from them: each next question whose findings are all answered is
answered again, in order, which gives the same questions, in the same order, as a person who
answered them one by one. So a reload, the back button or a second tab all see the same check.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping

from upperback import AnswerError, Interview, KnowledgeBase
from upperback.answers import check_answers
from upperback.conditions import AnswerValue

from .security import Signer

# A cookie holding more than this after decompression is not one we wrote.
MAX_STATE_BYTES = 16 * 1024


def replay(kb: KnowledgeBase, answers: Mapping[str, AnswerValue]) -> Interview:
    """An interview that has asked, in order, the questions these answers reply to."""
    interview = Interview(kb)
    remaining = dict(answers)
    while remaining:
        question = interview.next_question()
        if question is None or any(f not in remaining for f in question.findings):
            break
        interview.answer({f: remaining.pop(f) for f in question.findings})
    if remaining and not interview.finished:
        # Answers to questions not reached yet: they count, and are not asked again.
        interview.answer(remaining)
    return interview


def rewind_to(interview: Interview, question_id: str) -> bool:
    """Undo answers back to an earlier question so it can be answered again (False if unasked)."""
    asked = [q.id for q in interview.asked]
    if question_id not in asked:
        return False
    while len(interview.asked) > asked.index(question_id):
        interview.back()
    return True


class StateCookie:
    """Packs the answers so far into a small signed cookie value, and back."""

    def __init__(self, key: bytes) -> None:
        self._signer = Signer(key, "check-state")

    def dump(self, answers: Mapping[str, AnswerValue]) -> str:
        """The cookie value for these answers."""
        text = json.dumps(dict(answers), separators=(",", ":"), sort_keys=True)
        return self._signer.sign(zlib.compress(text.encode("utf-8"), 9))

    def load(self, kb: KnowledgeBase, value: str | None) -> dict[str, AnswerValue]:
        """The answers in a cookie; empty if it is missing, changed, or no longer valid."""
        if not value:
            return {}
        packed = self._signer.unsign(value)
        if packed is None:
            return {}
        try:
            inflater = zlib.decompressobj()
            text = inflater.decompress(packed, MAX_STATE_BYTES)
            if inflater.unconsumed_tail:
                return {}
            data = json.loads(text)
            if not isinstance(data, dict):
                return {}
            return check_answers(kb, data)
        except (zlib.error, ValueError, AnswerError):
            # A check saved before the knowledge base changed: start afresh.
            return {}
