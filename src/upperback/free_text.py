"""Tell us in your own words: `parse(text)` (`upperback.parse`) finds the findings a
person's sentences state.

Built on medspaCy (spaCy, rule-based, nothing to download, offline): its target matcher finds
the knowledge base's phrases for each finding (`knowledge/phrases.yaml`, lay words first, each
also in its other tenses and numbers: "legs feel weak" finds "my leg felt weak"), and its
ConText algorithm says whether each mention is affirmed, negated, uncertain, hypothetical, in
the past or about someone else. The ConText trigger words are ours, written for how people
write (medspaCy's defaults are for clinical notes, and some of them misread people's words);
`CONTEXT_WORDS` lists them. Numbers are read by `text_numbers.py`: an age, how long ago the
pain started, a 0-10 score.

Only affirmed and negated mentions become answers (`Parsed.findings`); the others are listed
with their certainty, so nothing the person wrote is dropped silently. Denying one part of a
combined finding ("no vomiting" of nausea or vomiting) is listed but answers nothing. A
sentence is weaker evidence than a direct answer: `Parsed.interview_answers()` leaves out a
warning sign the text denies, and an exemption it affirms ("it started when I lifted a box"),
so the questions still ask them.

medspaCy and spaCy load only when a text is parsed (about a second the first time): the
check without a text never pays for them.
"""

from __future__ import annotations

import itertools
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Final, Literal

