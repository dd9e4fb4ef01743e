"""The rare-combination check of a training case: its quasi-identifiers — nationality, gender, age band,
offence kind, region, returnee status, sentence band — are compared with every case (counted through the
gate's statistics channel: counts, never rows). A combination shared by fewer than k cases (default 5) is
made more general, one trait at a time, until at least k share it; what was generalised is kept, so the
trainer and the reviewer see it. When even the most general description is rarer than k, the training
case is refused, saying which traits are rare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from throughcare.accounts.models import User
from throughcare.cases.facts import sentence_facts
from throughcare.cases.models import Case, CaseTeamMember
from throughcare.lib.errors import ActionRefused
from throughcare.lib.wording import english, worded_count
from throughcare.people.models import Gender

# A training case's profile keeps its traits and the general values the check gives in English; they are
# translated where the profile is shown (a nationality or a region, as recorded, stays as written).
TRAITS = (
    gettext_noop("Nationality"),
    gettext_noop("Gender"),
    gettext_noop("Age band"),
    gettext_noop("Offence"),
    gettext_noop("Region"),
    gettext_noop("Returnee"),
    gettext_noop("Sentence"),
)
NOT_STATED = gettext_noop("Not stated")
VALUES = (
    gettext_noop("Not a returnee"),
    gettext_noop("Dual nationality"),
    gettext_noop("Another country"),
    gettext_noop("Europe"),
    gettext_noop("Western Balkans"),
    gettext_noop("North Africa"),
    gettext_noop("Middle East and Turkey"),
    gettext_noop("Caucasus and Central Asia"),
    gettext_noop("South Asia"),
    gettext_noop("Sub-Saharan Africa"),
    gettext_noop("35 to 44"),
    gettext_noop("45 to 54"),
    gettext_noop("55 and over"),
    gettext_noop("Under 35"),
    gettext_noop("35 to 54"),
)

# Nationalities by region of the world (the demo world's fictional countries are European).
WORLD_REGIONS: dict[str, tuple[str, ...]] = {
    "Europe": (
        "westland",
        "westmark",
        "belgian",
        "french",
        "dutch",
        "german",
        "austrian",
        "swiss",
        "british",
        "irish",
        "spanish",
        "portuguese",
        "italian",
        "danish",
        "swedish",
        "norwegian",
        "finnish",
        "polish",
        "czech",
        "slovak",
        "hungarian",
        "romanian",
        "bulgarian",
        "greek",
        "luxembourg",
    ),
    "Western Balkans": ("kosovar", "bosnian", "albanian", "serbian", "macedonian", "montenegrin", "croatian"),
    "North Africa": ("moroccan", "tunisian", "algerian", "libyan", "egyptian"),
    "Middle East and Turkey": (
        "turkish",
        "syrian",
        "iraqi",
        "lebanese",
        "jordanian",
        "palestinian",
        "yemeni",
        "saudi",
        "iranian",
    ),
    "Caucasus and Central Asia": ("chechen", "russian", "dagestani", "tajik", "uzbek", "kazakh", "georgian"),
    "South Asia": ("pakistani", "afghan", "bangladeshi", "indian"),
    "Sub-Saharan Africa": ("somali", "eritrean", "ethiopian", "nigerian", "sudanese", "malian"),
}


def world_region(nationality: str) -> str:
    words = nationality.lower()
    if " and " in words:
        return "Dual nationality"
    for region, adjectives in WORLD_REGIONS.items():
        if any(adjective in words for adjective in adjectives):
            return region
    return "Another country" if words.strip() else NOT_STATED


AGE_BANDS = [(0, 25, "Under 25"), (25, 35, "25 to 34"), (35, 45, "35 to 44"), (45, 55, "45 to 54")]
WIDE_AGE_BANDS = [(0, 35, "Under 35"), (35, 55, "35 to 54")]


def age_band(age: int | None, bands: list[tuple[int, int, str]] = AGE_BANDS) -> str:
    if age is None:
        return NOT_STATED
    return next((label for low, high, label in bands if low <= age < high), f"{bands[-1][1]} and over")


@dataclass(frozen=True)
class Traits:
    nationality: str
    gender: str
    age: int | None
    offence: str
    region: str
    returnee: bool
    sentence: str


# The generalisation ladder: each step makes one trait more general (its label, and how to describe it).
Describe = Callable[[Traits], str]
LADDER: list[tuple[str, str, Describe]] = [
    (
        "Nationality",
        gettext_noop("nationality given as a region of the world"),
        lambda t: world_region(t.nationality),
    ),
    ("Age band", gettext_noop("age band widened"), lambda t: age_band(t.age, WIDE_AGE_BANDS)),
    ("Region", gettext_noop("region left out"), lambda t: NOT_STATED),
    ("Sentence", gettext_noop("sentence band left out"), lambda t: NOT_STATED),
    ("Returnee", gettext_noop("returnee status left out"), lambda t: NOT_STATED),
    ("Nationality", gettext_noop("nationality left out"), lambda t: NOT_STATED),
    ("Offence", gettext_noop("offence kind left out"), lambda t: NOT_STATED),
    ("Age band", gettext_noop("age left out"), lambda t: NOT_STATED),
]

EXACT: dict[str, Describe] = {
    "Nationality": lambda t: t.nationality or NOT_STATED,
    "Gender": lambda t: english(Gender(t.gender).label) if t.gender in Gender.values else NOT_STATED,
    "Age band": lambda t: age_band(t.age),
    "Offence": lambda t: t.offence or NOT_STATED,
    "Region": lambda t: t.region or NOT_STATED,
    "Returnee": lambda t: "Returnee" if t.returnee else "Not a returnee",  # translated where shown
    "Sentence": lambda t: t.sentence or NOT_STATED,
}


@dataclass(frozen=True)
class Checked:
    profile: dict[str, str]
    generalised: list[str]
    shared_by: int


def check(case: Case, by: User, *, k: int | None = None) -> Checked:
    """The training case's profile, generalised until at least k cases share it; refused if none does."""
    k = k or settings.TRAINING_K
    population = population_traits(by)
    mine = population.get(case.pk) or traits_of([case], by)[case.pk]
    describe = dict(EXACT)
    generalised: list[str] = []
    steps = iter(LADDER)
    while True:
        profile = {trait: describe[trait](mine) for trait in TRAITS}
        shared = Counter(tuple(describe[t](other) for t in TRAITS) for other in population.values())
        count = shared[tuple(profile.values())]
        if count >= k:
            return Checked(profile, generalised, count)
        step = next(steps, None)
        if step is None:
            raise ActionRefused(
                gettext(
                    "Fewer than %(k)s cases share even the most general description of this"
                    " case (%(join)s), so it cannot become a training case: choose another "
                    "case."
                )
                % {
                    "k": k,
                    "join": ", ".join(
                        f"{gettext(t)}: {gettext(v)}" for t, v in profile.items() if v != NOT_STATED
                    ),
                },
                field="title",
            )
        trait, label, how = step
        describe[trait] = how
        said = worded_count(
            "%(step)s (fewer than %(count)s case shared the combination)",
            "%(step)s (fewer than %(count)s cases shared the combination)",
            k,
            step=gettext_lazy(label),
        )
        generalised.append(said.stored())  # read in the reader's language where it is shown


def population_traits(by: User) -> dict[int, Traits]:
    """Every case's traits, as the statistics channel lets the user count them."""
    return traits_of(list(Case.objects.for_statistics(by).select_related("person")), by)


def traits_of(cases: list[Case], by: User) -> dict[int, Traits]:
    ids = [c.pk for c in cases]
    offences = sentence_facts().offences_for_statistics(by, ids)
    sentences = sentence_facts().sentences_for_statistics(by, ids)
    regions = dict(
        CaseTeamMember.objects.filter(case__in=ids, responsibility=CaseTeamMember.Responsibility.LEAD)
        .order_by("started_at")
        .values_list("case_id", "agency__region")
    )
    today = timezone.localdate()
    return {
        c.pk: Traits(
            c.person.nationality,
            c.person.gender,
            _age(c.person.date_of_birth, timezone.localdate(c.opened_at) if c.opened_at else today),
            offences.get(c.pk, ""),
            regions.get(c.pk, ""),
            c.person.is_returnee,
            sentences.get(c.pk, ("", ""))[1],
        )
        for c in cases
    }


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
