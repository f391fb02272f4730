"""Errors a person can fix (a bad file, a bad value, a locked database) and how they are shown."""

from __future__ import annotations

from ..errors import UpperbackError


class UserError(UpperbackError):
    """A problem with what the person asked for; shown as one line, exit code 2."""


class InputEnded(UserError):
    """The terminal closed (end of input) in the middle of a question."""

    exit_code = 1

