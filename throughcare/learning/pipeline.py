"""Turning a case into a training case — all of it, or nothing.

1. Structured pseudonymisation: the person becomes a pseudonym (names, aliases and identifiers replaced
   everywhere), family members their relation ("the person's sister"), staff their role ("the probation
   officer"), agencies their kind ("the prison"), regions "the region"; the date of birth an age band; every
   date moves by one random offset per training case, so that intervals stay true.
2. Free text is scrubbed (`scrub.py`) of every identifier known from the record, in any spelling, and of
   what the pattern detectors find. A known identifier that cannot be replaced refuses the whole training
   case, saying where it was.
3. The rare-combination check (`rarity.py`) generalises the profile until at least k cases share it.
4. Never included: intelligence (the gate's training channel never gives it), any category withheld from
   the person in a subject access answer, erasure notices; health only as a generalised statement.
   Conference minutes are not part of the timeline, so their restricted sections never enter.

The training case then waits for a second person's review (`actions.review_training_case`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from throughcare.accounts.models import Agency, AgencyKind, Membership, User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.contributions import DecisionPoint, decision_points
from throughcare.cases.facts import rehab_facts, rights_facts
from throughcare.cases.models import Case, DataCategory, TimelineEntry
from throughcare.cases.standing import Standing
from throughcare.learning import rarity
from throughcare.learning.models import TrainingCase, TrainingEntry, TrainingSource, TrainingStage
from throughcare.learning.scrub import IdentifierLeft, Known, Scrubbed, fold, in_language, scrub
from throughcare.lib.errors import ActionRefused
from throughcare.lib.translated import language_code
from throughcare.lib.wording import Wording, english, label_of, midsentence, read, worded
from throughcare.people.models import Gender, Person
from throughcare.sharing.access import training_source_standing

ROLE_OF_KIND = {
    AgencyKind.PRISON: gettext_noop("the prison officer"),
    AgencyKind.PROBATION: gettext_noop("the probation officer"),
    AgencyKind.POLICE_CT: gettext_noop("the police liaison officer"),
    AgencyKind.MUNICIPALITY: gettext_noop("the municipal coordinator"),
    AgencyKind.NGO: gettext_noop("the mentor"),
    AgencyKind.HEALTH: gettext_noop("the health worker"),
    AgencyKind.EDUCATION_EMPLOYMENT: gettext_noop("the employment adviser"),
    AgencyKind.HOUSING: gettext_noop("the housing officer"),
    AgencyKind.CHILD_SERVICES: gettext_noop("the child services worker"),
    AgencyKind.JUDICIARY: gettext_noop("the judge"),
}
AGENCY_OF_KIND = {
    AgencyKind.PRISON: gettext_noop("the prison"),
    AgencyKind.PROBATION: gettext_noop("the probation service"),
    AgencyKind.POLICE_CT: gettext_noop("the police counter-terrorism unit"),
    AgencyKind.MUNICIPALITY: gettext_noop("the municipality"),
    AgencyKind.NGO: gettext_noop("an exit NGO"),
    AgencyKind.HEALTH: gettext_noop("the health service"),
    AgencyKind.EDUCATION_EMPLOYMENT: gettext_noop("the employment service"),
    AgencyKind.HOUSING: gettext_noop("the housing provider"),
    AgencyKind.CHILD_SERVICES: gettext_noop("child services"),
    AgencyKind.JUDICIARY: gettext_noop("the court"),
}
PSEUDONYMS = {
    Gender.FEMALE: ["Lena", "Mira", "Nadia", "Sara", "Ines", "Hanna", "Leila", "Noor"],
    Gender.MALE: ["Adam", "Bilal", "Daniel", "Elias", "Jonas", "Karim", "Luka", "Samir"],
    "": ["Alex", "Kim", "Robin", "Sami", "Noa", "Charlie"],
}
HEALTH_STATEMENT = gettext_noop(
    "A health matter was recorded here (health details are not part of training cases)."
)
PRACTITIONER = gettext_noop("a practitioner")
AN_AGENCY = gettext_noop("the agency")
THE_REGION = gettext_noop("the region")
PERSON = "\x00person"  # stands for the pseudonym until it is chosen
QUESTION = gettext_noop("The case has reached a decision point. What would you do now, and why?")
MAX_STAGES = 4
OFFSET_DAYS = (200, 1500)  # how far back every date moves (a random number of days in this range)


@dataclass(frozen=True)
class Part:
    """A piece of the record that goes into the training case: its source key, day, heading and text."""

    key: str
    at: datetime
    heading: str
    text: str
    category: str


def build_training_case(
    case_id: int, *, by: User, title: str, language: str = "", rng: random.Random | None = None
) -> TrainingCase:
    """Build a training case from a case the trainer may see. Refused (nothing written) when the case has
    no decision to train on, when the rarity check cannot make it common enough, or when a known identifier
    survives scrubbing (saying where).

    Its material is written in `language` (`TrainingCase.language`; the builder's own by default), the
    language the case's notes were written in: what replaces a name or a date ("the probation officer",
    "the region", "[telephone number]"), the question to the trainee and what the system wrote on the case
    are set down in it, so that a scenario never mixes two; dates written in any language offered move."""
    title = title.strip()
    if not title:
        raise ActionRefused(gettext("Give the training case a title"), field="title")
    language = written_language(language)
    case, standing = training_source_standing(by, case_id, building=True)
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        parts = material(case, standing, language)
        points_texts = [_set_down(p.text, language) for p in decision_points(case, standing)]
        known = known_identifiers(case, PERSON, [p.text for p in parts] + points_texts, language)
        pseudonym = _pseudonym(case.person.gender, known, rng)
        known = [replace(k, replacement=pseudonym) if k.replacement == PERSON else k for k in known]
        checked = rarity.check(case, by)
        offset = timedelta(days=-rng.randint(*OFFSET_DAYS))
        if not parts:
            raise ActionRefused(gettext("This case has nothing a training case could show."), field="title")
        points = _stage_points(case, standing, parts)
        if not points:
            raise ActionRefused(
                gettext("This case has no recorded decision a trainee could be asked about."), field="title"
            )
        made = TrainingCase.objects.create(
            title=title[:200],
            pseudonym=pseudonym,
            profile=checked.profile,
            generalised=checked.generalised,
            built_by=by,
            language=language,
        )
        for position, part in enumerate(parts):
            scrubbed = _scrubbed(part, known, offset, language)
            TrainingEntry.objects.create(
                training_case=made,
                position=position,
                day=timezone.localdate(part.at) + offset,
                heading=part.heading,
                text=scrubbed.text,
                marks=_marks(scrubbed),
            )
        moments = [p.at for p in parts]
        for number, point in enumerate(points, start=1):
            day = timezone.localdate(point.at)
            following = points[number].at if number < len(points) else None
            decision = _scrubbed(
                Part(point.key, point.at, point.kind, _set_down(point.text, language), point.category),
                known,
                offset,
                language,
            )
            TrainingStage.objects.create(
                training_case=made,
                number=number,
                shown_until=sum(1 for at in moments if at < point.at),
                reveal_until=sum(1 for at in moments if at < following) if following else len(parts),
                question=in_language(language, QUESTION),
                decision_heading=point.kind,
                decision_day=day + offset,
                decision=decision.text,
                decision_marks=_marks(decision),
            )
        TrainingSource.objects.create(
            training_case=made,
            case=case,
            offset_days=offset.days,
            entry_sources=[p.key for p in parts],
            stage_sources=[p.key for p in points],
            categories=sorted({p.category for p in parts} | {p.category for p in points}),
        )
        record(
            Operation.COMBINATION,
            made,
            by=by,
            agency=standing.agency,
            case_id=case.pk,
            justification="training case built (pseudonymised, scrubbed, rarity checked)",
            details={
                "entries": len(parts),
                "stages": len(points),
                "generalised": [english(read(line)) for line in checked.generalised],
                "shared_by": checked.shared_by,
            },
        )
    return made


def material(case: Case, standing: Standing, language: str) -> list[Part]:
    """What of the case may go into a training case, in order: the timeline entries in the categories the
    standing holds (never intelligence), without erasure notices or categories withheld from the person;
    health entries only as a generalised statement."""
    withheld = rights_facts().withheld_categories(case)
    entries = (
        TimelineEntry.objects.on_case_as(case, standing)
        .exclude(kind=TimelineEntry.Kind.ERASURE)
        .exclude(category__in=withheld | {DataCategory.INTELLIGENCE})
        .select_related("author_agency")
        .order_by("occurred_at", "pk")
    )
    return [
        Part(
            f"entry:{entry.pk}",
            entry.occurred_at,
            _set_down(_heading(entry), language),
            (
                in_language(language, HEALTH_STATEMENT)
                if entry.category == DataCategory.HEALTH
                else _set_down(entry.body, language)
            ),
            entry.category,
        )
        for entry in entries
    ]


def written_language(language: str) -> str:
    """The language a training case or a lesson is written in: one the product offers, by default the
    writer's own."""
    code = language_code(language or translation.get_language() or settings.LANGUAGE_CODE)
    if code not in {language_code(offered) for offered, _ in settings.LANGUAGES}:
        raise ActionRefused(gettext("Choose one of the languages offered"), field="language")
    return code


