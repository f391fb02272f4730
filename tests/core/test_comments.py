"""Reader comments in the core: what a comment may hold, and what it tells its author (the
advice for a warning sign it describes, from the same red-flag rules as the check; a warning
when it holds contact details)."""

from __future__ import annotations

import pytest
from test_readability import MAX_MEAN, MAX_ONE, grade

from upperback import KnowledgeBase
from upperback.comments import (
    CONTACT_WARNING,
    HELD_FOR_TEXT,
    NAME_MAX,
    PAGE_ALLOWED,
    TEXT_MAX,
    THANKS,
    WARNING_SIGN_SAID,
    check_comment,
    check_moderator_name,
    check_name,
    check_page,
    check_password,
    check_text,
    contact_details,
    guidance_for,
    guide_pages,
    page_title,
    review,
)
from upperback.errors import InputError, TooLong
from upperback.free_text import parse
from upperback.triage import rule_floor

EMERGENCY_TEXTS = ["I have chest pain right now", "my legs are going weak"]


# -- the page, the name and the text ---------------------------------------------------------


def test_every_guide_page_takes_comments(kb: KnowledgeBase) -> None:
    pages = guide_pages(kb)
    assert pages[0] == "/"
    assert {f"/causes/{c}" for c in kb.causes} | {f"/relief/{m}" for m in kb.relief} == set(
        pages[1:])
    assert all(check_page(kb, page) == page for page in pages)


@pytest.mark.parametrize("page", ["/causes/nope", "/diary", "/causes/", "causes/poor_posture",
                                  "/relief/heat/../../diary", "", None, 3])
def test_a_page_that_is_not_a_guide_page_is_refused_naming_the_field_and_what_is_allowed(
    kb: KnowledgeBase, page: object
) -> None:
    with pytest.raises(InputError) as refused:
        check_page(kb, page)
    assert refused.value.field == "page"
    assert refused.value.allowed == PAGE_ALLOWED


def test_a_page_s_title_is_its_cause_or_method_name(kb: KnowledgeBase) -> None:
    assert page_title(kb, "/") == kb.guide.title
    assert page_title(kb, "/causes/poor_posture") == kb.causes["poor_posture"].name
    relief = next(iter(kb.relief))
    assert page_title(kb, f"/relief/{relief}") == kb.relief[relief].name


def test_a_name_of_the_longest_length_is_kept_and_one_longer_is_refused() -> None:
    assert check_name("a" * NAME_MAX) == "a" * NAME_MAX
    with pytest.raises(TooLong) as refused:
        check_name("a" * (NAME_MAX + 1))
    assert refused.value.field == "name"
    assert str(NAME_MAX) in str(refused.value)


def test_a_name_is_one_line_with_single_spaces() -> None:
    assert check_name("  Sam \n  Smith\t ") == "Sam Smith"


@pytest.mark.parametrize("name", ["", "   ", "\n", None])
def test_an_empty_name_is_refused_with_a_plain_request(name: object) -> None:
    with pytest.raises(InputError) as refused:
        check_name(name)
    assert (refused.value.field, str(refused.value)) == ("name", "Please enter your name.")


def test_a_comment_keeps_its_line_breaks_and_is_trimmed() -> None:
    assert check_text("  First line\r\nsecond line\n\nthird  ") == (
        "First line\nsecond line\n\nthird")


def test_a_comment_of_the_longest_length_is_kept_and_one_longer_is_refused() -> None:
    assert len(check_text("x" * TEXT_MAX)) == TEXT_MAX
    with pytest.raises(TooLong) as refused:
        check_text("x" * (TEXT_MAX + 1))
    assert refused.value.field == "text"


@pytest.mark.parametrize("text", ["bell\x07", "escape \x1b[2J", "nul\x00", "lone \ud800"])
def test_control_characters_and_broken_text_are_refused(text: str) -> None:
    with pytest.raises(InputError) as refused:
        check_text(text)
    assert refused.value.field == "text"


def test_markup_is_kept_as_the_text_it_is() -> None:
    # Nothing is stripped or escaped here: every reader shows the text as text.
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    assert check_text(payload) == payload


def test_the_first_problem_in_form_order_is_the_one_named(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as refused:
        check_comment(kb, "/", "", "")
    assert refused.value.field == "name"


# -- contact details ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kinds"), [
    ("write to sam.smith@example.co.uk please", ("email",)),
    ("call me on 07700 900123", ("phone",)),
    ("my number is +44 20 7946 0958", ("phone",)),
    ("(555) 123-4567 any time", ("phone",)),
    ("555.123.4567", ("phone",)),
    ("０７７００ ９００１２３", ("phone",)),
    ("sam@example.com or 555-123-4567", ("email", "phone")),
])
def test_e_mail_addresses_and_phone_numbers_are_found(text: str, kinds: tuple[str, ...]
                                                      ) -> None:
    assert contact_details(text) == kinds


@pytest.mark.parametrize("text", [
    "pain 7/10 for 3 weeks, 20 minutes of heat twice a day",
    "it started on 2024-01-05 and again on 12/03/2025",
    "I had it from 2015-2019",
    "10 20 30 40 50 reps",
    "I called 911 and then 111",
    "a @ sign alone, or @handle",
])
def test_numbers_that_are_no_phone_numbers_are_not_contact_details(text: str) -> None:
    assert contact_details(text) == ()


