"""Typed, frozen models of the knowledge base. They hold data; the files hold the facts."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from .conditions import Condition
from .levels import Level

FindingType = Literal["bool", "int", "enum"]
Stage = Literal["screen", "explore", "plan"]
QuestionKind = Literal["checklist", "yes_no", "number", "choice"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(Frozen):
    """A publication a fact was taken from."""

    id: str
    title: str
    publisher: str
    url: HttpUrl
    checked: date


class Finding(Frozen):
    """Something a person can tell us: a yes/no, a number in a range, or one of a few values."""

    id: str
    group: str
    type: FindingType
    meaning: str
    label: str
    question: str
    help: str
    item: str | None = None
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    values: tuple[str, ...] | None = None
    value_labels: dict[str, str] | None = None

    @model_validator(mode="after")
    def _range_fits_type(self) -> Finding:
        if self.type == "int":
            if self.min is None or self.max is None or self.min > self.max:
                raise ValueError("an int finding needs min <= max")
        elif self.min is not None or self.max is not None:
            raise ValueError("only int findings take min and max")
        if self.type == "enum":
            if not self.values:
                raise ValueError("an enum finding needs values")
            if self.value_labels is not None and set(self.value_labels) != set(self.values):
                raise ValueError("value_labels must name exactly the values")
        elif self.values is not None:
            raise ValueError("only enum findings take values")
        if self.type == "bool" and not self.item:
            raise ValueError("a yes/no finding needs an item (its line in a checklist)")
        return self

    def allowed(self) -> str:
        """Describe the allowed values, for error messages and forms."""
        if self.type == "bool":
            return "true, false or null (don't know)"
        if self.type == "int":
            return f"a whole number from {self.min} to {self.max}, or null (don't know)"
        return f"one of {', '.join(self.values or ())}, or null (don't know)"

    def describe_value(self, value: bool | int | str | None) -> str:
        """Say an answer in words, e.g. 'Age: 34 years' or 'Fever: yes'."""
        if value is None:
            shown = "don't know"
        elif isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, int):
            shown = f"{value} {self.unit}" if self.unit else str(value)
        else:
            shown = (self.value_labels or {}).get(value, value)
        return f"{self.label}: {shown}"


class Bin(Frozen):
    """A range of a number finding that the model treats as one outcome."""

    id: str
    min: int
    max: int
    p: float = Field(gt=0, lt=1)


class Baseline(Frozen):
    """How often each finding is present in people with ordinary upper back pain."""

    bool: dict[str, float]
    bins: dict[str, tuple[Bin, ...]]
    enum: dict[str, dict[str, float]]


Likelihood = float | dict[str, float]


class Cause(Frozen):
    """A possible cause of upper back pain and what points to it."""

    id: str
    name: str
    summary: str
    feels_like: str
    prevalence: float = Field(gt=0, lt=1)
    urgency: Level
    icd10: str | None = None
    what_to_do: tuple[str, ...] = Field(min_length=1)
    when_to_get_help: str
    sources: tuple[str, ...] = Field(min_length=1)
    likelihoods: dict[str, Likelihood]
    # what_to_do lines worded for the person's answers (the first that holds wins), as for
    # relief methods: no desk line for someone who sits at no desk.
    worded_for: tuple[Wording, ...] = ()

    @model_validator(mode="after")
    def _wordings_replace_own_lines(self) -> Cause:
        for wording in self.worded_for:
            if wording.replace not in self.what_to_do:
                raise ValueError(
                    f"worded_for replaces a line it does not have: {wording.replace!r}")
        return self


class Contraindication(Frozen):
    """When a relief method must not be suggested, and what we tell the person."""

    when: Condition
    reason: str


class Wording(Frozen):
    """A text worded for some people: when `when` holds, a method's how-to or safety line
    (or a cause's what-to-do line) `replace` is shown as `text` instead, or left out when
    `text` is empty (a warning for people over 65, shown to a 30-year-old, only adds
    noise)."""

    when: Condition
    replace: str
    text: str = ""


class Recommendation(Frozen):
    """A relief method is suggested when one of these causes is likely and `when` holds."""

    causes: tuple[str, ...] = Field(min_length=1)
    when: Condition | None = None
    why: str


class CauseCaution(Frozen):
    """A relief method is withheld while one of these causes is likely."""

    causes: tuple[str, ...] = Field(min_length=1)
    reason: str


class LabelLimit(Frozen):
    """An over-the-counter medicine label's limits for one age band (ages from `min_age` to
    `max_age`, None: no upper end)."""

    min_age: int = Field(ge=12, le=110)
    max_age: int | None = Field(default=None, ge=12, le=110)
    single_max_mg: int = Field(gt=0, le=2000)
    hours_between: int = Field(gt=0, le=24)
    max_doses: int | None = Field(default=None, gt=0, le=12)
    daily_max_mg: int = Field(gt=0, le=5000)
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> LabelLimit:
        if self.max_age is not None and self.max_age < self.min_age:
            raise ValueError("max_age is below min_age")
        if self.single_max_mg > self.daily_max_mg:
            raise ValueError("a single dose above the daily maximum")
        return self

    def covers(self, age: int) -> bool:
        """Whether this band is for a person of this age."""
        return self.min_age <= age and (self.max_age is None or age <= self.max_age)


class ReliefMethod(Frozen):
    """A way to ease the pain, with its safety rules."""

    id: str
    name: str
    summary: str
    how_to: tuple[str, ...] = Field(min_length=1)
    safety: tuple[str, ...] = Field(min_length=1)
    max_minutes: int | None = Field(default=None, gt=0, le=20)
    default_minutes: int | None = Field(default=None, gt=0, le=20)
    repeat: str | None = None
    recommend: tuple[Recommendation, ...] = Field(min_length=1)
    contraindications: tuple[Contraindication, ...] = ()
    unsafe_with_causes: tuple[CauseCaution, ...] = ()
    # The most urgent triage level at which this method may still be offered: above it the
    # person needs to be seen first, and the method could hide or worsen what they have.
    offered_up_to: Level = "soon"
    sources: tuple[str, ...] = Field(min_length=1)
    # A medicine: other names people use for it, and its label's limits by age (youngest
    # first; the bands meet without gaps, and the last has no upper end).
    also_called: tuple[str, ...] = ()
    label_limits: tuple[LabelLimit, ...] = ()
    too_much: str | None = None  # what to do after more than the daily maximum
    rxnorm: str | None = Field(default=None, pattern=r"^[0-9]{1,8}$")  # its RxNorm ingredient code
    # Lines worded for the person's age band and answers (the first that holds wins).
    worded_for: tuple[Wording, ...] = ()

    @property
    def is_medicine(self) -> bool:
        """Whether this method is a medicine taken by the dose (it has label limits)."""
        return bool(self.label_limits)

    def limits_for(self, age: int | None) -> LabelLimit | None:
        """The label's limits for this age (None: age not known, the adults' band), or None
        when the label gives none (younger than the first band)."""
        if not self.label_limits:
            return None
        if age is None:
            return self.label_limits[-1]
        return next((band for band in self.label_limits if band.covers(age)), None)

    @model_validator(mode="after")
    def _label_bands_meet(self) -> ReliefMethod:
        bands = self.label_limits
        for before, after in zip(bands, bands[1:], strict=False):
            if before.max_age is None or after.min_age != before.max_age + 1:
                raise ValueError("label_limits' age bands must follow each other without gaps")
        if bands and bands[-1].max_age is not None:
            raise ValueError("the last of label_limits must have no max_age (adults)")
        if bands and not self.too_much:
            raise ValueError("a medicine needs too_much: what to do after too much of it")
        return self

    @model_validator(mode="after")
    def _wordings_replace_own_lines(self) -> ReliefMethod:
        lines = set(self.how_to) | set(self.safety)
        for wording in self.worded_for:
            if wording.replace not in lines:
                raise ValueError(
                    f"worded_for replaces a line it does not have: {wording.replace!r}")
        return self

    @model_validator(mode="after")
    def _timed_methods_say_how_long(self) -> ReliefMethod:
        if self.max_minutes is not None:
            if self.default_minutes is None or self.default_minutes > self.max_minutes:
                raise ValueError("a timed method needs default_minutes <= max_minutes")
            if not self.repeat:
                raise ValueError("a timed method needs repeat (when to use it again)")
        return self


class RedFlagRule(Frozen):
    """A combination of answers that sets the lowest triage level allowed."""

    id: str
    level: Level
    when: Condition
    message: str
    # The causes this rule guards against: shown with the rule as the reason when it fires.
    guards: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class Question(Frozen):
    """One screen of the interview: a single finding, or a checklist of several."""

    id: str
    stage: Stage
    kind: QuestionKind
    text: str
    why: str
    findings: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _kind_fits_findings(self) -> Question:
        if self.kind != "checklist" and len(self.findings) != 1:
            raise ValueError(f"a {self.kind} question asks about exactly one finding")
        return self


class LevelAdvice(Frozen):
    """What a triage level means and what the person should do."""

    label: str
    headline: str
    action: str
    steps: tuple[str, ...] = ()


class FollowUp(Frozen):
    """When to get care if things do not improve, and what should bring the person back."""

    # By triage level (no emergency: that result shows only how to get help now).
    if_not_improving: dict[Level, str]
    # Days after a check to check again, by level (none: no re-check, e.g. be seen today).
    recheck_after_days: dict[Level, tuple[int, ...]] = Field(default_factory=dict)
    # The questions whose answers a re-check starts from (the rest are asked again).
    recheck_keeps: tuple[str, ...] = ()
    come_back_if: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class TrendRule(Frozen):
    """When a diary's pain scores say the person should see a clinician."""

    not_improving_after_days: int = Field(gt=0)
    worse_by_points: int = Field(gt=0)
    average_of: int = Field(default=3, gt=0)
    # The rule speaks only about a diary that covers a real stretch of time: entries that
    # span at least `min_span_days`, on at least `min_days` different days.
    min_span_days: int = Field(default=7, ge=1)
    min_days: int = Field(default=3, ge=2)
    level: Level = "soon"
    message_not_improving: str
    message_worse: str
    sources: tuple[str, ...] = Field(min_length=1)


