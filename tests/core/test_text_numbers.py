"""Numbers in people's words (`text_numbers.find_numbers`, through `parse`): how long ago
the pain started, what a number is about, vague numbers as "don't know", the score right
now, the sex after an age."""

from __future__ import annotations

from datetime import date

import pytest

from upperback import KnowledgeBase
from upperback.free_text import parse
from upperback.text_numbers import find_numbers

TUESDAY = date(2026, 12, 1)
THURSDAY = date(2026, 12, 3)


def number(kb: KnowledgeBase, text: str, finding: str, today: date = TUESDAY) -> object:
    return parse(text, kb, today=today).findings.get(finding)


@pytest.mark.parametrize(("text", "days"), [
    ("Two weeks of this and it's getting worse.", 14),
    ("11 months of back pain now.", 330),
    ("Three days now of a burning pain on one side of my back.", 3),
    ("7 months on, it runs up my spine.", 210),
    ("About a week ago I suddenly got pain in my ribs.", 7),
    ("My back has felt tingly for two days.", 2),
    ("4 weeks ago I was lifting boxes over and over and my back started burning.", 28),
    ("56M, neck pain for 6 hours.", 0),
    ("Started around noon yesterday: left side of my back.", 1),
    ("I've had pain between my shoulders for the last month.", 30),
    ("Just now a tearing pain hit me between the shoulder blades.", 0),
    ("Woke up this morning with back pain and a low fever.", 0),
    ("I've had pressure on my chest and a stabbing pain for two weeks now.", 14),
    ("Strained my upper back deadlifting on Friday.", 4),
    ("Yesterday I lifted a heavy box and got a sharp pain in my back.", 1),
    ("Pulled my trap at yoga this morning.", 0),
    ("Hurt my back today just walking in from the car park.", 0),
    ("For 3 days I've been back and forth to my GP: short of breath, pain in my upper back.", 3),
    ("The ache under my shoulder blade started maybe an hour ago.", 0),
    ("Woke up with a really bad pain between my shoulder blades.", 0),
    ("I woke up with back pain two weeks ago.", 14),
    # After a time "of" the pain itself is how long it has lasted (not "after a day of lifting").
    ("After a year of fairly intense pain, x-rays showed arthritis in my neck.", 365),
])
def test_how_long_ago_the_pain_started(kb: KnowledgeBase, text: str, days: int) -> None:
    assert number(kb, text, "duration_days") == days


@pytest.mark.parametrize(("text", "today", "days"), [
    ("Tuesday it started, a burning along my side.", THURSDAY, 2),
    ("Tuesday morning a dull ache started between my shoulder blades.", TUESDAY, 0),
    ("Since I woke up on August 25th with a sharp pain in my back.", date(2009, 11, 20), 87),
    ("It started on the 3rd of December.", date(2027, 1, 2), 30),
    ("Could feel it coming on Wednesday, a niggle creeping up my upper back.", THURSDAY, 1),
])
def test_the_day_the_pain_started(kb: KnowledgeBase, text: str, today: date, days: int
                                  ) -> None:
    assert number(kb, text, "duration_days", today) == days


@pytest.mark.parametrize("text", [
    "ignored my back pain for over a week",
    "chest pain for more than a month",
    "burning between my shoulder blades for about a year",
    "My back has hurt for 10-12 years.",
    "Since Tuesday night or Wednesday morning I've had pain in my back.",
    # A vague time beside an exact one: which one dates the pain is not known.
    "Back pain for weeks, and since Tuesday it is sharp.",
])
def test_a_bound_a_rough_number_of_months_or_a_range_is_don_t_know(kb: KnowledgeBase,
                                                                   text: str) -> None:
    parsed = parse(text, kb, today=THURSDAY)
    assert "duration_days" not in parsed.findings
    assert any(m.finding == "duration_days" for m in parsed.not_taken)


