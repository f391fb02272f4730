"""Errors a person can fix (a bad file, a bad value, a locked database) and how they are shown."""

from __future__ import annotations


class UserError(Exception):
    """A problem with what the person asked for; shown as one line, exit code 2."""

    exit_code = 2


class InputEnded(UserError):
    """The terminal closed (end of input) in the middle of a question."""

    exit_code = 1


def user_error_message(error: BaseException) -> str | None:
    """The one-line message for an error the person can fix, or None for a bug.

    The engine's and the store's errors are recognised without importing their modules up
    front, so that `upperback --help` stays fast.
    """
    if isinstance(error, UserError):
        return str(error)
    from ..answers import AnswerError
    from ..evaluation import CaseError
    from ..knowledge_base import KnowledgeError

    known: tuple[type[BaseException], ...] = (AnswerError, CaseError, KnowledgeError)
    try:
        from ..store import StoreError
    except ImportError:  # the store is optional until it is installed
        pass
    else:
        known = (*known, StoreError)
    if isinstance(error, known):
        return str(error)
    return None
