"""Benchmark: the list pages at national scale, each beside raw SQL that fetches the rows it shows.

Runs against a scale world already built in `DATABASE_URL` (`manage.py load_scale_world --cases N`, see
bench/README.md). For every page, as the persona who uses it, interleaved (page, raw, page, raw …):

- **page**: the real page through Django's test client and the whole middleware stack — the gate, the
  consultation logged to the audit chain, the template;
- **raw**: one hand-written SQL statement (psycopg through Django's connection, no ORM) that returns the rows
  the page shows, with the access condition written in its best shape.

Printed per page: the medians, their ratio (target: at most 3), the page's own SQL (the time its queries
spent in the database driver, measured on the same views, without Django building and compiling them) and
its ratio to the raw statement, the number of queries the page ran (which must not grow with the world),
the time its reads take in the database itself (planning and execution, as EXPLAIN ANALYZE reports them:
no round trips) beside the raw statement's, and their ratio; then the same for the page's own reads
(*own db*: less the floor every signed-in page reads — session, user, second factor, viewer, the header's
count — found as the statements *Your account* makes for the same user),
with `BENCH_QUERIES=1` each of the page's own reads with its time in the database, and with
`BENCH_EXPLAIN=1` the EXPLAIN ANALYZE of the page's slowest query.
With `BENCH_FORMS=1` each page is also measured, in the same rounds, with the gate's SQL form for every
condition (no scope decided from facts), as a third column.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale50k make bench-scale
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import django_setup  # noqa: E402 — Django set up before the project's modules load
from bench.timing import p90  # noqa: E402
from throughcare.workspace.models import KeptDay  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
EXPLAIN = os.environ.get("BENCH_EXPLAIN", "") == "1"
ONLY = os.environ.get("BENCH_ONLY", "")
FORMS = os.environ.get("BENCH_FORMS", "") == "1"  # also each page with the gate's SQL form throughout
QUERIES = os.environ.get("BENCH_QUERIES", "") == "1"  # each of the page's own reads, with its time in the db


@dataclass(frozen=True)
class Probe:
    name: str
    persona: str
    url: str
    raw: str  # SQL with %(name)s parameters
    params: dict[str, Any]
    kept: bool = True  # False: Needs attention computed live (as on a day the daily run has not kept)


def personas() -> dict[str, Any]:
    from throughcare.accounts.models import User

    return {u.username: u for u in User.objects.filter(username__startswith="scale.")}


def facts(people: dict[str, Any]) -> dict[str, Any]:
    """The ids the raw statements need: the personas, their agencies, the officer's busiest case, a name."""
    from django.db.models import Count

    from throughcare.accounts.models import Membership
    from throughcare.cases.models import Case

    def agencies(username: str, role: str) -> list[int]:
        return list(
            Membership.objects.filter(user=people[username], role=role, is_active=True).values_list(
                "agency_id", flat=True
            )
        )

    def meeting(chair: Any) -> int:
        """The chair's coming conference with the longest agenda."""
        from throughcare.conferences.models import Conference

        coming = Conference.objects.filter(chair=chair, status=Conference.Status.SCHEDULED)
        busiest = coming.annotate(cases=Count("items")).order_by("-cases", "held_on").first()
        assert busiest is not None, "the scale world's chair has no coming conference"
        return busiest.pk

    officer = people["scale.officer"]
    mine = Case.objects.filter(team__user=officer, team__ended_at=None)
    case = mine.annotate(entries=Count("timeline")).order_by("-entries", "pk").first()  # the busiest
    assert case is not None, "the scale world's officer has no cases: build it with load_scale_world"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_timelineentry WHERE case_id = %s", [case.pk])
        entries = cursor.fetchone()[0]
    return {
        "officer": officer.pk,
        "manager": people["scale.manager"].pk,
        "managed": agencies("scale.manager", "manager"),
        "mentor_agencies": agencies("scale.mentor", "practitioner"),
        "chair": people["scale.chair"].pk,
        "chair_agencies": agencies("scale.chair", "practitioner"),
        "conference": meeting(people["scale.chair"]),
        "case": case.pk,
        "entries": entries,
        "name": case.person.family_name,
        "like": f"%{case.person.family_name.lower()}%",
        "today": timezone.localdate(),
        "categories": ["general", "risk", "interventions", "legal", "health", "family", "identity"],
    }