from .answers import AnswerError, TextFindings, check_answer
from .conditions import AnswerValue
from .errors import InputError
from .knowledge_base import KnowledgeBase, close_label, load_knowledge
from .knowledge_models import NearRule, PhraseEntry
from .text_numbers import (
    FEVER_NUMBER,
    NUMBER,
    TEMPERATURE_UNITS,
    TEMPERATURE_WORDS,
    NumberMention,
    find_numbers,
    number_value,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

Certainty = Literal["affirmed", "negated", "uncertain", "hypothetical", "past", "other_person"]
TEXT_MAX: Final = 2000
TEXT_ALLOWED: Final = f"text of at most {TEXT_MAX} characters"

# How people mark a mention as not (yet) true of them: trigger words for medspaCy's ConText,
# by category and direction. Words of the language, not medical facts. A word with "n't" is
# also matched written "nt" and "not" ("don't": "dont", "do not").
CONTEXT_WORDS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "NEGATED_EXISTENCE": {
        "FORWARD": ("no", "not", "never", "without", "none", "nor", "neither", "denies",
                    "deny", "no sign of", "no signs of", "not any", "no longer", "free of",
                    "zero", "lack of", "negative for", "clear of", "no more", "haven't",
                    "hasn't", "hadn't", "don't", "doesn't", "didn't", "isn't", "aren't",
                    "wasn't", "weren't", "ain't", "haven't noticed", "didn't notice",
                    "free from", "denied", "ruled out", "nothing like"),
        "BACKWARD": ("is fine", "are fine", "is ok", "are ok", "is okay", "are okay",
                     "is normal", "are normal", "'s fine", "'s ok", "'s okay", "'s normal",
                     "was negative", "were negative", "came back negative", "came back clear",
                     "was clear", "were clear", "was normal", "were normal", "ruled out",
                     "was ruled out", "were ruled out"),
    },
    "POSSIBLE_EXISTENCE": {
        "FORWARD": ("might", "may", "maybe", "possibly", "perhaps", "not sure", "unsure",
                    "not really sure", "i think", "i guess", "probably", "could be",
                    "could it be", "is it", "do i have", "wondering", "wonder if",
                    "wonder whether", "worried about", "worried it", "scared it", "afraid it",
                    "kind of", "sort of", "a bit like", "feels like it might", "i thought",
                    "thought i was", "thought it was", "can't tell if", "can't tell whether",
                    "don't know if", "don't know whether", "not sure if", "not sure whether",
                    "don't think", "didn't think", "could have", "suspect", "suspected",
                    "concerned about", "rule out", "test for", "tested for", "checking for",
                    "check for", "looking for", "whether", "pretty sure", "i suppose",
                    "i assume", "i figured", "i presume", "sounds like", "guessing",
                    # What others say of the person: "everyone says I hunch over".
                    "says i", "said i", "say i", "says i'm", "said i'm", "says i've",
                    "told me i", "tells me i", "reckons i", "thinks i", "prob",
                    "could this be", "am i having", "could i have", "do you think",
                    "is it possible", "worried i have", "worried that", "afraid that",
                    "scared of", "scared that", "terrified of", "fear", "fearing",
                    "paranoid", "checked for", "checking me for", "scan for", "scanned for",
                    "tests for", "testing for", "x-ray for", "looked for", "screened for",
                    "to see if", "to check if", "to make sure it's not", "signs of a",
                    "ruling out"),
        "BACKWARD": ("i think", "not sure", "or not", "or something", "i guess",
                     "i suppose", "i wonder"),
    },
    "HYPOTHETICAL": {
        "FORWARD": ("in case", "what if", "should i get", "in the event", "would",
                    "will go", "i'll go", "risk of", "risks of", "chance of", "signs of",
                    "symptoms of", "watch for", "watch out for", "look out for",
                    "keep an eye out for", "as needed", "next time", "could lead to",
                    "can cause", "can lead to", "should i worry about", "worry about",
                    "when to worry about", "if i ever", "in future", "warned me about",
                    "told me to watch", "told me to look out"),
    },
    "HISTORICAL": {
        "FORWARD": ("used to", "as a kid", "as a child", "when i was", "in the past",
                    "looking back", "back when", "history of", "previously had", "back in"),
        "BACKWARD": ("years ago", "as a kid", "as a child", "when i was younger",
                     "last year", "in the past", "ages ago", "long ago", "went away",
                     "has gone", "have gone", "is gone", "are gone", "has gone away",
                     "cleared up", "settled down", "has settled", "have settled",
                     "back then", "years back", "months back", "'s gone", "has passed",
                     "have passed", "got better", "cleared", "resolved", "has resolved"),
    },
    "FAMILY": {
        "FORWARD": ("dad", "father", "mum", "mom", "mother", "mam", "brother", "sister",
                    "siblings", "grandad", "granddad", "grandpa", "grandma", "grandmother",
                    "grandfather", "nan", "uncle", "aunt", "auntie", "cousin", "parents",
                    "family", "son", "daughter", "husband", "wife", "partner", "boyfriend",
                    "girlfriend", "friend", "colleague", "coworker", "neighbour", "neighbor",
                    "mate", "kids", "granddaughter", "grandson", "niece", "nephew",
                    "relatives", "relative", "he", "she", "he's", "she's", "he'd", "she'd",
                    "his", "her", "him", "they", "their", "them", "someone", "somebody",
                    "people", "everyone", "everybody", "the guy", "a guy"),
        "BACKWARD": ("runs in my family", "runs in the family", "run in my family",
                     "run in the family"),
    },
    # Words that turn the meaning of no trigger: matched only so that the shorter trigger
    # inside them is not ("not only", "no better", "can't": "I can't sleep, my chest hurts"
    # does not deny the chest).
    "PSEUDO": {
        "PSEUDO": ("not only", "not just", "no better", "not any better", "not getting better",
                   "not getting any better", "isn't getting any better", "no relief",
                   "no idea", "not sure why", "don't know why", "no matter", "not to mention",
                   "no wonder", "didn't think much of", "didn't think anything of",
                   "didn't help", "doesn't help", "don't help", "not helping", "no help",
                   "nothing helps", "doesn't go away", "won't go away", "not going away",
                   "never goes away", "never went away", "doesn't stop", "won't stop",
                   "never stops", "doesn't ease", "not easing", "without stopping", "can't",
                   "couldn't", "won't", "wouldn't", "shouldn't", "no doubt", "not as bad",
                   "not too bad", "not so bad", "not that bad", "no one", "nobody",
                   "not long", "not until", "never thought", "no sooner", "not feeling great",
                   "not feeling well", "not well", "not right", "nothing touches",
                   "don't want", "didn't want", "not the same",
                   # A question about what a feeling is does not doubt the feeling.
                   "what is this", "what's this", "is this normal", "is this serious",
                   "what is causing", "what's causing", "why do i", "why does my"),
    },
    # The person themself: ends what a mention of someone else reaches ("my son and I
    # carried boxes and I was short of breath" is the writer's breath).
    "SELF": {
        "PSEUDO": ("i", "i'm", "i've", "i'd", "me", "my", "myself", "mine", "im", "ive"),
    },
    # A new clause ends a denial or a doubt ("the meds don't touch it and I can't get my
    # breath": the breath is not denied), but not a past, a hypothetical or someone else's.
    "CLAUSE_END": {
        "PSEUDO": ("and", "so", "then", "because", "which", "since", "as",
                   "plus", "also", "who", "that's"),
    },
    "TERMINATE": {
        "TERMINATE": ("but", "however", "though", "although", "except", "yet", "still",
                      "and i", "my back", "and now",
                      "now i", "today i", "apart from", "aside from", "other than",
                      "besides", "now", "instead"),
    },
}
# A comma ends a denial where a new clause starts ("no fever, it hurts to breathe"), not
# inside a list ("no fever, chills or night sweats"). "and" always does; a denial goes on
# through a list of findings (see _deny_lists: "no fever and chills").
LIST_WORDS: Final = frozenset({",", "and", "or", "nor", "/", "any", "or any", "and any"})
COMMA_CLAUSE_STARTS: Final = ("i", "i'm", "im", "i've", "ive", "it", "it's", "its", "there",
                              "there's", "now", "today", "tonight", "he", "she", "but",
                              "then", "and")
SPAN_GROUP: Final = "medspacy_spans"
VAGUE_NUMBERS: Final = frozenset({"duration_days"})  # said vaguely too: unknown
JOINED: Final = "upperback_joined"  # doc.user_data key: where phrases across joined words are
# A temperature of 38 C / 100.4 F or more (text_numbers.FEVER_NUMBER) states a fever.
FEVER: Final = "fever"
FEVER_LABEL: Final = "temperature:fever"
# What ends each kind of trigger's reach, besides the end of the sentence and TERMINATE.
ENDED_BY: Final[dict[str, set[str]]] = {"NEGATED_EXISTENCE": {"CLAUSE_END"},
                                        "POSSIBLE_EXISTENCE": {"CLAUSE_END"},
                                        "FAMILY": {"SELF"}}
