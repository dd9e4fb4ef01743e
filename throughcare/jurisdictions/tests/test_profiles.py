"""Jurisdictions as data: a case's profile decides its rules; the shipped profiles hold only what public
sources state, every other value marked unverified; a profile's wording is translated as data."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from throughcare.custody import notification_requirements
from throughcare.custody.models import ConditionTemplate, NotificationRequirement, Sentence
from throughcare.jurisdictions.models import JurisdictionProfile
from throughcare.jurisdictions.shipped import SELF_EVIDENT, shipped_profiles
from throughcare.rehab.models import Programme
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

DOCS = (Path(__file__).resolve().parents[3] / "docs" / "jurisdictions.md").read_text()
FORM = {
    "sentence_type": "determinate",
    "offence": "preparation of terrorist acts",
    "terrorism_offence": "on",
    "sentence_start": "2025-01-10",
    "sentence_end": "2031-01-10",
    "panel_level": "1",
}


def _profile(code: str) -> JurisdictionProfile:
    return JurisdictionProfile.objects.get(code=code)


def test_the_same_sentence_may_be_released_on_different_days_under_different_jurisdictions() -> None:
    start, end = date(2025, 1, 10), date(2031, 1, 10)  # six years
    assert _profile("austria").conditional_release_from(start, end) == date(2028, 1, 11)  # half, rounded up
    assert _profile("germany").conditional_release_from(start, end) == date(2029, 1, 10)  # two thirds
    assert _profile("france").conditional_release_from(start, end) == date(2028, 1, 11)
    # The Netherlands: two thirds, but at most two years left on conditional release.
    nine_years = date(2034, 1, 10)
    assert _profile("germany").conditional_release_from(start, nine_years) == date(2031, 1, 11)  # in days
    assert _profile("netherlands").conditional_release_from(start, nine_years) == date(2032, 1, 10)
    assert JurisdictionProfile.default().conditional_release_from(start, end) is None  # no share set
    assert _profile("austria").conditional_release_from(start, None) is None  # indeterminate


def test_every_shipped_value_no_source_states_is_marked_unverified() -> None:
    for data in shipped_profiles():
        profile = _profile(data["code"])
        rules = set(JurisdictionProfile.rule_names()) - SELF_EVIDENT
        assert set(profile.unverified) == rules - set(data["facts"]), profile.code
        assert set(data["facts"]) <= rules, profile.code  # a fact names a real rule
        assert profile.sources, profile.code
        profile.full_clean()


def test_every_shipped_profile_is_documented_with_its_sources_and_named_in_each_language() -> None:
    for data in shipped_profiles():
        assert f"`{data['code']}`" in DOCS, data["code"]
        for language in ("de", "fr", "nl"):
            assert data["translations"][language]["name"], (data["code"], language)
    for code in ("austria", "germany", "france", "netherlands"):
        assert _profile(code).language != "en" and len(_profile(code).country) == 2


def test_a_profiles_name_is_shown_in_the_readers_language_and_english_where_untranslated() -> None:
    austria = _profile("austria")
    with translation.override("de"):
        assert austria.translated("name") == "Österreich"
    with translation.override("nl"):
        assert austria.translated("name") == "Oostenrijk"
    austria.set_translation("nl", "name", "")
    with translation.override("nl"):
        assert austria.translated("name") == "Austria"  # English, never empty


def test_a_bad_profile_is_refused_next_to_each_field() -> None:
    profile = _profile("germany")
    profile.conditional_release_fraction = "3/2"
    profile.weekend_days = "6,8"
    profile.language = "xx"
    profile.unverified = ["no_such_rule"]
    with pytest.raises(ValidationError) as refused:
        profile.clean()
    assert set(refused.value.message_dict) == {
        "conditional_release_fraction",
        "weekend_days",
        "language",
        "unverified",
    }


def test_a_jurisdictions_weekend_decides_its_working_days() -> None:
    profile = _profile("germany")
    release = date(2026, 12, 7)  # a Monday
    assert profile.working_days_before(release, 2) == date(2026, 12, 3)  # Thursday
    profile.weekend_days = "5,6"  # Friday and Saturday off: Sunday is a working day
    assert profile.working_days_before(release, 2) == date(2026, 12, 3)
    assert profile.working_days_before(release, 1) == date(2026, 12, 6)


def test_the_sentence_is_recorded_under_the_chosen_jurisdiction_and_shown_under_its_rules(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    form = client.get(reverse("custody:record_sentence", args=[cast.case.pk])).text
    default = JurisdictionProfile.default()
    assert re.search(rf'<option value="{default.pk}"[^>]*selected', form)  # the default is chosen
    austria = _profile("austria")
    client.post(reverse("custody:record_sentence", args=[cast.case.pk]), FORM | {"profile": austria.pk})
    assert Sentence.objects.get(case=cast.case).profile == austria
    client.post(reverse("language"), {"language": "de"})
    page = client.get(reverse("custody:section", args=[cast.case.pk])).text
    assert "Österreich" in page
    assert "Bedingte Entlassung möglich ab 11. Januar 2028" in page


def test_choosing_no_jurisdiction_that_exists_is_refused_next_to_the_field(cast: Cast) -> None:
    response = cast.client_for(cast.lead).post(
        reverse("custody:record_sentence", args=[cast.case.pk]), FORM | {"profile": "99999"}
    )
    assert response.status_code == 400
    assert "Choose a jurisdiction from the list" in response.text
    assert not Sentence.objects.filter(case=cast.case).exists()


def test_frances_notification_rules_ask_travel_15_days_ahead_and_an_address_every_three_months(
    cast: Cast,
) -> None:
    client = cast.client_for(cast.lead)
    client.post(
        reverse("custody:record_sentence", args=[cast.case.pk]), FORM | {"profile": _profile("france").pk}
    )
    requirement = notification_requirements.start_requirement(cast.case, date(2026, 3, 2), by=cast.lead)
    assert isinstance(requirement, NotificationRequirement)
    assert requirement.ends_on == date(2036, 3, 2)  # ten years, whatever the sentence's length
    initial = requirement.dues.get(kind="initial")
    notification_requirements.record_notification(initial, by=cast.lead, notified_on=date(2026, 3, 4))
    assert requirement.dues.get(kind="annual").due_on == date(2026, 6, 4)  # three months on
    travel = notification_requirements.plan_travel(
        requirement,
        by=cast.lead,
        departs_on=date(2026, 8, 1),
        returns_on=date(2026, 8, 1),
        destination="Liège",
    )
    assert travel is not None and travel.due_on == date(2026, 7, 17)  # a day trip too, 15 days ahead


def test_catalogue_wording_is_shown_in_the_readers_language_and_kept_as_recommended() -> None:
    condition = ConditionTemplate.objects.filter(is_current=True, input_labels__has_key="person").first()
    assert condition is not None
    name = next(iter(condition.inputs()))
    condition.set_translation("de", "text", "Kein Kontakt mit {" + name + "} ohne Zustimmung.")
    condition.set_translation("de", "input_labels", {name: "Benannte Person"})  # type: ignore[arg-type]
    with translation.override("de"):
        assert condition.preview == "Kein Kontakt mit [benannte person] ohne Zustimmung."
        assert condition.render({name: "A. Beispiel"}) == "Kein Kontakt mit A. Beispiel ohne Zustimmung."
    with translation.override("fr"):
        assert "Kein" not in condition.preview  # no French yet: the English wording


def test_an_administrator_words_a_programme_in_another_language(cast: Cast) -> None:
    admin = cast.lead
    admin.is_staff = admin.is_superuser = True
    admin.save()
    programme = Programme.objects.create(
        name="Mentoring",
        description="Weekly meetings with a mentor.",
        provider=cast.ngo,
        setting="community",
        audience="general",
        capacity=5,
    )
    client = cast.client_for(admin)
    url = reverse("admin:rehab_programme_change", args=[programme.pk])
    form = client.get(url).text
    assert 'name="description__de"' in form and "Description (Deutsch)" in form
    data = {k: ("" if v is None else v) for k, v in model_to_dict(programme).items()}
    data.pop("translations")
    data |= {"description__de": "Wöchentliche Treffen mit einer Mentorin oder einem Mentor."}
    for flag in ("women_only_delivery", "trauma_informed", "requires_consent"):
        data.pop(flag)
    assert client.post(url, data).status_code == 302
    programme.refresh_from_db()
    with translation.override("de"):
        assert programme.translated("description").startswith("Wöchentliche Treffen")
    assert programme.description == "Weekly meetings with a mentor."  # English stays the record's own
