"""The check's state cookie: one that inflates past its limit is not ours and starts a fresh
check; answers given ahead of the question that asks them count in the stateless interview.
(Tampered, old and malformed sealed cookies: test_api_edges.py.)"""

from __future__ import annotations

import time
import zlib

from fastapi.testclient import TestClient

from upperback import LEVELS, KnowledgeBase
from upperback.web.interview_state import MAX_STATE_BYTES, Sealer, StateCookie

from .flows import self_care_answers

KEY = b"key"


def sealed(data: bytes) -> str:
    """A cookie value sealed with the state cookie's key, made now, holding `data` (compressed
    answers, as StateCookie.dump writes them)."""
    now = int(time.time()).to_bytes(8, "big")
    return Sealer(KEY, "check-state").seal(now + zlib.compress(data))


def test_a_cookie_that_inflates_past_the_limit_is_not_ours_and_starts_afresh(
    kb: KnowledgeBase,
) -> None:
    cookie = StateCookie(KEY)
    padding = b" " * MAX_STATE_BYTES  # compresses to almost nothing
    assert cookie.load(kb, sealed(b'{"age": 40}' + b" " * 100)) == {"age": 40}
    assert cookie.load(kb, sealed(b'{"age": 40}' + padding)) == {}
    assert len(cookie.dump(dict.fromkeys(kb.findings))) < 4096  # a real check fits a cookie


def test_answers_given_ahead_of_their_question_count_and_are_not_asked_again(
    client: TestClient, kb: KnowledgeBase
) -> None:
    answers = {"duration_days": 10}  # asked by the "duration" question, after the checklists
    shown: list[str] = []
    for _ in range(len(kb.questions) + 1):
        step = client.post("/api/v1/interview", json={"answers": answers}).json()
        if step["status"] == "result":
            break
        question = next(q for q in kb.questions if q.id == step["question"]["id"])
        shown.append(question.id)
        answers |= {k: v for k, v in self_care_answers(kb, question).items()
                    if k not in answers}
    else:
        raise AssertionError("the interview never ended")
    assert shown[0] == kb.questions[0].id
    assert "duration" not in shown
    assert step["result"]["triage"] in LEVELS