# How many words after it a trigger reaches ("my son and I carried boxes and I was short of
# breath" is the writer's breath, not the son's); None: to the end of the sentence.
SCOPES: Final[dict[str, int]] = {"FAMILY": 5, "HISTORICAL": 6, "POSSIBLE_EXISTENCE": 8,
                                  # Words that end others' reach reach one word: medspaCy
                                  # checks that two scopes overlap, and a whole sentence's
                                  # scope around a shorter one does not count as overlapping.
                                  "SELF": 1, "CLAUSE_END": 1}
# Single triggers that reach less far than their kind: "without pain, breathing hurts".
WORD_SCOPES: Final[dict[str, int]] = {
    "without": 2, "zero": 2, "looking back": 12, "runs in my family": 2, "runs in the family": 2,
    "run in my family": 2, "run in the family": 2}
# "if" makes a mention hypothetical only in a sentence about what may come ("if I get chest
# pain I'll go in"); "if I sit too long my back aches" says what happens.
IF_WORDS: Final = ("if", "if it", "if i", "unless")
FUTURE_WORDS: Final = frozenset({"will", "'ll", "ll", "would", "'d", "should", "shall",
                                 "gonna", "going", "might", "may", "could", "tomorrow",
                                 "next", "later", "?"})
# Which certainty wins when ConText marks a mention more than one way: the least sure.
CERTAINTY_ORDER: Final[tuple[tuple[str, Certainty], ...]] = (
    ("is_family", "other_person"),
    ("is_uncertain", "uncertain"),
    ("is_hypothetical", "hypothetical"),
    ("is_historical", "past"),
    ("is_negated", "negated"),
)
# A "not" inside the words of a close-words match denies it ("my legs aren't weak") when it
# follows one of these; "can't" and "won't" do not deny ("my leg can't hold me").
NEGATING_AUX: Final = frozenset({"do", "does", "did", "is", "are", "was", "were", "have",
                                 "has", "had", "am", "'m", "ai"})
NOT_WORDS: Final = frozenset({"not", "n't", "nt"})
# The forms of a verb a phrase is also matched in ("legs feel weak": "legs felt weak"; a
# noun's number can matter: "one leg swollen" is not "both legs swollen").
WORD_FORMS: Final[tuple[tuple[str, ...], ...]] = (
    ("is", "are", "was", "were", "'s", "'re", "feels", "feel", "felt", "feeling"),
    ("hurts", "hurt", "hurting"),
    ("aches", "ache", "ached", "aching"),
    ("goes", "go", "going", "went", "gone"),
    ("spreads", "spread", "spreading"),
    ("radiates", "radiate", "radiating", "radiated"),
    ("runs", "run", "running", "ran"),
    ("gives", "give", "gave", "giving", "given"),
    ("gets", "get", "got", "getting"),
    ("comes", "come", "came", "coming"),
    ("makes", "make", "made", "making"),
    ("keeps", "keep", "kept", "keeping"),
    ("wakes", "wake", "woke", "waking", "woken"),
    ("loses", "lose", "lost", "losing"),
)
_FORMS: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    word: tuple((form,) for form in forms) for forms in WORD_FORMS for word in forms}
# "my" in a phrase also stands for "the" and a side: "tingling in my arm" finds "tingling in
# my left arm" and "numbness in both legs".
_FORMS["my"] = (("my",), ("the",), ("my", "left"), ("my", "right"), ("the", "left"),
                ("the", "right"), ("both", "my"), ("both",))
# The words that join two words of a list ("to move or breathe"), for phrases across them.
_JOINING: Final = frozenset({"or", "and", "/"})
# Hyphens between letters read as spaces (one character for one: the offsets hold), in the
# text and the phrases alike: "light-headed" is "light headed", "pins-and-needles" too.
_HYPHEN: Final = re.compile(r"(?<=[a-z])-(?=[a-z])", re.IGNORECASE)
_MAX_FORMS: Final = 64  # a phrase's forms at most (every word's forms multiplied)
# A relative's age at a mention: "at 50", "aged 48", "when he was 52", "in his forties".
_DECADES: Final = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50,
                   "sixties": 60, "seventies": 70, "eighties": 80}
