from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.models import Case, CaseTeamMember, TimelineEntry
from throughcare.test import Cast, make_user, shows_word

pytestmark = pytest.mark.django_db


def _admin(cast: Cast) -> object:
    admin = make_user("site.admin", cast.probation, "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return admin


def _formset(case: Case, rows: list[dict[str, str]]) -> dict[str, str]:
    existing = list(case.team.order_by("pk"))
    data = {
        "team-TOTAL_FORMS": str(len(existing) + len(rows)),
        "team-INITIAL_FORMS": str(len(existing)),
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "1000",
    }
    for i, place in enumerate(existing):
        started = timezone.localtime(place.started_at)
        data |= {
            f"team-{i}-id": str(place.pk),
            f"team-{i}-case": str(case.pk),
            f"team-{i}-user": str(place.user_id),
            f"team-{i}-agency": str(place.agency_id),
            f"team-{i}-responsibility": place.responsibility,
            f"team-{i}-function": place.function,
            f"team-{i}-started_at": started.strftime("%Y-%m-%dT%H:%M:%S"),
        }
    for j, row in enumerate(rows, start=len(existing)):
        data |= {f"team-{j}-{key}": value for key, value in row.items()} | {f"team-{j}-case": str(case.pk)}
    return data


def test_an_administrator_adds_a_worker_to_the_team_and_it_is_on_the_timeline_and_audited(cast: Cast) -> None:
    admin = _admin(cast)
    newcomer = make_user("new.mentor", cast.ngo)
    client = cast.client_for(admin)  # type: ignore[arg-type]
    row = {
        "user": str(newcomer.pk),
        "agency": str(cast.ngo.pk),
        "responsibility": "supporting",
        "function": "Peer mentor",
        "started_at": "2026-01-05T09:00:00",
    }
    response = client.post(
        reverse("admin:cases_case_change", args=[cast.case.pk]), _formset(cast.case, [row])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CaseTeamMember.objects.filter(case=cast.case, user=newcomer).exists()
    entry = TimelineEntry.objects.get(kind=TimelineEntry.Kind.TEAM_CHANGE, body__contains="joined")
    assert str(entry.body) == "New Mentor (Exit NGO) joined the case team: supporting, Peer mentor."
    assert AuditEvent.objects.filter(
        operation=Operation.COLLECTION, object_type="cases.caseteammember"
    ).exists()
    assert cast.client_for(newcomer).get(reverse("cases:detail", args=[cast.case.pk])).status_code == 200


def test_the_administration_screen_shows_no_case_content(cast: Cast) -> None:
    client = cast.client_for(_admin(cast))  # type: ignore[arg-type]
    html = client.get(reverse("admin:cases_case_change", args=[cast.case.pk])).content.decode()
    assert cast.case.reference in html
    assert not shows_word(html, "Ada") and not shows_word(html, "Example")
