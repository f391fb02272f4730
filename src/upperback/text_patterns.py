"""What makes stored text unsafe to show as it is, written once for every reader (the terminal's
`cli/text.py`, the exports' `documents/export.py`): terminal escape sequences as wholes, and
lone surrogates (which UTF-8 cannot hold). Each reader keeps its own set of control characters,
since a CSV cell may hold a carriage return and a terminal line may not.
"""

from __future__ import annotations

import re
from typing import Final

# An escape sequence as the terminal would read it: CSI (ESC [ or the C1 CSI) with its
# parameters; OSC, DCS, SOS, PM and APC strings up to their terminator (BEL or ST); and the
# two-character escapes (ESC, optional intermediates, a final byte).
ESCAPE_SEQUENCE: Final = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)
SURROGATE: Final = re.compile(r"[\ud800-\udfff]")
