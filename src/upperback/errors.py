"""The one family of errors a person can cause or fix.

Every error whose message tells a person what to change (a bad answer, a bad file, a
locked diary, a finished interview) derives from `UpperbackError`, so the terminal and the
web app each catch it in one place and show the message, never a traceback.
"""

from __future__ import annotations


class UpperbackError(Exception):
    """An error a person can cause or fix; `str(error)` says what went wrong and what to do."""

    #: The terminal's exit code for this error (2: the input was not usable).
    exit_code = 2


def shown(text: str) -> str:
    """Text safe to put in a message or a JSON error: lone surrogates and control characters
    are written as escapes (a name a person mistyped may hold anything)."""
    return "".join(
        c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else repr(c)[1:-1] for c in text
    )


class InputError(UpperbackError, ValueError):
    """A value is not allowed: names the field, what was given, and what is allowed."""

    def __init__(self, field: str, message: str, allowed: str | None = None) -> None:
        self.field, self.allowed = field, allowed
        super().__init__(message)


class TooLong(InputError):
    """A text is valid but longer than its field allows."""