# The floor: a signed-in page with the same layout and no case data (the officer's API tokens).
ACCOUNT = """
SELECT t.id, t.prefix, t.name, t.expires_at FROM api_apitoken t WHERE t.user_id = %(officer)s
ORDER BY t.created_at DESC"""

LEAD_AGENCY = """(SELECT a.short_name FROM cases_caseteammember l JOIN accounts_agency a ON a.id = l.agency_id
    WHERE l.case_id = c.id AND l.responsibility = 'lead' AND l.ended_at IS NULL LIMIT 1)"""

# The caseload: how many cases the officer is on the team of, the first 25 by last activity, and the cases
# a restriction keeps them out of (named, with the restriction's message).
RESTRICTED = """
SELECT c.id, c.reference, r.message FROM sharing_restriction r JOIN cases_case c ON c.id = r.case_id
WHERE r.removed_at IS NULL AND ((r.kind = 'never' AND r.user_id = %(officer)s) OR r.kind = 'only')
  AND c.id IN (SELECT case_id FROM cases_caseteammember WHERE user_id = %(officer)s AND ended_at IS NULL)
ORDER BY c.reference"""

CASELOAD = f"""
SELECT count(*) FROM cases_caseteammember WHERE user_id = %(officer)s AND ended_at IS NULL;{RESTRICTED};
SELECT c.id, c.reference, c.phase, c.last_activity_at, p.given_name, p.family_name, {LEAD_AGENCY},
       t.responsibility
FROM cases_caseteammember t JOIN cases_case c ON c.id = t.case_id JOIN people_person p ON p.id = c.person_id
WHERE t.user_id = %(officer)s AND t.ended_at IS NULL
ORDER BY c.last_activity_at DESC, c.id LIMIT 25"""

# The manager's list counts the cases they can see (up to 10,001, as the caption shows them) and shows the
# first 25 by last activity.
MANAGER_ALL = f"""
SELECT count(*) FROM (SELECT DISTINCT case_id FROM cases_caseteammember
                      WHERE agency_id = ANY(%(managed)s) AND ended_at IS NULL LIMIT 10001) s;
SELECT c.id, c.reference, c.phase, c.last_activity_at, p.given_name, p.family_name, {LEAD_AGENCY}
FROM cases_case c JOIN people_person p ON p.id = c.person_id
WHERE c.id IN (SELECT case_id FROM cases_caseteammember
               WHERE agency_id = ANY(%(managed)s) AND ended_at IS NULL)
ORDER BY c.last_activity_at DESC, c.id LIMIT 25"""

# The timeline page: the case's header (its person, its team), how many entries there are (its pages), and
# the first fifty.
TIMELINE = """
SELECT c.id, c.reference, c.phase, p.given_name, p.family_name
FROM cases_case c JOIN people_person p ON p.id = c.person_id WHERE c.id = %(case)s;
SELECT t.responsibility, t.function, u.first_name, u.last_name, a.short_name
FROM cases_caseteammember t JOIN accounts_user u ON u.id = t.user_id
     JOIN accounts_agency a ON a.id = t.agency_id
WHERE t.case_id = %(case)s AND t.ended_at IS NULL;
SELECT count(*) FROM (SELECT 1 FROM cases_timelineentry
                      WHERE case_id = %(case)s AND category = ANY(%(categories)s) LIMIT 10001) s;
SELECT e.id, e.kind, e.category, e.nature, e.body, e.occurred_at, e.recorded_at, u.first_name, u.last_name,
       a.short_name
FROM cases_timelineentry e JOIN accounts_user u ON u.id = e.author_id
     LEFT JOIN accounts_agency a ON a.id = e.author_agency_id
WHERE e.case_id = %(case)s AND e.category = ANY(%(categories)s)
ORDER BY e.occurred_at DESC, e.recorded_at DESC, e.id DESC LIMIT 50"""