def _set_down(text: Any, language: str) -> str:
    """What the system wrote (a wording), set down in the training case's language (the default
    language where none is given: replacements only found, never shown)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return str(text)


def _heading(entry: TimelineEntry) -> Any:
    kind = label_of(entry, "kind")
    if entry.author_agency is None:
        return kind
    return worded(
        "%(kind)s — %(role)s",
        kind=kind,
        role=Wording(ROLE_OF_KIND.get(AgencyKind(entry.author_agency.kind), PRACTITIONER)),
    )


def _stage_points(case: Case, standing: Standing, parts: list[Part]) -> list[DecisionPoint]:
    """Up to four decisions, spread over the case, each with something before it to read."""
    withheld = rights_facts().withheld_categories(case)
    first = parts[0].at
    candidates = [
        p
        for p in decision_points(case, standing)
        if p.decision
        and p.category not in withheld | {DataCategory.INTELLIGENCE, DataCategory.HEALTH}
        and p.at > first
    ]
    if len(candidates) <= MAX_STAGES:
        return candidates
    step = len(candidates) / MAX_STAGES
    return [candidates[int(i * step + step - 1)] for i in range(MAX_STAGES)]


def _scrubbed(part: Part, known: list[Known], offset: timedelta, language: str) -> Scrubbed:
    if part.category == DataCategory.HEALTH and part.text == in_language(language, HEALTH_STATEMENT):
        return Scrubbed(part.text)
    try:
        return scrub(part.text, known, shift=offset, language=language)
    except IdentifierLeft as left:
        raise IdentifierLeft(
            gettext("%(problem)s — in “%(heading)s” of %(date)s. Correct the entry, or choose another case.")
            % {
                "problem": left.message,
                "heading": part.heading,
                "date": date_format(timezone.localtime(part.at), "SHORT_DATE_FORMAT"),
            },
            field="title",
        ) from left


def _marks(scrubbed: Scrubbed) -> list[list[int | str]]:
    """Where each replacement landed in the scrubbed text (the originals are never stored)."""
    marks: list[list[int | str]] = []
    shift = 0
    for r in scrubbed.replacements:
        start = r.start + shift
        marks.append([start, start + len(r.replacement), r.kind])
        shift += len(r.replacement) - (r.end - r.start)
    return marks


# Known identifiers ------------------------------------------------------------------------------------


def known_identifiers(
    case: Case, pseudonym: str, texts: Iterable[str] | None = None, language: str = ""
) -> list[Known]:
    """Everything the record knows that names someone or somewhere on this case, and what each becomes.
    Read for replacement only (the gate's training channel was passed by the caller).

    The person, their aliases and identifiers, and their family in full; the staff of the agencies on the
    case and the authors of its entries (each name part alone too); the agencies and regions. Any other
    user, or agency, whose name is written in `texts` is replaced too (by its full name: a colleague's
    given name alone is too common a word to replace in every text)."""
    known = _person(case.person, pseudonym, language)
    for relation, relative in rehab_facts().relatives(case):
        becomes = worded("the person's %(relation)s", relation=midsentence(relation))
        known += _person(relative, _set_down(becomes, language), language)
    authors = TimelineEntry.objects.filter(case=case)
    agency_ids = set(case.team.values_list("agency_id", flat=True)) | set(
        authors.exclude(author_agency=None).values_list("author_agency", flat=True)
    )
    close = set(case.team.values_list("user_id", flat=True)) | set(
        authors.values_list("author_id", flat=True)
    )
    close |= set(Membership.objects.filter(agency_id__in=agency_ids).values_list("user_id", flat=True))
    words = {w for text in texts or () for w in re.split(r"\W+", fold(text)) if w}
    known += _staff(close, words, language) + _agencies(agency_ids, words, language)
    if texts is None:
        return known
    return [k for k in known if _may_appear(k, words)]


def _may_appear(known: Known, words: set[str]) -> bool:
    """Whether the texts could hold this identifier at all: for a name, one of its parts is among their
    words; for anything else, all of them. Nothing that cannot match is handed to the scrubber (a national
    agency's staff list is long; a case's texts name few of them)."""
    parts = [p for p in re.split(r"[\s\-]+", fold(known.text)) if p]
    present = [all(w in words for w in re.split(r"\W+", p) if w) for p in parts]
    if known.kind in ("name", "staff"):
        return any(present)
    return bool(parts) and all(present)


def _written(name: str, words: set[str]) -> bool:
    parts = [fold(part) for part in re.split(r"\W+", name) if part]
    return bool(parts) and all(part in words for part in parts)


def _staff(close: set[int], words: set[str], language: str) -> list[Known]:
    """Staff close to the case (any part of their name), and any other user written in full."""
    kind_of_user = dict(Membership.objects.order_by("-pk").values_list("user_id", "agency__kind"))
    known = []
    for pk, first, last in User.objects.values_list("pk", "first_name", "last_name"):
        name = f"{first} {last}".strip()
        role = ROLE_OF_KIND.get(AgencyKind(kind_of_user[pk]), PRACTITIONER) if pk in kind_of_user else ""
        if len(name) >= 2 and (pk in close or _written(name, words)):
            becomes = in_language(language, role or PRACTITIONER)
            known.append(Known(name, becomes, "staff" if pk in close else "colleague"))
    return known


def _agencies(on_case: set[int], words: set[str], language: str) -> list[Known]:
    """Agencies on the case and any other written in full become their kind; their regions "the region"."""
    known, places = [], set()
    for pk, name, short, kind, region in Agency.objects.values_list(
        "pk", "name", "short_name", "kind", "region"
    ):
        english_kind = AGENCY_OF_KIND.get(AgencyKind(kind), AN_AGENCY)
        generic = in_language(language, english_kind)
        if (pk in on_case or _written(name, words)) and not _ordinary(name, english_kind, generic):
            known.append(Known(name, generic, "agency"))
        if (
            short
            and short != name
            and not _ordinary(short, english_kind, generic)
            and (pk in on_case or _written(short, words))
        ):
            known.append(Known(short, generic, "agency"))
        if pk in on_case:
            places.add(region)
    region = in_language(language, THE_REGION)
    return known + [Known(place, region, "place") for place in places if len(place.strip()) >= 2]


def _person(person: Person, becomes: str, language: str) -> list[Known]:
    known = [Known(person.full_name, becomes, "name")]
    known += [Known(alias.name, becomes, "name") for alias in person.aliases.all()]
    known += [
        Known(
            identifier.value,
            _set_down(worded("[%(kind)s]", kind=midsentence(label_of(identifier, "kind"))), language),
            "identifier",
        )
        for identifier in person.identifiers.all()
    ]
    return known


def _ordinary(short: str, *generic: str) -> bool:
    """A short name that is just the kind of agency ("Probation") is not an identifier."""
    return any(fold(short) in fold(kind) for kind in generic)


def _pseudonym(gender: str, known: list[Known], rng: random.Random) -> str:
    """A pseudonym that shares no word with any name, alias or staff name known on the case."""
    taken = {fold(w) for k in known if k.kind in ("name", "staff") for w in re.split(r"[\s,\-]+", k.text)}
    pool = [name for name in PSEUDONYMS.get(gender, PSEUDONYMS[""]) if fold(name) not in taken]
    pool = pool or [n for names in PSEUDONYMS.values() for n in names if fold(n) not in taken] or ["Person"]
    return f"{rng.choice(pool)} {rng.choice('BDFHKLMNPRSTVZ')}."
