"""Load the knowledge base from the data files inside the package, and check it whole.

Each file is read once, every entry is validated into a frozen model, and then the entries are
checked against each other (every id a rule names exists, every cause cites a source, the
model's numbers are probabilities, every finding is asked by one question...). Any problem
raises `KnowledgeError` naming the file and the entry.

A knowledge base that passed is kept in a cache (see knowledge_cache), for the bundled one in
the user's cache folder, so a new process reads it back in a few milliseconds instead of
parsing and checking the files again. The cache is keyed by the files' contents and the code,
so fresh data is always validated.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import knowledge_cache
from .conditions import Condition, FindingTest
from .errors import UpperbackError
from .knowledge_models import (
    Baseline,
    BodyMap,
    Cause,
    Exercise,
    ExerciseBook,
    Finding,
    GuideText,
    PhraseEntry,
    Question,
    RedFlagRule,
    ReliefMethod,
    Source,
)
from .levels import Level, highest, rank
from .limits import PAIN_MAX, PAIN_MIN

M = TypeVar("M", bound=BaseModel)

FILES = (
    "sources.yaml",
    "findings.yaml",
    "baseline.yaml",
    "causes.yaml",
    "relief.yaml",
    "red_flags.yaml",
    "questions.yaml",
    "guide.yaml",
    "body_regions.yaml",
    "exercises.yaml",
    "phrases.yaml",
)
# Each exercise's picture: PICTURES/ID.svg inside the knowledge folder.
PICTURES = "exercise_pictures"


class KnowledgeError(UpperbackError, ValueError):
    """The knowledge base is broken: the message names the file and the entry."""

    def __init__(self, file: str, entry: str | None, problem: str) -> None:
        self.file, self.entry, self.problem = file, entry, problem
        where = f"{file}, entry {entry!r}" if entry else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, eq=False)  # identity hash: the model cache keys on it
class KnowledgeBase:
    """Everything the guide knows, validated and cross-checked."""

    sources: Mapping[str, Source]
    findings: Mapping[str, Finding]
    baseline: Baseline
    causes: Mapping[str, Cause]
    relief: Mapping[str, ReliefMethod]
    red_flags: tuple[RedFlagRule, ...]
    questions: tuple[Question, ...]
    guide: GuideText
    question_of: Mapping[str, Question] = field(repr=False)
    body_map: BodyMap = field(repr=False)
    exercise_book: ExerciseBook = field(repr=False)
    phrases: tuple[PhraseEntry, ...] = field(default=(), repr=False)

    @cached_property
    def phrase_index(self) -> Mapping[str, tuple[PhraseEntry, ...]]:
        """Each phrase (lower case) and the entries of phrases.yaml that list it."""
        index: dict[str, list[PhraseEntry]] = {}
        for entry in self.phrases:
            for phrase in entry.phrases:
                index.setdefault(phrase.lower(), []).append(entry)
            for number, _ in enumerate(entry.close_words):
                index.setdefault(close_label(entry.finding, number), []).append(entry)
        return {phrase: tuple(entries) for phrase, entries in index.items()}

    def phrases_for(self, phrase: str) -> tuple[PhraseEntry, ...]:
        """The entries of phrases.yaml that list this phrase (any case)."""
        return self.phrase_index.get(phrase.lower(), ())

    @cached_property
    def exercises(self) -> Mapping[str, Exercise]:
        """The exercises by id, in the file's order."""
        return {exercise.id: exercise for exercise in self.exercise_book.exercises}

    def suggest_finding(self, unknown: str) -> str | None:
        """The known finding id closest to a misspelt one, if any is close."""
        close = difflib.get_close_matches(unknown, list(self.findings), n=1, cutoff=0.6)
        return close[0] if close else None

    def red_flag_findings(self) -> frozenset[str]:
        """Yes/no findings that make some red-flag rule fire when answered yes."""
        return self._red_flag_findings

    @cached_property
    def _red_flag_findings(self) -> frozenset[str]:
        return frozenset(
            test.finding
            for rule in self.red_flags
            for test, negated in rule.when.tests()
            if self.findings[test.finding].type == "bool" and _yes_raises(test, negated)
        )

    @cached_property
    def easing_findings(self) -> frozenset[str]:
        """Yes/no findings whose "yes" can stop a red-flag rule from firing: the exemptions
        ("began while lifting" keeps a sudden pain from being an emergency)."""
        return frozenset(
            test.finding
            for rule in self.red_flags
            for test, negated in rule.when.tests()
            if self.findings[test.finding].type == "bool" and not _yes_raises(test, negated)
        )

    @cached_property
    def solo_levels(self) -> Mapping[str, Level]:
        """The level each yes/no finding sets on its own, answered yes with nothing else
        (only the findings that set one)."""
        levels = {
            finding.id: highest(
                [rule.level for rule in self.red_flags if rule.when.holds({finding.id: True})]
            )
            for finding in self.findings.values()
            if finding.type == "bool"
        }
        return {fid: level for fid, level in levels.items() if level != "self_care"}

    @cached_property
    def warning_signs(self) -> tuple[str, ...]:
        """Yes/no findings that on their own make a red-flag rule fire.

        Self-care needs each of them answered "no": one left unanswered or answered "don't
        know" is not ruled out. Each raises the level on its own when answered "yes", so
        answering one can never lower the level below what leaving it open gave.
        """
        return tuple(self.solo_levels)

    @cached_property
    def combination_signs(self) -> tuple[str, ...]:
        """Red-flag findings that fire a rule only together with other answers."""
        return tuple(sorted(self.red_flag_findings() - set(self.solo_levels)))

    @cached_property
    def rules_testing(self) -> Mapping[str, tuple[RedFlagRule, ...]]:
        """The red-flag rules that test each finding (a "yes" to a finding can only make
        these fire: no rule may be stopped by a warning sign's yes, checked at load)."""
        found: dict[str, list[RedFlagRule]] = {}
        for rule in self.red_flags:
            for finding in dict.fromkeys(test.finding for test, _ in rule.when.tests()):
                found.setdefault(finding, []).append(rule)
        return {finding: tuple(rules) for finding, rules in found.items()}

    @cached_property
    def red_flag_by_id(self) -> Mapping[str, RedFlagRule]:
        """The red-flag rules by id."""
        return {rule.id: rule for rule in self.red_flags}

    def cited_sources(self, ids: Iterable[str]) -> list[Source]:
        """Sources by id, once each, in the order first cited."""
        return [self.sources[i] for i in dict.fromkeys(ids)]