@pytest.mark.parametrize("text", [
    "60, female, so tired for three months, with back pain and headaches.",
    "19, a skin rash on my back for two days, fever.",
    "Diagnosed with pneumonia four days ago, and my back hurts.",
    "I've had back pain along with four months of tiredness.",
    "left-sided chest pain, worse the last 10 days",
    "a burning pain in the pit of my stomach since yesterday, and my back hurts",
    "The only thing I take is a new pill I started 2 months ago, and my back hurts.",
    # How long a position is held: "for a while" is not how long the pain has lasted.
    "If I sit in one position for a while my back stops hurting.",
    "it calmed down after a day of lifting",
])
def test_a_duration_of_something_else_is_not_this_pain_s(kb: KnowledgeBase, text: str
                                                        ) -> None:
    assert number(kb, text, "duration_days") is None


@pytest.mark.parametrize(("text", "score"), [
    ("pain is 7/10", 7),
    ("it peaked at 8/10 and is 4/10 now", 4),
    ("7/10 at first, 3 out of 10 now", 3),
    ("I'd put it at 4-5 out of 10", None),
    ("My back pain gets up to 8/10", None),
    ("a pressing ache low in my tummy, about 3/10 today", None),
])
def test_the_score_is_the_pain_right_now(kb: KnowledgeBase, text: str, score: object
                                         ) -> None:
    assert number(kb, text, "pain_severity") == score


def test_the_sex_after_an_age(kb: KnowledgeBase) -> None:
    assert number(kb, "60, female, back pain", "sex") == "female"
    assert number(kb, "60, female, back pain", "age") == 60


def test_a_day_that_does_not_exist_gives_no_duration() -> None:
    found = [n for n in find_numbers("It started on the 31st of June.", TUESDAY)
             if n.finding == "duration_days"]
    assert [n.value for n in found] == [None]


@pytest.mark.parametrize(("text", "hours"), [
    ("I sit at a computer 10 hours a day and my upper back burns.", 10),
    ("12-hour days on the laptop lately.", 12),
    ("I'm at my desk about 9 hrs a day.", 9),
    ("I work 8-10 hours a day at a desk.", None),  # a range is "don't know"
    ("My husband sits at a desk 10 hours a day.", None),  # someone else
    ("I'm still at the gym two hours a day.", None),  # no desk
    ("I sleep sitting up, and I'm at the gym two hours a day.", None),  # the desk word is far
])
def test_hours_a_day_at_a_desk(kb: KnowledgeBase, text: str, hours: int | None) -> None:
    assert number(kb, text, "desk_hours_per_day") == hours


@pytest.mark.parametrize("text", [
    "It calmed down after about a day.",  # how long a flare lasted, not when the pain began
    "My back started hurting after a day of lifting.",
    "Worse over the last week.",  # how it changed
    "Every day I woke up with a stiff back.",  # a habit, not the day it began
    "I was tired a few hours ago.",  # not the pain
])
def test_what_is_not_when_the_pain_began(kb: KnowledgeBase, text: str) -> None:
    assert number(kb, text, "duration_days") is None


def test_waking_up_with_the_pain_is_not_a_pain_that_came_after_an_event(kb: KnowledgeBase
                                                                       ) -> None:
    assert number(kb, "Woke up with it this morning.", "delayed_onset_after_event") is None
    assert number(kb, "I moved house, then the next morning my back hurt.",
                  "delayed_onset_after_event") is True


@pytest.mark.parametrize(("text", "sex"), [
    ("Young guy, straight to it: my back is numb.", "male"),
    ("30s F. A patch near my shoulder blade tingles.", "female"),
    ("Just turned 40, dad of two, bad back.", "male"),
    ("I'm a young woman with upper back pain.", "female"),
])
def test_who_is_writing(kb: KnowledgeBase, text: str, sex: str) -> None:
    assert number(kb, text, "sex") == sex


def test_a_likeness_is_not_an_age(kb: KnowledgeBase) -> None:
    assert number(kb, "Walking around crooked like I'm 90.", "age") is None
    assert number(kb, "I'm 90 and my back hurts.", "age") == 90


def test_a_duration_said_two_ways_is_listed_as_not_taken_not_dropped(kb: KnowledgeBase
                                                                     ) -> None:
    parsed = parse("Back pain for weeks, and since Tuesday it is sharp.", kb, today=THURSDAY)
    assert "duration_days" not in parsed.findings
    assert [(m.text, m.certainty) for m in parsed.not_taken] == [
        ("for weeks", "uncertain"), ("since Tuesday", "uncertain")]