# A search finds the cases whose person's name or alias holds the word, or whose reference or identifier
# it is (the cases found first, as the page finds them); shows those in scope with their aliases, and
# names the cases a restriction keeps the user out of that match.
FOUND = """(SELECT c.id FROM cases_case c WHERE c.person_id IN (
           SELECT p.id FROM people_person p WHERE p.search_text LIKE %(like)s
           UNION SELECT i.person_id FROM people_identifier i WHERE UPPER(i.value) = UPPER(%(name)s))
         UNION SELECT c.id FROM cases_case c WHERE UPPER(c.reference) = UPPER(%(name)s))"""


def search(scope: str, user: str) -> str:
    return f"""
SELECT c.id, c.reference, c.phase, p.given_name, p.family_name,
       (SELECT string_agg(a.name, ', ' ORDER BY a.name) FROM people_alias a WHERE a.person_id = p.id)
FROM cases_case c JOIN people_person p ON p.id = c.person_id
WHERE c.id IN {FOUND}
  AND c.id IN (SELECT case_id FROM cases_caseteammember WHERE {scope} AND ended_at IS NULL)
ORDER BY p.family_name, c.id LIMIT 50;
SELECT c.id, c.reference, r.message FROM sharing_restriction r JOIN cases_case c ON c.id = r.case_id
WHERE r.removed_at IS NULL AND ((r.kind = 'never' AND r.user_id = %({user})s) OR r.kind = 'only')
  AND c.id IN {FOUND}"""


SEARCH = search("user_id = %(officer)s", "officer")
# A manager's: the people of the agencies' cases (not on their caseload: counted, named with a reason).
SEARCH_MANAGER = search("agency_id = ANY(%(managed)s)", "manager")

# Needs attention is kept ahead (`workspace.kept`): the rows a list shows are kept items of the cases in
# scope, for their audience. An officer's list, whole (it is short), with who should act on each item (its
# owner, else the case lead); then what is theirs and about no one case (the conferences they are asked to
# and the actions they owe), which the page asks for too.
ATTENTION_MINE = """
SELECT k.id, k."group", k.text, k.due_on, k.overdue, c.id, c.reference, p.given_name, p.family_name,
       u.first_name, u.last_name
FROM workspace_keptitem k JOIN cases_case c ON c.id = k.case_id JOIN people_person p ON p.id = c.person_id
LEFT JOIN cases_caseteammember l ON l.case_id = k.case_id AND l.responsibility = 'lead' AND l.ended_at IS NULL
LEFT JOIN accounts_user u ON u.id = COALESCE(k.owner_id, l.user_id)
WHERE c.phase <> 'closed'
  AND k.case_id IN (SELECT case_id FROM cases_caseteammember WHERE user_id = %(officer)s AND ended_at IS NULL)
  AND (k.audience IN ('case', 'lead') OR k.owner_id = %(officer)s OR k.owner_id IS NULL)
ORDER BY k.overdue DESC, k.due_on, k.case_id, k.position;
SELECT f.id, f.kind, f.held_on, u.first_name, u.last_name
FROM conferences_conference f JOIN accounts_user u ON u.id = f.chair_id
WHERE f.status = 'scheduled' AND f.held_on >= %(today)s
  AND (f.chair_id = %(officer)s
       OR f.id IN (SELECT conference_id FROM conferences_invitation WHERE user_id = %(officer)s));
SELECT a.id, a.description, a.due_on, a.escalated_at, i.conference_id
FROM conferences_actionitem a JOIN conferences_agendaitem i ON i.id = a.item_id
WHERE a.done_at IS NULL AND a.due_on <= %(today)s + 14 AND a.owner_id = %(officer)s"""