def _read_text(directory: Path | None, name: str) -> str:
    if directory is not None:
        return (directory / name).read_text("utf-8")
    bundled = Path(__file__).with_name("knowledge")
    if bundled.is_dir():  # an ordinary install: no need to import importlib.resources
        return (bundled / name).read_text("utf-8")
    from importlib import resources  # a zipped package, say

    return resources.files("upperback").joinpath("knowledge", name).read_text("utf-8")


def _read_all(directory: Path | None) -> dict[str, str | Exception]:
    """Each file's text, or what went wrong reading it (raised later, in the files' order)."""
    texts: dict[str, str | Exception] = {}
    for name in FILES:
        try:
            texts[name] = _read_text(directory, name)
        except (OSError, UnicodeDecodeError) as error:
            texts[name] = error
    return texts


def _parse(name: str, text: str | Exception) -> Any:
    import yaml  # imported late: a knowledge base from the cache is not parsed

    if isinstance(text, FileNotFoundError):
        raise KnowledgeError(name, None, "the file is missing") from text
    if isinstance(text, Exception):
        raise text
    # libyaml's parser when PyYAML was built with it: the same data, several times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        raise KnowledgeError(name, None, f"not valid YAML: {error}") from error


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _entries(data: Any, name: str, model: type[M]) -> dict[str, M]:
    if not isinstance(data, list):
        raise KnowledgeError(name, None, "expected a list of entries")
    out: dict[str, M] = {}
    for position, raw in enumerate(data, start=1):
        entry = raw.get("id") if isinstance(raw, dict) else None
        label = str(entry) if entry else f"#{position}"
        try:
            item = model.model_validate(raw)
        except ValidationError as error:
            raise KnowledgeError(name, label, _first_error(error)) from error
        key = getattr(item, "id")  # noqa: B009 - every entry model has an id
        if key in out:
            raise KnowledgeError(name, key, "the id is used twice")
        out[key] = item
    return out