def test_a_comment_with_a_phone_number_is_held_and_its_author_warned(kb: KnowledgeBase
                                                                      ) -> None:
    checked = review(kb, "/", "Sam", "Heat helped. Ring me on 07700 900123 to talk.")
    assert checked.held_for == "contact_details"
    assert [w.to_dict() for w in checked.warnings] == [
        {"code": "contact_details", "message": CONTACT_WARNING}]
    assert checked.guidance is None


def test_an_e_mail_address_in_the_name_counts_too(kb: KnowledgeBase) -> None:
    assert review(kb, "/", "sam@example.com", "Thanks for the guide.").contact == ("email",)


# -- warning signs --------------------------------------------------------------------------


@pytest.mark.parametrize("text", EMERGENCY_TEXTS)
def test_a_comment_that_describes_an_emergency_sign_gets_the_emergency_advice_and_is_held(
    kb: KnowledgeBase, text: str
) -> None:
    checked = review(kb, "/causes/poor_posture", "Sam", text)
    assert checked.guidance is not None
    emergency = kb.guide.levels["emergency"]
    assert checked.guidance.triage == "emergency"
    assert checked.guidance.headline == emergency.headline
    assert checked.guidance.action == emergency.action
    assert checked.guidance.steps == emergency.steps
    assert checked.held_for == "warning_sign"


def test_an_urgent_sign_gets_the_urgent_advice_without_emergency_steps(kb: KnowledgeBase
                                                                      ) -> None:
    checked = review(kb, "/", "Sam", "I have a fever and my back hurts")
    assert checked.guidance is not None
    assert checked.guidance.triage == "urgent"
    assert checked.guidance.headline == kb.guide.levels["urgent"].headline
    assert checked.guidance.steps == ()
    assert "fever" in [r.id for r in checked.guidance.reasons]


@pytest.mark.parametrize("text", [
    "no chest pain at all, the heat helped",
    "my dad had chest pain",
    "what if I get chest pain?",
    "Great guide, the stretches helped my shoulders.",
])
def test_a_comment_that_denies_or_only_wonders_about_a_sign_gets_no_advice(
    kb: KnowledgeBase, text: str
) -> None:
    checked = review(kb, "/", "Sam", text)
    assert checked.guidance is None
    assert checked.held_for is None


def test_the_advice_is_the_level_of_the_check_s_own_red_flag_rules(kb: KnowledgeBase) -> None:
    # No rule of its own: each warning sign said alone gives the level the rules give it.
    for finding in kb.warning_signs:
        found = guidance_for(kb, {finding: True})
        floor = rule_floor(kb, {finding: True})
        assert (found.triage if found else "self_care") == floor, finding


def test_the_reasons_are_the_rules_that_fire_most_urgent_first(kb: KnowledgeBase) -> None:
    found = guidance_for(kb, parse("I have chest pain right now", kb).findings)
    assert found is not None
    assert [r.id for r in found.reasons][:1] == ["chest_pain"]
    assert all(r.message for r in found.reasons)


def test_a_warning_sign_is_held_as_one_even_with_contact_details(kb: KnowledgeBase) -> None:
    checked = review(kb, "/", "Sam", "chest pain right now, call 07700 900123")
    assert checked.held_for == "warning_sign"
    assert [w.code for w in checked.warnings] == ["contact_details"]


def test_the_advice_as_data_has_the_level_and_its_headline(kb: KnowledgeBase) -> None:
    checked = review(kb, "/", "Sam", EMERGENCY_TEXTS[0])
    assert checked.guidance is not None
    data = checked.guidance.to_dict()
    assert data["triage"] == "emergency"
    assert data["headline"] == kb.guide.levels["emergency"].headline
    assert data["emergency_steps"] == list(kb.guide.levels["emergency"].steps)


def test_review_reads_the_text_with_the_reader_it_is_given(kb: KnowledgeBase) -> None:
    asked = []

    def reader(text: str, knowledge: KnowledgeBase) -> object:
        asked.append(text)
        return parse("I have a fever", knowledge)

    checked = review(kb, "/", "Sam", "  anything  ", reader)  # type: ignore[arg-type]
    assert asked == ["anything"]
    assert checked.guidance is not None and checked.guidance.triage == "urgent"


# -- moderators ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sam", "Sam.Smith-2", "a" * 80])
def test_a_moderator_name_of_letters_digits_and_marks_is_taken(name: str) -> None:
    assert check_moderator_name(name) == name


@pytest.mark.parametrize("name", ["", "sam smith", "sam!", "a" * 81, "<b>"])
def test_another_moderator_name_is_refused(name: str) -> None:
    with pytest.raises(InputError) as refused:
        check_moderator_name(name)
    assert refused.value.field == "name"


@pytest.mark.parametrize(("password", "taken"), [("a" * 9, False), ("a" * 10, True),
                                                 ("a" * 1024, True), ("a" * 1025, False)])
def test_a_password_must_be_from_10_to_1024_characters(password: str, taken: bool) -> None:
    if taken:
        assert check_password(password) == password
    else:
        with pytest.raises(InputError):
            check_password(password)


def test_what_a_comment_s_author_and_moderator_read_is_plain_language() -> None:
    texts = [CONTACT_WARNING, WARNING_SIGN_SAID, THANKS, *HELD_FOR_TEXT.values(),
             "Please enter your name.", "Your comment is 2001 characters long. The most is 2000."]
    grades = [grade(text) for text in texts]
    assert max(grades) <= MAX_ONE
    assert sum(grades) / len(grades) <= MAX_MEAN