RELATIVE_AGE: Final = re.compile(
    rf"\b(?:at|aged?|age of|when (?:he|she|they) (?:was|were))\s+(?:just\s+)?({NUMBER})\b"
    rf"|\bin (?:his|her|their) (?:early |mid |late )?({'|'.join(_DECADES)}|\d0s)\b"
    r"|\b(young|early)\b", re.IGNORECASE)


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
    # Findings whose "yes" can stop a warning-sign rule (KnowledgeBase.easing_findings).
    exemptions: frozenset[str] = field(default_factory=frozenset)

    @cached_property  # read by to_confirm, interview_answers and to_dict
    def findings(self) -> TextFindings:
        """The answers the text gives: affirmed mentions as yes (or their number), negated
        ones as no. Where the text says both, yes wins (a warning sign is never dropped);
        a number given two different ways is left out. Those `to_confirm` are marked held
        (`TextFindings`), so `Interview(answers=parse(text).findings)` asks them again."""
        found: dict[str, AnswerValue] = {}
        differ: set[str] = set()
        for mention in self._not_overruled():
            if mention.value is None and mention.finding in VAGUE_NUMBERS \
                    and mention.certainty in ("affirmed", "uncertain"):
                differ.add(mention.finding)  # "for weeks ... this morning": which is meant?
                continue
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
        given = {f: v for f, v in found.items() if f not in differ}
        held = frozenset(f for f, v in given.items()
                         if (v is False and f in self.warning_signs)
                         or (v is True and f in self.exemptions))
        return TextFindings(given, held)

    def _not_overruled(self) -> list[Mention]:
        """The mentions less those a denial of the same finding takes in: in "deep breaths
        don't make it worse", "deep breaths" is part of what is denied, not a yes of its own
        (elsewhere, yes wins)."""
        denied = [m for m in self.mentions if m.certainty == "negated"]
        return [m for m in self.mentions
                if m.certainty != "affirmed" or not any(
                    d.finding == m.finding and d.start < m.end and m.start < d.end
                    for d in denied)]

    @property
    def not_taken(self) -> tuple[Mention, ...]:
        """The mentions that give no answer: uncertain, hypothetical, past, someone else's,
        a vague number, a denial of only one part of a combined finding; and a number said
        two ways (or beside a vague one), shown as the uncertain thing it is."""
        out = []
        for m in self.mentions:
            if m.certainty not in ("affirmed", "negated") or m.value is None:
                out.append(m)
            elif m.finding not in self.findings:
                out.append(replace(m, certainty="uncertain"))
        return tuple(out)

    @property
    def to_confirm(self) -> tuple[str, ...]:
        """The answers from the text that could keep a warning-sign rule from firing: the
        warning signs it denies, and the exemptions it affirms ("it began when I lifted a
        box"). The interview asks them again, as a sentence is weaker evidence than a direct
        answer: a misread word must never lower the level."""
        return tuple(f for f in self.findings if f in self.findings.held)

    def interview_answers(self) -> dict[str, AnswerValue]:
        """The answers an interview may start from: all of `findings` but those
        `to_confirm`."""
        return {f: v for f, v in self.findings.items() if f not in self.findings.held}

    def to_dict(self) -> dict[str, Any]:
        """`findings` (id -> value, affirmed and negated only) and `spans` (every mention)."""
        return {"findings": dict(self.findings), "spans": [m.to_dict() for m in self.mentions]}


@dataclass(frozen=True)
class _Read:
    """A mention as read, with the part of a combined finding it names (entry, part)."""

    mention: Mention
    part: tuple[int, int] | None = None


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
    warning, exemptions = kb.red_flag_findings(), kb.easing_findings
    if not text.strip():
        return Parsed(text, (), warning, exemptions)
    words = _Words.of(kb.phrases)
    nlp = _pipeline(kb)
    # Curly apostrophes as straight ones (one character for one: the offsets hold).
    straight = text.replace("\u2019", "'").replace("\u2018", "'")
    with warnings.catch_warnings():
        # medspaCy's token matcher may be empty, and spaCy says so (W036) on every call.
        warnings.filterwarnings("ignore", message=r"\[W036\]")
        doc = nlp(_HYPHEN.sub(" ", straight))
    read: list[_Read] = []
    elsewhere = _about_someone_else(straight)
    spans = _outermost(list(doc.spans.get(SPAN_GROUP, ())), doc.user_data.get(JOINED))
    for ent, certainty in zip(spans, _deny_lists(spans), strict=True):
        said = text[ent.start_char:ent.end_char]
        for index, entry, kind in words.labels.get(ent.label_, ()):
            # In a post about someone else, all is theirs (a relative's early heart
            # disease still counts as the writer's family history).
            read.extend(_read(ent, said, "other_person" if elsewhere else certainty, index,
                              entry, kind))
    read.extend(_Read(replace(m, value=None, certainty="other_person") if elsewhere else m)
                for m in _numbers(kb, text, today or date.today()))
    mentions = _settle_parts(read, words)
    # A phrase and a close-words window may find the same words: each mention once.
    mentions = list(dict.fromkeys(mentions))
    mentions.sort(key=lambda m: (m.start, m.finding))
    return Parsed(text, tuple(mentions), warning, exemptions)


# Who a whole post is about: a post that never speaks of the writer ("I", "me", "my back")
# but does speak of another person ("she", "my dad", "asking for a friend") states nothing
# about the writer, however far a finding is from the word for that person.
_FIRST_PERSON: Final = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|i'll|me|myself|mine)\b",
                                  re.IGNORECASE)
