"""`upperback.parse`: a person's own words to findings, each with where it was written and
how sure the text is of it; and an interview that starts from them, safety first."""

from __future__ import annotations

from datetime import date

import pytest

import upperback
from upperback import Interview, KnowledgeBase
from upperback.errors import InputError
from upperback.evaluation import run_interview
from upperback.free_text import TEXT_MAX, parse
from upperback.text_numbers import find_numbers, number_value

TUESDAY = date(2026, 12, 1)


def findings(kb: KnowledgeBase, text: str) -> dict[str, object]:
    return parse(text, kb, today=TUESDAY).findings


def certainty(kb: KnowledgeBase, text: str, finding: str) -> str:
    return next(m.certainty for m in parse(text, kb, today=TUESDAY).mentions
                if m.finding == finding)


def test_the_issue_s_first_sentence_gives_sitting_burning_and_the_shoulder_blades(
    kb: KnowledgeBase
) -> None:
    assert findings(kb, "sitting at work gives me a burning between my shoulder blades") == {
        "pain_worse_after_sitting": True, "pain_burning_electric": True,
        "pain_between_shoulder_blades": True}


def test_a_denied_fever_is_no_and_pain_on_breathing_is_yes(kb: KnowledgeBase) -> None:
    found = findings(kb, "no fever, but I've had a cough and it hurts to breathe in")
    assert found["fever"] is False
    assert found["pain_worse_breathing_cough"] is True


def test_family_history_counts_toward_heart_risk_not_as_the_person_s_own_pain(
    kb: KnowledgeBase
) -> None:
    parsed = parse("My dad had a heart attack at 50.", kb)
    assert parsed.findings == {"heart_risk_factors": True}
    assert "chest_pain_pressure" not in parsed.findings


@pytest.mark.parametrize("text", ["I might have a fever", "maybe a fever?",
                                  "not sure if it's a fever"])
def test_a_fever_the_person_is_unsure_of_is_not_a_fever(kb: KnowledgeBase, text: str) -> None:
    assert "fever" not in findings(kb, text)
    assert certainty(kb, text, "fever") == "uncertain"


def test_a_hypothetical_chest_pain_is_not_taken(kb: KnowledgeBase) -> None:
    assert findings(kb, "If I get chest pain I'll go to A&E") == {}
    assert certainty(kb, "If I get chest pain I'll go to A&E",
                     "chest_pain_pressure") == "hypothetical"


def test_lay_words_for_warning_signs_are_found_even_with_a_negative_inside_them(
    kb: KnowledgeBase
) -> None:
    found = findings(kb, "I can't catch my breath and my legs feel weak")
    assert found == {"shortness_of_breath": True, "leg_weakness": True}
    assert findings(kb, "pins and needles in my fingers") == {"arm_numbness_tingling": True}


def test_a_cancer_in_the_past_still_counts_but_shingles_as_a_child_is_over(
    kb: KnowledgeBase
) -> None:
    found = findings(kb, "I had cancer 5 years ago. Had shingles as a kid.")
    assert found == {"history_of_cancer": True}  # and no "5 years" for this pain
    assert certainty(kb, "Had shingles as a kid.", "rash_band") == "past"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm 34", {"age": 34}),
        ("34yo F with back pain", {"age": 34, "sex": "female"}),
        ("a thirty-four year old man", {"age": 34}),
        ("I'm a 40 year old woman", {"age": 40, "sex": "female"}),
        ("pain since Tuesday", {"duration_days": 7}),
        ("my back has hurt for three weeks", {"duration_days": 21}),
        ("it started two days ago", {"duration_days": 2}),
        ("the pain started yesterday", {"duration_days": 1}),
        ("pain is 7/10", {"pain_severity": 7}),
        ("seven out of ten", {"pain_severity": 7}),
    ],
)
def test_numbers_in_words_and_digits(kb: KnowledgeBase, text: str, expected: dict[str, object]
                                     ) -> None:
    found = findings(kb, text)
    assert {k: found[k] for k in expected if k in found} == expected


@pytest.mark.parametrize(("text", "finding"), [("I'm in my thirties", "age"),
                                                ("my back has hurt for a few weeks",
                                                 "duration_days"),
                                                ("the pain is 12/10", "pain_severity")])
def test_a_vague_or_impossible_number_is_don_t_know_not_a_guess(
    kb: KnowledgeBase, text: str, finding: str
) -> None:
    assert finding not in findings(kb, text)
    assert certainty(kb, text, finding) == "uncertain"


