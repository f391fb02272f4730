"""Stored or typed text, made safe to show in the terminal: shown literally, never obeyed.

A diary note, a saved check's names, a file name or a database path may hold anything: Rich
markup such as `[/]` (which would crash the print or restyle the screen), emoji codes such as
`:smile:`, or terminal escape codes such as `\\x1b[2J` (which would clear the screen). Every such
text is passed through `plain` (for a `Text`, which Rich never parses as markup) or `safe_text`
(for a string that is printed as markup) before it reaches the console:

- ANSI/ECMA-48 escape sequences (CSI, OSC, DCS and the other string commands, two-character
  escapes) are removed as a whole, and any other control character but newline and tab (the C0
  controls, DEL and the C1 controls) is removed;
- lone surrogates (which cannot be written as UTF-8) become U+FFFD;
- bytes are decoded as UTF-8 (undecodable bytes become U+FFFD), None is empty, and any other
  value is shown as `str(value)`.

Only the standard library and rich.markup are imported here, so every command can use it.
"""

from __future__ import annotations

import re

from rich.markup import escape
from rich.text import Text

from ..text_patterns import ESCAPE_SEQUENCE, SURROGATE

# Control characters other than tab and newline: C0, DEL and C1.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _as_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return value if isinstance(value, str) else str(value)


def plain(value: object) -> str:
    """The value as text a terminal shows literally: no escape sequences, no control
    characters but newline and tab, no lone surrogates. Not escaped for Rich markup: use it in
    a `Text` (or use `safe_text` in a markup string)."""
    text = _as_str(value)
    if SURROGATE.search(text):
        # A valid pair becomes its character; a lone surrogate becomes U+FFFD.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return CONTROL.sub("", ESCAPE_SEQUENCE.sub("", text))


def safe_text(value: object) -> str:
    """The value as `plain` text with Rich markup escaped: for use inside a markup string,
    e.g. console.print(f"Wrote {safe_text(path)}.")."""
    return escape(plain(value))


def literal(value: object, style: str = "") -> Text:
    """The value as a Rich `Text` (never parsed as markup or emoji codes), made `plain`."""
    return Text(plain(value), style=style)
