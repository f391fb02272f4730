"""The body map: ticked regions to the check's findings, and region names to regions.

What a region means lives in `knowledge/body_regions.yaml`; this module only applies it.
The one safety rule here: the map can only ever say YES. An unticked region sets nothing to
no, and a yes given anywhere else is never taken away (see `merge_regions`).

A diary entry keeps the regions in its ordinary "where" text, as their labels joined with
", " ("between the shoulder blades, left ribs"), so old entries, free text and every reader
of the diary keep working without a new column; `regions_in_text` reads them back.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence

from .conditions import AnswerValue
from .errors import InputError, shown
from .knowledge_base import KnowledgeBase
from .knowledge_models import BodyRegion

SEPARATOR = ", "


class UnknownRegion(InputError):
    """A region name that is neither a region's id nor its label: says the closest id."""


def regions_by_id(kb: KnowledgeBase) -> dict[str, BodyRegion]:
    """The map's regions by id, in the map's order."""
    return {region.id: region for region in kb.body_map.regions}


def region_ids_allowed(kb: KnowledgeBase) -> str:
    """Every region id, for messages and forms."""
    return ", ".join(regions_by_id(kb))


def region_findings(kb: KnowledgeBase, ticked: Iterable[str]) -> dict[str, bool]:
    """The findings the ticked regions set to yes (only yes: nothing here is ever no).

    `ticked` must be region ids (see `check_regions`)."""
    marks: dict[str, AnswerValue] = {region_id: True for region_id in ticked}
    return {rule.finding: True for rule in kb.body_map.findings if rule.when.holds(marks)}


def merge_regions(
    kb: KnowledgeBase, answers: Mapping[str, AnswerValue], ticked: Iterable[str]
) -> dict[str, AnswerValue]:
    """The answers with the ticked regions' findings set to yes.

    A yes from the map wins over a no or a "don't know" (the safe side: pain in a place
    the person ticked counts); every other answer, and every yes, stays as it was."""
    merged = dict(answers)
    merged.update(region_findings(kb, ticked))
    return merged


def check_regions(kb: KnowledgeBase, names: Iterable[object], field: str = "regions") -> list[str]:
    """Region ids, ids or labels given one by one (or as "a, b" lists), in the map's order,
    once each. An unknown one raises UnknownRegion naming it, the closest id and all ids."""
    found: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            raise UnknownRegion(field, f"{field}: {name!r} is not a region name",
                                region_ids_allowed(kb))
        for part in name.split(","):
            if part.strip():
                found.add(find_region(kb, part, field).id)
    return [region_id for region_id in regions_by_id(kb) if region_id in found]


def find_region(kb: KnowledgeBase, name: str, field: str = "regions") -> BodyRegion:
    """The region a name stands for: its id ("left_ribs", "left-ribs") or its label ("left
    ribs"), any case. UnknownRegion when none, with "did you mean" and the list of ids."""
    regions = regions_by_id(kb)
    text = " ".join(name.strip().lower().split())
    key = text.replace("-", "_")
    if key in regions:
        return regions[key]
    for region in regions.values():
        if text == region.label.lower():
            return region
    close = difflib.get_close_matches(key.replace(" ", "_"), list(regions), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    allowed = region_ids_allowed(kb)
    raise UnknownRegion(
        field, f"unknown region {shown(name.strip())!r}{hint} The regions are: {allowed}.",
        allowed,
    )


def where_text(
    kb: KnowledgeBase, ticked: Sequence[str], free_text: str | None = None
) -> str | None:
    """A diary entry's "where": the ticked regions' labels, then any free text, joined with
    ", " (None when both are empty). Free text already naming a ticked region is not
    repeated."""
    regions = regions_by_id(kb)
    labels = [regions[region_id].label for region_id in ticked]
    rest = (free_text or "").strip()
    if rest:
        extra, named = regions_in_text(kb, rest)
        labels += [regions[region_id].label for region_id in named if region_id not in ticked]
        # Text that names no region is kept exactly as it was typed.
        labels.append(extra if named else rest)
    return SEPARATOR.join(dict.fromkeys(label for label in labels if label)) or None


def regions_in_text(kb: KnowledgeBase, text: str | None) -> tuple[str, list[str]]:
    """Read a "where" text back: (the text that names no region, the regions it names).

    "between the shoulder blades, sore after lifting" gives ("sore after lifting",
    ["between_shoulder_blades"]). Free text is kept as it was written."""
    if not text:
        return "", []
    by_label = {region.label.lower(): region.id for region in kb.body_map.regions}
    named: list[str] = []
    rest: list[str] = []
    for part in text.split(","):
        region_id = by_label.get(" ".join(part.strip().lower().split()))
        if region_id is not None:
            named.append(region_id)
        elif part.strip():
            rest.append(part.strip())
    return SEPARATOR.join(rest), list(dict.fromkeys(named))


def looks_like_id(text: str) -> bool:
    """Whether a name is written like a region id (words joined by _, no spaces): then it
    must be a region, and a typo is refused with a suggestion rather than kept as text."""
    word = text.strip()
    return "_" in word and " " not in word


def split_where(
    kb: KnowledgeBase, values: Iterable[str], field: str = "where"
) -> tuple[list[str], str | None]:
    """The terminal's --where values (repeated, or "a, b" lists): (the regions they name,
    the rest as free text, or None).

    A region's id or label is a region; a word written like an id (with _) that is no
    region raises UnknownRegion with "did you mean"; anything else is the person's own
    words, kept as written (as --where always took)."""
    regions: list[str] = []
    free: list[str] = []
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                regions.append(find_region(kb, part, field).id)
            except UnknownRegion:
                if looks_like_id(part):
                    raise
                free.append(part.strip())
    ordered = [region_id for region_id in regions_by_id(kb) if region_id in regions]
    return ordered, SEPARATOR.join(free) or None