_OTHER_PEOPLE: Final = tuple(w for w in CONTEXT_WORDS["FAMILY"]["FORWARD"]
                             if w.isalpha() and w not in ("people", "everyone", "everybody"))
# "my dad", "my 6 year old son": a "my" that is not the writer's own.
_MY_OTHER_WORDS: Final = r"my\s+(?:[\w-]+\s+){0,3}?(?:" + "|".join(_OTHER_PEOPLE) + r")\b"
_MY_OTHER: Final = re.compile(r"\b" + _MY_OTHER_WORDS, re.IGNORECASE)
# How such a post opens: "Asking for a friend:", "For my mum -", "My dad (70) has...",
# "She's had...". Only an opening says so: "Crushing chest pain. My wife called 999" is the
# writer's, and a warning sign of the writer's must never be put down to someone else.
_OPENS_WITH_SOMEONE_ELSE: Final = re.compile(
    # A greeting first is still the opening: "Dear doctor, my father is 55...".
    r"^\W*(?:(?:dear|hi|hello|hey)(?:\s+(?:doctor|doc|dr|all|everyone|there))?\W+)?"
    r"(?:(?:asking|posting|writing|question|asking this)\s+for\s+(?:a|my|our)\s|"
    r"(?:for|on behalf of)\s+my\s|" + _MY_OTHER_WORDS
    + r"|(?:he|she|he's|she's|they|they're)\b)", re.IGNORECASE)


def _about_someone_else(text: str) -> bool:
    """Whether the whole text (straight apostrophes) is about another person: it opens with
    them, and nothing in it is the writer's own (every "my" is "my dad", "my friend")."""
    if _FIRST_PERSON.search(text) or not _OPENS_WITH_SOMEONE_ELSE.match(text):
        return False
    return re.search(r"\bmy\b", _MY_OTHER.sub(" ", text), re.IGNORECASE) is None


def _deny_lists(spans: list[Span]) -> list[Certainty]:
    """Each mention's certainty, a denial carried on through a list of findings ("no fever
    and chills", "no rash, redness or swelling"): a mention ConText left affirmed is denied
    when only list words stand between it and a denied mention before it."""
    certainties = [_certainty(ent) for ent in spans]
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end))
    for i in order:
        ent = spans[i]
        if certainties[i] != "affirmed" or ent._.modifiers or ent.label_.startswith("absent:"):
            continue
        before = [j for j in order if spans[j].end <= ent.start
                  and spans[j].sent.start == ent.sent.start]
        if not before:
            continue
        last = max(spans[j].end for j in before)
        gap = ent.doc[last:ent.start]
        if len(gap) and all(t.lower_ in LIST_WORDS for t in gap) and any(
                certainties[j] == "negated" for j in before if spans[j].end == last):
            certainties[i] = "negated"
    return certainties


def _certainty(ent: Span) -> Certainty:
    certainty: Certainty = next(
        (name for attr, name in CERTAINTY_ORDER if getattr(ent._, attr)), "affirmed")
    if certainty == "affirmed" and ent.label_.startswith("close:") and _denies_inside(ent):
        return "negated"
    return certainty


def _denies_inside(ent: Span) -> bool:
    """A "not" between a close-words match's words ("my legs aren't weak")."""
    tokens = [t.lower_ for t in ent]
    return any(word in NOT_WORDS and i > 0 and tokens[i - 1] in NEGATING_AUX
               and (i + 1 == len(tokens) or tokens[i + 1] not in ("just", "only"))
               for i, word in enumerate(tokens))


def _read(ent: Span, said: str, certainty: Certainty, index: int, entry: PhraseEntry,
          kind: str) -> Iterator[_Read]:
    """The mention one matched span gives for one entry of phrases.yaml."""
    finding = entry.finding
    if entry.not_before and _words_pattern(entry.not_before).match(
            ent.doc.text[ent.end_char:].lstrip()):
        return  # "it gets worse when I walk": what makes it worse, not a growing pain
    if entry.not_in_sentence and _words_pattern(entry.not_in_sentence).search(ent.sent.text):
        return  # "a skiing accident years ago": not a recent one
    part = _part_of(index, entry, ent.label_, kind)
    at = (ent.start_char, ent.end_char)
    if kind == "absent":  # "my breathing is fine": a no; doubted or denied, no answer
        if certainty == "negated" and not _denied_close_before(ent):
            certainty = "affirmed"  # "not vomiting, breathing fine": the list's "not"
        if certainty == "affirmed":
            yield _Read(Mention(finding, False, *at, said, "negated"), part)
        else:
            yield _Read(Mention(finding, None, *at, said,
                                "uncertain" if certainty == "negated" else certainty))
        return
    if kind == "if_denied" and certainty != "negated":  # too vague to be a yes
        yield _Read(Mention(finding, None, *at, said,
                            "uncertain" if certainty == "affirmed" else certainty))
        return
    shown: Certainty = certainty
    if certainty == "other_person":
        if entry.family is None or not _early_enough(ent, entry):
            yield _Read(Mention(finding, None, *at, said, "other_person"))
            return
        finding, shown = entry.family, "affirmed"  # the family's history is theirs
        part = None
    elif not entry.writer_counts:
        return  # "my slipped disc" says nothing of the family's back problems
    elif certainty == "past" and entry.past_counts:
        shown = "affirmed"
    value: AnswerValue = (None if shown not in ("affirmed", "negated")
                          else shown == "affirmed")
    yield _Read(Mention(finding, value, *at, said, shown), part)


