"""The exercise programme's rules: none at urgent or emergency, withheld exercises with the
reason, week-by-week progression, and easing back when the diary's pain rises."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from upperback.assessment import assess
from upperback.knowledge_base import KnowledgeBase
from upperback.programme import (
    Programme,
    make_programme,
    pain_rises,
    programme_for_check,
    sessions_done,
)

CHECKED = date(2026, 11, 2)


def plan(kb: KnowledgeBase, answers: dict[str, Any], start: date = CHECKED, days: int = 28,
         pain: tuple[int, ...] = ()) -> Programme:
    assessment = assess(answers, kb)
    return make_programme(kb, assessment.answers, assessment.result(), CHECKED, start, days,
                          pain)


def ids(programme: Programme, number: int) -> list[str]:
    return [p.exercise.id for p in programme.days[number - 1].exercises]


def test_a_self_care_posture_result_gets_four_weeks_of_days(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    programme = plan(kb, desk_worker, days=60)
    assert programme.offered and programme.level == "self_care"
    assert len(programme.days) == kb.exercise_book.programme.weeks * 7
    assert programme.days[0].day == CHECKED and programme.days[0].number == 1
    assert all(day.exercises and day.lesson.text for day in programme.days)
    assert "chin_tuck" in ids(programme, 1)


@pytest.mark.parametrize("extra", [{"fever": True, "pain_over_spine": True},
                                   {"chest_pain_pressure": True}],
                         ids=["urgent", "emergency"])
def test_an_urgent_or_emergency_result_gets_no_programme(
    kb: KnowledgeBase, desk_worker: dict[str, Any], extra: dict[str, Any]
) -> None:
    programme = plan(kb, desk_worker | extra)
    assert programme.level in ("urgent", "emergency")
    assert not programme.offered and programme.days == ()
    assert programme.message == kb.exercise_book.programme.not_offered


def test_exercises_are_withheld_with_the_reason_from_the_answers(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    programme = plan(kb, desk_worker | {"osteoporosis": True})
    withheld = {w.exercise.id: w for w in programme.withheld}
    assert {"thoracic_extension_chair", "cat_camel", "thread_the_needle"} <= set(withheld)
    bend = withheld["thoracic_extension_chair"]
    assert bend.findings == ("osteoporosis",)
    assert bend.reasons == (kb.exercises["thoracic_extension_chair"].contraindications[0].reason,)
    planned = {p.exercise.id for day in programme.days for p in day.exercises}
    assert not planned & set(withheld)


def test_an_exercise_unsafe_with_a_likely_cause_is_withheld(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    programme = plan(kb, desk_worker | {"arm_numbness_tingling": True})
    assert "pinched_nerve" in assess(desk_worker | {"arm_numbness_tingling": True},
                                     kb).result().likely_causes
    withheld = {w.exercise.id for w in programme.withheld}
    assert {"upper_trapezius_stretch", "levator_scapulae_stretch"} <= withheld
    assert "chin_tuck" in ids(programme, 1)


def test_the_dose_grows_and_new_exercises_join_week_by_week(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    programme = plan(kb, desk_worker)
    week = {n: programme.days[(n - 1) * 7] for n in (1, 2, 3, 4)}
    reps = {n: {p.exercise.id: p.reps for p in day.exercises} for n, day in week.items()}
    assert reps[2]["chin_tuck"] > reps[1]["chin_tuck"]
    assert reps[4]["chin_tuck"] <= kb.exercises["chin_tuck"].max_reps
    assert "cat_camel" not in reps[1] and "cat_camel" in reps[2]
    assert "wall_angels" not in reps[2] and "wall_angels" in reps[3]
    sessions = [week[n].sessions for n in (1, 2, 3, 4)]
    assert sessions == list(kb.exercise_book.programme.sessions_a_day)


def test_a_rise_in_diary_pain_eases_the_plan_back_a_week(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    third_week = CHECKED + timedelta(days=14)
    steady = plan(kb, desk_worker, start=third_week, days=1, pain=(3, 3, 3, 3, 3, 3))
    rising = plan(kb, desk_worker, start=third_week, days=1, pain=(3, 3, 3, 5, 6, 6))
    assert not steady.eased and rising.eased
    calm, eased = steady.days[0], rising.days[0]
    assert (calm.week, eased.week) == (3, 2)
    assert eased.sessions == calm.sessions - 1 or eased.sessions == 1
    assert len(eased.exercises) < len(calm.exercises)
    assert kb.exercise_book.programme.ease_back.message in eased.notes
    assert rising.message == kb.exercise_book.programme.ease_back.message


@pytest.mark.parametrize(("scores", "rises"), [
    ((), False), ((2, 2, 2, 4, 4), False), ((2, 2, 2, 4, 4, 4), True), ((2, 2, 2, 3, 4, 4), False),
    ((6, 6, 6, 2, 2, 2), False),
])
def test_the_pain_rule_compares_the_newest_scores_with_those_before(
    kb: KnowledgeBase, scores: tuple[int, ...], rises: bool
) -> None:
    assert pain_rises(kb.exercise_book.programme.ease_back, scores) is rises


def test_the_heat_schedule_comes_from_the_relief_plan_with_its_limit(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    notes = plan(kb, desk_worker, days=1).days[0].notes
    heat = kb.relief["heat_pack"]
    assert any(heat.name in note and f"{heat.max_minutes} minutes" in note for note in notes)
    assert kb.exercise_book.programme.breaks in notes


def test_ice_is_shown_only_for_the_first_days(kb: KnowledgeBase,
                                              all_no: dict[str, Any]) -> None:
    strain = all_no | {"age": 30, "sex": "female", "duration_days": 1, "pain_severity": 4,
                       "repetitive_upper_body_work": True, "recent_activity_increase": True,
                       "pain_worse_with_movement": True}
    assert "ice_pack" in {r.id for r in assess(strain, kb).result().relief}
    programme = plan(kb, strain)
    ice = kb.relief["ice_pack"].name
    days_with_ice = [d.number for d in programme.days if any(ice in n for n in d.notes)]
    assert days_with_ice == list(range(1, kb.exercise_book.programme.relief_days["ice_pack"] + 1))


def test_after_the_last_week_the_plan_says_it_has_ended(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    programme = plan(kb, desk_worker, start=CHECKED + timedelta(days=40))
    assert programme.offered and programme.days == ()
    assert programme.message == kb.exercise_book.programme.ended


def test_a_saved_check_that_cannot_be_read_gives_no_plan(kb: KnowledgeBase) -> None:
    programme = programme_for_check(kb, {"age": "old"}, {"triage": "nonsense"}, CHECKED, CHECKED)
    assert not programme.offered
    assert programme.message == kb.exercise_book.programme.unreadable


def test_sessions_done_count_at_most_the_planned_sessions_of_each_day(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    programme = plan(kb, desk_worker, days=3)
    done = {CHECKED: 5, CHECKED + timedelta(days=1): 1}
    assert sessions_done(programme, done, CHECKED + timedelta(days=1)) == (
        programme.days[0].sessions + 1, programme.days[0].sessions + programme.days[1].sessions)
    # 5 sessions on day 1 count as the 2 planned.
    assert sessions_done(programme, done, CHECKED)[0] == programme.days[0].sessions


def test_the_json_form_has_date_exercises_sessions_and_notes(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    data = plan(kb, desk_worker, days=2).to_dict()
    day = data["days"][0]
    assert {"date", "exercises", "sessions", "notes"} <= set(day)
    assert day["date"] == CHECKED.isoformat()
    assert day["exercises"][0]["dose"].startswith(str(day["exercises"][0]["reps"]))
