"""`upperback.parse` on how people write: denials in their everyday forms, words that only
look like denials, lists, parts of combined findings, words that say a finding is absent,
someone else's history and a relative's age, other forms of a phrase, temperatures; and the
phrase file's new kinds of words, checked at load."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from upperback import KnowledgeBase, KnowledgeError, load_knowledge
from upperback.free_text import parse
from upperback.knowledge_models import PhraseEntry

TUESDAY = date(2026, 12, 1)
BreakKnowledge = Any  # the break_knowledge fixture (see conftest.py)


def findings(kb: KnowledgeBase, text: str) -> dict[str, object]:
    return parse(text, kb, today=TUESDAY).findings


def read_as(kb: KnowledgeBase, text: str, expected: dict[str, object]) -> dict[str, object]:
    """What the text gives for the findings `expected` names (None where it gives nothing)."""
    found = findings(kb, text)
    return {f: found.get(f) for f in expected}


@pytest.mark.parametrize(("text", "finding"), [
    ("I don't feel sick", "nausea_vomiting"),
    ("I haven't lost weight", "unexplained_weight_loss"),
    ("my legs aren't weak", "leg_weakness"),
    ("my legs arent weak", "leg_weakness"),
    ("my chest doesn\u2019t hurt", "chest_pain_pressure"),
    ("It doesn't hurt when I breathe in", "pain_worse_breathing_cough"),
    ("I haven't fallen or hurt myself", "recent_trauma"),
    ("No fever, chills or night sweats", "chills_night_sweats"),
    ("no fever and chills", "chills_night_sweats"),
    ("no rash, redness or swelling", "local_swelling_redness"),
])
def test_a_denial_in_everyday_words_is_a_no(kb: KnowledgeBase, text: str, finding: str
                                            ) -> None:
    assert findings(kb, text)[finding] is False


@pytest.mark.parametrize(("text", "finding"), [
    ("I can't sleep, my chest hurts", "chest_pain_pressure"),
    ("not only my chest hurts but my arm too", "chest_pain_pressure"),
    ("the meds don't touch it and I can't get my breath", "shortness_of_breath"),
    ("no better today, still short of breath", "shortness_of_breath"),
    ("I didn't think much of the heart pain at first", "chest_pain_pressure"),
    ("what is this burning feeling between my shoulder blades", "pain_burning_electric"),
    ("no idea why my chest hurts", "chest_pain_pressure"),
])
def test_words_that_only_look_like_a_denial_or_a_doubt_leave_a_yes(
    kb: KnowledgeBase, text: str, finding: str
) -> None:
    assert findings(kb, text)[finding] is True


def test_words_that_say_a_finding_is_absent_are_a_no_even_in_a_list_of_denials(
    kb: KnowledgeBase
) -> None:
    assert findings(kb, "My breathing's fine.")["shortness_of_breath"] is False
    found = findings(kb, "Not vomiting, breathing fine, no racing heart. Don't smoke, "
                         "hardly drink.")
    assert found["shortness_of_breath"] is False and found["heavy_alcohol_use"] is False
    assert "shortness_of_breath" not in findings(kb, "I'm not breathing fine")


def test_vague_words_only_answer_when_denied(kb: KnowledgeBase) -> None:
    found = findings(kb, "No numbness or weakness.")
    assert found["leg_numbness_tingling"] is False and found["leg_weakness"] is False
    parsed = parse("There is some numbness.", kb)
    assert "leg_numbness_tingling" not in parsed.findings
    assert [m.certainty for m in parsed.not_taken] == ["uncertain"]


def test_denying_one_part_of_a_combined_finding_answers_nothing_but_is_listed(
    kb: KnowledgeBase
) -> None:
    parsed = parse("Not sweating. No vomiting. I don't smoke.", kb)
    for finding in ("cold_sweat_nausea", "nausea_vomiting", "heart_risk_factors"):
        assert finding not in parsed.findings
        assert finding in {m.finding for m in parsed.not_taken}
    assert findings(kb, "I'm not sweaty or sick")["cold_sweat_nausea"] is False
    assert findings(kb, "no nausea")["nausea_vomiting"] is False
    assert findings(kb, "Feeling sick but not vomiting")["nausea_vomiting"] is True


@pytest.mark.parametrize(("text", "expected"), [
    ("My dad had a heart attack at 50.", True),
    ("My dad had a heart attack at forty.", True),
    ("My dad died young of a heart attack.", True),
    ("My mum had angina in her forties.", True),
    ("My dad died of a heart attack.", None),
    ("My dad had a heart attack at 80.", None),
    ("My mom was a smoker.", None),
])
def test_a_relative_s_heart_disease_counts_only_when_early(
    kb: KnowledgeBase, text: str, expected: object
) -> None:
    assert findings(kb, text).get("heart_risk_factors") is expected


def test_a_relative_s_back_problems_count_at_any_age(kb: KnowledgeBase) -> None:
    assert findings(kb, "My mum has a slipped disc.")["family_history_back_problems"] is True
    assert findings(kb, "MRI says I have a herniated disc.") == {}


@pytest.mark.parametrize("text", [
    "The guy next door said he collapsed while mowing.",
    "My uncle's in his 60s and gets a pain in his right shoulder.",
    "Everyone says I hunch over too much.",
    "I honestly thought I was having a heart attack.",
    "The doctor ruled out a blood clot.",
    "They scanned for a clot.",
])
def test_someone_else_s_words_or_symptoms_are_not_the_writer_s(kb: KnowledgeBase, text: str
                                                              ) -> None:
    assert not {f for f, v in findings(kb, text).items() if v is True}


def test_the_writer_s_words_after_someone_else_s_are_the_writer_s(kb: KnowledgeBase) -> None:
    found = findings(kb, "My son and I carried boxes and I was short of breath.")
    assert found["shortness_of_breath"] is True
    assert findings(kb, "My dad says my chest pain is nothing.")["chest_pain_pressure"]


def test_if_is_hypothetical_only_in_a_sentence_about_what_may_come(kb: KnowledgeBase) -> None:
    assert findings(kb, "If I sit too long my back aches.")["pain_worse_after_sitting"] is True
    assert findings(kb, "If it gets harder to breathe I'll go in.") == {}


@pytest.mark.parametrize(("text", "finding"), [
    ("my legs felt weak", "leg_weakness"),
    ("tingling in my left arm", "arm_numbness_tingling"),
    ("numbness in both legs", "leg_numbness_tingling"),
    ("I felt light-headed", "fainting"),
    ("I've been short-of-breath", "shortness_of_breath"),
    ("I cant breathe", "shortness_of_breath"),
    ("the pain is radiating to my left arm", "pain_spreads_arm_jaw"),
])
def test_a_phrase_is_found_in_its_other_forms_and_spellings(
    kb: KnowledgeBase, text: str, finding: str
) -> None:
    assert findings(kb, text)[finding] is True


@pytest.mark.parametrize(("text", "expected"), [
    ("my temp got up to 38.5", True),
    ("a fever of 101F", True),
    ("temperature 39 degrees", True),
    ("38M with back pain", None),
    ("my son has a temp of 39", None),
])
def test_a_temperature_of_38_or_more_is_a_fever(kb: KnowledgeBase, text: str,
                                                expected: object) -> None:
    assert findings(kb, text).get("fever") is expected


def test_sudden_is_a_sudden_severe_onset_only_with_the_severity(kb: KnowledgeBase) -> None:
    assert "sudden_severe_onset" not in findings(kb, "It came on suddenly.")
    assert findings(kb, "Suddenly the worst agony, out of nowhere.")["sudden_severe_onset"]


def test_a_combined_finding_s_parts_and_the_new_words_are_checked_at_load() -> None:
    base = {"finding": "cold_sweat_nausea", "phrases": ["sweating"]}
    PhraseEntry.model_validate(base | {"if_denied": ["sick"], "parts": [["sweating"], ["sick"]]})
    for broken in ({"absent": ["sweating"]},  # also a phrase
                   {"if_denied": ["sick", "sick"]},
                   {"parts": [["clammy"]]},  # not one of the entry's words
                   {"parts": [["sweating"], ["sweating"]]},
                   {"parts": [[]]},
                   {"close_words": [{"words": ["cold"], "near": ["sweat*"], "part": 1}],
                    "parts": [["sweating"]]},
                   {"family_before_age": 60},  # without a family finding
                   {"writer_counts": False}):
        with pytest.raises(ValueError):
            PhraseEntry.model_validate(base | broken)


def test_a_broken_part_fails_the_knowledge_base_naming_the_entry(
    break_knowledge: BreakKnowledge
) -> None:
    def broken(data: list[dict[str, Any]]) -> None:
        entry = next(e for e in data if e["finding"] == "nausea_vomiting")
        entry["parts"] = [["nothing like it"]]

    with pytest.raises(KnowledgeError) as error:
        load_knowledge(break_knowledge("phrases.yaml", broken))
    assert "nausea_vomiting" in str(error.value)


@pytest.mark.parametrize(("text", "finding", "expected"), [
    ("it hurts more when I sit for a long time", "pain_worse_after_sitting", True),
    ("the longer I sit the worse it gets", "pain_worse_after_sitting", True),
    # A car accident is an injury; only one at speed is the high-energy kind.
    ("it started after a car accident", "recent_trauma", True),
    ("it started after a car accident", "major_trauma", None),
    ("I was in a high speed crash", "major_trauma", True),
])
def test_everyday_words_for_sitting_and_accidents(kb: KnowledgeBase, text: str, finding: str,
                                                  expected: bool | None) -> None:
    assert parse(text, kb).findings.get(finding) is expected


@pytest.mark.parametrize(("text", "expected"), [
    # A phrase across words joined by "or"/"and"; each joined word keeps its own reading
    # ("my arm" is not swallowed by "pain in my ... chest").
    ("I can barely move or breathe", {"shortness_of_breath": True}),
    ("there is pain in my arm and chest", {"pain_spreads_arm_jaw": True}),
    ("no cough or fever", {"fever": False}),
    # Everyday words for the background and how it began.
    ("My blood pressure's always normal.", {"high_blood_pressure": False}),
    ("Never had any yellowing of my skin.", {"yellow_skin": False}),
    ("Started lifting again three months ago.", {"recent_activity_increase": True}),
    ("It began halfway through my run.", {"strenuous_exercise_onset": True}),
    ("I used to get the same thing at my old desk job.", {"recurrent_episodes": True}),
    # A lift is how it began only with what was lifted or what it did; a habit is not.
    ("I lifted a box and felt a twinge.", {"lifting_twisting_onset": True}),
    ("I've been lifting three times a week for years.", {"lifting_twisting_onset": None}),
    # What makes it worse is not a pain that keeps getting worse (`not_before`).
    ("It gets worse when I walk.", {"pain_worsening_steadily": None}),
    ("It keeps getting worse.", {"pain_worsening_steadily": True}),
    ("Every time I lift her or lay her down I wince.", {"pain_worse_with_movement": True}),
    ("It calms down again once I rest.", {"pain_eased_by_rest_position": True}),
    ("No fevers, no urine problems, no rashes.",
     {"fever": False, "bladder_problems": False, "rash_band": False}),
    ("Male, 57, fit and active.", {"age": 57, "sex": "male"}),
    # A fall years ago is not a recent one (`not_in_sentence`); one last week is.
    ("My back has hurt since a skiing accident ten years ago.", {"recent_trauma": None}),
    ("I had a fall last week.", {"recent_trauma": True}),
    # Between one shoulder blade and the spine is one side, not between the two blades.
    ("a sharp pain between my right shoulder blade and my spine",
     {"pain_between_shoulder_blades": None, "pain_one_side": True}),
])
def test_joined_words_and_everyday_words_for_the_background_and_the_onset(
    kb: KnowledgeBase, text: str, expected: dict[str, object]
) -> None:
    assert read_as(kb, text, expected) == expected


@pytest.mark.parametrize(("text", "one_side"), [
    ("a stabbing pain in my right shoulder blade", True),
    ("pain just left of my spine", True),
    # The shoulder itself is not a side of the upper back.
    ("my left shoulder aches", None),
])
def test_one_side_of_the_upper_back_not_the_shoulder(kb: KnowledgeBase, text: str,
                                                    one_side: bool | None) -> None:
    assert findings(kb, text).get("pain_one_side") is one_side


@pytest.mark.parametrize(("text", "expected"), [
    # A phrase inside a denial of the same finding is part of what is denied.
    ("Deep breaths don't really make it worse.", {"pain_worse_breathing_cough": False}),
    ("Deep breaths hurt.", {"pain_worse_breathing_cough": True}),
    # A dash ends the clause: the chest pain is not what "doesn't hurt".
    ("a stabbing pain on the left side of my chest - it doesn't hurt when i breathe though",
     {"chest_pain_pressure": True, "pain_worse_breathing_cough": False}),
    ("sharp pain in my mid-back, then it moved into my chest", {"chest_pain_pressure": True}),
    ("I woke up sweating twice last night", {"chills_night_sweats": True}),
    ("Hurts most at the top of a full breath.", {"pain_worse_breathing_cough": True}),
    ("It hurts when I change position.", {"pain_worse_with_movement": True}),
    ("F, 20s. Pain under my left shoulder blade.", {"sex": "female"}),
    ("tennis balls against the wall for the knots", {"throwing_or_racket_sport": None}),
    ("I play tennis twice a week", {"throwing_or_racket_sport": True}),
])
def test_denials_that_take_in_a_phrase_dashes_and_more_everyday_words(
    kb: KnowledgeBase, text: str, expected: dict[str, object]
) -> None:
    assert read_as(kb, text, expected) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Lifts and sessions in their past forms, and rest that eases the pain.
    ("Benched yesterday and my left upper back felt weird.", {"strenuous_exercise_onset": True}),
    ("Felt a sharp pain on the last rep of my set.", {"strenuous_exercise_onset": True}),
    ("It gets better with rest but comes back.", {"pain_eased_by_rest_position": True}),
    ("Lying flat it's less.", {"pain_eased_by_rest_position": True}),
    ("It eases when I change position.", {"pain_eased_by_rest_position": True}),
    ("Lying down doesn't make it any better.", {"pain_eased_by_rest_position": None}),
    # Earlier bouts told in other words.
    ("I've had these before and the tests were fine.", {"recurrent_episodes": True}),
    ("Done my back in again.", {"recurrent_episodes": True}),
    # Medicines by their brand names; a leg gone numb; "no risk factors" denies them all.
    ("I take Xarelto for my heart rhythm.", {"blood_thinners_or_bleeding_disorder": True}),
    ("By then I had lost the feeling in my left leg.", {"leg_numbness_tingling": True}),
    ("I've never smoked - no risk factors at all.", {"heart_risk_factors": False}),
    # The writer's sex in passing; weeks flat in bed; bouts over the years.
    ("I told my husband; as a woman I'd never have guessed.", {"sex": "female"}),
    ("I've been flat in bed for three weeks.", {"long_immobility": True}),
    ("Back pain on and off for about ten years.", {"recurrent_episodes": True}),
    ("Reaching straight forward is the worst.", {"pain_worse_with_movement": True}),
])
def test_past_forms_brand_names_rest_earlier_bouts_and_the_writer_in_passing(
    kb: KnowledgeBase, text: str, expected: dict[str, object]
) -> None:
    assert read_as(kb, text, expected) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A post that opens with someone else and never speaks of the writer states nothing of
    # the writer, however far the finding is from the word for that person.
    ("Asking for a friend: she was just diagnosed with a spine problem and has to stay on "
     "warfarin for good.", {}),
    ("Asking for my grandad: for three days he's had a burning pain on one side of his back.",
     {}),
    ("She's had a fever and back pain for two days.", {}),
    # A relative's early heart disease is still the writer's family history.
    ("My dad had a heart attack at 40 and now he has a fever.", {"heart_risk_factors": True}),
    # Only an opening says so: the writer's own pain, then someone else, stays the writer's.
    ("Sharp pain between the shoulder blades. My wife thinks it's a muscle.",
     {"pain_between_shoulder_blades": True}),
    ("My dad has had a fever, so I'm worried about my own back pain and chills.",
     {"chills_night_sweats": True}),
])
def test_a_post_about_someone_else_states_nothing_of_the_writer(
    kb: KnowledgeBase, text: str, expected: dict[str, object]
) -> None:
    assert dict(findings(kb, text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Earlier bouts counted ("my second bout"); a band of pressure round the chest.
    ("This is my second bout of this cramp.", {"recurrent_episodes": True}),
    ("Now it's my second rib injury this year.", {"recurrent_episodes": True}),
    ("A band of pressure goes right through to my back.", {"pain_band_around_chest": True}),
    # "I did not fall" denies an accident; "searing" is a burning pain.
    ("I did not fall or hit anything.", {"recent_trauma": False}),
    ("I got a searing pain under my shoulder blade.", {"pain_burning_electric": True}),
    # Lifting the arms is a movement that hurts, not a lift that started the pain.
    ("It flared when I lifted my arms to wash my hair.", {"lifting_twisting_onset": None}),
    ("It started when I lifted a heavy box.", {"lifting_twisting_onset": True}),
    # Only a woman writes "post-menopausal" of herself; a mother's menopause is hers.
    ("Post-menopausal woman and all, and my back aches.", {"sex": "female"}),
    ("My mum went through the menopause and has back pain.", {"sex": None}),
    # A numb or tingly feeling a few words from the arm.
    ("A numb tingly feeling is creeping up my arm.", {"arm_numbness_tingling": True}),
    # When a sport was taken up is not when the pain began.
    ("I took up sculling 8 months ago and my ribs hurt.", {"duration_days": None}),
    ("My back has hurt for 3 weeks since I took up tennis.", {"duration_days": 21}),
])
def test_second_bouts_denied_falls_lifted_arms_the_menopause_and_a_sport_taken_up(
    kb: KnowledgeBase, text: str, expected: dict[str, object]
) -> None:
    assert read_as(kb, text, expected) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Pain that runs up into the neck a few words on is pain that spreads (a warning sign).
    ("It runs up into the left side of my neck.", {"pain_spreads_arm_jaw": True}),
    ("My neck is stiff and my upper back aches.", {"pain_spreads_arm_jaw": None}),
    # More work than the body is used to is a recent increase in activity.
    ("I started on a unit with way more lifting than I'm used to.",
     {"recent_activity_increase": True}),
    # Walking hurts: movement makes it worse; the legs hurting on a walk are not the back.
    ("Now it hurts to walk, sit or lie down.", {"pain_worse_with_movement": True}),
    ("My legs hurt when I walk.", {"pain_worse_with_movement": None}),
    # Sitting straight denies a hunched posture.
    ("I sit pretty straight at the drums.", {"hunched_posture": False}),
    # A mum, or a pregnancy of the writer's own, names a woman; someone else's does not.
    ("mum of a toddler here, my back aches.", {"sex": "female"}),
    ("38 weeks pregnant with my first and my back hurts.", {"sex": "female", "pregnant": True}),
    ("My wife is 30 weeks pregnant and her back hurts.", {"sex": None}),
    ("I'm a daddy of twins and my back aches.", {"sex": "male"}),
    ("20f uni student, on the patch.", {"estrogen_hormones": True}),
    # "Since two days" is how some write "for two days"; "since 5 years old" is no duration.
    ("Since two days I have strong pain in my upper back.", {"duration_days": 2}),
    ("Ever since 5 years old my back has been stiff.", {"duration_days": None}),
    # A greeting before "my father" still opens a post about him.
    ("Dear doctor, my father is 55. Since one year he has upper back pain.",
     {"duration_days": None, "age": None}),
])
def test_the_neck_farther_on_walking_sitting_straight_mums_the_patch_and_since_n_days(
    kb: KnowledgeBase, text: str, expected: dict[str, object]
) -> None:
    assert read_as(kb, text, expected) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # What does not change the pain is a no, not a yes: "moving or breathing doesn't change it".
    ("Moving or breathing doesnt change it at all.",
     {"pain_worse_with_movement": False, "pain_worse_breathing_cough": False}),
    ("It hurts when I move, talk or even breathe.",
     {"pain_worse_with_movement": True, "pain_worse_breathing_cough": True}),
    # Can barely pee is a bladder problem (a warning sign for the spinal cord).
    ("Since yesterday I can barely pee.", {"bladder_problems": True}),
    ("On strong steroids for my lupus.", {"long_term_steroids": True}),
    ("It's from all the time lying in the hospital bed.", {"long_immobility": True}),
    # "No drugs" denies injecting them; "drugs for my pain" says nothing of it.
    ("I don't smoke, no drugs.", {"iv_drug_use": False}),
    ("I take drugs for my pain.", {"iv_drug_use": None}),
    ("I haven't been hurt.", {"recent_trauma": False}),
    ("Playing racquetball made it worse.", {"throwing_or_racket_sport": True}),
    ("Pressing there doesn't hurt.", {"pain_over_spine": False}),
    # "N weeks since" dates the pain as "N weeks ago" does.
    ("It's 3 weeks since it started hurting.", {"duration_days": 21}),
])
def test_what_does_not_change_it_barely_peeing_strong_steroids_no_drugs_and_weeks_since(
    kb: KnowledgeBase, text: str, expected: dict[str, object]
) -> None:
    assert read_as(kb, text, expected) == expected

