"""When to check again: the follow-up's re-check days (kb.guide.follow_up.recheck_after_days)
counted from the last saved check, so the diary can bring the person back when the plan says
"if it is not better in 2 to 4 weeks". The terminal's `history`, the diary page and
GET /api/v1/diary/recheck all ask `recheck_due`.

A re-check starts from the last check's answers that cannot hide a warning sign
(`recheck_answers`), asks the rest again, and then says what changed (`changes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from .answers import AnswerError, check_answer
from .conditions import AnswerValue
from .knowledge_base import KnowledgeBase
from .levels import LEVELS, Level

#: The finding that holds the pain score a re-check compares.
PAIN_FINDING: Final = "pain_severity"


@dataclass(frozen=True)
class Recheck:
    """The next re-check of the last check: when, and whether that day has come."""

    check_id: int
    level: str
    checked_at: datetime
    due: datetime
    overdue: bool
    weeks: int  # how long after the check it falls, in whole weeks

    def to_dict(self) -> dict[str, object]:
        """As plain data (times stay datetimes)."""
        return asdict(self)


def recheck_due(kb: KnowledgeBase, check_id: int, level: object, checked_at: datetime,
                now: datetime | None = None) -> Recheck | None:
    """The re-check of a check saved at `checked_at` with this level: the first of the
    level's re-check days while none has come, else the latest that has (overdue: the person
    should check again now). None when the level has no re-check (urgent, emergency) or is not
    a level at all."""
    if not isinstance(level, str) or level not in LEVELS:
        return None
    days = kb.guide.follow_up.recheck_after_days.get(level, ())
    if not days:
        return None
    now = now or datetime.now(UTC)
    dates = [checked_at + timedelta(days=d) for d in days]
    passed = [d for d in dates if d <= now]
    due = passed[-1] if passed else dates[0]
    return Recheck(check_id, level, checked_at, due, bool(passed),
                   round((due - checked_at).days / 7))


def recheck_answers(kb: KnowledgeBase, last_answers: Mapping[str, object]
                    ) -> dict[str, AnswerValue]:
    """The answers a re-check starts from: the last check's answers to the questions the
    follow-up keeps (kb.guide.follow_up.recheck_keeps: facts no warning-sign rule reads,
    checked at load). An answer this version no longer takes is left out, to be asked."""
    keep = {f for q in kb.questions if q.id in kb.guide.follow_up.recheck_keeps
            for f in q.findings}
    kept: dict[str, AnswerValue] = {}
    for finding_id in sorted(keep & {k for k in last_answers if isinstance(k, str)}):
        try:
            kept[finding_id] = check_answer(kb, finding_id, last_answers[finding_id])
        except AnswerError:
            continue
    return kept


@dataclass(frozen=True)
class Changes:
    """What differs between an earlier check and a later one, in the knowledge base's words."""

    level_before: Level
    level_after: Level
    pain_before: int | None
    pain_after: int | None
    new: tuple[str, ...]  # labels of what is present now and was not then
    gone: tuple[str, ...]  # labels of what was present then and is "no" now

    @property
    def level_rose(self) -> bool:
        """Whether the later check's level is higher."""
        return LEVELS.index(self.level_after) > LEVELS.index(self.level_before)

    def to_dict(self) -> dict[str, object]:
        """As plain data."""
        return asdict(self) | {"level_rose": self.level_rose}

    def lines(self, kb: KnowledgeBase) -> list[str]:
        """The changes in words, for the terminal and the page alike."""
        before, after = (kb.guide.levels[lv].label for lv in (self.level_before,
                                                              self.level_after))
        said = [f"Level: {before}, now {after}." if before != after
                else f"Level: the same ({after})."]
        if self.pain_before is not None and self.pain_after is not None:
            said.append(f"Pain: {self.pain_before} out of 10, now {self.pain_after}.")
        if self.new:
            said.append("New since then: " + "; ".join(self.new) + ".")
        if self.gone:
            said.append("Gone since then: " + "; ".join(self.gone) + ".")
        return said


def _pain(answers: Mapping[str, object]) -> int | None:
    value = answers.get(PAIN_FINDING)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def changes(kb: KnowledgeBase, before: Mapping[str, object], level_before: object,
            after: Mapping[str, object], level_after: object) -> Changes | None:
    """What changed from the `before` check to the `after` one: the level, the pain score,
    and the yes/no findings that appeared ("yes" now, not then) or went ("yes" then, "no"
    now; a "don't know" now is not counted as gone). None when a level is not a level."""
    if level_before not in LEVELS or level_after not in LEVELS:
        return None
    new, gone = [], []
    for finding_id, finding in kb.findings.items():
        if finding.type != "bool" or finding_id == PAIN_FINDING:
            continue
        was, now = before.get(finding_id), after.get(finding_id)
        if now is True and was is not True:
            new.append(finding.label)
        elif was is True and now is False:
            gone.append(finding.label)
    return Changes(level_before, level_after, _pain(before),
                   _pain(after), tuple(new), tuple(gone))