@lru_cache(maxsize=64)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of `words` as whole words, ignoring case (built once per list)."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


def _denied_close_before(ent: Span) -> bool:
    """Whether a denial stands right before a mention ("not breathing fine"), not only
    somewhere earlier in its sentence ("not vomiting, breathing fine")."""
    return any(modifier.category == "NEGATED_EXISTENCE"
               and ent.start - 1 <= modifier.modifier_span[1] <= ent.start
               and all(t.is_alpha for t in ent.doc[modifier.modifier_span[1]:ent.start])
               for modifier in ent._.modifiers)


def _part_of(index: int, entry: PhraseEntry, label: str, kind: str
             ) -> tuple[int, int] | None:
    """Which part of its combined finding a match names: (entry's place, part), or None."""
    if not entry.parts:
        return None
    if kind == "close":
        part = entry.close_words[int(label.rsplit(":", 1)[1])].part
        return None if part is None else (index, part)
    phrase = label.split(":", 1)[1] if kind != "phrase" else label
    for number, words in enumerate(entry.parts):
        if phrase in {w.strip().lower() for w in words}:
            return (index, number)
    return None


def _early_enough(ent: Span, entry: PhraseEntry) -> bool:
    """Whether a relative's mention counts: always, or (with family_before_age) when its
    sentence gives an age under that at it, or calls it young or early."""
    if entry.family_before_age is None:
        return True
    for match in RELATIVE_AGE.finditer(ent.sent.text):
        if match.group(3):
            return True
        if match.group(1):
            age = number_value(match.group(1))
        else:
            decade = match.group(2).lower()
            age = _DECADES.get(decade) or int(decade[0]) * 10
        if age is not None and age < entry.family_before_age:
            return True
    return False


def _settle_parts(read: list[_Read], words: _Words) -> list[Mention]:
    """A denial of one part of a combined finding answers nothing, unless the text denies
    every part ("not sweaty or sick": no cold sweat or nausea)."""
    denied: dict[str, set[tuple[int, int] | None]] = {}
    for item in read:
        if item.mention.certainty == "negated" and item.mention.value is False:
            denied.setdefault(item.mention.finding, set()).add(item.part)
    settled = {finding for finding, parts in denied.items()
               if None in parts or bool(every := words.parts_of(finding)) and every <= parts}
    return [item.mention if item.part is None or item.mention.finding in settled
            or item.mention.value is not False
            else replace(item.mention, value=None) for item in read]


def _outermost(spans: list[Any], joined: set[tuple[int, int]] | None = None) -> list[Any]:
    """The mentions not inside a longer phrase ("tight" inside "tight chest", "throwing"
    inside "throwing up"). A close-words match is a window, not a phrase: what lies inside
    it stays (a warning sign within "lifting the box hurt my chest" is still read); so does
    what lies inside a phrase found across joined words (`joined`: "my arm" inside "pain in
    my arm and chest")."""
    windows = joined or set()
    phrases = [t for t in spans if not t.label_.startswith("close:")
               and (t.start, t.end) not in windows]
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


@dataclass(frozen=True)
class _Words:
    """The labels the matcher gives, and the entries of phrases.yaml behind each (with
    their place and the kind of words): a phrase is its own label, a close-words rule
    `close:finding:n`, the other kinds `absent:words` and `if_denied:words`."""

    labels: dict[str, tuple[tuple[int, PhraseEntry, str], ...]]
    # A combined finding's parts, for the findings whose parts name all their words (where
    # some words are in no part, only a denial of those denies the finding).
    parts: dict[str, frozenset[tuple[int, int]]]

    @staticmethod
    @lru_cache(maxsize=4)
    def of(phrases: tuple[PhraseEntry, ...]) -> _Words:
        labels: dict[str, list[tuple[int, PhraseEntry, str]]] = {}
        parts: dict[str, set[tuple[int, int]]] = {}
        whole: set[str] = set()  # findings with words in no part
        for index, entry in enumerate(phrases):
            in_parts = {w.strip().lower() for part in entry.parts for w in part}
            words_of = {w.strip().lower()
                        for w in (*entry.phrases, *entry.absent, *entry.if_denied)}
            if not entry.parts or words_of - in_parts \
                    or any(rule.part is None for rule in entry.close_words):
                whole.add(entry.finding)
            for phrase in entry.phrases:
                labels.setdefault(phrase.strip().lower(), []).append((index, entry, "phrase"))
            for number in range(len(entry.close_words)):
                labels.setdefault(close_label(entry.finding, number), []).append(
                    (index, entry, "close"))
            for kind in ("absent", "if_denied"):
                for words in getattr(entry, kind):
                    labels.setdefault(f"{kind}:{words.strip().lower()}", []).append(
                        (index, entry, kind))
            if entry.finding == FEVER:
                labels.setdefault(FEVER_LABEL, []).append((index, entry, "phrase"))
            parts.setdefault(entry.finding, set()).update(
                (index, number) for number in range(len(entry.parts)))
        return _Words({label: tuple(found) for label, found in labels.items()},
                      {finding: frozenset(p) for finding, p in parts.items()
                       if finding not in whole})

    def parts_of(self, finding: str) -> frozenset[tuple[int, int]]:
        return self.parts.get(finding, frozenset())