# A manager's list for a whole agency: counts by heading and lateness, and the first 50 items.
ATTENTION_AGENCY = """
WITH scope AS (SELECT case_id FROM cases_caseteammember
               WHERE agency_id = ANY(%(managed)s) AND ended_at IS NULL),
items AS (
  SELECT k.* FROM workspace_keptitem k JOIN cases_case c ON c.id = k.case_id
  WHERE c.phase <> 'closed' AND k.case_id IN (SELECT * FROM scope)
    AND k.audience NOT IN ('personal', 'follow-up', 'any-case'))
SELECT "group", overdue, count(*), NULL, NULL, NULL FROM items GROUP BY 1, 2
UNION ALL
(SELECT i."group", i.overdue, 1, i.text, c.reference, p.family_name
 FROM items i JOIN cases_case c ON c.id = i.case_id JOIN people_person p ON p.id = c.person_id
 ORDER BY i.overdue DESC, i.due_on, i.case_id, i.position LIMIT 50)"""

# A manager's home: the agencies' overdue items counted by heading and by who should act (the owner, else
# the case lead), the five longest overdue, and how many reviews were overdue at the start of each of the last
# eight weeks (the scale world's only dated work: its handovers, actions and notifications are empty).
WEEKS = ", ".join(
    f"count(*) FILTER (WHERE r.due_on < %(today)s - {7 * k} AND "
    f"(r.done_at IS NULL OR r.done_at >= (%(today)s - {7 * k})::timestamptz))"
    for k in range(8)
)
HOME_MANAGER = f"""
WITH items AS (
  SELECT k.* FROM workspace_keptitem k JOIN cases_case c ON c.id = k.case_id
  WHERE c.phase <> 'closed'
    AND k.case_id IN (SELECT case_id FROM cases_caseteammember
                      WHERE agency_id = ANY(%(managed)s) AND ended_at IS NULL)
    AND k.audience NOT IN ('personal', 'follow-up', 'any-case') AND (k.overdue OR k.overdue_at <= now()))
SELECT 'kind', "group", count(*), NULL FROM items GROUP BY 2
UNION ALL
SELECT 'owner', COALESCE(i.owner_id, l.user_id)::text, count(*), NULL
FROM items i LEFT JOIN cases_caseteammember l
     ON l.case_id = i.case_id AND l.responsibility = 'lead' AND l.ended_at IS NULL GROUP BY 2
UNION ALL
(SELECT 'oldest', i.text, 1, c.reference FROM items i JOIN cases_case c ON c.id = i.case_id
 ORDER BY i.due_on, i.case_id, i.position LIMIT 5);
SELECT {WEEKS} FROM risk_reviewdue r JOIN cases_case c ON c.id = r.case_id
WHERE c.phase <> 'closed' AND r.case_id IN (SELECT case_id FROM cases_caseteammember
                                            WHERE agency_id = ANY(%(managed)s) AND ended_at IS NULL)"""

# The same lists computed live (as before they were kept; two of the twelve kinds of item, so the ratio
# of a computed page to it flatters the page).
ATTENTION_MINE_LIVE = """
SELECT r.id, r.kind, r.due_on, c.id, c.reference, p.given_name, p.family_name
FROM risk_reviewdue r JOIN cases_case c ON c.id = r.case_id JOIN people_person p ON p.id = c.person_id
WHERE r.done_at IS NULL AND r.due_on <= %(today)s + 14 AND c.phase <> 'closed'
  AND r.case_id IN (SELECT case_id FROM cases_caseteammember WHERE user_id = %(officer)s AND ended_at IS NULL)
UNION ALL
SELECT s.id, 'release', s.conditional_release, c.id, c.reference, p.given_name, p.family_name
FROM custody_sentence s JOIN cases_case c ON c.id = s.case_id JOIN people_person p ON p.id = c.person_id
WHERE s.conditional_release BETWEEN %(today)s AND %(today)s + 30
  AND c.phase IN ('custody', 'release_planning')
  AND s.case_id IN (SELECT case_id FROM cases_caseteammember
                    WHERE user_id = %(officer)s AND ended_at IS NULL)"""

