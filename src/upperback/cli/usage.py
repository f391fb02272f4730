"""Option and argument errors in our words: "--minutes must be a whole number from 1 to 20",
not a library's "Invalid value for '--minutes': 'abc' is not a valid integer"."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

# typer (0.29) carries its own copy of click; its usage errors are these classes.
from typer._click.exceptions import BadParameter, MissingParameter, UsageError

if TYPE_CHECKING:
    from .runtime import Runtime

__all__ = ["UsageError", "allowed", "our_words"]


def _timer_minutes(runtime: Runtime) -> str:
    from ..sessions import TIMER_KINDS, session_limit

    longest = max(session_limit(runtime.kb, kind) for kind in TIMER_KINDS)
    return f"a whole number from 1 to {longest}"


# What an option allows, when its type alone cannot say it (the limit is in the knowledge).
ALLOWED: dict[tuple[str, str], Callable[[Runtime], str]] = {
    ("timer", "minutes"): _timer_minutes,
}


def allowed(param: Any) -> str | None:
    """What a parameter's type allows, in words; None when the type cannot say."""
    runtime_param = getattr(param, "get_runtime_param", lambda: None)()
    info = getattr(runtime_param, "parameter_info", None)
    kind = getattr(runtime_param, "annotation", None)
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if kind is int:
        if low is not None and high is not None:
            return f"a whole number from {low} to {high}"
        if low is not None:
            return f"a whole number, {low} or more"
        if high is not None:
            return f"a whole number, at most {high}"
        return "a whole number"
    if kind is float:
        return "a number"
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return "one of: " + ", ".join(str(member.value) for member in kind)
    return None


def our_words(error: UsageError, runtime: Runtime) -> str:
    """The error as one line a person can act on, naming the option and what it allows."""
    try:
        return _our_words(error, runtime)
    except Exception:  # noqa: BLE001 - an error message must never become a traceback
        return error.format_message()


def _our_words(error: UsageError, runtime: Runtime) -> str:
    command = error.ctx.command_path if error.ctx is not None else "upperback"
    see = f" (see: {command} --help)"
    if isinstance(error, MissingParameter) and error.param is not None:
        return f"{_name(error.param)} is needed: {allowed(error.param) or 'see the help'}{see}"
    if isinstance(error, BadParameter) and error.param is not None:
        param = error.param
        name = _name(param)
        sub = error.ctx.info_name if error.ctx is not None else ""
        rule = ALLOWED.get((sub or "", param.name or ""))
        says = rule(runtime) if rule is not None else allowed(param)
        if says is not None:
            return f"{name} must be {says}{see}"
        return f"{name}: {error.message}{see}"
    return f"{error.format_message()}{see}"


def _name(param: Any) -> str:
    if getattr(param, "param_type_name", "") == "option":
        return str(max(param.opts, key=len))
    return str(getattr(param, "metavar", None) or param.name or "the value").upper()