def _pipeline(kb: KnowledgeBase) -> _Reader:
    """The reader for this knowledge base's phrases."""
    return _pipeline_for(kb.phrases)


def _forms(tokens: list[str]) -> list[list[str]]:
    """A phrase's words in their other forms ("legs feel weak": "legs felt weak", "my":
    "the", "my left"), at most _MAX_FORMS of them, the phrase itself first."""
    # Each word's own form first: the forms within the cap then vary one word at a time
    # from the phrase as written ("lost the feeling in my left leg" before "loses the is").
    choices = [sorted(_FORMS.get(token, ((token,),)), key=lambda form: form != (token,))
               for token in tokens]
    forms = [[word for choice in words for word in choice]
             for words in itertools.islice(itertools.product(*choices), _MAX_FORMS)]
    return [tokens, *(form for form in forms if form != tokens)]


def _contracted(words: str, pronouns: bool = False) -> list[str]:
    """Words as people type them: "don't" also as "dont" and "do not"; with `pronouns`,
    "i'm" as "im" and "i am" too."""
    spelled = [words]
    shortened = [("n't", "nt", " not")]
    if pronouns:
        shortened += [("i'm", "im", "i am"), ("i've", "ive", "i have"), ("it's", "its", "it is")]
    for short, without, full in shortened:
        if short in words:
            long = words.replace("can't", "can not").replace("won't", "will not") \
                .replace("ain't", "am not") if short == "n't" else words
            spelled += [words.replace(short, without), long.replace(short, full)]
    return list(dict.fromkeys(spelled))


def _if_modifies(target: Span, _modifier: Span, _between: Span) -> bool:
    """An "if" makes a mention hypothetical only in a sentence about what may come."""
    return any(t.lower_ in FUTURE_WORDS for t in target.sent)


@dataclass(frozen=True)
class _Reader:
    """The steps that read a text, in order: sentences, the phrases (spaCy's phrase matcher:
    thousands of them, fast to build), the close-words rules and temperatures (medspaCy's
    target matcher), then ConText."""

    nlp: Language
    steps: tuple[Callable[[Doc], Doc], ...]

    def __call__(self, text: str) -> Doc:
        doc = self.nlp.make_doc(text)
        for step in self.steps:
            doc = step(doc)
        return doc


@lru_cache(maxsize=4)
def _pipeline_for(phrases: tuple[PhraseEntry, ...]) -> _Reader:
    """The reader for these phrases, built once per set of phrases (every copy of the same
    knowledge base shares it: building one takes about a second)."""
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
    sentences = nlp.add_pipe("sentencizer")
    # ConText first, while the pipeline is short: it reads each of its trigger words
    # through the pipeline once.
    context: Any = nlp.add_pipe("medspacy_context", config={
        "rules": None, "prune_on_target_overlap": True, "input_span_type": "group"})
    context.add(_context_rules(ConTextRule))
    # Mentions go to a span group, not doc.ents, so that overlapping ones all stay: a long
    # match ("lifting the box hurt my chest") must not swallow a warning sign inside it.
    matcher: Any = nlp.add_pipe("medspacy_target_matcher",
                                config={"result_type": "group", "prune": False})
    rules: list[Any] = []
    for entry in phrases:
        for number, rule in enumerate(entry.close_words):
            label = close_label(entry.finding, number)
            rules.extend(TargetRule(label, label, pattern=pattern)
                         for pattern in _close_patterns(rule))
    if any(entry.finding == FEVER for entry in phrases):
        degrees: dict[str, Any] = {"LOWER": {"REGEX": FEVER_NUMBER}}
        rules.append(TargetRule(FEVER_LABEL, FEVER_LABEL, pattern=[
            {"LOWER": {"IN": list(TEMPERATURE_WORDS)}},
            {"LOWER": {"NOT_IN": list(BETWEEN_NOT)}, "OP": "{0,4}"}, degrees]))
        rules.append(TargetRule(FEVER_LABEL, FEVER_LABEL, pattern=[
            degrees, {"LOWER": {"IN": list(TEMPERATURE_UNITS)}}]))
    matcher.add(rules)
    return _Reader(nlp, (sentences, matcher, _phrase_step(nlp, phrases), context))


