"""The leak test: cases with generated names — accents, hyphens, names that are also ordinary words, names
split across lines — with aliases, identifiers and family, turned into training cases; then every page and
export a trainee can reach is read, and no known identifier of the source case appears in any spelling.
And a trainee can never reach the source case, nor learn its reference."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from throughcare.accounts.models import User
from throughcare.cases import actions as case_actions
from throughcare.cases.models import Case, DataCategory, Nature, Phase
from throughcare.learning import actions, pipeline
from throughcare.learning.models import Lesson, TrainingCase
from throughcare.people.models import Alias, Identifier
from throughcare.rehab.support import add_dependant
from throughcare.test import Cast, join_team

pytestmark = pytest.mark.django_db

GIVEN = ["Zoë", "José", "Ana-María", "Will", "Rose", "Hope", "Björn", "Çağla", "Siobhán", "Amal", "Faith"]
FAMILY = [
    "Ó Briain",
    "Janssens-Loor",
    "Müller",
    "Baker",
    "Dąbrowska",
    "De la Cruz",
    "Rivers",
    "Young",
    "Öztürk",
]
ORDINARY = {"will", "rose", "hope", "faith", "baker", "rivers", "young", "de", "la", "cruz"}


def plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower()


def spellings(given: str, family: str) -> list[str]:
    return [
        f"{given} {family}",
        f"{family.upper()}, {given}",
        plain(f"{given} {family}"),
        f"{given}\n{family}",
        f"{given} {family.replace('-', ' ')}",
        f"{family}'s file",
    ]


def found(text: str, identifier: str) -> bool:
    """Whether the identifier appears as words, whatever the capitals, accents, and separators."""
    words = [re.escape(w) for w in re.split(r"[\s,\-']+", plain(identifier)) if w]
    if not words:
        return False
    forward = r"[\s,\-]+".join(words)
    backward = r"[\s,\-]+".join(reversed(words))
    return re.search(rf"(?<!\w)(?:{forward}|{backward})(?!\w)", text) is not None


def searchable(body: bytes) -> str:
    """A page's text as a reader sees it: tags dropped, entities decoded, folded."""
    text = re.sub(r"<[^>]+>", " ", body.decode(errors="replace"))
    return plain(html.unescape(text))


def known_words(given: str, family: str, alias: str, relative: tuple[str, str], number: str) -> list[str]:
    """What must never be seen: the full names, aliases, identifiers; single name parts too, unless the
    part is an ordinary word a page may well use ("Will", "Rose")."""
    names = [f"{given} {family}", alias, f"{relative[0]} {relative[1]}", number]
    parts = re.split(r"[\s\-]+", f"{given} {family} {relative[0]} {relative[1]} {alias}")
    names += [p for p in parts if len(p) >= 3 and plain(p) not in ORDINARY and plain(p) != "abu"]
    return names


def trainee_pages(client: Client, training: TrainingCase) -> dict[str, bytes]:
    """Work through the scenario to its end, then read everything a trainee can reach."""
    response = client.post(reverse("learning:start", args=[training.pk]))
    assert response.status_code == 302
    attempt_url = response["Location"]
    attempt_id = int(attempt_url.rstrip("/").split("/")[-1])
    for stage in training.stages.all():
        client.post(
            reverse("learning:answer", args=[attempt_id, stage.number]),
            {"would_do": "Call the liaison officer", "why": "The risk had changed"},
        )
    urls = [
        reverse("learning:training"),
        reverse("learning:training_case", args=[training.pk]),
        attempt_url,
        reverse("learning:library"),
        reverse("learning:export_json"),
        reverse("learning:my_record"),
    ]
    urls += [reverse("learning:lesson", args=[lesson.pk]) for lesson in training.lessons.all()]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    return pages


