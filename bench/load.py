"""Benchmark: a mixed read load of practitioners against the production server, beside the same load on
pages that do nothing (the box's ceiling).

Runs against a scale world already built in `DATABASE_URL` (`make scale-world`, bench/README.md):

1. picks the practitioners — the officers who lead the most cases and the managers of the world's
   agencies — and signs each in (a session in the database, as after the sign-in and second-factor pages);
2. starts gunicorn as `make run` does (DEBUG off), with BENCH_WORKERS processes of BENCH_THREADS threads,
   each with its audit sealer thread;
3. runs locust headless (bench/locustfile.py): BENCH_USERS simulated people, each going from page to page
   without pausing, for BENCH_SECONDS after a warm-up of BENCH_WARMUP seconds — the mixed load, then the
   same people on "Your account" (a signed-in page with no case data) and on /healthz (no session);
4. prints requests per second and the 50th, 95th and 99th percentiles per page and overall, the
   failures, and whether the sealer kept up (events waiting at the end).

    make bench-load                     # the world in throughcare_scale (SCALE_DB)
    BENCH_USERS=32 BENCH_WORKERS=5 make bench-load
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import django_setup  # noqa: E402, F401 — Django set up before the project's modules load

USERS = int(os.environ.get("BENCH_USERS", "16"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "15"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
OFFICERS, MANAGERS = 18, 2

# The mix, per person: (page, weight).
OFFICER_MIX = {"caseload": 3, "case page": 4, "timeline": 3, "search": 2, "needs attention": 2}
MANAGER_MIX = {"all cases": 3, "needs attention, agency": 2, "search": 1, "case page": 2}


def people() -> list[dict[str, Any]]:
    from django.db.models import Count

    from throughcare.accounts.models import Membership, Role, User
    from throughcare.cases.models import Case, CaseTeamMember

    leads = (
        CaseTeamMember.objects.filter(responsibility="lead", ended_at=None, user__is_active=True)
        .values("user")
        .annotate(cases=Count("id"))
        .order_by("-cases", "user")
        .values_list("user", flat=True)[:OFFICERS]
    )
    plan: list[dict[str, Any]] = []
    for officer in User.objects.filter(pk__in=list(leads)).order_by("pk"):
        cases = list(
            Case.objects.visible_to(officer)  # not those a restriction list keeps them out of
            .filter(team__user=officer, team__ended_at=None)
            .order_by("-last_activity_at")
            .values_list("pk", "person__family_name")[:20]
        )
        plan.append(person(officer, {
            "caseload": ["/caseload/"],
            "case page": [f"/cases/{pk}/" for pk, _ in cases],
            "timeline": [f"/cases/{pk}/timeline/" for pk, _ in cases],
            "search": [f"/search/?q={name}" for _, name in cases],
            "needs attention": ["/needs-attention/"],
        }, OFFICER_MIX))  # fmt: skip
    managers = Membership.objects.filter(role=Role.MANAGER, is_active=True, user__is_active=True)
    for membership in managers.select_related("user").order_by("-user__username")[:MANAGERS]:
        cases = list(
            Case.objects.visible_to(membership.user)
            .filter(team__agency_id=membership.agency_id, team__ended_at=None)
            .order_by("-last_activity_at")
            .values_list("pk", "person__family_name")[:20]
        )
        plan.insert(len(plan) // 2, person(membership.user, {
            "all cases": ["/caseload/?scope=all"],
            "needs attention, agency": ["/needs-attention/"],
            "search": [f"/search/?q={name}" for _, name in cases],
            "case page": [f"/cases/{pk}/" for pk, _ in cases],
        }, MANAGER_MIX))  # fmt: skip
    return plan


def person(user: Any, pages: dict[str, list[str]], mix: dict[str, int]) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    from throughcare.test import sign_in

    client = Client()
    sign_in(client, user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    named = [(name, urls) for name, urls in pages.items() if urls]
    return {
        "username": user.username,
        "cookie": cookie,
        "pages": named,
        "weights": [mix[name] for name, _ in named],
    }


def trivial(plan: list[dict[str, Any]], name: str, url: str, signed_in: bool) -> list[dict[str, Any]]:
    cookie = {p["username"]: p["cookie"] if signed_in else "" for p in plan}
    return [{**p, "cookie": cookie[p["username"]], "pages": [(name, [url])], "weights": [1]} for p in plan]


def serve() -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "throughcare.wsgi",
         "--config", "python:throughcare.gunicorn_conf", "--workers", str(WORKERS), "--threads", str(THREADS),
         "--bind", f"127.0.0.1:{PORT}", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start: " + (server.stderr.read() if server.stderr else b"").decode())


def load(plan: list[dict[str, Any]], seconds: int, label: str) -> dict[str, dict[str, float]]:
    """Run locust on the plan; its figures per page name and "Aggregated" (failures printed)."""
    with tempfile.TemporaryDirectory() as scratch:
        plan_file = Path(scratch) / "plan.json"
        plan_file.write_text(json.dumps({"people": plan}))
        prefix = str(Path(scratch) / "run")
        subprocess.run(
            [str(Path(sys.executable).with_name("locust")), "-f", str(ROOT / "bench" / "locustfile.py"),
             "--headless", "--users", str(USERS), "--spawn-rate", str(USERS), "--run-time", f"{seconds}s",
             "--host", f"http://127.0.0.1:{PORT}", "--csv", prefix, "--only-summary", "--stop-timeout", "10",
             "--loglevel", "WARNING"],
            env={**os.environ, "BENCH_LOAD_PLAN": str(plan_file)}, check=False, capture_output=True,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv", newline="") as stats:
            rows = list(csv.DictReader(stats))
        with open(f"{prefix}_failures.csv", newline="") as failures:
            for failure in csv.DictReader(failures):
                print(f"  {label}: {failure['Occurrences']} × {failure['Name']}: {failure['Error'][:100]}")
    return {
        row["Name"]: {
            "requests": float(row["Request Count"]),
            "failures": float(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": float(row["50%"]),
            "p95": float(row["95%"]),
            "p99": float(row["99%"]),
        }
        for row in rows
    }


def report(label: str, figures: dict[str, dict[str, float]]) -> None:
    print(f"\n{label}")
    heads = ["requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "failed"]
    print(f"{'page':<26} " + " ".join(f"{h:>7}" for h in heads))
    for name, f in sorted(figures.items(), key=lambda item: item[0] == "Aggregated"):
        print(
            f"{name:<26} {f['requests']:>7.0f} {f['rps']:>7.1f} {f['p50']:>7.0f} {f['p95']:>7.0f} "
            f"{f['p99']:>7.0f} {f['failures']:>7.0f}"
        )


def waiting() -> int:
    from throughcare.audit.chain import unsealed

    return unsealed()


def main() -> None:
    from django.db import connection

    from throughcare.cases.models import Case

    cases = Case.objects.count()
    plan = people()
    print(
        f"{cases} cases; {len(plan)} people ({OFFICERS} officers, {MANAGERS} managers) as {USERS} simulated "
        f"users; gunicorn {WORKERS} workers × {THREADS} threads; {SECONDS} s each after {WARMUP} s warm-up; "
        f"{os.cpu_count()} cores shared by server, database and load generator"
    )
    connection.close()
    server = serve()
    try:
        if WARMUP:
            load(plan, WARMUP, "warm-up")
        report("Mixed practitioners' load", load(plan, SECONDS, "mixed"))
        print(f"Audit events waiting to be sealed at the end: {waiting()}")
        connection.close()
        report("Ceiling: Your account (signed in, no case data)", load(
            trivial(plan, "your account", "/account/", True), SECONDS, "account"))  # fmt: skip
        report("Ceiling: /healthz (no session)", load(
            trivial(plan, "healthz", "/healthz", False), SECONDS, "healthz"))  # fmt: skip
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
