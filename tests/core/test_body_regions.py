"""The body map: the regions file, what ticked regions say, and region names."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upperback.assessment import assess_checked
from upperback.body_regions import (
    UnknownRegion,
    check_regions,
    find_region,
    merge_regions,
    region_findings,
    regions_in_text,
    split_where,
    where_text,
)
from upperback.knowledge_base import KnowledgeBase, KnowledgeError, load_knowledge
from upperback.levels import rank

BreakKnowledge = Any  # conftest.BreakKnowledge (tests/core is not a package)

REGIONS_FILE = "body_regions.yaml"
REGION_IDS = (
    "neck", "left_shoulder", "right_shoulder", "between_shoulder_blades", "left_upper_back",
    "right_upper_back", "right_shoulder_blade", "left_shoulder_blade", "middle_back",
    "left_ribs", "right_ribs", "chest", "lower_back",
)  # fmt: skip


def test_the_bundled_body_map_has_every_region_the_issue_names(kb: KnowledgeBase) -> None:
    ids = [region.id for region in kb.body_map.regions]
    assert sorted(ids) == sorted(REGION_IDS)
    assert {region.view for region in kb.body_map.regions} == {"back", "front"}
    assert kb.body_map.asked_with in {q.id for q in kb.questions}


def test_every_region_rule_sets_a_yes_no_finding_of_the_check(kb: KnowledgeBase) -> None:
    for rule in kb.body_map.findings:
        assert kb.findings[rule.finding].type == "bool"


def _first_rule(data: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = data["findings"][0]
    return rule


BAD_FILES = [
    ("unknown finding", lambda d: _first_rule(d).update(finding="pain_betwen"), "unknown finding"),
    ("unknown region in a rule", lambda d: _first_rule(d).update(when="betwen_blades"),
     "unknown region 'betwen_blades'"),
    ("a no from a region", lambda d: _first_rule(d).update(
        when={"finding": "neck", "equals": False}), "may only test whether a region is ticked"),
    ("a number finding", lambda d: _first_rule(d).update(finding="age"),
     "a region can only set a yes/no finding"),
    ("the same id twice", lambda d: d["regions"].append(dict(d["regions"][0])),
     "region ids used twice: neck"),
    ("a shape off the drawing", lambda d: d["regions"][0]["shape"].update(rect=[110, 0, 30, 10]),
     "neck's shape lies outside the view_box"),
    ("two shapes in one", lambda d: d["regions"][0]["shape"].update(ellipse=[1, 1, 1, 1]),
     "exactly one of rect or ellipse"),
    ("a comma in a label", lambda d: d["regions"][0].update(label="neck, top"), "label"),
    ("no view", lambda d: d["regions"][0].pop("view") and None, "view"),
    ("an unknown question", lambda d: d.update(asked_with="where_it_is"),
     "unknown question 'where_it_is'"),
    ("two rules for one finding", lambda d: d["findings"].append(dict(_first_rule(d))),
     "has two rules"),
]


@pytest.mark.parametrize(("change", "message"), [(c, m) for _, c, m in BAD_FILES],
                         ids=[name for name, _, _ in BAD_FILES])
def test_a_bad_regions_file_is_refused_at_load_with_a_clear_message(
    break_knowledge: BreakKnowledge, change: Any, message: str
) -> None:
    folder = break_knowledge(REGIONS_FILE, change)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    assert caught.value.file == REGIONS_FILE
    assert message in str(caught.value)


def test_a_missing_regions_file_is_refused(knowledge_copy: Path) -> None:
    (knowledge_copy / REGIONS_FILE).unlink()
    with pytest.raises(KnowledgeError, match="body_regions.yaml: the file is missing"):
        load_knowledge(knowledge_copy)


@pytest.mark.parametrize(
    ("ticked", "expected"),
    [
        (["between_shoulder_blades"], {"pain_between_shoulder_blades"}),
        (["right_shoulder_blade"], {"pain_right_shoulder_blade", "pain_one_side"}),
        (["left_upper_back"], {"pain_one_side"}),
        (["left_upper_back", "left_shoulder_blade"], {"pain_one_side"}),
        (["right_ribs", "right_upper_back"], {"pain_one_side", "pain_band_around_chest"}),
        (["chest"], {"chest_pain_pressure"}),
        (["left_ribs"], {"pain_one_side"}),
        (["neck"], set()),
        (["lower_back", "left_shoulder"], set()),
        ([], set()),
    ],
)
def test_each_region_sets_its_findings_to_yes(
    kb: KnowledgeBase, ticked: list[str], expected: set[str]
) -> None:
    found = region_findings(kb, ticked)
    assert set(found) == expected
    assert all(value is True for value in found.values())


@pytest.mark.parametrize(
    "ticked",
    [
        ["left_upper_back", "right_upper_back"],
        ["left_shoulder_blade", "right_ribs"],
        ["left_upper_back", "between_shoulder_blades"],
        ["right_shoulder_blade", "middle_back"],
    ],
)
def test_both_sides_or_the_middle_is_not_one_side(kb: KnowledgeBase, ticked: list[str]) -> None:
    assert "pain_one_side" not in region_findings(kb, ticked)


def test_the_chest_on_the_map_raises_the_level_like_the_chest_question(
    kb: KnowledgeBase, desk_worker: dict[str, Any]
) -> None:
    calm = {**desk_worker, "chest_pain_pressure": False}
    from_map = assess_checked(kb, merge_regions(kb, calm, ["chest"]))
    from_question = assess_checked(kb, {**calm, "chest_pain_pressure": True})
    assert from_map.triage == from_question.triage
    assert rank(from_map.triage) >= rank("urgent")


def test_the_map_never_takes_a_yes_away_or_says_no(kb: KnowledgeBase) -> None:
    answers = {"pain_one_side": True, "pain_between_shoulder_blades": None}
    # Both sides ticked: "one side" does not hold, but the person's own yes stays.
    merged = merge_regions(kb, answers, ["left_upper_back", "right_upper_back"])
    assert merged == answers


@settings(max_examples=60, deadline=None)
@given(ticked=st.sets(st.sampled_from(REGION_IDS)),
       before=st.dictionaries(st.sampled_from(["pain_one_side", "pain_between_shoulder_blades",
                                               "chest_pain_pressure", "pain_band_around_chest",
                                               "fever"]),
                              st.sampled_from([True, False, None])))
def test_any_ticks_only_add_yes_answers(
    kb: KnowledgeBase, ticked: set[str], before: dict[str, Any]
) -> None:
    merged = merge_regions(kb, before, sorted(ticked))
    for finding_id, value in merged.items():
        if before.get(finding_id) is True:
            assert value is True  # a yes is never taken away
        if finding_id not in before or before[finding_id] is not value:
            assert value is True  # anything the map changes, it changes to yes


def test_every_pair_of_regions_gives_only_yes(kb: KnowledgeBase) -> None:
    for pair in combinations(REGION_IDS, 2):
        assert set(region_findings(kb, pair).values()) <= {True}


@pytest.mark.parametrize("name", ["left_ribs", "LEFT-RIBS", "left ribs", "  Left   Ribs "])
def test_a_region_is_found_by_its_id_or_its_label(kb: KnowledgeBase, name: str) -> None:
    assert find_region(kb, name).id == "left_ribs"


def test_an_unknown_region_says_the_closest_id_and_all_of_them(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownRegion) as caught:
        find_region(kb, "betwen_shoulder_blades")
    message = str(caught.value)
    assert message.startswith(
        "unknown region 'betwen_shoulder_blades'; did you mean between_shoulder_blades?"
    )
    assert all(region_id in message for region_id in REGION_IDS)


def test_regions_are_checked_once_each_in_the_maps_order(kb: KnowledgeBase) -> None:
    assert check_regions(kb, ["left_ribs, neck", "neck"]) == ["neck", "left_ribs"]
    with pytest.raises(UnknownRegion):
        check_regions(kb, ["neck", 3])


def test_the_where_text_keeps_the_labels_and_the_persons_own_words(kb: KnowledgeBase) -> None:
    text = where_text(kb, ["between_shoulder_blades", "left_ribs"], "worse after lifting")
    assert text == "between the shoulder blades, left ribs, worse after lifting"
    assert regions_in_text(kb, text) == (
        "worse after lifting", ["between_shoulder_blades", "left_ribs"]
    )
    assert where_text(kb, [], "  ") is None
    assert where_text(kb, [], "upper back,near the spine") == "upper back,near the spine"
    assert where_text(kb, ["neck"], "neck") == "neck"


def test_every_region_ticked_still_fits_the_where_field(kb: KnowledgeBase) -> None:
    from upperback.limits import SHORT_TEXT_MAX

    text = where_text(kb, list(REGION_IDS))
    assert text is not None and len(text) <= SHORT_TEXT_MAX


def test_the_terminals_where_takes_ids_labels_and_own_words(kb: KnowledgeBase) -> None:
    assert split_where(kb, ["between_shoulder_blades,left ribs", "sore after lifting"]) == (
        ["between_shoulder_blades", "left_ribs"], "sore after lifting"
    )
    assert split_where(kb, ["between shoulder blades"]) == ([], "between shoulder blades")
    with pytest.raises(UnknownRegion, match="did you mean left_ribs"):
        split_where(kb, ["left_ribz"])
