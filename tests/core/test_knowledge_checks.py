"""Each check the knowledge loader makes: a file broken that way fails with KnowledgeError
naming the file and the entry (see the `break_knowledge` fixture in conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from upperback import KnowledgeError, load_knowledge
from upperback import knowledge_base as knowledge_module

BreakKnowledge = Any  # the break_knowledge fixture (see conftest.py)


def by_id(data: list[dict[str, Any]], entry_id: str) -> dict[str, Any]:
    return next(entry for entry in data if entry["id"] == entry_id)


def set_in(entry_id: str, **values: Any) -> Any:
    """Set fields of one entry of a list file."""
    return lambda data: by_id(data, entry_id).update(values)


def drop_from(entry_id: str, key: str) -> Any:
    """Remove a field of one entry of a list file."""
    return lambda data: removing(by_id(data, entry_id), key)


def removing(mapping: dict[str, Any], key: str) -> None:
    """Remove a key (returning None, so that break_knowledge writes the changed data)."""
    del mapping[key]


def likelihood(cause_id: str, finding_id: str, value: Any) -> Any:
    return lambda data: by_id(data, cause_id)["likelihoods"].__setitem__(finding_id, value)


BROKEN: list[tuple[str, str, Any, str]] = [
    # findings.yaml: each finding's own shape
    ("min and max on a yes/no finding", "findings.yaml", set_in("fever", min=0, max=1),
     "findings.yaml, entry 'fever': only int findings take min and max"),
    ("a choice without values", "findings.yaml", set_in("sex", values=[], value_labels=None),
     "findings.yaml, entry 'sex': an enum finding needs values"),
    ("labels for values a choice lacks", "findings.yaml",
     set_in("sex", value_labels={"female": "Female", "male": "Male"}),
     "findings.yaml, entry 'sex': value_labels must name exactly the values"),
    ("values on a yes/no finding", "findings.yaml", set_in("fever", values=["yes", "no"]),
     "findings.yaml, entry 'fever': only enum findings take values"),
    ("a yes/no finding without its checklist line", "findings.yaml", drop_from("fever", "item"),
     "findings.yaml, entry 'fever': a yes/no finding needs an item"),
    ("findings that are not a list", "findings.yaml", lambda data: {"fever": data[0]},
     "findings.yaml: expected a list of entries"),
    # baseline.yaml
    ("a baseline that is not a mapping", "baseline.yaml", lambda data: [data],
     "baseline.yaml: Input should be a valid dictionary"),
    ("a yes/no baseline for a number finding", "baseline.yaml",
     lambda data: data["bool"].__setitem__("age", 0.5),
     "baseline.yaml, entry 'age': not a yes/no finding"),
    ("bins for a yes/no finding", "baseline.yaml",
     lambda data: data["bins"].__setitem__("fever", [{"id": "x", "min": 0, "max": 1, "p": 0.5}]),
     "baseline.yaml, entry 'fever': bins are for number findings"),
    ("bins that stop short of the maximum", "baseline.yaml",
     lambda data: data["bins"]["age"][-1].__setitem__("max", 100),
     "baseline.yaml, entry 'age': bins must end at 110"),
    ("bin shares that do not add up to one", "baseline.yaml",
     lambda data: data["bins"]["age"][0].__setitem__("p", 0.5),
     "baseline.yaml, entry 'age': shares add up to 1.420, not 1"),
    ("a choice's shares missing a value", "baseline.yaml",
     lambda data: data["enum"].__setitem__("sex", {"female": 0.5, "male": 0.5}),
     "baseline.yaml, entry 'sex': must give a share for every value"),
    ("shares for a finding that is not a choice", "baseline.yaml",
     lambda data: data["enum"].__setitem__("fever", {"yes": 0.5, "no": 0.5}),
     "baseline.yaml, entry 'fever': must give a share for every value"),
    # causes.yaml
    ("a yes/no likelihood given per outcome", "causes.yaml",
     likelihood("shingles", "rash_band", {"yes": 0.9}),
     "causes.yaml, entry 'shingles': rash_band needs one probability"),
    ("a yes/no likelihood without a baseline", "causes.yaml",
     likelihood("shingles", "kidney_disease", 0.05),
     "causes.yaml, entry 'shingles': kidney_disease has no baseline"),
    ("a number likelihood given as one probability", "causes.yaml",
     likelihood("shingles", "age", 0.5),
     "causes.yaml, entry 'shingles': age needs a share per outcome"),
    ("shares of a number finding over one", "causes.yaml",
     likelihood("shingles", "age", {"age_50_64": 0.6, "age_65_up": 0.6}),
     "causes.yaml, entry 'shingles': age: shares add up to over 1"),
    # relief.yaml
    ("a timed method whose usual time is over its limit", "relief.yaml",
     set_in("ice_pack", max_minutes=10, default_minutes=15),
     "relief.yaml, entry 'ice_pack': a timed method needs default_minutes <= max_minutes"),
    ("a timed method without its usual time", "relief.yaml", drop_from("ice_pack",
                                                                       "default_minutes"),
     "relief.yaml, entry 'ice_pack': a timed method needs default_minutes <= max_minutes"),
    ("a timed method that does not say when to use it again", "relief.yaml",
     drop_from("ice_pack", "repeat"),
     "relief.yaml, entry 'ice_pack': a timed method needs repeat"),
    ("a contraindication testing a value a choice does not have", "relief.yaml",
     lambda data: by_id(data, "ice_pack")["contraindications"].append(
         {"when": {"finding": "sex", "equals": "robot"}, "reason": "x"}),
     "relief.yaml, entry 'ice_pack': sex cannot equal 'robot'"),
    # red_flags.yaml
    ("a rule guarding an unknown cause", "red_flags.yaml",
     lambda data: data[0].__setitem__("guards", ["heart_attack", "sore_back"]),
     "red_flags.yaml, entry 'chest_pain': guards unknown cause 'sore_back'"),
    ("a rule testing a yes/no finding against a number", "red_flags.yaml",
     lambda data: data[0].__setitem__("when", {"finding": "fever", "equals": 1}),
     "red_flags.yaml, entry 'chest_pain': fever cannot equal 1"),
    # questions.yaml
    ("a finding asked by two questions", "questions.yaml",
     lambda data: by_id(data, "emergency_signs")["findings"].append("fever"),
     "questions.yaml, entry 'body_signs': fever is also in emergency_signs"),
    ("a checklist of a number finding", "questions.yaml", set_in("age", kind="checklist"),
     "questions.yaml, entry 'age': age is not yes/no"),
    ("a number question asking a choice", "questions.yaml", set_in("sex", kind="number"),
     "questions.yaml, entry 'sex': a number question cannot ask sex"),
    ("a yes/no question asking two findings", "questions.yaml",
     lambda data: by_id(data, "family")["findings"].append("fever"),
     "questions.yaml, entry 'family': a yes_no question asks about exactly one finding"),
    # guide.yaml
    ("a level without its advice", "guide.yaml", lambda data: removing(data["levels"], "soon"),
     "guide.yaml: levels lacks soon"),
    ("a level without its follow-up", "guide.yaml",
     lambda data: removing(data["follow_up"]["if_not_improving"], "urgent"),
     "guide.yaml: follow_up.if_not_improving lacks urgent"),
    ("follow-up text for an emergency", "guide.yaml",
     lambda data: data["follow_up"]["if_not_improving"].__setitem__("emergency", "Wait."),
     "guide.yaml: follow_up.if_not_improving has no emergency text"),
    ("a risk tolerance missing a level", "guide.yaml",
     lambda data: removing(data["risk"]["tolerance"], "urgent"),
     "guide.yaml: risk: tolerance needs exactly self_care, soon and urgent"),
    ("a risk tolerance over ten percent", "guide.yaml",
     lambda data: data["risk"]["tolerance"].__setitem__("soon", 0.2),
     "guide.yaml: risk: tolerance for soon must be above 0 and at most 0.10"),
    ("a guide without a title", "guide.yaml", lambda data: removing(data, "title"),
     "guide.yaml: title: Field required"),
    ("a re-check keeping the warning-sign screen", "guide.yaml",
     lambda data: data["follow_up"].__setitem__("recheck_keeps", ["family", "emergency_signs"]),
     "guide.yaml, entry 'follow_up': recheck_keeps keeps question 'emergency_signs', whose "
     "finding 'chest_pain_pressure' a red-flag rule reads"),
    ("a re-check keeping the age a rule reads", "guide.yaml",
     lambda data: data["follow_up"].__setitem__("recheck_keeps", ["age"]),
     "guide.yaml, entry 'follow_up': recheck_keeps keeps question 'age', whose finding 'age'"),
    # phrases.yaml: the words people use for each finding
    ("a phrase for a finding that does not exist", "phrases.yaml",
     lambda data: data[0].__setitem__("finding", "chest_ache"),
     "phrases.yaml, entry 'chest_ache': 'chest_ache' is not a yes/no finding"),
    ("a phrase for a number finding", "phrases.yaml",
     lambda data: data[0].__setitem__("finding", "age"),
     "phrases.yaml, entry 'age': 'age' is not a yes/no finding"),
    ("a phrase listed twice", "phrases.yaml",
     lambda data: data[0]["phrases"].append(data[0]["phrases"][0].upper()),
     "phrases.yaml, entry 'chest_pain_pressure': a phrase is empty or listed twice"),
    ("a family finding that does not exist", "phrases.yaml",
     lambda data: data[0].__setitem__("family", "family_chest_pain"),
     "phrases.yaml, entry 'chest_pain_pressure': 'family_chest_pain' is not a yes/no finding"),
    ("phrases that are not a list", "phrases.yaml", lambda data: {"x": data},
     "phrases.yaml: expected a list of entries"),
    ("a re-check keeping a question that does not exist", "guide.yaml",
     lambda data: data["follow_up"].__setitem__("recheck_keeps", ["hobbies"]),
     "guide.yaml, entry 'follow_up': recheck_keeps names unknown question 'hobbies'"),
]


@pytest.mark.parametrize(
    "name, file, change, message", BROKEN, ids=[b[0].replace(" ", "_") for b in BROKEN]
)
def test_each_check_fails_a_broken_file_naming_the_file_and_entry(
    break_knowledge: BreakKnowledge, name: str, file: str, change: Any, message: str
) -> None:
    directory = break_knowledge(file, change)
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(directory)
    assert message in str(error.value)
    assert error.value.file == file


def test_a_knowledge_file_that_cannot_be_read_raises_its_read_error(knowledge_copy: Path
                                                                    ) -> None:
    (knowledge_copy / "relief.yaml").unlink()
    (knowledge_copy / "relief.yaml").mkdir()  # there, but not a file
    with pytest.raises(IsADirectoryError):
        load_knowledge(knowledge_copy)


def test_problems_are_reported_in_the_order_of_the_files(knowledge_copy: Path) -> None:
    (knowledge_copy / "relief.yaml").unlink()
    (knowledge_copy / "relief.yaml").mkdir()
    (knowledge_copy / "findings.yaml").write_text("- [unclosed\n")  # read before relief.yaml
    with pytest.raises(KnowledgeError, match=r"findings\.yaml: not valid YAML"):
        load_knowledge(knowledge_copy)


def test_without_a_knowledge_folder_beside_the_code_the_package_resources_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A zipped install, say: there is no knowledge/ folder next to knowledge_base.py.
    monkeypatch.setattr(knowledge_module, "__file__", str(tmp_path / "knowledge_base.py"))
    kb = load_knowledge(cache_folder=tmp_path / "cache")
    assert len(kb.causes) == 16
    assert kb.findings.keys() == load_knowledge().findings.keys()
