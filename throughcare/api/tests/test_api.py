"""The API as a partner system meets it: the gate, the log, the conventions, and bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from throughcare.api.models import ApiToken, IdempotentResponse
from throughcare.api.tests.conftest import Api
from throughcare.audit.models import AuditEvent, Operation
from throughcare.cases.models import Case, TimelineEntry
from throughcare.test import Cast

pytestmark = pytest.mark.django_db

ApiFor = Callable[..., Api]


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body


# Tokens -------------------------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_a_digest_and_works_until_it_expires(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.lead, days=2)
    stored = ApiToken.objects.get()
    assert api.raw not in (stored.digest, stored.prefix) and api.raw.startswith(stored.prefix)
    assert api.get("/cases").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        problem(api.get("/cases"), 401)


def test_a_revoked_token_and_a_made_up_one_are_refused_alike(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.lead)
    from throughcare.api import tokens  # noqa: PLC0415 — test-local

    tokens.revoke(ApiToken.objects.get(), by=cast.lead)
    revoked = problem(api.get("/cases"), 401)
    made_up = problem(Api("tc_" + "x" * 43).get("/cases"), 401)
    assert revoked["detail"] == made_up["detail"]
    assert api.get("/cases")["WWW-Authenticate"].startswith("Bearer")


def test_a_token_of_a_user_who_left_stops_working(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.lead)
    cast.lead.is_active = False
    cast.lead.save()
    problem(api.get("/cases"), 401)


def test_a_read_token_cannot_write(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.lead, scope="read")
    body = problem(api.post(f"/cases/{cast.case.pk}/notes", {"body": "x", "category": "general"}), 403)
    assert "read only" in body["detail"]
    assert not TimelineEntry.objects.filter(body="x").exists()


def test_the_command_prints_a_token_that_works(cast: Cast) -> None:
    out = StringIO()
    call_command("create_api_token", "lead.officer", "--scope", "read", "--days", "7", stdout=out)
    api = Api(out.getvalue().strip())
    assert [c["reference"] for c in api.get("/cases").json()["items"]] == [cast.case.reference]
    assert ApiToken.objects.get().scope == "read"


def test_the_signed_in_session_reads_but_does_not_write_without_csrf(cast: Cast) -> None:
    from django.test import Client  # noqa: PLC0415 — test-local

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.lead)
    assert client.get("/api/v1/cases").status_code == 200
    refused = client.post(
        f"/api/v1/cases/{cast.case.pk}/notes",
        {"body": "x", "category": "general"},
        content_type="application/json",
    )
    assert refused.status_code in (401, 403)
    assert not TimelineEntry.objects.filter(body="x").exists()


def test_the_account_page_makes_a_token_shows_it_once_and_revokes_it(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    made = client.post(
        "/account/api-tokens/", {"name": "My script", "scope": "read", "days": "10"}, follow=True
    )
    raw = made.context["new_token"]
    assert raw and raw in made.content.decode()
    again = client.get("/account/").content.decode()
    assert raw not in again and "My script" in again and "Active" in again
    assert Api(raw).get("/cases").status_code == 200
    token = ApiToken.objects.get()
    client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert "Revoked" in client.get("/account/").content.decode()
    assert Api(raw).get("/cases").status_code == 401
    made_and_revoked = AuditEvent.objects.filter(object_type="api.apitoken").values_list(
        "operation", flat=True
    )
    assert list(made_and_revoked) == [Operation.COLLECTION, Operation.ALTERATION]


def test_the_token_form_says_what_is_wrong_next_to_the_field(cast: Cast) -> None:
    client = cast.client_for(cast.lead)
    refused = client.post("/account/api-tokens/", {"name": "", "scope": "read", "days": "٣٠٠٠"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Say what the token is for" in page and "Enter the number of days as a number" in page  # not 3000
    page = client.post(
        "/account/api-tokens/", {"name": "x", "scope": "read", "days": "3000"}
    ).content.decode()
    assert "A token lasts at most 365 days" in page
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(cast: Cast, api_for: ApiFor) -> None:
    api_for(cast.lead)
    token = ApiToken.objects.get()
    assert cast.client_for(cast.stranger).post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


# The gate ---------------------------------------------------------------------------------------------


def test_a_case_i_may_not_see_answers_404_like_a_missing_one(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.stranger)
    hidden = problem(api.get(f"/cases/{cast.case.pk}"), 404)
    missing = problem(api.get("/cases/999999"), 404)
    assert {k: v for k, v in hidden.items() if k != "instance"} == {
        k: v for k, v in missing.items() if k != "instance"
    }
    assert api.get("/cases").json()["items"] == []
    problem(api.get(f"/cases/{cast.case.pk}/timeline"), 404)
    problem(api.post(f"/cases/{cast.case.pk}/notes", {"body": "x", "category": "general"}), 404)


def test_the_mentor_reads_only_the_categories_an_ngo_holds(cast: Cast, api_for: ApiFor) -> None:
    for category in ("risk", "intelligence", "general", "interventions"):
        TimelineEntry.objects.create(
            case=cast.case,
            category=category,
            nature="fact",
            body=f"About {category}",
            occurred_at=timezone.now(),
            author=cast.lead,
        )
    api = api_for(cast.mentor)
    detail = api.get(f"/cases/{cast.case.pk}").json()
    assert set(detail["categories"]) == {"identity", "general", "interventions"}
    bodies = {e["body"] for e in api.get(f"/cases/{cast.case.pk}/timeline").json()["items"]}
    assert {"About general", "About interventions"} <= bodies
    assert not bodies & {"About risk", "About intelligence"}
    assert api.get(f"/cases/{cast.case.pk}/timeline", category="risk").json()["items"] == []


def test_every_read_is_logged_with_the_api_channel(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.lead)
    api.get("/cases")
    api.get(f"/cases/{cast.case.pk}")
    api.get(f"/cases/{cast.case.pk}/timeline")
    api.get("/people", q="Example")
    reads = AuditEvent.objects.filter(operation=Operation.CONSULTATION, actor=cast.lead)
    assert [(e.object_type, e.details["channel"]) for e in reads] == [
        ("people.person", "api"),
        ("people.person", "api"),
        ("cases.timelineentry", "api"),
        ("people.person", "api"),
    ]


def test_a_note_is_written_and_audited_as_coming_through_the_api(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.lead)
    created = api.post(f"/cases/{cast.case.pk}/notes", {"body": "Met at the office", "category": "general"})
    assert created.status_code == 201, created.content
    assert created["Location"].startswith(f"/api/v1/cases/{cast.case.pk}/timeline")
    entry = TimelineEntry.objects.get(body="Met at the office")
    assert entry.author == cast.lead
    change = AuditEvent.objects.filter(
        object_type="cases.timelineentry", operation=Operation.COLLECTION
    ).get()
    assert change.details["channel"] == "api"


def test_a_note_in_a_category_i_do_not_hold_is_refused_with_the_reason(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.mentor)
    body = problem(api.post(f"/cases/{cast.case.pk}/notes", {"body": "x", "category": "risk"}), 422)
    assert "this category" in body["detail"]
    assert not TimelineEntry.objects.filter(body="x").exists()


# Conventions ------------------------------------------------------------------------------------------


def test_a_retried_create_with_the_same_key_creates_once(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.lead)
    note = {"body": "Phoned the hostel", "category": "general"}
    first = api.post(f"/cases/{cast.case.pk}/notes", note, HTTP_IDEMPOTENCY_KEY="retry-1")
    second = api.post(f"/cases/{cast.case.pk}/notes", note, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert TimelineEntry.objects.filter(body="Phoned the hostel").count() == 1
    other = api.post(f"/cases/{cast.case.pk}/notes", {**note, "body": "Else"}, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert "another request" in problem(other, 422)["detail"]


def test_a_refused_create_keeps_no_answer_so_it_may_be_retried(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.lead)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    sent = {"body": "Later", "category": "general", "occurred_on": future}
    problem(api.post(f"/cases/{cast.case.pk}/notes", sent, HTTP_IDEMPOTENCY_KEY="k"), 422)
    assert not IdempotentResponse.objects.exists()
    fixed = api.post(f"/cases/{cast.case.pk}/notes", {**sent, "occurred_on": None}, HTTP_IDEMPOTENCY_KEY="k")
    assert fixed.status_code == 201


def test_a_stale_etag_changes_nothing(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.lead)
    case = cast.case
    case.phase = "custody"
    case.save()
    read = api.get(f"/cases/{case.pk}")
    etag = read["ETag"]
    move = {"to_phase": "release_planning", "reason": "Parole board date set"}
    problem(api.post(f"/cases/{case.pk}/phase", move), 428)
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)  # someone else changed it meanwhile
    problem(api.post(f"/cases/{case.pk}/phase", move, HTTP_IF_MATCH=etag), 412)
    assert Case.objects.get(pk=case.pk).phase == "custody"
    fresh = api.get(f"/cases/{case.pk}")["ETag"]
    moved = api.post(f"/cases/{case.pk}/phase", move, HTTP_IF_MATCH=fresh)
    assert moved.status_code == 200, moved.content
    assert moved.json()["phase"] == "release_planning" and moved["ETag"] != fresh


def test_only_the_lead_or_a_manager_moves_the_phase(cast: Cast, api_for: ApiFor) -> None:
    api = api_for(cast.police_liaison)
    etag = api.get(f"/cases/{cast.case.pk}")["ETag"]
    body = problem(
        api.post(f"/cases/{cast.case.pk}/phase", {"to_phase": "reintegration"}, HTTP_IF_MATCH=etag), 403
    )
    assert "case lead" in body["detail"]


def test_too_many_calls_are_told_when_to_come_back(cast: Cast, api_for: ApiFor, settings: Any) -> None:
    settings.API_RATE = "3/m"
    api = api_for(cast.lead)
    assert [api.get("/cases").status_code for _ in range(3)] == [200, 200, 200]
    limited = api.get("/cases")
    problem(limited, 429)
    assert int(limited["Retry-After"]) > 0
    assert api_for(cast.mentor).get("/cases").status_code == 200  # per token


def test_a_cursor_walks_every_case_once(cast: Cast, api_for: ApiFor) -> None:
    from throughcare.test import open_test_case  # noqa: PLC0415 — test-local

    for i in range(6):
        open_test_case(cast.lead, cast.probation, given=f"Person{i}")
    api = api_for(cast.lead)
    seen: list[int] = []
    cursor = None
    while True:
        page = api.get("/cases", limit=4, **({"cursor": cursor} if cursor else {})).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == seen and len(seen) == len(set(seen)) == 7


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/cases", {"limit": "٣"}),  # Arabic-Indic digit
        ("/cases", {"limit": "100000000000000000000"}),
        ("/cases", {"phase": "nowhere"}),
        ("/cases", {"cursor": "\x00"}),
        ("/cases", {"cursor": "W10"}),
        ("/cases/{case}/timeline", {"since": "0001-01-01"}),
        ("/cases/{case}/timeline", {"until": "99999-01-01"}),
        ("/cases/{case}/timeline", {"category": "secret"}),
        ("/people", {"q": "x" * 201}),
        ("/people", {}),
    ],
)
def test_bad_queries_get_a_reason(cast: Cast, api_for: ApiFor, path: str, params: dict[str, str]) -> None:
    answer = api_for(cast.lead).get(path.format(case=cast.case.pk), **params)
    assert 400 <= answer.status_code < 500
    assert answer["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "raw",
    [
        "{",
        "[]",
        '"a string"',
        '{"body": "x", "category": "general", "unknown": 1}',
        '{"body": "x\\u0000", "category": "general"}',
        '{"body": "' + "x" * 5001 + '", "category": "general"}',
        '{"body": 12, "category": "general"}',
        '{"body": "x", "category": "general", "occurred_on": "1066-10-14"}',
        '{"body": "x", "category": "general", "occurred_on": "٢٠٢٥-٠١-٠١"}',
        '{"body": "   ", "category": "general"}',
    ],
)
def test_bad_bodies_get_a_reason_and_write_nothing(cast: Cast, api_for: ApiFor, raw: str) -> None:
    before = TimelineEntry.objects.count()
    answer = api_for(cast.lead).post(f"/cases/{cast.case.pk}/notes", raw=raw)
    assert 400 <= answer.status_code < 500, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert TimelineEntry.objects.count() == before


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/no/such/thing", "/api/v1/cases/1/nothing"])
def test_an_address_the_api_does_not_have_answers_in_its_format(cast: Cast, path: str) -> None:
    from django.test import Client

    problem(Client().get(path), 404)
