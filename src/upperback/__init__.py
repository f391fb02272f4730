"""upperback: an offline, explainable guide for upper back pain.

    >>> import upperback
    >>> result = upperback.assess({"age": 34, "hunched_posture": True})
    >>> result.triage
    'self_care'

The public API: `assess`, `Interview`, `parse` (a person's own words to answers),
`load_knowledge`, the typed `AssessmentResult`, and `UpperbackError`, the base of the errors
they raise.
This is information, not a diagnosis.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .answers import AnswerError, TextFindings
    from .assessment import Assessment, assess
    from .errors import UpperbackError
    from .free_text import Parsed, parse
    from .interview import Interview, InterviewFinished
    from .knowledge_base import KnowledgeBase, KnowledgeError, load_knowledge
    from .knowledge_models import Question
    from .levels import LEVELS
    from .result import AssessmentResult

__version__ = "0.1.0"

# Names are imported on first use (PEP 562), so that `import upperback.cli` and
# `upperback --help` do not pay for building the pydantic models of the knowledge base.
_EXPORTS = {
    "LEVELS": "levels",
    "AnswerError": "answers",
    "Assessment": "assessment",
    "AssessmentResult": "result",
    "UpperbackError": "errors",
    "assess": "assessment",
    "Interview": "interview",
    "InterviewFinished": "interview",
    "KnowledgeBase": "knowledge_base",
    "KnowledgeError": "knowledge_base",
    "load_knowledge": "knowledge_base",
    "Question": "knowledge_models",
    "parse": "free_text",
    "Parsed": "free_text",
    "TextFindings": "answers",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'upperback' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [
    "LEVELS",
    "AnswerError",
    "Assessment",
    "AssessmentResult",
    "Interview",
    "InterviewFinished",
    "KnowledgeBase",
    "KnowledgeError",
    "Parsed",
    "Question",
    "TextFindings",
    "UpperbackError",
    "assess",
    "load_knowledge",
    "parse",
    "__version__",
]
