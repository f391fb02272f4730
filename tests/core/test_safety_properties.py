"""Safety properties over thousands of generated answer sets (hypothesis).

- Turning any red-flag finding on never lowers triage.
- An emergency triage never comes with a relief plan.
- A withheld method never appears in the relief plan.
- The interview never ends below the red-flag floor of what the person would have said
  (or below urgent, once it has stopped asking because the person must be seen today).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import upperback
from upperback.conditions import AnswerValue
from upperback.levels import rank
from upperback.triage import decide, red_flag_reasons

KB = upperback.load_knowledge()
RED_FLAGS = sorted(KB.red_flag_findings())


def _value(fid: str) -> st.SearchStrategy[AnswerValue]:
    finding = KB.findings[fid]
    if finding.type == "bool":
        known: st.SearchStrategy[AnswerValue] = st.booleans()
    elif finding.type == "int":
        assert finding.min is not None and finding.max is not None
        known = st.integers(finding.min, finding.max)
    else:
        known = st.sampled_from(list(finding.values or ()))
    return st.one_of(st.none(), known)


# Each finding may be left out, answered "don't know", or answered.
answer_sets = st.fixed_dictionaries(
    {}, optional={fid: _value(fid) for fid in KB.findings}
)

PROPERTY_SETTINGS = settings(
    max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(answers=answer_sets, flag=st.sampled_from(RED_FLAGS))
def test_turning_a_red_flag_on_never_lowers_triage(
    answers: dict[str, AnswerValue], flag: str
) -> None:
    before = upperback.assess(answers).triage
    after = upperback.assess(answers | {flag: True}).triage
    assert rank(after) >= rank(before), (flag, before, after)


@PROPERTY_SETTINGS
@given(answers=answer_sets)
def test_an_emergency_never_comes_with_a_relief_plan(answers: dict[str, AnswerValue]) -> None:
    result = upperback.assess(answers)
    if result.triage == "emergency":
        assert result.relief == () and result.to_dict()["relief"] == []


@PROPERTY_SETTINGS
@given(answers=answer_sets)
def test_a_withheld_method_never_appears_in_the_relief_plan(
    answers: dict[str, AnswerValue],
) -> None:
    result = upperback.assess(answers)
    withheld = {w.method.id for w in result.avoid}
    planned = {p.method.id for p in result.relief}
    assert not withheld & planned
    for planned_relief in result.relief:
        for contraindication in planned_relief.method.contraindications:
            assert not contraindication.when.holds(result.answers)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_sets)
def test_the_interview_never_ends_below_the_red_flag_floor(
    answers: dict[str, Any],
) -> None:
    interview = upperback.Interview()
    for _ in range(60):
        question = interview.next_question()
        if question is None:
            break
        interview.answer({f: answers.get(f) for f in question.findings})
    # The interview may stop short of a warning sign only once the person is already told
    # to be seen today (it then asks at most three more questions): never below urgent.
    floor = min(rank(decide(red_flag_reasons(KB, answers))), rank("urgent"))
    assert rank(interview.result().triage) >= floor


@PROPERTY_SETTINGS
@given(answers=answer_sets)
def test_the_open_warning_signs_are_those_the_plain_recomputation_gives(
    answers: dict[str, AnswerValue],
) -> None:
    # open_warning_signs looks again only at the rules that test each sign; the plain way
    # re-runs every rule with the sign answered yes. They must agree exactly.
    from upperback.triage import open_warning_signs, rule_floor

    plain = [(f, rule_floor(KB, {**answers, f: True})) for f in KB.warning_signs
             if answers.get(f) is None]
    plain += [(f, "emergency") for f in KB.combination_signs
              if answers.get(f) is None and rule_floor(KB, {**answers, f: True}) == "emergency"]
    plain.sort(key=lambda item: -rank(item[1]))
    found = [(w.finding, w.level) for w in open_warning_signs(KB, answers)]
    assert found[: len(plain)] == plain
