"""The README tells the truth: every persona, person, section and address its walk-through names exists in
the demo world exactly as written. A change of the world or of the pages that breaks the walk-through
fails here, so the README changes in the same commit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from throughcare.accounts.models import Agency, User
from throughcare.cases.contributions import sections
from throughcare.cases.models import DataCategory
from throughcare.custody.models import Sentence
from throughcare.demo import snapshot
from throughcare.people.models import Person
from throughcare.sharing.access import get_case_for_user
from throughcare.sharing.models import IntelligenceFlag

pytestmark = pytest.mark.django_db

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()


@pytest.fixture
def demo() -> None:
    snapshot.load_world()


def test_every_persona_in_the_table_exists_with_the_name_given(demo: None) -> None:
    rows = re.findall(r"^\| `([a-z.0-9]+)` \| ([^,|]+),", README, flags=re.M)
    assert len(rows) >= 10
    for username, name in rows:
        user = User.objects.get(username=username)
        assert user.get_full_name() == name.strip(), username


def test_every_person_the_walk_through_names_is_in_the_demo_world(demo: None) -> None:
    named = set(re.findall(r"\*\*([A-Z][a-z]+ [A-Z][a-z]+)\*\*", README)) - {"Throughcare"}
    assert {"Nourdin Yilmazer", "Layla Verhoeven"} <= named
    for full_name in named:
        given, family = full_name.split(" ")
        assert Person.objects.filter(given_name=given, family_name=family).exists(), full_name


def test_the_case_team_walk_through_can_be_done_as_written(demo: None) -> None:
    assert "add Samira\n  El Fassaoui for Turning Point Exit Programme" in README
    showcase = IntelligenceFlag.objects.get().case
    assert showcase.person.full_name == "Nourdin Yilmazer"
    samira = User.objects.get(first_name="Samira", last_name="El Fassaoui")
    assert samira.memberships.filter(agency=Agency.objects.get(name="Turning Point Exit Programme")).exists()
    assert not showcase.team.active().filter(user=samira).exists()  # she can be added
    assert showcase.team.lead().user.username == "probation.officer"  # type: ignore[union-attr]


def test_every_section_of_a_case_is_named_in_the_readme() -> None:
    for section in sections():
        assert f"*{section.title}*" in README, section.title


def test_every_address_in_the_readme_exists() -> None:
    addresses = re.findall(r"`(/[a-z0-9/._-]*)`", README)
    for address in [a for a in addresses if not a.startswith(("/usr/", "/opt/", "/tmp/"))]:
        try:
            resolve(address)
        except Resolver404:
            pytest.fail(f"{address} does not resolve")


def test_ct_police_has_the_overdue_initial_notification_the_readme_promises(demo: None) -> None:
    from django.utils import timezone

    from throughcare.custody.models import NotificationDue

    assert "`ct.police` (an overdue initial notification)" in README
    overdue = NotificationDue.objects.filter(
        kind="initial", notified_on__isnull=True, due_on__lt=timezone.localdate()
    )
    assert overdue.filter(requirement__case__team__user__username="ct.police").exists()


def test_the_learning_walk_through_holds(demo: None) -> None:
    from django.utils import timezone

    from throughcare.learning.models import CaseReview, Lesson, TrainingAttempt, TrainingCase

    review = CaseReview.objects.get()
    assert review.case.person.full_name == "Nourdin Yilmazer" and review.status == "concluded"
    statuses = dict(review.recommendations.values_list("owner__username", "status"))
    assert statuses == {
        "probation.manager": "implemented",
        "ct.police": "in_progress",
        "probation.officer": "accepted",
    }
    overdue = review.recommendations.get(owner__username="probation.officer")
    assert overdue.due_on < timezone.localdate() and overdue.escalated_at is not None
    assert "in `probation.officer`'s *Needs attention*, and escalated to you" in README
    assert Lesson.objects.filter(status="approved").count() == 3
    started = TrainingCase.objects.get(title="From the prison gate to the first appointment")
    assert started.source.case.person.full_name == "Marta Lindahl" and started.status == "approved"
    assert started.source.case.team.active().filter(user__username="trainer").exists()
    done = TrainingCase.objects.get(title="A decision at the panel, and what followed")
    attempts = TrainingAttempt.objects.filter(trainee__username="trainee")
    assert attempts.get(training_case=done).completed_at is not None
    assert attempts.get(training_case=started).completed_at is None
    assert attempts.get(training_case=done).answers.exclude(comment="").exists()
    for title in [started.title, done.title]:
        assert f"“{title}”" in README or f'"{title}"' in README


def test_the_api_calls_in_the_readme_answer_as_it_says(demo: None) -> None:
    """Every `curl` of the README's API walk-through, run as written against the demo world ($CASE: the
    first of the officer's cases, as the README's own line finds it)."""
    import json

    from django.test import Client

    from throughcare.api import tokens

    section = README[README.index("**The JSON API**") :]
    section = section[: section.index("```\n", section.index("```sh") + 5)].replace("\\\n", " ")
    user = User.objects.get(username="probation.officer")
    _, raw = tokens.issue(user, name="README", scope="write", days=1, by=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    variables: dict[str, str] = {}
    calls = [line for line in section.split("\n") if "curl " in line]
    assert len(calls) == 4
    for line in calls:
        path = re.search(r"http://127\.0\.0\.1:8000(/api/v1/[^\"' ]*)", line).group(1)  # type: ignore[union-attr]
        for name, value in variables.items():
            path = path.replace(f"${name}", value)
        body = re.search(r"-d '([^']*)'", line)
        if body is None:
            answer = client.get(path)
        else:
            key = re.search(r'-H "Idempotency-Key: ([^"]+)"', line)
            extra = {"HTTP_IDEMPOTENCY_KEY": key.group(1)} if key else {}
            answer = client.post(path, body.group(1), content_type="application/json", **extra)  # type: ignore[arg-type]
        assert answer.status_code in (200, 201), (path, answer.content[:300])
        if line.startswith("CASE=$("):
            variables["CASE"] = str(json.loads(answer.content)["items"][0]["id"])
        if "people?q=Yilmazer" in path:
            names = [p["person"]["full_name"] for p in json.loads(answer.content)["items"]]
            assert "Nourdin Yilmazer" in names


def test_the_service_account_the_readme_names_reads_as_a_probation_manager(demo: None) -> None:
    system = User.objects.get(username="probation.system")
    assert "`probation.system`, Westmark Probation's" in README
    assert system.kind == "service" and not system.has_usable_password()
    membership = system.memberships.get()
    assert membership.agency.name == "Westmark Probation Service" and membership.role == "manager"
    from django.test import Client

    from throughcare.api import tokens

    _, raw = tokens.issue(system, name="README", scope="read", days=1, by=system)
    listed = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/cases", {"limit": 100}).json()["items"]
    assert len(listed) >= 20 and all(case["lead_agency"] for case in listed)


def test_the_two_jurisdictions_walk_through_can_be_done_as_written(demo: None) -> None:
    """Two people with the same sentence under Austria's and Germany's rules, both on one police liaison's
    caseload, with different conditional release and handover dates."""
    walk = " ".join(README.split())
    assert "as `ct.police`, open **Tarik Meersman** and **Ruben Kowalczyk**" in walk
    austria = Sentence.objects.get(case__person__given_name="Tarik", case__person__family_name="Meersman")
    germany = Sentence.objects.get(case__person__given_name="Ruben", case__person__family_name="Kowalczyk")
    assert (austria.profile.code, germany.profile.code) == ("austria", "germany")
    assert (austria.sentence_start, austria.sentence_end) == (germany.sentence_start, germany.sentence_end)
    assert austria.release_date == austria.conditional_release_from
    assert germany.release_date == germany.conditional_release_from
    assert austria.release_date != germany.release_date
    assert austria.handover_starts_on != germany.handover_starts_on
    police = User.objects.get(username="ct.police")
    for sentence in (austria, germany):
        assert get_case_for_user(police, sentence.case_id, category=DataCategory.LEGAL) == sentence.case
