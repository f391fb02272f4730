"""upperback: an offline, explainable guide for upper back pain.

    >>> import upperback
    >>> result = upperback.assess({"age": 34, "hunched_posture": True})
    >>> result.triage
    'self_care'

The public API: `assess`, `Interview`, `load_knowledge`, and the errors they raise.
This is information, not a diagnosis.
"""

from .answers import AnswerError
from .assessment import Assessment, assess
from .interview import Interview, InterviewFinished
from .knowledge_base import KnowledgeBase, KnowledgeError, load_knowledge
from .knowledge_models import Question
from .levels import LEVELS

__version__ = "0.1.0"

__all__ = [
    "LEVELS",
    "AnswerError",
    "Assessment",
    "Interview",
    "InterviewFinished",
    "KnowledgeBase",
    "KnowledgeError",
    "Question",
    "assess",
    "load_knowledge",
    "__version__",
]
