"""A small memo of assessments as JSON bytes, keyed by the answers.

An assessment is a pure function of the answers and the knowledge base (fixed for the app's
life), so the same answers always give the same bytes. Clients that post the same answers
again (retries, the interview's last step, a result page's twin) get them without the
engine running twice. Bounded, least recently used first out.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping

from upperback import KnowledgeBase
from upperback.assessment import assess_checked
from upperback.conditions import AnswerValue

# At most about 45 KB a result: a few megabytes in all.
DEFAULT_SIZE = 128


class ResultCache:
    """Assessment JSON by answers, for one knowledge base."""

    def __init__(self, kb: KnowledgeBase, size: int = DEFAULT_SIZE) -> None:
        self.kb = kb
        self.size = size
        self._results: OrderedDict[str, bytes] = OrderedDict()

    def assessment(self, answers: Mapping[str, AnswerValue], explain: bool = False) -> bytes:
        """The assessment of already checked answers, as JSON bytes (lean unless `explain`)."""
        key = f"{int(explain)}" + json.dumps(answers, sort_keys=True, separators=(",", ":"))
        found = self._results.get(key)
        if found is not None:
            self._results.move_to_end(key)
            return found
        # The typed result serialises itself (in pydantic's Rust core): no dict in between.
        result = assess_checked(self.kb, answers).result(explain).model_dump_json().encode()
        self._results[key] = result
        if len(self._results) > self.size:
            self._results.popitem(last=False)
        return result