ATTENTION_AGENCY_LIVE = """
WITH scope AS (SELECT case_id FROM cases_caseteammember
               WHERE agency_id = ANY(%(managed)s) AND ended_at IS NULL),
items AS (
  SELECT r.case_id, r.due_on, 'review' AS kind
  FROM risk_reviewdue r JOIN cases_case c ON c.id = r.case_id
  WHERE r.done_at IS NULL AND r.due_on <= %(today)s + 14 AND c.phase <> 'closed'
    AND r.case_id IN (SELECT * FROM scope)
  UNION ALL
  SELECT s.case_id, s.conditional_release, 'release'
  FROM custody_sentence s JOIN cases_case c ON c.id = s.case_id
  WHERE s.conditional_release BETWEEN %(today)s AND %(today)s + 30
    AND c.phase IN ('custody', 'release_planning') AND s.case_id IN (SELECT * FROM scope))
SELECT kind, due_on < %(today)s, count(*), NULL, NULL FROM items GROUP BY 1, 2
UNION ALL
(SELECT i.kind, i.due_on < %(today)s, 1, c.reference, p.family_name
 FROM items i JOIN cases_case c ON c.id = i.case_id JOIN people_person p ON p.id = c.person_id
 ORDER BY i.due_on, i.case_id LIMIT 50)"""

# The case's own events and the lists that named it (the index holds each list's month), newest first: each
# of the fifty read from its own month's partition (pruned at run time, per row of the nested loop).
ACCESS_LOG = """
SELECT e.id, e.seq, e.occurred_at, e.operation, e.object_type, e.justification, u.first_name, u.last_name
FROM (SELECT id, month FROM audit_auditevent WHERE case_id = %(case)s
      UNION ALL SELECT event_id, month FROM audit_consultedcase WHERE case_id = %(case)s
      ORDER BY 1 DESC LIMIT 50) k
     JOIN audit_auditevent e ON e.month = k.month AND e.id = k.id
     LEFT JOIN accounts_user u ON u.id = e.actor_id
ORDER BY e.id DESC"""

REFERRALS = """
SELECT r.id, r.status, r.created_at, pg.name, c.reference, p.given_name, p.family_name
FROM rehab_referral r JOIN rehab_programme pg ON pg.id = r.programme_id JOIN cases_case c ON c.id = r.case_id
     JOIN people_person p ON p.id = c.person_id
WHERE pg.provider_id = ANY(%(mentor_agencies)s) AND r.status <> 'started'
ORDER BY r.created_at DESC, r.id DESC LIMIT 50"""

# A user's conferences (chaired, invited by name or as an agency, attended): the coming ones, and the past
# ones a page at a time with their count.
_MINE = """(f.chair_id = %(chair)s
  OR f.id IN (SELECT conference_id FROM conferences_invitation WHERE user_id = %(chair)s)
  OR f.id IN (SELECT conference_id FROM conferences_invitation
              WHERE user_id IS NULL AND agency_id = ANY(%(chair_agencies)s))
  OR f.id IN (SELECT conference_id FROM conferences_attendance WHERE user_id = %(chair)s))"""
_COMING = "f.held_on >= %(today)s AND f.status = 'scheduled'"
CONFERENCES = f"""
SELECT f.id, f.kind, f.held_on, f.starts_at, f.place, u.first_name, u.last_name
FROM conferences_conference f JOIN accounts_user u ON u.id = f.chair_id
WHERE {_MINE} AND {_COMING} ORDER BY f.held_on, f.id;
SELECT count(*) FROM conferences_conference f WHERE {_MINE} AND NOT ({_COMING});
SELECT f.id, f.kind, f.held_on, f.status, u.first_name, u.last_name
FROM conferences_conference f JOIN accounts_user u ON u.id = f.chair_id
WHERE {_MINE} AND NOT ({_COMING}) ORDER BY f.held_on DESC, f.id DESC LIMIT 25"""