class RiskTolerance(Frozen):
    """How much chance of a condition needing more care each level may leave.

    The level is the lowest one whose risk (the chance of a cause that needs more care than
    it; `Scores.risk`) stays under its tolerance. The risk is never below the share of any
    such cause, so a tolerance of at most 10% keeps the level at or above the urgency of
    every cause shown at 10% or more: the two cannot disagree.
    """

    tolerance: dict[Level, float]
    message: str
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _levels_below_emergency(self) -> RiskTolerance:
        from .levels import LEVELS

        if set(self.tolerance) != set(LEVELS[:-1]):
            raise ValueError("tolerance needs exactly self_care, soon and urgent")
        for level, value in self.tolerance.items():
            if not 0 < value <= 0.10:
                raise ValueError(
                    f"tolerance for {level} must be above 0 and at most 0.10, so that no cause "
                    "shown at 10% or more can need more care than the level"
                )
        return self


class NotRuledOutText(Frozen):
    """What the guide says when warning signs were not answered."""

    message: str
    message_with_what_you_said: str
    if_present: str
    # Numbers that some warning-sign rules need (age): left out, they are not ruled out.
    numbers: tuple[str, ...] = ()
    if_number_missing: str
    sources: tuple[str, ...] = Field(min_length=1)


class PhoneNumber(Frozen):
    """A number to call, as a tap-to-call link: who answers it and where."""

    label: str
    number: str = Field(pattern=r"^[0-9]{2,15}$")


