"""Every page of the product, read in German: no English left.

The browser journey (`tests/e2e/test_languages_journey.py`) follows each persona's main pages in the demo
world. This looks at every page the URL configuration holds, in the world of the access matrix (one case with
a record behind every kind of id), as the people who reach most of them — the case lead, the police liaison,
an NGO mentor with consent, a manager, the data protection officer, the analyst, the trainer — each reading
German. Pages off the main paths (a case review, a plan review, a conference, a referral, a training case) are
here. German stands for every language: a string never marked for translation is English in all of them, and
`tests/test_languages.py` checks that each catalogue translates every message.
"""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch

from tests.english_text import english_in, texts_of
from tests.test_url_matrix import MATRIX, PERSONAS, PUBLIC, Persona, _reaches, _url, build_world, url_patterns
from throughcare.accounts.models import Agency
from throughcare.learning.models import Lesson, TrainingCase
from throughcare.outcomes.models import Extract, MeasureDefinition, Release
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

READERS = ["lead", "police_liaison", "mentor_with_consent", "manager", "auditor", "analyst", "trainer"]
CODE = "de"


@pytest.fixture(autouse=True)
def small_population(settings: object) -> None:
    settings.TRAINING_K = 1  # type: ignore[attr-defined]  # one case in this world, as in the matrix


def _names_people_gave() -> frozenset[str]:
    """Names in this world that people gave (agencies, an extract, measures, lessons …): data, not the
    interface's words, even where one reads like a message ("History")."""
    given = [n for agency in Agency.objects.all() for n in (agency.name, agency.short_name)]
    given += list(Extract.objects.values_list("name", flat=True))
    given += list(MeasureDefinition.objects.values_list("name", flat=True))
    given += list(Release.objects.values_list("title", flat=True))
    given += list(Lesson.objects.values_list("statement", flat=True))
    given += list(TrainingCase.objects.values_list("title", flat=True))
    return frozenset(name for name in given if name)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p.name in READERS], ids=lambda p: p.name)
def test_every_page_a_person_opens_reads_in_their_language(cast: Cast, persona: Persona) -> None:
    world = build_world(cast)
    user = persona.user(cast)
    assert user is not None
    user.language = CODE
    user.save(update_fields=["language"])
    client = cast.client_for(user)
    names = _names_people_gave()
    left: dict[str, list[str]] = {}
    for name, pattern in url_patterns():
        page = MATRIX[name]
        if name.startswith(("api", "api-1:")) or name == "logout":
            continue
        if page.reach != PUBLIC and not _reaches(page, persona, world):
            continue
        try:
            address = _url(name, pattern, world.ids)
        except NoReverseMatch:
            continue  # an address outside the application's URLs (the health check)
        response = client.get(address)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        found = english_in(texts_of(response.content.decode()), CODE, names)
        if found:
            left[name] = found
    assert not left, "\n".join(f"{name}: {found}" for name, found in left.items())


def test_the_detector_finds_english_a_person_would_see() -> None:
    """What it finds and what it leaves: the interface's words, not what people wrote or another
    language's name."""
    html = (
        '<html lang="de"><head><title>Fälle</title></head><body>'
        "<h2>Details of the case</h2><p>Ein Satz.</p>"
        '<button>Speichern <span translate="no">the note you wrote</span></button>'
        '<span lang="en">English</span><svg><title>Risk judgements over time</title></svg>'
        '<nav aria-label="Calendar views"><a href="/">Zurück</a></nav></body></html>'
    )
    found = english_in(texts_of(html), CODE, frozenset())
    assert found == sorted(
        [
            "Calendar views (nav@aria-label)",
            "Details of the case (*h2)",
            "Risk judgements over time (*title)",
        ]
    )
