"""Stored text made safe for the exports, written once for the JSON, CSV and FHIR writers.

Stored text is never trusted: an old row (or a database edited by hand) may hold anything
(see `documents/export.py` for what each format does with it).
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from typing import Any, TextIO

from ..knowledge_base import KnowledgeBase
from ..text_patterns import ESCAPE_SEQUENCE, SURROGATE

# What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Control characters other than tab, newline and carriage return: C0, DEL and C1.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# DEL and the C1 controls, which json.dumps(ensure_ascii=False) leaves as they are.
JSON_UNESCAPED_CONTROL = re.compile(r"[\x7f-\x9f]")


def utc_time(value: datetime) -> str:
    """A stored time as ISO 8601 in UTC (the JSON and FHIR exports' times)."""
    return value.astimezone(UTC).isoformat()


def unicode_text(value: object) -> str:
    """Any stored value as text UTF-8 can hold: None is empty, bytes are decoded (bad bytes
    become U+FFFD), other values are str(value); a lone surrogate becomes U+FFFD (a valid pair
    becomes its character)."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    text = value if isinstance(value, str) else str(value)
    if SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def plain_text(value: object) -> str:
    """`unicode_text` without terminal escape sequences (removed whole) or control characters
    other than tab, newline and carriage return."""
    return CONTROL.sub("", ESCAPE_SEQUENCE.sub("", unicode_text(value)))


def fhir_string(value: object) -> str:
    """Text a FHIR string can hold: `plain_text`, without white space at either end (a FHIR
    string must not be empty: callers leave out what comes back empty)."""
    return plain_text(value).strip()


def fhir_code(value: object) -> str:
    """Text a FHIR code can hold: `plain_text` with each run of white space made one space
    and none at either end (empty when nothing is left)."""
    return " ".join(plain_text(value).split())


def answer_text(kb: KnowledgeBase, finding_id: str, value: Any) -> str:
    """An answer in words, e.g. 'Fever: yes'; an answer of a shape the finding does not
    take (a list, say, in an old or edited row) is shown as it is."""
    finding = kb.findings.get(finding_id)
    if finding is None:
        return f"{finding_id}: {value}"
    if value is None or isinstance(value, bool | int | str):
        return finding.describe_value(value)
    return f"{finding.label}: {value}"


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: numbers as they are; text made `plain_text`, with a single quote
    before it if it begins like a formula (see `documents/export.py`)."""
    if isinstance(value, bool | int | float):
        return value
    text = plain_text(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def json_ready(value: Any) -> Any:
    """Stored data that json.dumps writes as valid JSON, and UTF-8 can hold."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {unicode_text(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    return unicode_text(value)


def json_text(text: str) -> str:
    """JSON text with DEL and the C1 controls written as \\u escapes (they only occur inside
    strings, where the escape means the same character)."""
    return JSON_UNESCAPED_CONTROL.sub(lambda found: f"\\u{ord(found[0]):04x}", text)


def json_value(value: Any, indent: int) -> str:
    """`value` as JSON text, indented as if `indent` spaces deep in the whole document."""
    text = json.dumps(json_ready(value), indent=2, ensure_ascii=False)
    # json.dumps writes a newline only between items (one in a string is written \\n).
    return json_text(text).replace("\n", "\n" + " " * indent)


def write_json_head(out: TextIO, head: dict[str, Any]) -> None:
    """The opening of a streamed JSON document: `{` and its first members, each indented."""
    out.write("{\n")
    for name, value in head.items():
        out.write(f"  {json.dumps(name)}: {json_value(value, 2)},\n")
