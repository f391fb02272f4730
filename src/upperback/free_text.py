"""Tell us in your own words: `parse(text)` (`upperback.parse`) finds the findings a
person's sentences state.

Built on medspaCy (spaCy, rule-based, nothing to download, offline): its target matcher finds
the knowledge base's phrases for each finding (`knowledge/phrases.yaml`, lay words first),
and its ConText algorithm says whether each mention is affirmed, negated, uncertain,
hypothetical, in the past or about someone else. The ConText trigger words below are added
for how people write (the defaults are for clinical notes). Numbers are read by
`text_numbers.py`: an age, how long ago the pain started, a 0-10 score.

Only affirmed and negated mentions become answers (`Parsed.findings`); the others are listed
with their certainty, so nothing the person wrote is dropped silently. A sentence is weaker
evidence than a direct answer: `Parsed.interview_answers()` leaves out a warning sign the
text denies, so the warning-sign screens still ask it.

medspaCy and spaCy load only when a text is parsed (about 0.3 s the first time): the check
without a text never pays for them.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Final, Literal

from .answers import AnswerError, check_answer
from .conditions import AnswerValue
from .errors import InputError
from .knowledge_base import KnowledgeBase, close_label, load_knowledge
from .knowledge_models import NearRule, PhraseEntry
from .text_numbers import NumberMention, find_numbers

if TYPE_CHECKING:
    from spacy.language import Language

Certainty = Literal["affirmed", "negated", "uncertain", "hypothetical", "past", "other_person"]
TEXT_MAX: Final = 2000
TEXT_ALLOWED: Final = f"text of at most {TEXT_MAX} characters"

# How people mark a mention as not (yet) true of them: trigger words for medspaCy's ConText,
# by category and direction. Words of the language, not medical facts.
CONTEXT_WORDS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "NEGATED_EXISTENCE": {
        "FORWARD": ("no", "not", "never", "without", "don't have", "dont have", "do not have",
                    "haven't had", "havent had", "have not had", "hasn't been", "denies",
                    "deny", "none", "nor", "no sign of", "not any", "isn't", "isnt",
                    "wasn't", "no longer", "free of", "zero", "not been"),
        "BACKWARD": ("is fine", "are fine", "is ok", "are ok", "is okay", "are okay",
                     "is normal", "are normal", "has gone", "have gone", "went away",
                     "is gone"),
    },
    "POSSIBLE_EXISTENCE": {
        "FORWARD": ("might", "may", "maybe", "possibly", "perhaps", "not sure", "unsure",
                    "i think", "i guess", "probably", "could be", "could it be", "is it",
                    "do i have", "wondering", "worried about", "worried it", "scared it",
                    "afraid it", "kind of", "sort of", "a bit like", "feels like it might"),
        "BACKWARD": ("?", "maybe", "i think", "not sure", "or not"),
    },
    "HYPOTHETICAL": {
        "FORWARD": ("if", "in case", "what if", "unless", "should i get", "in the event",
                    "would", "will go", "i'll go", "if it", "if i"),
    },
    "HISTORICAL": {
        "FORWARD": ("used to", "as a kid", "as a child", "when i was", "in the past"),
        "BACKWARD": ("years ago", "as a kid", "as a child", "when i was younger",
                     "last year", "in the past", "ages ago", "long ago"),
    },
    "FAMILY": {
        "FORWARD": ("dad", "father", "mum", "mom", "mother", "mam", "brother", "sister",
                          "siblings", "grandad", "granddad", "grandpa", "grandma", "grandmother",
                          "grandfather", "nan", "uncle", "aunt", "auntie", "cousin", "parents",
                          "family", "son", "daughter", "husband", "wife", "partner",
                          "boyfriend", "girlfriend", "friend", "colleague", "coworker",
                          "neighbour", "neighbor", "he has", "she has", "he had", "she had"),
    },
    # A new clause ends a denial or a doubt ("the meds don't touch it and I can't get my
    # breath": the breath is not denied), but not a warning sign's other scopes.
    "CLAUSE_END": {
        "TERMINATE": ("and", "so", "then", "because", "which", "while", "when"),
    },
    "TERMINATE": {
        "TERMINATE": ("but", "however", "though", "although", "except", "and i", "i have",
                      "i've got", "ive got", "my back", "and now", "now i", "today i"),
    },
}
SPAN_GROUP: Final = "medspacy_spans"
# What ends each kind of trigger's reach, besides the end of the sentence.
ENDED_BY: Final[dict[str, set[str]]] = {"NEGATED_EXISTENCE": {"TERMINATE", "CLAUSE_END"},
                                        "POSSIBLE_EXISTENCE": {"TERMINATE", "CLAUSE_END"}}
# How many words after it a trigger reaches ("my son and I carried boxes and I was short of
# breath" is the writer's breath, not the son's); None: to the end of the sentence.
SCOPES: Final[dict[str, int]] = {"FAMILY": 5, "HISTORICAL": 6, "POSSIBLE_EXISTENCE": 8}
# Which certainty wins when ConText marks a mention more than one way: the least sure.
CERTAINTY_ORDER: Final[tuple[tuple[str, Certainty], ...]] = (
    ("is_family", "other_person"),
    ("is_uncertain", "uncertain"),
    ("is_hypothetical", "hypothetical"),
    ("is_historical", "past"),
    ("is_negated", "negated"),
)


@dataclass(frozen=True)
class Mention:
    """One thing the text says: the finding, its value, where it was written, how sure."""

    finding: str
    value: AnswerValue
    start: int  # character offsets in the text
    end: int
    text: str
    certainty: Certainty

    def to_dict(self) -> dict[str, Any]:
        """As plain data."""
        return {"finding": self.finding, "value": self.value, "start": self.start,
                "end": self.end, "text": self.text, "certainty": self.certainty}


@dataclass(frozen=True)
class Parsed:
    """What a text states: every mention, and the answers it gives."""

    text: str
    mentions: tuple[Mention, ...] = ()
    warning_signs: frozenset[str] = field(default_factory=frozenset)

    @cached_property  # read by interview_answers, denied_warning_signs and to_dict
    def findings(self) -> dict[str, AnswerValue]:
        """The answers the text gives: affirmed mentions as yes (or their number), negated
        ones as no. Where the text says both, yes wins (a warning sign is never dropped);
        a number given two different ways is left out."""
        found: dict[str, AnswerValue] = {}
        differ: set[str] = set()
        for mention in self.mentions:
            if mention.certainty not in ("affirmed", "negated") or mention.value is None:
                continue
            known = found.get(mention.finding)
            if known is True:
                continue
            if isinstance(mention.value, int | str) and not isinstance(mention.value, bool) \
                    and known is not None and known != mention.value:
                differ.add(mention.finding)  # two ages or durations: which is meant?
            found[mention.finding] = mention.value
        # A number said two ways is the "don't know" it is, not a guess between them.
        return {f: v for f, v in found.items() if f not in differ}

    @property
    def denied_warning_signs(self) -> tuple[str, ...]:
        """The warning signs the text denies: asked again by the warning-sign screens (a
        sentence is weaker evidence than a direct answer)."""
        return tuple(f for f, v in self.findings.items()
                     if v is False and f in self.warning_signs)

    @property
    def not_taken(self) -> tuple[Mention, ...]:
        """The mentions that give no answer: uncertain, hypothetical, past, someone else's."""
        return tuple(m for m in self.mentions if m.certainty not in ("affirmed", "negated"))

    def interview_answers(self) -> dict[str, AnswerValue]:
        """The answers an interview may start from: all of `findings` but the
        `denied_warning_signs`."""
        denied = self.denied_warning_signs
        return {f: v for f, v in self.findings.items() if f not in denied}

    def to_dict(self) -> dict[str, Any]:
        """`findings` (id -> value, affirmed and negated only) and `spans` (every mention)."""
        return {"findings": self.findings, "spans": [m.to_dict() for m in self.mentions]}


