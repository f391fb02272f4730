"""The knowledge base loads whole, knows the protocol's vocabulary, and refuses broken data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from upperback import KnowledgeError, load_knowledge
from upperback.knowledge_base import KnowledgeBase

BreakKnowledge = Any  # the break_knowledge fixture (see conftest.py)

PROTOCOL = Path(__file__).parent.parent / "data" / "protocol_findings.yaml"
PROTOCOL_CAUSES = {
    "poor_posture", "muscle_overuse", "injury", "disc_herniation", "pinched_nerve",
    "myofascial_pain", "spinal_infection", "spinal_cord_compression", "vertebral_fracture",
    "spinal_tumor", "heart_attack", "aortic_dissection", "pulmonary_embolism", "shingles",
    "gallbladder", "inflammatory_back_pain",
}
PROTOCOL_RELIEF = {
    "ice_pack", "heat_pack", "acetaminophen", "ibuprofen", "personal_massager",
    "physical_therapy", "posture_breaks", "stretching", "activity_modification",
}


def protocol_findings() -> dict[str, dict[str, Any]]:
    groups = yaml.safe_load(PROTOCOL.read_text())
    return {fid: spec for group in groups.values() for fid, spec in group.items()}


@pytest.mark.parametrize("finding_id, spec", sorted(protocol_findings().items()))
def test_it_knows_every_protocol_finding_with_its_meaning_and_range(
    kb: KnowledgeBase, finding_id: str, spec: dict[str, Any]
) -> None:
    finding = kb.findings[finding_id]
    assert finding.meaning == spec["meaning"]
    assert finding.type == spec["type"]
    assert (finding.min, finding.max) == (spec.get("min"), spec.get("max"))
    assert list(finding.values or []) == spec.get("values", [])
    assert finding.question and finding.help


def test_it_knows_the_sixteen_causes_and_nine_relief_methods(kb: KnowledgeBase) -> None:
    assert set(kb.causes) == PROTOCOL_CAUSES
    assert set(kb.relief) == PROTOCOL_RELIEF


def test_every_cause_rule_and_method_cites_a_known_source(kb: KnowledgeBase) -> None:
    cited = [c.sources for c in kb.causes.values()]
    cited += [r.sources for r in kb.red_flags] + [m.sources for m in kb.relief.values()]
    assert all(ids for ids in cited)
    assert {s for ids in cited for s in ids} <= set(kb.sources)


def test_every_source_is_cited_somewhere(kb: KnowledgeBase) -> None:
    cited = {s for c in kb.causes.values() for s in c.sources}
    cited |= {s for r in kb.red_flags for s in r.sources}
    cited |= {s for m in kb.relief.values() for s in m.sources}
    cited |= {s for m in kb.relief.values() for band in m.label_limits for s in band.sources}
    cited |= set(kb.guide.follow_up.sources) | set(kb.guide.trend.sources)
    cited |= set(kb.guide.phone_numbers.sources) | set(kb.guide.pain_scale.sources)
    book = kb.exercise_book
    cited |= {s for e in book.exercises for s in e.sources} | set(book.programme.sources)
    cited |= {s for lesson in book.lessons for s in lesson.sources}
    cited |= set(book.break_reminders.sources)
    assert set(kb.sources) == cited


def test_every_cause_has_an_icd10_code(kb: KnowledgeBase) -> None:
    assert all(c.icd10 for c in kb.causes.values())


def test_ice_and_heat_are_capped_at_twenty_minutes_with_a_barrier(kb: KnowledgeBase) -> None:
    for method_id in ("ice_pack", "heat_pack"):
        method = kb.relief[method_id]
        assert method.max_minutes == 20
        assert any("cloth" in line and "skin" in line for line in method.safety)


def test_medicines_carry_the_labels_maximum(kb: KnowledgeBase) -> None:
    for method_id in ("acetaminophen", "ibuprofen"):
        text = " ".join(kb.relief[method_id].how_to + kb.relief[method_id].safety)
        assert "label" in text and "maximum" in text
        assert "same medicine" in text


def test_every_finding_is_asked_by_exactly_one_question(kb: KnowledgeBase) -> None:
    asked = [f for q in kb.questions for f in q.findings]
    assert sorted(asked) == sorted(kb.findings)


def test_the_interview_asks_age_then_the_emergency_checklist(kb: KnowledgeBase) -> None:
    first, second = kb.questions[:2]
    assert first.findings == ("age",) and first.stage == "screen"
    assert second.stage == "screen" and second.kind == "checklist"
    assert "chest_pain_pressure" in second.findings


def test_sex_and_how_long_it_has_hurt_are_asked_when_they_matter_not_as_screens(
    kb: KnowledgeBase,
) -> None:
    stages = {f: kb.question_of[f].stage for f in ("sex", "duration_days")}
    assert stages == {"sex": "explore", "duration_days": "explore"}


def test_loading_twice_gives_the_same_cached_object() -> None:
    assert load_knowledge() is load_knowledge()


def _cause(data: list[dict[str, Any]], cause_id: str) -> dict[str, Any]:
    return next(c for c in data if c["id"] == cause_id)


BROKEN: list[tuple[str, str, Any, str]] = [
    (
        "a rule naming an unknown finding",
        "red_flags.yaml",
        lambda d: d[0].__setitem__("when", "chest_pian_pressure"),
        "red_flags.yaml, entry 'chest_pain': unknown finding 'chest_pian_pressure'",
    ),
    (
        "a cause without a source",
        "causes.yaml",
        lambda d: _cause(d, "injury").__setitem__("sources", []),
        "causes.yaml, entry 'injury': sources",
    ),
    (
        "a cause citing an unknown source",
        "causes.yaml",
        lambda d: _cause(d, "injury").__setitem__("sources", ["nowhere"]),
        "causes.yaml, entry 'injury': unknown source 'nowhere'",
    ),
    (
        "a bad range",
        "findings.yaml",
        lambda d: d[0].update(min=200, max=10),
        "findings.yaml, entry 'age': an int finding needs min <= max",
    ),
    (
        "a likelihood that is not a probability",
        "causes.yaml",
        lambda d: _cause(d, "shingles")["likelihoods"].__setitem__("rash_band", 1.5),
        "causes.yaml, entry 'shingles.rash_band': probability 1.5",
    ),
    (
        "a likelihood for an unknown range",
        "causes.yaml",
        lambda d: _cause(d, "shingles")["likelihoods"].__setitem__("age", {"ancient": 0.5}),
        "causes.yaml, entry 'shingles': age: unknown outcomes ['ancient']",
    ),
    (
        "a duplicate id",
        "relief.yaml",
        lambda d: d.append(dict(d[0])),
        "relief.yaml, entry 'ice_pack': the id is used twice",
    ),
    (
        "a relief method for an unknown cause",
        "relief.yaml",
        lambda d: d[0]["recommend"][0].__setitem__("causes", ["sore_back"]),
        "relief.yaml, entry 'ice_pack': unknown cause 'sore_back'",
    ),
    (
        "ice allowed for longer than twenty minutes",
        "relief.yaml",
        lambda d: d[0].__setitem__("max_minutes", 30),
        "relief.yaml, entry 'ice_pack': max_minutes",
    ),
    (
        "a finding no question asks",
        "questions.yaml",
        lambda d: d[-1]["findings"].remove("skin_damage_at_site"),
        "questions.yaml: no question asks skin_damage_at_site",
    ),
    (
        "a red flag that is negated",
        "red_flags.yaml",
        lambda d: d.append(
            {"id": "odd", "level": "soon", "when": {"not": "fever"}, "message": "x",
             "sources": ["nhs_back_pain"]}
        ),
        "red_flags.yaml, entry 'odd': fever is a red flag; do not negate it",
    ),
    (
        "a red flag that makes a serious cause less likely",
        "causes.yaml",
        lambda d: _cause(d, "heart_attack")["likelihoods"].__setitem__("fever", 0.001),
        "causes.yaml, entry 'heart_attack': fever is a red flag",
    ),
    (
        "bins with a gap",
        "baseline.yaml",
        lambda d: d["bins"]["age"][1].__setitem__("min", 21),
        "baseline.yaml, entry 'age': bin 'age_20_39' should start at 20",
    ),
    (
        "a number test on a yes/no finding",
        "red_flags.yaml",
        lambda d: d[0].__setitem__("when", {"finding": "fever", "at_least": 2}),
        "red_flags.yaml, entry 'chest_pain': fever is not a number finding",
    ),
]


@pytest.mark.parametrize(
    "name, file, change, message", BROKEN, ids=[b[0].replace(" ", "_") for b in BROKEN]
)
def test_a_broken_knowledge_base_fails_at_load_naming_the_file_and_entry(
    break_knowledge: BreakKnowledge, name: str, file: str, change: Any, message: str
) -> None:
    directory = break_knowledge(file, change)
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(directory)
    assert message in str(error.value)
    assert error.value.file == file


def test_a_missing_file_is_named(knowledge_copy: Path) -> None:
    (knowledge_copy / "relief.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"relief\.yaml: the file is missing"):
        load_knowledge(knowledge_copy)


def test_invalid_yaml_is_named(knowledge_copy: Path) -> None:
    (knowledge_copy / "guide.yaml").write_text("title: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"guide\.yaml: not valid YAML"):
        load_knowledge(knowledge_copy)


def test_an_unchanged_copy_loads(knowledge_copy: Path) -> None:
    assert len(load_knowledge(knowledge_copy).causes) == 16
