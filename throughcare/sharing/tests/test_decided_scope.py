"""A request that only reads decides a small scope once, from its cases' facts; every list it shows is then
the same as the gate's SQL form gives. The random worlds of `cases/tests/test_gate_properties.py` hold both
forms to the written policy; here the demo world's people, every case-data model and the pages themselves."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from throughcare.accounts.models import User
from throughcare.cases.models import Case, CaseData, DataCategory
from throughcare.demo import snapshot
from throughcare.lib.request_cache import request_scope
from throughcare.sharing import access
from throughcare.sharing.access import decided_scope, viewer_for

pytestmark = pytest.mark.django_db

CASE_DATA = sorted((m for m in apps.get_models() if issubclass(m, CaseData)), key=lambda m: m._meta.label)


@pytest.fixture
def demo() -> None:
    snapshot.load_world()


def what_they_see(user: User) -> dict[str, set[int]]:
    seen = {"cases": set(Case.objects.visible_to(user).values_list("pk", flat=True))}
    seen["walked"] = set(Case.objects.visible_to(user, per_case=True).values_list("pk", flat=True))
    for category in DataCategory.values:
        seen[f"holding {category}"] = set(Case.objects.holding(user, category).values_list("pk", flat=True))
    for model in CASE_DATA:
        seen[model._meta.label] = set(model.objects.visible_to(user).values_list("pk", flat=True))  # type: ignore[attr-defined]
    return seen


def test_every_persona_sees_the_same_rows_of_every_model_in_both_forms(demo: None) -> None:
    decided = 0
    for user in User.objects.filter(is_active=True).order_by("username"):
        by_sql = what_they_see(user)  # outside a request: the gate's SQL form
        with request_scope(method="GET"):
            decided += decided_scope(viewer_for(user)) is not None
            assert what_they_see(user) == by_sql, user.username
    assert decided >= 10  # the practitioners' scopes in the demo world are small


def test_a_request_that_writes_asks_the_database_each_time(demo: None) -> None:
    officer = User.objects.get(username="probation.officer")
    with request_scope(method="POST"):
        assert decided_scope(viewer_for(officer)) is None
    with request_scope(method="GET"):
        assert decided_scope(viewer_for(officer)) is not None


def test_a_wide_scope_keeps_the_sql_form_and_is_remembered(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "SMALL_SCOPE", 1)
    monkeypatch.setattr(access, "_WIDE", {})
    officer = User.objects.get(username="probation.officer")
    by_sql = what_they_see(officer)
    with request_scope(method="GET"):
        assert decided_scope(viewer_for(officer)) is None
        assert what_they_see(officer) == by_sql
    assert officer.pk in access._WIDE
    monkeypatch.setattr(access, "SMALL_SCOPE", 250)
    with request_scope(method="GET"):  # remembered for a while: not read again
        assert decided_scope(viewer_for(officer)) is None


def test_the_pages_of_a_small_scope_show_what_they_showed(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    client.force_login(User.objects.get(username="probation.officer"))
    pages = [
        "/caseload/",
        "/caseload/?scope=all",
        "/needs-attention/",
        "/notifications/",
        "/search/?q=Lindahl",
    ]
    decided = {url: client.get(url).content for url in pages}
    monkeypatch.setattr(access, "SMALL_SCOPE", 0)
    monkeypatch.setattr(access, "_WIDE", {})
    by_sql = {url: client.get(url).content for url in pages}
    for url in pages:
        assert strip_tokens(decided[url]) == strip_tokens(by_sql[url]), url


def strip_tokens(page: bytes) -> str:
    """The page without what differs on every response (the form tokens, the nonce of scripts)."""
    import re

    text = page.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'nonce="[^"]+"', "", text)