# A conference's meeting page, as its chair sees it: the conference, its agenda (each case with its person,
# and whether the chair is on its team), the decisions and actions recorded, who is invited and attending,
# the people an action may go to (the invited agencies' workers, the cases' teams, the chair), and the
# open cases the chair may still put on the agenda (the first 200 by reference).
MEETING = """
SELECT f.id, f.kind, f.held_on, f.status, f.place, u.first_name, u.last_name
FROM conferences_conference f JOIN accounts_user u ON u.id = f.chair_id WHERE f.id = %(conference)s;
SELECT i.id, i."order", i.shared, i.restricted, i.briefing, c.id, c.reference, p.given_name, p.family_name,
       EXISTS (SELECT 1 FROM cases_caseteammember t
               WHERE t.case_id = c.id AND t.user_id = %(chair)s AND t.ended_at IS NULL)
FROM conferences_agendaitem i JOIN cases_case c ON c.id = i.case_id JOIN people_person p ON p.id = c.person_id
WHERE i.conference_id = %(conference)s ORDER BY i."order", i.id;
SELECT d.item_id, d.decision, d.rationale FROM conferences_decision d
WHERE d.item_id IN (SELECT id FROM conferences_agendaitem WHERE conference_id = %(conference)s);
SELECT a.item_id, a.description, a.due_on, a.owner_id FROM conferences_actionitem a
WHERE a.item_id IN (SELECT id FROM conferences_agendaitem WHERE conference_id = %(conference)s);
SELECT v.agency_id, v.user_id, g.short_name FROM conferences_invitation v
     JOIN accounts_agency g ON g.id = v.agency_id WHERE v.conference_id = %(conference)s;
SELECT a.agency_id, a.user_id, a.status FROM conferences_attendance a WHERE a.conference_id = %(conference)s;
SELECT u.id, u.first_name, u.last_name FROM accounts_user u WHERE u.id IN (
    SELECT m.user_id FROM accounts_membership m WHERE m.is_active AND m.agency_id IN (
        SELECT agency_id FROM conferences_invitation WHERE conference_id = %(conference)s)
    UNION SELECT t.user_id FROM cases_caseteammember t JOIN conferences_agendaitem i ON i.case_id = t.case_id
          WHERE i.conference_id = %(conference)s AND t.ended_at IS NULL
    UNION SELECT %(chair)s) ORDER BY u.last_name, u.first_name;
SELECT c.id, c.reference, p.given_name, p.family_name
FROM cases_case c JOIN people_person p ON p.id = c.person_id
WHERE c.phase <> 'closed'
  AND c.id IN (SELECT case_id FROM cases_caseteammember WHERE user_id = %(chair)s AND ended_at IS NULL)
  AND c.id NOT IN (SELECT case_id FROM conferences_agendaitem WHERE conference_id = %(conference)s)
ORDER BY c.reference LIMIT 200"""

OVERSIGHT = """
SELECT e.id, e.occurred_at, e.operation, e.object_type, e.justification
FROM audit_auditevent e
WHERE e.occurred_at >= now() - interval '90 days'
  AND e.justification IN ('roles and capabilities administration', 'user administration',
                          'intelligence clearance asked', 'case team administration')
ORDER BY e.id DESC LIMIT 100"""


# The DPO's queue of subject access requests: the first page, newest received first, with whose each is and
# who opened it, and the count of all for the page links.
ACCESS_REQUESTS = """
SELECT count(*) FROM rights_subjectaccessrequest;
SELECT r.id, r.received_on, r.how_received, r.opened_at, r.answered_at, p.given_name, p.family_name,
       u.first_name, u.last_name
FROM rights_subjectaccessrequest r JOIN people_person p ON p.id = r.person_id
JOIN accounts_user u ON u.id = r.opened_by_id
ORDER BY r.received_on DESC, r.id DESC LIMIT 50"""


