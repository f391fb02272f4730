"""The check's progress line on the web is honest: the count of questions left only goes
down from one question to the next, and is left out when the guide is not sure."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from upperback import KnowledgeBase

from .flows import csrf_token, current_question, form_fields, self_care_answers


def test_the_count_left_never_goes_up_and_never_repeats_about_1_more(
    client: TestClient, kb: KnowledgeBase
) -> None:
    page = client.get("/check/next")
    counts: list[int] = []
    for _ in range(len(kb.questions) + 1):
        question = current_question(kb, str(page.url))
        if question is None:
            break
        found = re.search(r"about (\d+) more after this one", page.text)
        if found:
            counts.append(int(found.group(1)))
        fields = form_fields(kb, question, self_care_answers(kb, question))
        page = client.post("/check/answer", data=fields | {"csrf_token": csrf_token(page.text)})
    assert counts, "no count was shown at all"
    assert all(later < earlier for earlier, later in zip(counts, counts[1:], strict=False))
    assert counts.count(1) <= 1