def build_case(cast: Cast, trainer: User, given: str, family: str, alias: str, number: str) -> Case:
    details = case_actions.NewPerson(
        given_name=given,
        family_name=family,
        date_of_birth=date(1993, 6, 1),
        gender="female",
        nationality="Dutch",
    )
    case = case_actions.open_case(details, by=cast.lead, agency=cast.probation, function="Offender manager")
    Alias.objects.create(person=case.person, name=alias, kind=Alias.Kind.KUNYA)
    Identifier.objects.create(person=case.person, kind=Identifier.Kind.NATIONAL_ID, value=number)
    join_team(case, trainer, cast.probation, "Practice supervisor")
    return case


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(GIVEN),
    st.sampled_from(FAMILY),
    st.sampled_from(GIVEN),
    st.sampled_from(FAMILY),
    st.integers(10_000, 99_999),
    st.lists(st.integers(0, 5), min_size=2, max_size=4),
)
def test_no_known_identifier_reaches_a_trainee(
    cast: Cast,
    trainer: User,
    trainee: User,
    given: str,
    family: str,
    relative_given: str,
    relative_family: str,
    digits: int,
    picks: list[int],
) -> None:
    alias = f"Abu {relative_given}" if given != relative_given else "Abu Qatada-Rivers"
    number = f"NL-{digits}-X"
    with transaction.atomic():
        case = build_case(cast, trainer, given, family, alias, number)
        add_dependant(
            case,
            by=cast.lead,
            given_name=relative_given,
            family_name=relative_family,
            date_of_birth=date(2015, 2, 3),
            relation="child",
            lives_with=False,
        )
        ways = spellings(given, family)
        notes = [f"Spoke with {ways[i]} about the plan; {alias} is what friends call her." for i in picks]
        notes += [
            f"Her ID {number} checked; her child {relative_given} {relative_family} lives with an aunt.",
            f"{cast.prison_manager.get_full_name()} phoned: {plain(family)} moved wing.",
        ]
        for body in notes:
            case_actions.add_note(
                case, by=cast.lead, body=body, category=DataCategory.GENERAL, nature=Nature.FACT
            )
        case.refresh_from_db()
        case_actions.change_phase(
            case,
            by=cast.lead,
            to_phase=Phase.RELEASE_PLANNING,
            expected_version=case.version,
            reason="Parole",
        )
        case_actions.add_note(
            case,
            by=cast.lead,
            body=f"{given} kept the first appointment.",
            category=DataCategory.GENERAL,
            nature=Nature.FACT,
        )
        training = pipeline.build_training_case(case.pk, by=trainer, title="Working with a returning mother")
        lesson = Lesson.objects.create(
            statement="Plan the first appointment before release",
            theme="continuity",
            phase="release_planning",
            agency_kinds=["probation"],
            recommendation="Book it at the release conference.",
            written_by=trainer,
            status=Lesson.Status.APPROVED,
        )
        training.lessons.add(lesson)
        actions.review_training_case(training, by=cast.auditor, approve=True, note="", expected_version=1)
        training.refresh_from_db()

        pages = trainee_pages(cast.client_for(trainee), training)
        forbidden = known_words(given, family, alias, (relative_given, relative_family), number)
        forbidden += [cast.lead.get_full_name(), cast.prison_manager.get_full_name(), case.reference]
        for url, content in pages.items():
            text = searchable(content)
            for word in forbidden:
                assert not found(text, word), f"{word!r} on {url}"
        transaction.set_rollback(True)


def test_a_trainee_never_reaches_the_source_case(
    cast: Cast, trainer: User, trainee: User, custody_case: Case
) -> None:
    training = pipeline.build_training_case(custody_case.pk, by=trainer, title="Source hidden")
    client = cast.client_for(trainee)
    assert client.get(reverse("learning:training_case", args=[training.pk])).status_code == 404  # unapproved
    actions.review_training_case(training, by=cast.auditor, approve=True, note="", expected_version=1)
    pages = trainee_pages(client, TrainingCase.objects.get(pk=training.pk))
    for url, body in pages.items():
        assert custody_case.reference not in body.decode(errors="replace"), url
        assert f"/cases/{custody_case.pk}/" not in body.decode(errors="replace"), url
    for url in [
        reverse("cases:detail", args=[custody_case.pk]),
        reverse("learning:case_reviews", args=[custody_case.pk]),
        reverse("learning:training_review", args=[training.pk]),
        reverse("learning:build", args=[custody_case.pk]),
    ]:
        assert client.get(url).status_code == 404, url