class PhoneNumbers(Frozen):
    """The numbers the emergency page offers: emergency lines, then lines for help that
    cannot wait but is not an emergency."""

    emergency: tuple[PhoneNumber, ...] = Field(min_length=1)
    not_emergency: tuple[PhoneNumber, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class PainScale(Frozen):
    """The words at points of the 0 to 10 pain scale, the same in the check and the diary."""

    anchors: dict[int, str] = Field(min_length=2)
    sources: tuple[str, ...] = Field(min_length=1)


class GuideText(Frozen):
    """Fixed texts of the guide: levels, follow-up, disclaimer."""

    title: str
    disclaimer: str
    levels: dict[Level, LevelAdvice]
    follow_up: FollowUp
    trend: TrendRule
    no_warning_signs: str
    likely_threshold: float = Field(gt=0, lt=1)
    risk: RiskTolerance
    not_ruled_out: NotRuledOutText
    held_until_seen: str
    guarded_cause: str
    # A relief method's contraindication left unanswered: {finding} and {reason}.
    check_first: str
    phone_numbers: PhoneNumbers
    pain_scale: PainScale

    @model_validator(mode="after")
    def _every_level(self) -> GuideText:
        from .levels import LEVELS

        missing = [level for level in LEVELS if level not in self.levels]
        if missing:
            raise ValueError(f"levels lacks {', '.join(missing)}")
        lacking = [level for level in LEVELS[:-1] if level not in self.follow_up.if_not_improving]
        if lacking:
            raise ValueError(f"follow_up.if_not_improving lacks {', '.join(lacking)}")
        if "emergency" in self.follow_up.if_not_improving:
            raise ValueError("follow_up.if_not_improving has no emergency text")
        return self


RegionView = Literal["back", "front"]
RegionSide = Literal["left", "right", "middle"]
Box = tuple[float, float, float, float]


class RegionShape(Frozen):
    """Where a region is drawn: a rectangle [x, y, width, height] or an ellipse
    [cx, cy, rx, ry], in the drawing's units."""

    rect: Box | None = None
    ellipse: Box | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> RegionShape:
        given = [shape for shape in (self.rect, self.ellipse) if shape is not None]
        if len(given) != 1:
            raise ValueError("a shape is exactly one of rect or ellipse")
        if min(given[0][2:]) <= 0:
            raise ValueError("a shape's width and height (or radii) must be above 0")
        return self

    def bounds(self) -> Box:
        """The smallest box around the shape: (left, top, right, bottom)."""
        if self.rect is not None:
            x, y, width, height = self.rect
            return x, y, x + width, y + height
        assert self.ellipse is not None
        cx, cy, rx, ry = self.ellipse
        return cx - rx, cy - ry, cx + rx, cy + ry


class BodyRegion(Frozen):
    """A named place on the body map: its plain label, which drawing, which side, its shape."""

    id: str = Field(pattern=r"^[a-z][a-z_]*[a-z]$", max_length=40)
    # Kept in a diary entry's "where", joined with ", ": so no comma in it.
    label: str = Field(min_length=1, max_length=40, pattern=r"^[^,]+$")
    view: RegionView
    side: RegionSide
    shape: RegionShape


class RegionRule(Frozen):
    """A finding the ticked regions set to yes when `when` holds over them (never to no)."""

    finding: str
    when: Condition


class BodyMap(Frozen):
    """The body map: its regions, the words around it, and what the regions say."""

    view_box: tuple[int, int, int, int]
    text: str
    hint: str
    # The check's question the map is shown with (its findings are merged, server side).
    asked_with: str
    regions: tuple[BodyRegion, ...] = Field(min_length=1)
    findings: tuple[RegionRule, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> BodyMap:
        ids = [region.id for region in self.regions]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"region ids used twice: {', '.join(twice)}")
        labels = [region.label.strip().lower() for region in self.regions]
        if len(set(labels)) != len(labels):
            raise ValueError("two regions have the same label")
        clash = sorted(r.label for r in self.regions if r.label in ids and r.label != r.id)
        if clash:
            raise ValueError(f"a label is another region's id: {', '.join(clash)}")
        x0, y0, width, height = self.view_box
        for region in self.regions:
            left, top, right, bottom = region.shape.bounds()
            if left < x0 or top < y0 or right > x0 + width or bottom > y0 + height:
                raise ValueError(f"region {region.id}'s shape lies outside the view_box")
        for rule in self.findings:
            for test, _negated in rule.when.tests():
                if test.finding not in ids:
                    raise ValueError(
                        f"the rule for {rule.finding} names unknown region {test.finding!r}"
                    )
                if test.equals is not True or test.at_least is not None or test.at_most is not None:
                    raise ValueError(
                        f"the rule for {rule.finding} may only test whether a region is ticked"
                    )
        return self


ExerciseArea = Literal["neck", "upper_back", "shoulders"]


class Exercise(Frozen):
    """An exercise for the upper back or neck: how to do it, how much, and when not to."""

    id: str = Field(pattern=r"^[a-z][a-z_]*[a-z]$", max_length=40)
    name: str
    area: ExerciseArea
    summary: str
    steps: tuple[str, ...] = Field(min_length=1)
    # The first week's dose: repetitions (each side when `sides` is 2), and how long each
    # is held (None: a moving exercise, counted rather than held).
    reps: int = Field(gt=0, le=30)
    hold_seconds: int | None = Field(gt=0, le=60)
    add_reps_each_week: int = Field(ge=0, le=5)
    max_reps: int = Field(gt=0, le=30)
    sides: Literal[1, 2] = 1
    how_often: str
    should_feel: str
    should_not_feel: str
    stop_if: str
    picture_alt: str = Field(min_length=20)
    for_causes: tuple[str, ...] = Field(min_length=1)
    start_week: int = Field(ge=1, le=8)
    contraindications: tuple[Contraindication, ...] = ()
    unsafe_with_causes: tuple[CauseCaution, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _dose_fits(self) -> Exercise:
        if self.reps > self.max_reps:
            raise ValueError("reps is above max_reps")
        return self

    def reps_in_week(self, week: int) -> int:
        """The repetitions for a week of the programme (week 1: `reps`), up to `max_reps`."""
        added = self.add_reps_each_week * max(0, week - self.start_week)
        return min(self.max_reps, self.reps + added)


class EaseBack(Frozen):
    """When the diary's pain rises enough for the programme to ease back."""

    average_of: int = Field(gt=0, le=14)
    rise_points: int = Field(gt=0, le=10)
    message: str


class ProgrammeRules(Frozen):
    """How the day-by-day exercise programme is built."""

    weeks: int = Field(gt=0, le=12)
    levels: tuple[Level, ...] = Field(min_length=1)
    sessions_a_day: tuple[int, ...] = Field(min_length=1)
    ease_back: EaseBack
    not_offered: str
    none_fit: str
    no_check: str
    ended: str
    unreadable: str
    relief_note: str
    relief_days: dict[str, int] = Field(default_factory=dict)
    breaks: str
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ProgrammeRules:
        if len(self.sessions_a_day) != self.weeks:
            raise ValueError("sessions_a_day needs one number for each week")
        if not all(0 < n <= 6 for n in self.sessions_a_day):
            raise ValueError("sessions_a_day must be from 1 to 6")
        if {"urgent", "emergency"} & set(self.levels):
            raise ValueError("levels may only be self_care and soon: no programme when urgent")
        return self

    def sessions_in_week(self, week: int) -> int:
        """The sessions a day planned for a week (the last week's after the end)."""
        return self.sessions_a_day[min(week, self.weeks) - 1]


class Lesson(Frozen):
    """A short daily lesson: why the programme helps."""

    title: str
    text: str
    sources: tuple[str, ...] = Field(min_length=1)


class BreakRules(Frozen):
    """How often to take a short break from sitting, how long, and what to do in it."""

    every_minutes: int = Field(gt=0)
    length_seconds: int = Field(gt=0)
    postpone_minutes: int = Field(gt=0, le=30)
    every_range: tuple[int, int]
    length_range: tuple[int, int]
    ideas: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _defaults_in_range(self) -> BreakRules:
        low, high = self.every_range
        if not 0 < low <= self.every_minutes <= high:
            raise ValueError("every_minutes must lie in every_range")
        low, high = self.length_range
        if not 0 < low <= self.length_seconds <= high:
            raise ValueError("length_seconds must lie in length_range")
        return self


class ExerciseBook(Frozen):
    """exercises.yaml: the exercises, the programme's rules and the daily lessons."""

    exercises: tuple[Exercise, ...] = Field(min_length=1)
    programme: ProgrammeRules
    break_reminders: BreakRules
    lessons: tuple[Lesson, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_once(self) -> ExerciseBook:
        ids = [exercise.id for exercise in self.exercises]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"exercise ids used twice: {', '.join(twice)}")
        return self


class NearRule(Frozen):
    """A finding stated by two kinds of word close together in one sentence ("my chest felt
    like someone squeezed it": chest near squeezed). A word ending in * matches any ending."""

    words: tuple[str, ...] = Field(min_length=1)
    near: tuple[str, ...] = Field(min_length=1)
    within: int = Field(default=4, ge=0, le=8)
    # The part of a combined finding these words name (an index into the entry's `parts`).
    part: int | None = Field(default=None, ge=0)


class PhraseEntry(Frozen):
    """The words people use for one finding (phrases.yaml), for `upperback.parse`."""

    finding: str
    phrases: tuple[str, ...] = ()
    close_words: tuple[NearRule, ...] = ()
    # Words that say the finding is absent ("my breathing is fine"): a no when affirmed.
    absent: tuple[str, ...] = ()
    # Words too vague to say the finding is there, that deny it when denied ("no numbness
    # or weakness": the legs, which the back-pain screens ask about).
    if_denied: tuple[str, ...] = ()
    # A combined finding's parts ("cold sweat or nausea"), each a list of its words (from
    # `phrases` or `if_denied`): denying one part alone does not deny the finding.
    parts: tuple[tuple[str, ...], ...] = ()
    # A finding about the past anyway (a cancer, a clot): "I had it years ago" states it.
    past_counts: bool = False
    # Words that, right after a mention, make it say something else ("it gets worse when I
    # walk" tells what makes it worse, not that it keeps getting worse): no answer then.
    not_before: tuple[str, ...] = ()
    # Words that, anywhere in a mention's sentence, make it about something else ("a fall
    # two years ago" is not a recent fall): no answer then.
    not_in_sentence: tuple[str, ...] = ()
    # The finding a mention about someone in the family states instead, if any.
    family: str | None = None
    # Only a relative's mention with an age under this counts for `family` ("my dad had a
    # heart attack at 50": early heart disease); None: any mention counts.
    family_before_age: int | None = Field(default=None, ge=1, le=120)
    # False for a finding about the family only ("my slipped disc" is not back problems in
    # the family): a mention about the writer answers nothing.
    writer_counts: bool = True

    @model_validator(mode="after")
    def _words_fit_together(self) -> PhraseEntry:
        said = [p.strip().lower() for p in self.phrases]
        other = [p.strip().lower() for p in (*self.absent, *self.if_denied)]
        if any(not p for p in other) or len(set(other)) != len(other) or set(other) & set(said):
            raise ValueError("an absent or if_denied phrase is empty, listed twice, or also "
                             "a phrase")
        in_parts = [p.strip().lower() for part in self.parts for p in part]
        if any(not part for part in self.parts) or len(set(in_parts)) != len(in_parts) \
                or not set(in_parts) <= set(said) | set(other):
            raise ValueError("each part lists phrases of this entry, each in one part only")
        if any(rule.part is not None and rule.part >= len(self.parts)
               for rule in self.close_words):
            raise ValueError("a close_words rule names a part the entry does not have")
        if (self.family_before_age is not None or not self.writer_counts) \
                and self.family is None:
            raise ValueError("family_before_age and writer_counts need a family finding")
        return self
