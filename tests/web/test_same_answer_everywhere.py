"""One set of answers gives one result in the terminal, on the web check pages and in the API.

Each answer set goes through the web check's forms (one question per page, as a person
answers them), `upperback check --answers FILE --json` (and the terminal's screen), and
`POST /api/v1/assess`; the three must agree on the level, the likely causes and the relief
plan, and in fact on the whole result (HAZ-05 in docs/hazards.yaml).

The web check is an interview: it asks only some questions, so the answers it records are
the part of the answer set it asked for. Those recorded answers, which must be exactly what
was given, are the set the terminal and the API are given too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from upperback import KnowledgeBase
from upperback.cli import main
from upperback.conditions import AnswerValue
from upperback.config import DATABASE_URL_ENV

from .flows import csrf_token, current_question, form_fields

Page = Any  # the test client's response


def every_no(kb: KnowledgeBase) -> dict[str, AnswerValue]:
    """Every yes/no finding answered no, so that no answer is left to be read one way or
    another (an unanswered checklist item is "no" on the web form but "unknown" in a file)."""
    return {fid: False for fid, f in kb.findings.items() if f.type == "bool"}


def desk_worker(kb: KnowledgeBase) -> dict[str, AnswerValue]:
    """Long desk hours, hunched, a dull ache between the shoulders, no warning sign."""
    return every_no(kb) | {
        "age": 28, "sex": "male", "duration_days": 21, "pain_severity": 4,
        "desk_hours_per_day": 10, "hunched_posture": True, "pain_between_shoulder_blades": True,
        "pain_dull_ache_tight": True, "pain_worse_after_sitting": True,
        "pain_eased_by_rest_position": True,
    }


def fever_case(kb: KnowledgeBase) -> dict[str, AnswerValue]:
    """Three days of back pain with a fever: a spine infection must be ruled out today."""
    return every_no(kb) | {
        "age": 40, "sex": "male", "duration_days": 3, "pain_severity": 5, "fever": True,
        "desk_hours_per_day": 2,
    }


def chest_pain_case(kb: KnowledgeBase) -> dict[str, AnswerValue]:
    """The desk worker, older, with chest pain or pressure: an emergency."""
    return desk_worker(kb) | {"age": 55, "chest_pain_pressure": True}


CASES = {
    "a_self_care_desk_worker": (desk_worker, "self_care"),
    "an_urgent_fever": (fever_case, "urgent"),
    "an_emergency_chest_pain": (chest_pain_case, "emergency"),
}


def text_of(html: str) -> str:
    """A page's words, tags dropped and entities for quotes undone."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&quot;", '"')
    return " ".join(text.replace("&amp;", "&").split())


def screen_text(output: str) -> str:
    """The terminal's screen as one line: panel borders dropped and wrapped lines joined."""
    for border in "│╭╮╰╯─":
        output = output.replace(border, " ")
    return " ".join(output.split())


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """What must be the same everywhere: the level, the likely causes, the plan."""
    return {
        "triage": result["triage"],
        "likely_causes": result["likely_causes"],
        "relief": [method["id"] for method in result["relief"]],
        "avoid": [method["id"] for method in result["avoid"]],
    }


def web_check(client: TestClient, kb: KnowledgeBase, truth: dict[str, AnswerValue]
              ) -> tuple[Page, dict[str, Any]]:
    """Answer the web check's pages from `truth`; the last page and the check it saved."""
    page = client.get("/check/next")
    for _ in range(len(kb.questions) + 1):
        question = current_question(kb, str(page.url))
        if question is None:
            break
        given = {f: truth.get(f) for f in question.findings}
        fields = form_fields(kb, question, given) | {"csrf_token": csrf_token(page.text)}
        page = client.post("/check/answer", data=fields)
        assert page.status_code == 200, page.text
    else:
        raise AssertionError("the web check never ended")
    checks = client.get("/api/v1/checks").json()
    assert len(checks) == 1, "the web check should have saved exactly one check"
    saved = client.get(f"/api/v1/checks/{checks[0]['id']}").json()
    return page, saved


def terminal_check(tmp_path: Path, answers: dict[str, AnswerValue], capsys: Any,
                   *options: str) -> str:
    """Run `upperback check --answers FILE [options]` on a diary of its own; its stdout."""
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(answers), "utf-8")
    environ = {DATABASE_URL_ENV: f"sqlite:///{tmp_path / 'terminal.db'}"}
    capsys.readouterr()
    code = main(["check", "--answers", str(answers_file), *options], environ)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_the_terminal_the_web_pages_and_the_api_give_the_same_result(
    case: str, client: TestClient, kb: KnowledgeBase, tmp_path: Path, capsys: Any
) -> None:
    make, level = CASES[case]
    truth = make(kb)

    page, saved = web_check(client, kb, truth)
    answers = saved["answers"]
    # The web read every answer as it was given (a checklist read another way would show).
    assert answers and answers == {f: truth[f] for f in answers}
    web = saved["result"]

    terminal = json.loads(terminal_check(tmp_path, answers, capsys, "--json"))
    assert isinstance(terminal.pop("check_id"), int)  # the saved check's number, and the result
    api = client.post("/api/v1/assess?explain=true", json={"answers": answers})
    assert api.status_code == 200, api.text
    lean = client.post("/api/v1/assess", json={"answers": answers}).json()

    assert summary(terminal)["triage"] == level
    assert summary(web) == summary(terminal), "the web check differs from the terminal"
    assert summary(api.json()) == summary(terminal), "the API differs from the terminal"
    assert summary(lean) == summary(terminal), "the API's lean result differs"
    # Not only the parts compared above: the whole result is the core's, unchanged.
    assert web == terminal
    assert api.json() == terminal

    # What the person sees says the same: the web page and the terminal's screen.
    shown = text_of(page.text)
    screen = screen_text(terminal_check(tmp_path, answers, capsys))
    if level == "emergency":
        assert str(page.url).endswith("/check/emergency")
        for step in kb.guide.levels["emergency"].steps:
            assert step in shown and step in screen
        assert not terminal["relief"]
    else:
        assert re.search(r"/result/\d+$", str(page.url))
        assert terminal["headline"] in shown and terminal["headline"] in screen
        for cause in terminal["causes"]:
            if cause["id"] in terminal["likely_causes"]:
                assert cause["name"] in shown and cause["name"] in screen
        assert terminal["relief"], "these answers should come with a relief plan"
        for method in terminal["relief"]:
            assert method["name"] in shown and method["name"] in screen


@pytest.mark.parametrize("case", list(CASES))
def test_the_terminal_and_the_api_give_the_same_result_for_every_answer_at_once(
    case: str, client: TestClient, kb: KnowledgeBase, tmp_path: Path, capsys: Any
) -> None:
    make, level = CASES[case]
    truth = make(kb)
    terminal = json.loads(terminal_check(tmp_path, truth, capsys, "--json"))
    assert isinstance(terminal.pop("check_id"), int)
    api = client.post("/api/v1/assess?explain=true", json={"answers": truth}).json()
    assert terminal["triage"] == level
    assert summary(api) == summary(terminal)
    assert api == terminal