def probes(f: dict[str, Any]) -> list[Probe]:
    case, name = f["case"], f["name"]
    return [
        Probe("your account (no case data)", "scale.officer", "/account/", ACCOUNT, f),
        Probe("caseload, officer, first page", "scale.officer", "/caseload/", CASELOAD, f),
        Probe("all cases I can see, manager", "scale.manager", "/caseload/?scope=all", MANAGER_ALL, f),
        Probe(f"timeline, {f['entries']} entries", "scale.officer", f"/cases/{case}/timeline/", TIMELINE, f),
        Probe("search, officer", "scale.officer", f"/search/?q={name}", SEARCH, f),
        Probe("search, manager", "scale.manager", f"/search/?q={name}", SEARCH_MANAGER, f),
        Probe("needs attention, officer", "scale.officer", "/needs-attention/", ATTENTION_MINE, f),
        Probe("needs attention, manager", "scale.manager", "/needs-attention/", ATTENTION_AGENCY, f),
        Probe("home, manager", "scale.manager", "/", HOME_MANAGER, f),
        Probe(
            "API needs attention, manager",
            "scale.manager",
            "/api/v1/me/attention?scope=agency",
            ATTENTION_AGENCY,
            f,
        ),
        Probe("— computed, officer", "scale.officer", "/needs-attention/", ATTENTION_MINE_LIVE, f, False),
        Probe("— computed, manager", "scale.manager", "/needs-attention/", ATTENTION_AGENCY_LIVE, f, False),
        Probe("who accessed this case", "scale.dpo", f"/cases/{case}/access-log/", ACCESS_LOG, f),
        Probe("referrals received, mentor", "scale.mentor", "/referrals/", REFERRALS, f),
        Probe("conferences, chair", "scale.chair", "/conferences/", CONFERENCES, f),
        Probe("conference agenda, chair", "scale.chair", f"/conferences/{f['conference']}/", MEETING, f),
        Probe("access oversight, DPO", "scale.dpo", "/oversight/access/", OVERSIGHT, f),
        Probe("subject access requests, DPO", "scale.dpo", "/subject-access/", ACCESS_REQUESTS, f),
    ]


