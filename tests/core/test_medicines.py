"""A logged dose is checked against the label's limits in the knowledge base and the last
check's contraindications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from upperback import KnowledgeBase
from upperback.errors import InputError
from upperback.medicines import check_dose, dose_warnings, find_medicine

NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Taken:
    medicine: str
    dose_mg: int
    taken_at: datetime


def kinds(kb: KnowledgeBase, medicine: str, mg: int, others: list[Taken],
          answers: dict[str, object] | None = None, at: datetime = NOON) -> list[str]:
    dose = check_dose(kb, medicine, mg)
    return [w.kind for w in dose_warnings(kb, dose, at, others, answers)]  # type: ignore[arg-type]


def test_a_dose_within_the_label_gives_no_warning(kb: KnowledgeBase) -> None:
    earlier = [Taken("acetaminophen", 1000, NOON - timedelta(hours=5))]
    assert kinds(kb, "acetaminophen", 1000, earlier) == []


@pytest.mark.parametrize("name", ["paracetamol", "Paracetamol", " ACETAMINOPHEN "])
def test_a_medicine_is_found_by_any_of_its_names(kb: KnowledgeBase, name: str) -> None:
    assert find_medicine(kb, name).id == "acetaminophen"


def test_an_unknown_medicine_is_refused_with_a_suggestion(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as refused:
        find_medicine(kb, "ibuprofin")
    assert "Did you mean 'ibuprofen'?" in str(refused.value)
    assert refused.value.field == "medicine" and "paracetamol" in (refused.value.allowed or "")


@pytest.mark.parametrize("mg", [0, -5, 5001, 2.5, "500", True, None])
def test_a_dose_that_is_not_a_whole_number_of_mg_in_range_is_refused(
    kb: KnowledgeBase, mg: object
) -> None:
    with pytest.raises(InputError) as refused:
        check_dose(kb, "ibuprofen", mg)
    assert refused.value.field == "dose_mg"


def test_more_than_the_single_dose_is_warned_about_with_the_labels_source(
    kb: KnowledgeBase,
) -> None:
    warnings = dose_warnings(kb, check_dose(kb, "ibuprofen", 600), NOON, [])
    assert [w.kind for w in warnings] == ["single_dose"]
    assert "400 mg at a time" in warnings[0].message
    assert warnings[0].sources == ("nhs_ibuprofen",)


def test_a_dose_too_soon_after_the_last_one_is_warned_about(kb: KnowledgeBase) -> None:
    earlier = [Taken("ibuprofen", 400, NOON - timedelta(hours=3))]
    warnings = dose_warnings(kb, check_dose(kb, "ibuprofen", 400), NOON, earlier)
    assert [w.kind for w in warnings] == ["too_soon"]
    assert "3 hours" in warnings[0].message and "at least 6 hours" in warnings[0].message


def test_a_back_dated_dose_counts_the_doses_after_it_too(kb: KnowledgeBase) -> None:
    later = [Taken("ibuprofen", 400, NOON + timedelta(hours=2))]
    assert kinds(kb, "ibuprofen", 400, later) == ["too_soon"]


def test_another_medicine_does_not_count_toward_the_limits(kb: KnowledgeBase) -> None:
    earlier = [Taken("acetaminophen", 1000, NOON - timedelta(hours=1))]
    assert kinds(kb, "ibuprofen", 400, earlier) == []


def test_passing_the_daily_maximum_says_so_and_what_to_do(kb: KnowledgeBase) -> None:
    earlier = [Taken("acetaminophen", 1000, NOON - timedelta(hours=h)) for h in (5, 10, 15)]
    warnings = dose_warnings(kb, check_dose(kb, "acetaminophen", 1000), NOON, earlier)
    assert [w.kind for w in warnings] == []  # 4,000 mg in 4 doses is the limit, not over it
    warnings = dose_warnings(kb, check_dose(kb, "acetaminophen", 500), NOON + timedelta(hours=4),
                             [*earlier, Taken("acetaminophen", 1000, NOON)])
    assert "daily_maximum" in [w.kind for w in warnings]
    daily = next(w for w in warnings if w.kind == "daily_maximum")
    assert "4,500 mg" in daily.message and "4,000 mg in 24 hours" in daily.message
    assert "medical help now" in daily.message


def test_doses_a_day_are_counted_even_under_the_mg_maximum(kb: KnowledgeBase) -> None:
    earlier = [Taken("ibuprofen", 200, NOON - timedelta(hours=h)) for h in (6, 12, 18)]
    assert kinds(kb, "ibuprofen", 200, earlier) == ["doses_a_day"]


def test_doses_more_than_a_day_apart_do_not_add_up(kb: KnowledgeBase) -> None:
    earlier = [Taken("ibuprofen", 400, NOON - timedelta(hours=h)) for h in (25, 31, 37)]
    assert kinds(kb, "ibuprofen", 400, earlier) == []


def test_the_limits_for_ages_12_to_17_are_lower_and_named(kb: KnowledgeBase) -> None:
    warnings = dose_warnings(kb, check_dose(kb, "acetaminophen", 1000), NOON, [], {"age": 15})
    assert [w.kind for w in warnings] == ["single_dose"]
    assert "ages 12 to 17: 750 mg" in warnings[0].message
    assert warnings[0].sources == ("nhs_paracetamol_children",)


def test_under_12_the_label_gives_no_dose_without_a_doctor(kb: KnowledgeBase) -> None:
    assert kinds(kb, "ibuprofen", 100, [], {"age": 11}) == ["not_for_age"]


def test_a_medicine_the_last_check_withheld_is_warned_about_with_the_reason(
    kb: KnowledgeBase,
) -> None:
    warnings = dose_warnings(kb, check_dose(kb, "ibuprofen", 200), NOON, [],
                             {"stomach_ulcer_or_bleeding": True})
    assert [w.kind for w in warnings] == ["withheld"]
    assert "stomach ulcer" in warnings[0].message


def test_every_medicine_has_label_limits_for_teenagers_and_adults(kb: KnowledgeBase) -> None:
    from upperback.medicines import medicines

    found = medicines(kb)
    assert set(found) == {"acetaminophen", "ibuprofen"}
    for method in found.values():
        assert method.limits_for(12) is not None and method.limits_for(80) is not None
        assert method.limits_for(11) is None and method.too_much