def test_spans_say_where_each_finding_was_written(kb: KnowledgeBase) -> None:
    text = "No fever. Chest pain since yesterday."
    data = parse(text, kb, today=TUESDAY).to_dict()
    assert data["findings"] == {"fever": False, "chest_pain_pressure": True,
                                "duration_days": 1}
    for span in data["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]
    assert {s["certainty"] for s in data["spans"]} == {"negated", "affirmed"}


def test_an_affirmed_warning_sign_ends_the_interview_at_once(kb: KnowledgeBase) -> None:
    parsed = parse("I'm 58, I get a cold sweat and it came on suddenly, the worst pain ever",
                   kb)
    interview = Interview(kb, answers=parsed.interview_answers())
    assert interview.next_question() is None
    assert interview.result().triage == "emergency"


def test_a_warning_sign_the_text_denies_is_still_asked_by_the_screens(kb: KnowledgeBase
                                                                     ) -> None:
    parsed = parse("I'm 30, no chest pain, just a dull ache at my desk", kb)
    assert parsed.findings["chest_pain_pressure"] is False
    start = parsed.interview_answers()
    assert "chest_pain_pressure" not in start and start["age"] == 30
    interview = Interview(kb, answers=start)
    asked = []
    while (question := interview.next_question()) is not None:
        asked.append(question.id)
        interview.answer(dict.fromkeys(question.findings, None))
        if "chest_pain_pressure" in question.findings:
            break
    assert "age" not in asked  # the text said it
    assert any("chest_pain_pressure" in q.findings for q in kb.questions if q.id in asked)


def test_an_exemption_the_text_affirms_is_asked_again_not_taken(kb: KnowledgeBase) -> None:
    parsed = parse("I'm 45 and it started when I lifted a heavy box at work", kb)
    assert parsed.findings["lifting_twisting_onset"] is True
    assert "lifting_twisting_onset" in kb.easing_findings
    assert parsed.to_confirm == ("lifting_twisting_onset",)
    start = parsed.interview_answers()
    assert "lifting_twisting_onset" not in start and start["age"] == 45
    interview, _, _ = run_interview({}, kb, start)  # every question answered "don't know"
    assert "lifting_twisting_onset" in {f for q in interview.asked for f in q.findings}


def test_a_misread_exemption_cannot_lower_the_level_of_a_stated_warning_sign(
    kb: KnowledgeBase
) -> None:
    # "Sudden and severe" with no strain confirmed stays an emergency: the exemption read
    # from the words is not an answer until the person gives it.
    parsed = parse("The pain came on suddenly and severe after I lifted my coffee cup", kb)
    assert parsed.findings["sudden_severe_onset"] is parsed.findings["lifting_twisting_onset"]
    assert parsed.findings["sudden_severe_onset"] is True
    interview = Interview(kb, answers=parsed.interview_answers())
    assert interview.result().triage == "emergency"


@pytest.mark.parametrize(("text", "held"), [
    ("I'm 30, no chest pain, just a dull ache at my desk", "chest_pain_pressure"),
    ("I'm 45 and it started when I lifted a heavy box at work", "lifting_twisting_onset"),
])
def test_the_issue_s_own_form_interview_of_parse_findings_asks_a_held_answer_again(
    kb: KnowledgeBase, text: str, held: str
) -> None:
    # Interview(answers=parse(text).findings), as the issue writes it, is as safe as
    # interview_answers(): a denied warning sign or an affirmed exemption is held back.
    findings = parse(text, kb).findings
    assert held in findings and findings.held == {held}
    interview = Interview(kb, answers=findings)
    assert held not in interview.answers and "age" in interview.answers
    run, _, _ = run_interview({}, kb, findings)
    assert held in {f for q in run.asked for f in q.findings}


def test_assess_of_parse_findings_does_not_rule_out_a_denied_warning_sign(
    kb: KnowledgeBase
) -> None:
    findings = parse("No fever at all, my upper back just aches", kb).findings
    assert findings["fever"] is False
    not_ruled_out = {item["finding"] for item in
                     upperback.assess(findings, kb).to_dict()["not_ruled_out"]}
    assert "fever" in not_ruled_out
    # The same "no" given as a direct answer is taken.
    direct = upperback.assess(dict(findings), kb).to_dict()["not_ruled_out"]
    assert "fever" not in {item["finding"] for item in direct}


def test_parse_to_dict_gives_plain_data(kb: KnowledgeBase) -> None:
    findings = parse("No fever, I'm 34", kb).to_dict()["findings"]
    assert type(findings) is dict and findings == {"fever": False, "age": 34}


def test_where_the_text_says_yes_and_no_to_one_finding_yes_wins(kb: KnowledgeBase) -> None:
    assert findings(kb, "No chest pain this morning. Now chest pain.")["chest_pain_pressure"]


def test_empty_text_states_nothing_and_bad_text_is_refused_naming_the_field(
    kb: KnowledgeBase
) -> None:
    assert parse("   ", kb).findings == {}
    with pytest.raises(InputError) as raised:
        parse("x" * (TEXT_MAX + 1), kb)
    assert raised.value.field == "text"
    with pytest.raises(InputError):
        parse(42, kb)


def test_parse_is_part_of_the_public_api() -> None:
    assert upperback.parse("no fever").findings == {"fever": False}


def test_number_words_are_read_and_nonsense_is_not() -> None:
    assert number_value("thirty-four") == 34
    assert number_value("a") == 1
    assert number_value("twenty twelve") is None
    assert number_value("lots") is None


def test_a_duration_about_something_else_is_not_this_pain() -> None:
    assert [n.finding for n in find_numbers("My mum died ten years ago.", TUESDAY)] == []