def _check_guide_numbers(guide: GuideText) -> None:
    """The emergency page's numbers are those its steps name, and the pain scale's words sit
    on the diary's scale."""
    action = guide.levels["emergency"].action
    for phone in guide.phone_numbers.emergency:
        if phone.number not in action:
            raise KnowledgeError("guide.yaml", "phone_numbers",
                                 f"{phone.number} is not in the emergency level's action")
    for point in guide.pain_scale.anchors:
        if not PAIN_MIN <= point <= PAIN_MAX:
            raise KnowledgeError("guide.yaml", "pain_scale",
                                 f"{point} is not from {PAIN_MIN} to {PAIN_MAX}")


def _single(data: Any, name: str, model: type[M]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise KnowledgeError(name, None, _first_error(error)) from error


def load_knowledge(
    directory: str | Path | None = None, *, cache_folder: str | Path | None = None
) -> KnowledgeBase:
    """Load and check the knowledge base (the bundled one unless a directory is given).

    A validated copy is kept in `cache_folder` and read back while the files and the code
    are unchanged. Without one, the bundled knowledge base is cached in the user's cache
    folder (and kept in memory for the process); a directory given is not cached.
    """
    if cache_folder is not None:
        return _load(None if directory is None else Path(directory), Path(cache_folder))
    if directory is None:
        return _bundled()
    return _load(Path(directory))


@cache
def _bundled() -> KnowledgeBase:
    return _load(None, knowledge_cache.default_folder())


def _load(directory: Path | None, cache_folder: Path | None = None) -> KnowledgeBase:
    texts = _read_all(directory)
    readable = {name: text for name, text in texts.items() if isinstance(text, str)}
    # Only a complete set of files has a key; any problem is reported by the loading below.
    key = None
    if cache_folder is not None and len(readable) == len(texts):
        key = knowledge_cache.cache_key(readable)
    if key is not None and cache_folder is not None:
        cached = knowledge_cache.read_cached(cache_folder, key, KnowledgeBase)
        if cached is not None:
            return cached
    kb = _validate({name: _parse(name, text) for name, text in texts.items()})
    _check_pictures(kb, directory)
    if key is not None and cache_folder is not None:
        # Derived once here and stored, rather than worked out again by every process.
        for derived in ("warning_signs", "combination_signs", "red_flag_by_id", "rules_testing"):
            getattr(kb, derived)
        knowledge_cache.write_cached(cache_folder, key, kb)
    return kb


def _validate(raw: Mapping[str, Any]) -> KnowledgeBase:
    """Validate the parsed files into models and check them against each other."""
    sources = _entries(raw["sources.yaml"], "sources.yaml", Source)
    findings = _entries(raw["findings.yaml"], "findings.yaml", Finding)
    baseline = _single(raw["baseline.yaml"], "baseline.yaml", Baseline)
    causes = _entries(raw["causes.yaml"], "causes.yaml", Cause)
    relief = _entries(raw["relief.yaml"], "relief.yaml", ReliefMethod)
    red_flags = _entries(raw["red_flags.yaml"], "red_flags.yaml", RedFlagRule)
    questions = _entries(raw["questions.yaml"], "questions.yaml", Question)
    guide = _single(raw["guide.yaml"], "guide.yaml", GuideText)
    body_map = _single(raw["body_regions.yaml"], "body_regions.yaml", BodyMap)
    exercise_book = _single(raw["exercises.yaml"], "exercises.yaml", ExerciseBook)

    checker = _Checker(sources, findings)
    checker.baseline(baseline)
    for cause in causes.values():
        checker.cause(cause, baseline)
    for method in relief.values():
        checker.relief(method, causes)
    for rule in red_flags.values():
        checker.sources_of("red_flags.yaml", rule.id, rule.sources)
        checker.condition("red_flags.yaml", rule.id, rule.when)
        for cause_id in rule.guards:
            if cause_id not in causes:
                raise KnowledgeError(
                    "red_flags.yaml", rule.id, f"guards unknown cause {cause_id!r}"
                )
    checker.sources_of("guide.yaml", "follow_up", guide.follow_up.sources)
    checker.sources_of("guide.yaml", "risk", guide.risk.sources)
    checker.sources_of("guide.yaml", "not_ruled_out", guide.not_ruled_out.sources)
    checker.sources_of("guide.yaml", "trend", guide.trend.sources)
    checker.sources_of("guide.yaml", "phone_numbers", guide.phone_numbers.sources)
    checker.sources_of("guide.yaml", "pain_scale", guide.pain_scale.sources)
    _check_guide_numbers(guide)
    question_of = checker.questions(questions)
    checker.body_map(body_map, questions)
    checker.exercises(exercise_book, causes, relief)
    kb = KnowledgeBase(
        sources=sources,
        findings=findings,
        baseline=baseline,
        causes=causes,
        relief=relief,
        red_flags=tuple(red_flags.values()),
        questions=tuple(questions.values()),
        guide=guide,
        question_of=question_of,
        body_map=body_map,
        exercise_book=exercise_book,
        phrases=_phrases(raw["phrases.yaml"], findings),
    )
    checker.red_flags_only_raise_serious_causes(kb)
    _check_recheck(kb)
    return kb


def close_label(finding: str, number: int) -> str:
    """The label a close_words rule's matches carry (phrases carry their own words)."""
    return f"close:{finding}:{number}"


def _phrases(data: Any, findings: Mapping[str, Finding]) -> tuple[PhraseEntry, ...]:
    """phrases.yaml: each entry names a yes/no finding (and, for a family mention, another),
    and lists its phrases once each."""
    name = "phrases.yaml"
    if not isinstance(data, list):
        raise KnowledgeError(name, None, "expected a list of entries")
    entries = []
    for index, raw in enumerate(data):
        label = raw.get("finding") if isinstance(raw, dict) else None
        try:
            entry = PhraseEntry.model_validate(raw)
        except ValidationError as error:
            raise KnowledgeError(name, str(label or f"#{index + 1}"), _first_error(error)) from None
        for finding_id in (entry.finding, entry.family):
            if finding_id is None:
                continue
            finding = findings.get(finding_id)
            if finding is None or finding.type != "bool":
                raise KnowledgeError(name, entry.finding,
                                     f"{finding_id!r} is not a yes/no finding")
        seen = [p.strip().lower() for p in entry.phrases]
        if any(not p for p in seen) or len(set(seen)) != len(seen):
            raise KnowledgeError(name, entry.finding, "a phrase is empty or listed twice")
        if not entry.phrases and not entry.close_words:
            raise KnowledgeError(name, entry.finding, "needs phrases or close_words")
        for rule in entry.close_words:
            if any(not w.strip("* ") or " " in w.strip() for w in (*rule.words, *rule.near)):
                raise KnowledgeError(name, entry.finding,
                                     "close_words are single words (a * may end one)")
        entries.append(entry)
    return tuple(entries)


def exercise_picture(exercise_id: str, directory: str | Path | None = None) -> str:
    """The SVG picture of an exercise (from the bundled knowledge folder unless a directory
    is given). Raises KnowledgeError when it is missing or unreadable."""
    name = f"{PICTURES}/{exercise_id}.svg"
    if not exercise_id.replace("_", "").isalpha():  # never a path of the caller's making
        raise KnowledgeError(name, None, "not an exercise id")
    try:
        text = _read_text(None if directory is None else Path(directory), name)
    except (OSError, UnicodeDecodeError) as error:
        raise KnowledgeError(name, None, f"the picture cannot be read: {error}") from error
    return text


def _check_pictures(kb: KnowledgeBase, directory: Path | None) -> None:
    """Every exercise has its picture: an SVG with a title (its text alternative)."""
    for exercise in kb.exercises.values():
        svg = exercise_picture(exercise.id, directory)
        if "<svg" not in svg or "<title" not in svg or "viewBox" not in svg:
            raise KnowledgeError(
                "exercises.yaml", exercise.id,
                f"the picture {PICTURES}/{exercise.id}.svg needs an <svg> with a viewBox and "
                "a <title>")


def _check_recheck(kb: KnowledgeBase) -> None:
    """A re-check keeps only answers no red-flag rule reads: a kept question may not hold a
    finding any rule's condition tests (an old "no", or an old age, must never stand in for
    today's answer to a warning sign)."""
    questions = {q.id: q for q in kb.questions}
    read = {test.finding for rule in kb.red_flags for test, _ in rule.when.tests()}
    for question_id in kb.guide.follow_up.recheck_keeps:
        question = questions.get(question_id)
        if question is None:
            raise KnowledgeError("guide.yaml", "follow_up",
                                 f"recheck_keeps names unknown question {question_id!r}")
        warning = sorted(set(question.findings) & read)
        if warning:
            raise KnowledgeError(
                "guide.yaml", "follow_up",
                f"recheck_keeps keeps question {question_id!r}, whose finding {warning[0]!r} "
                "a red-flag rule reads: it must be asked again at every check")


class _Checker:
    """Cross-checks between files; each failure names the file and the entry."""

    def __init__(self, sources: Mapping[str, Source], findings: Mapping[str, Finding]) -> None:
        self.sources = sources
        self.findings = findings

    def _finding(self, file: str, entry: str, finding_id: str) -> Finding:
        if finding_id not in self.findings:
            hint = difflib.get_close_matches(finding_id, list(self.findings), n=1)
            also = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise KnowledgeError(file, entry, f"unknown finding {finding_id!r}{also}")
        return self.findings[finding_id]

    def sources_of(self, file: str, entry: str, ids: Iterable[str]) -> None:
        for source_id in ids:
            if source_id not in self.sources:
                raise KnowledgeError(file, entry, f"unknown source {source_id!r}")

    def condition(self, file: str, entry: str, condition: Condition) -> None:
        for test, _negated in condition.tests():
            finding = self._finding(file, entry, test.finding)
            numeric = test.at_least is not None or test.at_most is not None
            if numeric and finding.type != "int":
                raise KnowledgeError(file, entry, f"{finding.id} is not a number finding")
            if not numeric:
                _check_value(file, entry, finding, test.equals)

    def baseline(self, baseline: Baseline) -> None:
        name = "baseline.yaml"
        for finding_id, p in baseline.bool.items():
            if self._finding(name, finding_id, finding_id).type != "bool":
                raise KnowledgeError(name, finding_id, "not a yes/no finding")
            _check_probability(name, finding_id, p)
        for finding_id, bins in baseline.bins.items():
            finding = self._finding(name, finding_id, finding_id)
            if finding.type != "int":
                raise KnowledgeError(name, finding_id, "bins are for number findings")
            expected = finding.min
            for b in bins:
                if b.min != expected or b.max < b.min:
                    raise KnowledgeError(
                        name, finding_id, f"bin {b.id!r} should start at {expected}"
                    )
                expected = b.max + 1
            if finding.max is not None and expected != finding.max + 1:
                raise KnowledgeError(name, finding_id, f"bins must end at {finding.max}")
            _check_sums_to_one(name, finding_id, [b.p for b in bins])
        for finding_id, shares in baseline.enum.items():
            finding = self._finding(name, finding_id, finding_id)
            if finding.type != "enum" or set(shares) != set(finding.values or ()):
                raise KnowledgeError(name, finding_id, "must give a share for every value")
            _check_sums_to_one(name, finding_id, list(shares.values()))

    def cause(self, cause: Cause, baseline: Baseline) -> None:
        name = "causes.yaml"
        self.sources_of(name, cause.id, cause.sources)
        for wording in cause.worded_for:
            self.condition(name, cause.id, wording.when)
        for finding_id, likelihood in cause.likelihoods.items():
            finding = self._finding(name, cause.id, finding_id)
            where = f"{cause.id}.{finding_id}"
            if finding.type == "bool":
                if not isinstance(likelihood, float | int):
                    raise KnowledgeError(name, cause.id, f"{finding_id} needs one probability")
                if finding_id not in baseline.bool:
                    raise KnowledgeError(name, cause.id, f"{finding_id} has no baseline")
                _check_probability(name, where, float(likelihood))
                continue
            if not isinstance(likelihood, dict):
                raise KnowledgeError(name, cause.id, f"{finding_id} needs a share per outcome")
            outcomes = (
                {b.id for b in baseline.bins.get(finding_id, ())}
                if finding.type == "int"
                else set(baseline.enum.get(finding_id, {}))
            )
            unknown = set(likelihood) - outcomes
            if unknown:
                raise KnowledgeError(
                    name, cause.id, f"{finding_id}: unknown outcomes {sorted(unknown)}"
                )
            for p in likelihood.values():
                _check_probability(name, where, p)
            if sum(likelihood.values()) > 1.0 + 1e-9:
                raise KnowledgeError(name, cause.id, f"{finding_id}: shares add up to over 1")

    def relief(self, method: ReliefMethod, causes: Mapping[str, Cause]) -> None:
        name = "relief.yaml"
        self.sources_of(name, method.id, method.sources)
        named = [r.causes for r in method.recommend] + [c.causes for c in method.unsafe_with_causes]
        for cause_ids in named:
            for cause_id in cause_ids:
                if cause_id not in causes:
                    raise KnowledgeError(name, method.id, f"unknown cause {cause_id!r}")
        for recommendation in method.recommend:
            if recommendation.when is not None:
                self.condition(name, method.id, recommendation.when)
        for contraindication in method.contraindications:
            self.condition(name, method.id, contraindication.when)
        for wording in method.worded_for:
            self.condition(name, method.id, wording.when)
        for band in method.label_limits:
            self.sources_of(name, method.id, band.sources)

    def exercises(self, book: ExerciseBook, causes: Mapping[str, Cause],
                  relief: Mapping[str, ReliefMethod]) -> None:
        """Exercises name real causes, findings and sources; the programme real methods."""
        name = "exercises.yaml"
        for exercise in book.exercises:
            self.sources_of(name, exercise.id, exercise.sources)
            named = [exercise.for_causes, *(c.causes for c in exercise.unsafe_with_causes)]
            for cause_id in (c for ids in named for c in ids):
                if cause_id not in causes:
                    raise KnowledgeError(name, exercise.id, f"unknown cause {cause_id!r}")
            for contraindication in exercise.contraindications:
                self.condition(name, exercise.id, contraindication.when)
        self.sources_of(name, "programme", book.programme.sources)
        self.sources_of(name, "break_reminders", book.break_reminders.sources)
        for method_id in book.programme.relief_days:
            if method_id not in relief:
                raise KnowledgeError(name, "programme",
                                     f"relief_days names unknown method {method_id!r}")
        for lesson in book.lessons:
            self.sources_of(name, lesson.title, lesson.sources)

    def questions(self, questions: Mapping[str, Question]) -> dict[str, Question]:
        name = "questions.yaml"
        question_of: dict[str, Question] = {}
        for question in questions.values():
            for finding_id in question.findings:
                finding = self._finding(name, question.id, finding_id)
                if finding_id in question_of:
                    other = question_of[finding_id].id
                    raise KnowledgeError(name, question.id, f"{finding_id} is also in {other}")
                if question.kind == "checklist" and finding.type != "bool":
                    raise KnowledgeError(name, question.id, f"{finding_id} is not yes/no")
                expected = {"yes_no": "bool", "number": "int", "choice": "enum"}
                if question.kind in expected and finding.type != expected[question.kind]:
                    raise KnowledgeError(
                        name, question.id, f"a {question.kind} question cannot ask {finding_id}"
                    )
                question_of[finding_id] = question
        missing = sorted(set(self.findings) - set(question_of))
        if missing:
            raise KnowledgeError(name, None, f"no question asks {', '.join(missing)}")
        return question_of

    def body_map(self, body_map: BodyMap, questions: Mapping[str, Question]) -> None:
        """The map's rules set yes/no findings (each once), shown with a real question."""
        name = "body_regions.yaml"
        if body_map.asked_with not in questions:
            raise KnowledgeError(name, "asked_with", f"unknown question {body_map.asked_with!r}")
        seen: set[str] = set()
        for rule in body_map.findings:
            finding = self._finding(name, rule.finding, rule.finding)
            if finding.type != "bool":
                raise KnowledgeError(name, rule.finding, "a region can only set a yes/no finding")
            if rule.finding in seen:
                raise KnowledgeError(name, rule.finding, "has two rules; join them with any")
            seen.add(rule.finding)

    def red_flags_only_raise_serious_causes(self, kb: KnowledgeBase) -> None:
        """A worrying answer must never make a serious cause less likely.

        Triage takes the higher of the red-flag floor and the urgency of serious causes that
        stay likely. If answering yes to a red-flag finding lowered a serious cause's
        likelihood, that answer could lower triage; so the knowledge base may not say so.
        """
        red = kb.red_flag_findings()
        for rule in kb.red_flags:
            for test, negated in rule.when.tests():
                # "Answered no" inside a "not" is fine (a yes can only make the rule fire);
                # a plain negation, or "answered no" on its own, would let a yes lower it.
                if test.finding in red and not _yes_raises(test, negated):
                    raise KnowledgeError(
                        "red_flags.yaml", rule.id, f"{test.finding} is a red flag; do not negate it"
                    )
        for cause in kb.causes.values():
            if rank(cause.urgency) == 0:
                continue
            for finding_id in red & set(cause.likelihoods):
                p = cause.likelihoods[finding_id]
                if isinstance(p, float | int) and p < kb.baseline.bool[finding_id]:
                    raise KnowledgeError(
                        "causes.yaml",
                        cause.id,
                        f"{finding_id} is a red flag, so its likelihood must be at least "
                        f"its baseline {kb.baseline.bool[finding_id]}",
                    )


def _yes_raises(test: FindingTest, negated: bool) -> bool:
    """Whether answering yes to this test's finding can only help its rule fire."""
    return (test.equals is True) != negated


def _check_probability(file: str, entry: str, p: float) -> None:
    if not 0.001 <= p <= 0.999:
        raise KnowledgeError(file, entry, f"probability {p} must be from 0.001 to 0.999")


def _check_sums_to_one(file: str, entry: str, shares: list[float]) -> None:
    if abs(sum(shares) - 1.0) > 0.01:
        raise KnowledgeError(file, entry, f"shares add up to {sum(shares):.3f}, not 1")


def _check_value(file: str, entry: str, finding: Finding, value: object) -> None:
    checks: dict[str, Callable[[object], bool]] = {
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "enum": lambda v: v in (finding.values or ()),
    }
    if not checks[finding.type](value):
        raise KnowledgeError(file, entry, f"{finding.id} cannot equal {value!r}")