def parse(text: object, knowledge: KnowledgeBase | None = None, today: date | None = None
          ) -> Parsed:
    """The findings `text` states (see the module's docstring). InputError when it is not
    text or longer than TEXT_MAX characters. `today` is for "since Tuesday" (default:
    today)."""
    if not isinstance(text, str):
        raise InputError("text", "text must be text.", TEXT_ALLOWED)
    if len(text) > TEXT_MAX:
        raise InputError("text", f"text is {len(text)} characters long; at most {TEXT_MAX}.",
                         TEXT_ALLOWED)
    kb = knowledge or load_knowledge()
    warning = kb.red_flag_findings()
    if not text.strip():
        return Parsed(text, (), warning)
    nlp = _pipeline(kb)
    with warnings.catch_warnings():
        # medspaCy's token matcher is empty (every phrase goes to its phrase matcher), and
        # spaCy says so (W036) on every call.
        warnings.filterwarnings("ignore", message=r"\[W036\]")
        doc = nlp(text)
    mentions: list[Mention] = []
    for ent in _outermost(list(doc.spans.get(SPAN_GROUP, ()))):
        certainty: Certainty = next(
            (name for attr, name in CERTAINTY_ORDER if getattr(ent._, attr)), "affirmed")
        for entry in kb.phrases_for(ent.label_):
            finding = entry.finding
            shown: Certainty = certainty
            if certainty == "other_person":
                if entry.family is None:
                    mentions.append(Mention(finding, None, ent.start_char, ent.end_char,
                                            ent.text, "other_person"))
                    continue
                finding, shown = entry.family, "affirmed"  # the family's history is theirs
            elif certainty == "past" and entry.past_counts:
                shown = "affirmed"
            value: AnswerValue = (None if shown not in ("affirmed", "negated")
                                  else shown == "affirmed")
            mentions.append(Mention(finding, value, ent.start_char, ent.end_char, ent.text,
                                    shown))
    mentions.extend(_numbers(kb, text, today or date.today()))
    # A phrase and a close-words window may find the same words: each mention once.
    mentions = list(dict.fromkeys(mentions))
    mentions.sort(key=lambda m: (m.start, m.finding))
    return Parsed(text, tuple(mentions), warning)


