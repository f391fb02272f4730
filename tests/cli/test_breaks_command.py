"""`upperback breaks` on a fake clock: the wait and the break last what was asked, a break
can be put off once, taken breaks are logged, and bad options are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from upperback.breaks import BreakSchedule, check_break_options
from upperback.cli import breaks as breaks_module
from upperback.errors import InputError
from upperback.knowledge_base import KnowledgeBase
from upperback.store import Store

from .conftest import Run, flat


class FakeSleep:
    """Counts the ticks slept instead of sleeping."""

    def __init__(self) -> None:
        self.ticks = 0

    def __call__(self, seconds: float) -> None:
        self.ticks += 1


@pytest.fixture
def fake_sleep(monkeypatch: pytest.MonkeyPatch) -> FakeSleep:
    fake = FakeSleep()
    monkeypatch.setattr(breaks_module, "BREAK_SLEEP", fake)
    return fake


def taken(store: Store) -> list[int]:
    now = datetime.now(UTC)
    return [s for _, s in store.breaks_between(now - timedelta(hours=1),
                                               now + timedelta(hours=1)).items]


def test_a_break_taken_rings_suggests_an_idea_and_is_logged(
    run: Run, store: Store, kb: KnowledgeBase, fake_sleep: FakeSleep
) -> None:
    result = run("breaks", "--every", "5", "--length", "20", "--count", "1", input="t\n")
    assert result.exit_code == 0, result.output
    assert fake_sleep.ticks == 5 * 60 + 20
    assert "\a" in result.output
    assert flat(kb.exercise_book.break_reminders.ideas[0]) in flat(result.output)
    assert taken(store) == [20]


def test_the_defaults_come_from_the_knowledge_base(
    run: Run, kb: KnowledgeBase, fake_sleep: FakeSleep, store: Store
) -> None:
    rules = kb.exercise_book.break_reminders
    run("breaks", "--count", "1", input="t\n")
    assert fake_sleep.ticks == rules.every_minutes * 60 + rules.length_seconds


def test_a_break_can_be_put_off_once_only(
    run: Run, store: Store, kb: KnowledgeBase, fake_sleep: FakeSleep
) -> None:
    result = run("breaks", "--every", "5", "--length", "10", "--count", "1", input="p\np\ns\n")
    postpone = kb.exercise_book.break_reminders.postpone_minutes
    text = flat(result.output)
    assert text.count(f"Put off for {postpone} minutes.") == 1
    assert "Skipped." in text
    assert fake_sleep.ticks == 5 * 60 + postpone * 60
    assert taken(store) == []


@pytest.mark.parametrize(("args", "said"), [
    (("--every", "0"), "--every must be from 5 to 120 minutes"),
    (("--length", "5000"), "--length must be from 10 to 900 seconds"),
])
def test_options_out_of_range_are_refused_naming_them(run: Run, args: tuple[str, ...],
                                                      said: str) -> None:
    result = run("breaks", *args)
    assert result.exit_code == 2
    assert said in flat(result.output)


def test_the_schedule_takes_turns_with_the_ideas_and_resets_the_postponement(
    kb: KnowledgeBase,
) -> None:
    rules = kb.exercise_book.break_reminders
    schedule = BreakSchedule(rules, 600)
    assert schedule.due == 600 and schedule.idea() == rules.ideas[0]
    assert schedule.postpone(600) and schedule.due == 600 + rules.postpone_minutes * 60
    assert not schedule.postpone(schedule.due)
    schedule.done(1000)
    assert schedule.due == 1600 and schedule.can_postpone
    assert schedule.idea() == rules.ideas[1 % len(rules.ideas)]


def test_check_break_options_names_the_field(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as refused:
        check_break_options(kb, 30, 1)
    assert refused.value.field == "length"