def _phrase_step(nlp: Language, phrases: tuple[PhraseEntry, ...]) -> Callable[[Doc], Doc]:
    """A step that adds every phrase's matches (in all their forms) to the span group."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc, Span

    labels = {(phrase.strip().lower(), phrase.strip().lower())
              for entry in phrases for phrase in entry.phrases}
    labels |= {(words.strip().lower(), f"{kind}:{words.strip().lower()}")
               for entry in phrases for kind in ("absent", "if_denied")
               for words in getattr(entry, kind)}
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for words, label in sorted(labels):
        forms: dict[tuple[str, ...], None] = {}
        for spelled in _contracted(_HYPHEN.sub(" ", words), pronouns=True):
            forms.update(dict.fromkeys(
                tuple(form) for form in _forms([t.lower_ for t in nlp.make_doc(spelled)])))
        matcher.add(label, [Doc(nlp.vocab, words=list(form)) for form in forms])

    def add_phrases(doc: Doc) -> Doc:
        found = {(match_id, start, end) for match_id, start, end in matcher(doc)}
        # "It hurts to move or breathe": the phrase "hurts to breathe" is there once the
        # first of two joined words is set aside. The match spans the words in between too,
        # so it is marked as joined: like a close-words window, it swallows nothing.
        kept = _without_first_of_pairs(doc)
        if len(kept) < len(doc):
            shorter = Doc(nlp.vocab, words=[doc[i].text for i in kept])
            joined = {(match_id, kept[start], kept[end - 1] + 1)
                      for match_id, start, end in matcher(shorter)} - found
            doc.user_data[JOINED] = {(start, end) for _, start, end in joined}
            found |= joined
        spans = [Span(doc, start, end, label=match_id) for match_id, start, end in sorted(found)]
        doc.spans[SPAN_GROUP] = [*doc.spans.get(SPAN_GROUP, ()), *spans]
        return doc

    return add_phrases


def _without_first_of_pairs(doc: Doc) -> list[int]:
    """The indexes of the words left when the first of each pair joined by "or", "and" or
    "/" is set aside ("to move or breathe" -> "to breathe"), within a sentence."""
    skip: set[int] = set()
    for i in range(len(doc) - 2):
        joint, first, second = doc[i + 1], doc[i], doc[i + 2]
        if (joint.lower_ in _JOINING and first.is_alpha and second.is_alpha
                and not second.is_sent_start):
            skip.update((i, i + 1))
    return [i for i in range(len(doc)) if i not in skip]


def _context_rules(rule: Any) -> list[Any]:
    """CONTEXT_WORDS as medspaCy ConText rules (`rule` is ConTextRule)."""
    rules: list[Any] = []
    for category, directions in CONTEXT_WORDS.items():
        # A trigger listed both ways reaches both ways (one rule: two would cover each other).
        both = set(directions.get("FORWARD", ())) & set(directions.get("BACKWARD", ()))
        for direction, triggers in directions.items():
            for trigger in triggers:
                if trigger in both and direction == "BACKWARD":
                    continue
                for words in _contracted(trigger):
                    rules.append(rule(
                        words, category,
                        direction="BIDIRECTIONAL" if trigger in both else direction,
                        max_scope=WORD_SCOPES.get(trigger, SCOPES.get(category)),
                        terminated_by=ENDED_BY.get(category)))
    negating = sorted(NEGATING_AUX - {"'m", "ai"})
    rules.append(rule("n't", "NEGATED_EXISTENCE", direction="FORWARD", pattern=[
        {"LOWER": {"IN": negating}}, {"LOWER": {"IN": ["n't", "nt"]}}],
        terminated_by=ENDED_BY["NEGATED_EXISTENCE"]))
    rules.append(rule("?", "POSSIBLE_EXISTENCE", direction="BACKWARD", max_scope=2,
                      terminated_by=ENDED_BY["POSSIBLE_EXISTENCE"]))
    rules.extend(rule(words, "HYPOTHETICAL", direction="FORWARD", on_modifies=_if_modifies)
                 for words in IF_WORDS)
    rules.append(rule(",", "CLAUSE_END", direction="PSEUDO", max_scope=1, pattern=[
        {"ORTH": ","}, {"LOWER": {"IN": list(COMMA_CLAUSE_STARTS)}}]))
    return rules


# What may stand between two close words: anything but the end of a sentence or a word that
# turns the meaning ("my chest doesn't hurt" is read, and denied: see _denies_inside).
BETWEEN_NOT: Final = (".", "!", "?", ";", "no", "never", "without", "but", "nothing",
                      "none", "nor", "if", "might", "may", "maybe", "or", "short",
                      "shortness", ",", "-", "–", "—")


def _word_pattern(words: tuple[str, ...]) -> dict[str, Any]:
    alternatives = "|".join(re.escape(w.rstrip("*")) + ("" if w.endswith("*") else "$")
                            for w in words)
    return {"LOWER": {"REGEX": f"^(?:{alternatives})"}}


def _close_patterns(rule: NearRule) -> list[list[dict[str, Any]]]:
    """spaCy token patterns for a close_words rule, in both orders."""
    between = {"LOWER": {"NOT_IN": list(BETWEEN_NOT)}, "OP": f"{{0,{rule.within}}}"}
    first, second = _word_pattern(rule.words), _word_pattern(rule.near)
    return [[first, between, second], [second, between, first]]