def _outermost(spans: list[Any]) -> list[Any]:
    """The mentions not inside a longer phrase ("tight" inside "tight chest", "throwing"
    inside "throwing up"). A close-words match is a window, not a phrase: what lies inside
    it stays (a warning sign within "lifting the box hurt my chest" is still read)."""
    phrases = [t for t in spans if not t.label_.startswith("close:")]
    return [s for s in spans
            if not any(t is not s and t.start <= s.start and t.end >= s.end
                       and t.end - t.start > s.end - s.start for t in phrases)]


def _numbers(kb: KnowledgeBase, text: str, today: date) -> list[Mention]:
    found = []
    for number in find_numbers(text, today):
        if number.finding not in kb.findings:
            continue
        try:  # a number the finding cannot take (an age of 7, a score of 12) is not a guess
            value = check_answer(kb, number.finding, number.value)
        except AnswerError:
            value = None
        found.append(_number_mention(number, value,
                                     "affirmed" if value is not None else "uncertain"))
    return found


def _number_mention(number: NumberMention, value: AnswerValue, certainty: Certainty
                    ) -> Mention:
    return Mention(number.finding, value, number.start, number.end, number.text, certainty)


def _pipeline(kb: KnowledgeBase) -> Language:
    """The spaCy pipeline for this knowledge base's phrases."""
    return _pipeline_for(kb.phrases)


@lru_cache(maxsize=4)
def _pipeline_for(phrases: tuple[PhraseEntry, ...]) -> Language:
    """The pipeline for these phrases, built once per set of phrases (every copy of the same
    knowledge base shares it: building one takes about a third of a second)."""
    # PyRuSH, which medspaCy imports, logs each sentence split at DEBUG through loguru: the
    # person's words must never be logged, so its logger is silenced before anything runs.
    try:
        from loguru import logger

        logger.remove()
        logger.disable("PyRuSH")
    except ImportError:  # pragma: no cover - loguru comes with medspaCy
        pass
    logging.getLogger("medspacy").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        # spaCy's command-line helpers import a click function click is deprecating: not
        # ours to fix, and nothing the person can act on.
        warnings.simplefilter("ignore", DeprecationWarning)
        import spacy
        from medspacy.context import ConTextRule
        from medspacy.ner import TargetRule

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    # Mentions go to a span group, not doc.ents, so that overlapping ones all stay: a long
    # match ("lifting the box hurt my chest") must not swallow a warning sign inside it.
    matcher: Any = nlp.add_pipe("medspacy_target_matcher",
                                config={"result_type": "group", "prune": False})
    labels = {phrase.lower() for entry in phrases for phrase in entry.phrases}
    rules = [TargetRule(phrase, phrase) for phrase in sorted(labels)]
    for entry in phrases:
        for number, rule in enumerate(entry.close_words):
            label = close_label(entry.finding, number)
            rules.extend(TargetRule(label, label, pattern=pattern)
                         for pattern in _close_patterns(rule))
    matcher.add(rules)
    context: Any = nlp.add_pipe("medspacy_context", config={"prune_on_target_overlap": True,
                                                            "input_span_type": "group"})
    context.add([ConTextRule(word, category, direction=direction,
                             max_scope=SCOPES.get(category),
                             terminated_by=ENDED_BY.get(category))
                 for category, directions in CONTEXT_WORDS.items()
                 for direction, words in directions.items() for word in words])
    return nlp


# What may stand between two close words: anything but the end of a sentence or a word that
# turns the meaning ("my chest doesn't hurt" is not chest pain; it is left unread).
BETWEEN_NOT: Final = (".", "!", "?", ";", "not", "n't", "no", "never", "without", "but",
                      "nothing", "none", "nor", "if", "might", "may", "maybe", "or",
                      "short", "shortness")


def _word_pattern(words: tuple[str, ...]) -> dict[str, Any]:
    alternatives = "|".join(re.escape(w.rstrip("*")) + ("" if w.endswith("*") else "$")
                            for w in words)
    return {"LOWER": {"REGEX": f"^(?:{alternatives})"}}


def _close_patterns(rule: NearRule) -> list[list[dict[str, Any]]]:
    """spaCy token patterns for a close_words rule, in both orders."""
    between = {"LOWER": {"NOT_IN": list(BETWEEN_NOT)}, "OP": f"{{0,{rule.within}}}"}
    first, second = _word_pattern(rule.words), _word_pattern(rule.near)
    return [[first, between, second], [second, between, first]]