def raw(sql: str, params: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        with connection.cursor() as cursor:
            for statement in sql.split(";\n"):  # a page's rows may take two statements
                cursor.execute(statement, params)
                cursor.fetchall()

    return run


def page(client: Client, url: str) -> Callable[[], None]:
    def run() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


def by_gate_sql(client: Client, url: str) -> Callable[[], None]:
    """The page with the gate's SQL form for every condition (no scope decided from facts: as before
    session 10, and as for a viewer whose scope is wider than `SMALL_SCOPE`)."""
    from throughcare.sharing import access

    run_page = page(client, url)

    def run() -> None:
        small, access.SMALL_SCOPE = access.SMALL_SCOPE, 0
        wide = dict(access._WIDE)
        try:
            run_page()
        finally:  # as it was: what the page itself remembers of wide scopes stays remembered
            access.SMALL_SCOPE = small
            access._WIDE.clear()
            access._WIDE.update(wide)

    return run


def keeping(on: bool) -> None:
    """Needs attention kept for today (as after the daily run), or not (computed live on each view)."""
    today = timezone.localdate()
    KeptDay.objects.update_or_create(key=1, defaults={"day": today if on else today - timedelta(days=1)})


class SqlClock:
    """The time a page's queries spend in the database driver (sent, run, their rows received): the page's
    SQL, apart from Django building and compiling it. A wrapper around each execution (Django's
    `execute_wrapper`); psycopg receives a statement's rows before `execute` returns."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def measure(probe: Probe, client: Client) -> dict[str, Any]:
    steps = {"page": page(client, probe.url), "raw": raw(probe.raw, probe.params)}
    if FORMS:
        steps["sql form"] = by_gate_sql(client, probe.url)
    keeping(probe.kept)
    for step in steps.values():
        step()
    with CaptureQueriesContext(connection) as captured:
        steps["page"]()
    queries = list(captured.captured_queries)
    times: dict[str, list[float]] = {name: [] for name in steps}
    sql: list[float] = []
    for _ in range(RUNS):
        for name, step in steps.items():
            clock = SqlClock()
            with connection.execute_wrapper(clock):
                started = time.perf_counter()
                step()
                times[name].append((time.perf_counter() - started) * 1000)
            if name == "page":
                sql.append(clock.seconds * 1000)
    times["page sql"] = sql
    statements = [(text, None) for query in queries for text in query["sql"].split(";\n")]
    floor = floor_shapes(client)
    database = {
        "page db": in_database(statements),
        "own db": in_database([s for s in statements if shape(s[0]) not in floor]),
        "raw db": in_database([(text, probe.params) for text in probe.raw.split(";\n")]),
    }
    own = [(t, in_database([(t, None)])) for t, _ in statements if QUERIES and shape(t) not in floor]
    keeping(True)
    slowest = max(queries, key=lambda q: float(q["time"]), default=None)
    return {"times": times, "queries": len(queries), "slowest": slowest, "own": own, **database}


LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def shape(sql: str) -> str:
    """A statement without its literals: the same read for another user, session or time."""
    return LITERALS.sub("?", sql)


def floor_shapes(client: Client) -> set[str]:
    """The reads every signed-in page makes for this user (the session, the user, the second factor, the
    viewer, the header's count): those of *Your account* but its own list of tokens."""
    with CaptureQueriesContext(connection) as captured:
        page(client, "/account/")()
    texts = [text for q in captured.captured_queries for text in q["sql"].split(";\n")]
    return {shape(text) for text in texts if "api_apitoken" not in text}


def in_database(statements: list[tuple[str, Any]]) -> float:
    """The time the database itself spends on these reads, in ms: planning and execution as EXPLAIN
    ANALYZE reports them (no round trip, no driver, no Python), the median of three readings. Writes are
    left out (EXPLAIN ANALYZE would make them); NaN on SQLite, which reports no times."""
    if connection.vendor != "postgresql":
        return float("nan")
    readings = []
    for _ in range(3):
        total = 0.0
        with connection.cursor() as cursor:
            for sql, params in statements:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                plan = cursor.fetchone()[0][0]
                total += plan["Planning Time"] + plan["Execution Time"]
        readings.append(total)
    return statistics.median(readings)


def explain(sql: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql.split(";\n")[0])
        for (line,) in cursor.fetchall():
            print("      " + line)


def main() -> None:
    django_setup.serve_as_in_production()
    settings.SECOND_FACTOR_REQUIRED = False
    people = personas()
    f = facts(people)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM audit_auditevent")
        events = cursor.fetchone()[0]
    print(f"Scale benchmark: {cases:,} cases, {events:,} audit events, {RUNS} runs, {connection.vendor}")
    forms = f" {'sql form ms':>12}" if FORMS else ""
    print(
        f"{'page':<32} {'page ms':>9} {'p90':>7} {'raw ms':>8} {'× raw':>6} {'its sql ms':>10} {'× raw':>6} "
        f"{'queries':>8} {'in db ms':>9} {'raw db':>7} {'× raw':>6} {'own db':>7} {'× raw':>6}{forms}"
    )
    for probe in probes(f):
        if ONLY and ONLY not in probe.name:
            continue
        client = Client()
        client.force_login(people[probe.persona])
        result = measure(probe, client)
        times = result["times"]
        page_ms, raw_ms = statistics.median(times["page"]), statistics.median(times["raw"])
        sql_ms = statistics.median(times["page sql"])
        sql_form = f" {statistics.median(times['sql form']):12.1f}" if FORMS else ""
        page_db, raw_db, own_db = result["page db"], result["raw db"], result["own db"]
        print(
            f"{probe.name:<32} {page_ms:9.1f} {p90(times['page']):7.1f} {raw_ms:8.2f} "
            f"{page_ms / raw_ms:6.1f} {sql_ms:10.2f} {sql_ms / raw_ms:6.1f} {result['queries']:8d} "
            f"{page_db:9.2f} {raw_db:7.2f} {page_db / raw_db:6.1f} "
            f"{own_db:7.2f} {own_db / raw_db:6.1f}{sql_form}"
        )
        if QUERIES:
            for text, ms in result["own"]:
                print(f"    {ms:6.2f} ms  {' '.join(text.split())[:160]}")
        if EXPLAIN and result["slowest"]:
            print(f"    slowest query ({float(result['slowest']['time']) * 1000:.1f} ms):")
            explain(result["slowest"]["sql"])


if __name__ == "__main__":
    main()
