"""Past one machine: with a replica configured, read-only work reads from it and everything else from
the primary; without one, nothing changes (the router is run against two database aliases). The daily run
scheduled on several machines works once."""

from __future__ import annotations

from importlib import import_module
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, router
from django.test.utils import override_settings

from throughcare.audit.models import AuditEvent
from throughcare.cases.models import Case
from throughcare.lib.daily import one_run_at_a_time
from throughcare.lib.routers import read_from_replica, replica_reads
from throughcare.test import held_elsewhere

TWO = {**settings.DATABASES, "replica": {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}}


@override_settings(DATABASES=TWO)
def test_read_only_work_reads_from_the_replica_and_writes_go_to_the_primary() -> None:
    assert Case.objects.all().db == "default"  # a gated read outside read-only work: the primary
    with read_from_replica():
        assert Case.objects.all().db == "replica"
        assert AuditEvent.objects.filter(case_id=1).db == "replica"
        assert router.db_for_write(AuditEvent) == "default"  # its consultation: the primary
        assert router.allow_migrate("replica", "audit") is False
    assert Case.objects.all().db == "default"


@override_settings(DATABASES=TWO)
def test_a_read_only_view_reads_from_the_replica_only_while_it_runs() -> None:
    seen: list[str] = []

    @replica_reads
    def view() -> None:
        seen.append(Case.objects.all().db)

    view()
    assert seen == ["replica"] and Case.objects.all().db == "default"


def test_without_a_replica_everything_reads_from_the_primary() -> None:
    assert "replica" not in settings.DATABASES
    with read_from_replica():
        assert Case.objects.all().db == "default"


@pytest.mark.parametrize(
    "view",
    [
        "sharing.views.access_log",
        "workspace.views.export_timeline",
        "outcomes.work_views.preview",
        "outcomes.public_views.release",
    ],
)
def test_who_accessed_exports_and_statistics_are_read_only_work(view: str) -> None:
    module, name = view.rsplit(".", 1)
    function = getattr(import_module(f"throughcare.{module}"), name)
    layers = []
    while function is not None:
        layers.append(getattr(function, "reads_from_replica", False))
        function = getattr(function, "__wrapped__", None)
    assert any(layers)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serves one machine")
@pytest.mark.django_db(transaction=True)
def test_a_second_daily_run_at_the_same_time_does_nothing() -> None:
    """Scheduled on two machines, the daily run works once: the second finds the first's lock."""
    with held_elsewhere(one_run_at_a_time):
        out = StringIO()
        call_command("daily_run", stdout=out)
        assert "Another daily run is in progress" in out.getvalue()
    out = StringIO()
    call_command("daily_run", stdout=out)
    assert "Another daily run" not in out.getvalue()
