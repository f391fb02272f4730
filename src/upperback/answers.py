"""Check a person's answers against the knowledge base before anything uses them."""

from __future__ import annotations

from collections.abc import Mapping

from .conditions import AnswerValue
from .errors import InputError, shown
from .knowledge_base import KnowledgeBase


class AnswerError(InputError):
    """An answer is not allowed: names the finding, what was given, and what is allowed."""

    def __init__(self, finding: str, message: str, allowed: str | None = None) -> None:
        self.finding = finding
        super().__init__(finding, message, allowed)


def check_answer(kb: KnowledgeBase, finding_id: object, value: object) -> AnswerValue:
    """Return the value if the finding exists and the value fits it; raise AnswerError if not."""
    if not isinstance(finding_id, str) or finding_id not in kb.findings:
        # A key may hold anything (a lone surrogate, a control character): say it safely.
        name = shown(finding_id) if isinstance(finding_id, str) else repr(finding_id)
        hint = kb.suggest_finding(finding_id) if isinstance(finding_id, str) else None
        also = f"; did you mean {hint!r}?" if hint else ""
        raise AnswerError(str(name), f"unknown finding {name!r}{also}")
    finding = kb.findings[finding_id]
    if value is None:
        return None
    allowed = finding.allowed()
    problem = f"{finding_id}: {value!r} is not allowed; expected {allowed}"
    if finding.type == "bool":
        if not isinstance(value, bool):
            raise AnswerError(finding_id, problem, allowed)
        return value
    if finding.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnswerError(finding_id, problem, allowed)
        assert finding.min is not None and finding.max is not None
        if not finding.min <= value <= finding.max:
            raise AnswerError(finding_id, problem, allowed)
        return value
    if not isinstance(value, str) or value not in (finding.values or ()):
        raise AnswerError(finding_id, problem, allowed)
    return value


class TextFindings(dict[str, AnswerValue]):
    """The answers a person's own words give (`upperback.parse(text).findings`): a plain
    mapping of finding id to value that also knows which of its answers are `held`, the ones
    that could keep a warning-sign rule from firing (a denied warning sign, an affirmed
    exemption). A sentence is weaker evidence than a direct answer, so wherever these
    answers are used as answers (`Interview(answers=...)`, `assess`) the held ones are left
    out: the interview asks them again, and until then they are not ruled out."""

    def __init__(self, found: Mapping[str, AnswerValue], held: frozenset[str] = frozenset()
                 ) -> None:
        super().__init__(found)
        self.held = frozenset(held) & frozenset(found)


def check_answers(kb: KnowledgeBase, answers: Mapping[str, object]) -> dict[str, AnswerValue]:
    """Validate every answer; the first bad one raises AnswerError naming its finding.
    Answers from a person's words that are held for a direct answer (`TextFindings.held`)
    are left out, so a misread word never lowers the level."""
    if not isinstance(answers, Mapping):
        raise AnswerError("answers", "answers must be a mapping of finding id to value")
    held = answers.held if isinstance(answers, TextFindings) else frozenset()
    return {str(fid): check_answer(kb, fid, value) for fid, value in answers.items()
            if fid not in held}
