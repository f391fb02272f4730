"""The small parts: the chart, the interview replay, the state cookie, the signer."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from upperback import Interview, KnowledgeBase
from upperback.web.chart import pain_chart
from upperback.web.interview_state import StateCookie, replay, rewind_to
from upperback.web.security import Signer
from upperback.web.settings import stored_secret

from .flows import self_care_answers

DAY = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_an_empty_diary_draws_no_chart() -> None:
    assert pain_chart([]) == ""


def test_the_chart_puts_worse_pain_higher() -> None:
    svg = str(pain_chart([(DAY, 2), (DAY + timedelta(days=1), 8)]))
    heights = re.findall(r'class="chart-point" cx="[\d.]+" cy="([\d.]+)"', svg)
    first, second = [float(y) for y in heights]
    assert second < first  # SVG's y grows downwards


def test_a_single_entry_is_drawn_in_the_middle() -> None:
    svg = str(pain_chart([(DAY, 5)]))
    assert svg.count('class="chart-point"') == 1
    assert "<polyline" not in svg


def test_replaying_answers_asks_the_same_questions_in_the_same_order(kb: KnowledgeBase) -> None:
    live = Interview(kb)
    while (question := live.next_question()) is not None:
        live.answer(self_care_answers(kb, question))
    again = replay(kb, live.answers)
    assert [q.id for q in again.asked] == [q.id for q in live.asked]
    assert again.finished


def test_rewinding_makes_an_earlier_question_current(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    for _ in range(3):
        question = interview.next_question()
        assert question is not None
        interview.answer(self_care_answers(kb, question))
    first = interview.asked[0]
    assert rewind_to(interview, first.id)
    assert interview.next_question() == first
    assert not rewind_to(interview, "never_asked")


def test_the_state_cookie_round_trips_and_rejects_tampering(kb: KnowledgeBase) -> None:
    cookie = StateCookie(b"key")
    answers = {"age": 40, "fever": False, "sex": None}
    value = cookie.dump(answers)
    assert cookie.load(kb, value) == answers
    assert cookie.load(kb, value[:-3] + "xyz") == {}
    assert StateCookie(b"other key").load(kb, value) == {}
    assert cookie.load(kb, "garbage") == {}


def test_a_cookie_with_answers_the_knowledge_base_no_longer_allows_starts_afresh(
    kb: KnowledgeBase,
) -> None:
    cookie = StateCookie(b"key")
    assert cookie.load(kb, cookie.dump({"no_longer_a_finding": True})) == {}


@pytest.mark.parametrize("data", [b"", b"hello", bytes(range(256))])
def test_the_signer_returns_what_it_signed(data: bytes) -> None:
    signer = Signer(b"key", "test")
    assert signer.unsign(signer.sign(data)) == data
    assert Signer(b"key", "other purpose").unsign(signer.sign(data)) is None


def test_the_secret_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    first = stored_secret(folder)
    assert stored_secret(folder) == first
    assert len(first) >= 32
    assert (folder / "web-secret.key").stat().st_mode & 0o077 == 0


def test_the_result_memo_gives_the_engine_s_answer_and_stays_small(kb: KnowledgeBase) -> None:
    import json

    from upperback import assess
    from upperback.web.result_cache import ResultCache

    memo = ResultCache(kb, size=2)
    answers = {"age": 40, "hunched_posture": True}
    first = memo.assessment(answers)
    assert json.loads(first) == assess(answers, kb).to_dict(explain=False)
    assert json.loads(memo.assessment(answers, explain=True)) == assess(answers, kb).to_dict()
    assert memo.assessment(dict(reversed(answers.items()))) is first  # order does not matter
    memo.assessment({"age": 41})
    memo.assessment({"age": 42})
    assert memo.assessment(answers) is not first  # pushed out: at most two kept
