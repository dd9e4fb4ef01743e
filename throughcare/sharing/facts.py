"""The rows the policy decides from, read from the viewer's side with hand-written SQL.

Each page's header decides the notifications it counts from the facts of the cases they name, and an
officer's lists decide their scope from the same facts (`access._held_from_facts`). These are small
indexed lookups; through the ORM, building and compiling them cost four times what the database took
(about 6 ms of a 24 ms page). Here each statement is written once, its lists of ids expanded, and read
on the connection the ORM would have used. `access` turns the rows into the facts `decide` reads;
`sharing/tests/test_facts.py` holds each reader to the ORM query it replaces, and the gate's property
tests hold the decisions made from them to the written policy.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.db import connections, router

from throughcare.cases.models import CaseTeamMember
from throughcare.lib.sql import adapted
from throughcare.lib.sql import among as _among

Row = tuple[Any, ...]


def _connection() -> Any:
    """The connection the ORM would have read these rows on (the primary, or a replica in a read-only
    view)."""
    return connections[router.db_for_read(CaseTeamMember)]


def _rows(sql: str, params: Sequence[Any]) -> list[Row]:
    """The rows, the times and days among the parameters sent as the database stores them."""
    connection = _connection()
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapted(connection, value) for value in params])
        return [tuple(row) for row in cursor.fetchall()]


def _aware(value: datetime | None) -> datetime | None:
    """A time read by hand from SQLite comes back naive (the ORM would have made it aware: UTC)."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def places(
    user: int,
    agencies: Collection[int],
    managed: Collection[int],
    since: datetime,
    cases: Collection[int] | None,
    limit: int | None,
) -> list[Row]:
    """(case, person, user, agency, ended_at, responsibility): the viewer's own places in their agencies,
    current or ended after `since`, and the current places of the agencies they manage."""
    arms, params = [], []
    if agencies:
        among, ids = _among("m.agency_id", agencies)
        arms.append(f"(m.user_id = %s AND {among} AND (m.ended_at IS NULL OR m.ended_at > %s))")
        params += [user, *ids, since]
    if managed:
        among, ids = _among("m.agency_id", managed)
        arms.append(f"({among} AND m.ended_at IS NULL)")
        params += ids
    if not arms or cases is not None and not cases:
        return []
    sql = (
        "SELECT m.case_id, c.person_id, m.user_id, m.agency_id, m.ended_at, m.responsibility "
        "FROM cases_caseteammember m JOIN cases_case c ON c.id = m.case_id WHERE (" + " OR ".join(arms) + ")"
    )
    if cases is not None:
        among, ids = _among("m.case_id", cases)
        sql, params = f"{sql} AND {among}", params + ids
    if limit is not None:
        sql, params = f"{sql} LIMIT %s", [*params, limit]
    return [(*row[:4], _aware(row[4]), row[5]) for row in _rows(sql, params)]


def agreements(
    user: int, agencies: Collection[int], now: datetime, cases: Collection[int] | None, limit: int | None
) -> list[Row]:
    """(case, agency, category, legal basis, consent override reason, purpose, person) for each category of
    the agreements in force now for the viewer's agencies (or for them by name), in the categories' order."""
    if not agencies or cases is not None and not cases:
        return []
    among, ids = _among("a.recipient_agency_id", agencies)
    sql = (
        "SELECT a.case_id, a.recipient_agency_id, ac.category, a.legal_basis, a.consent_override_reason, "
        "a.purpose, c.person_id FROM sharing_agreementcategory ac "
        "JOIN sharing_sharingagreement a ON a.id = ac.agreement_id JOIN cases_case c ON c.id = a.case_id "
        f"WHERE {among} AND a.revoked_at IS NULL AND a.valid_from <= %s "
        "AND (a.valid_until IS NULL OR a.valid_until > %s) "
        "AND (a.recipient_user_id IS NULL OR a.recipient_user_id = %s)"
    )
    params: list[Any] = [*ids, now, now, user]
    if cases is not None:
        among, listed = _among("a.case_id", cases)
        sql, params = f"{sql} AND {among}", params + listed
    sql += " ORDER BY ac.id"
    if limit is not None:
        sql, params = f"{sql} LIMIT %s", [*params, limit]
    return _rows(sql, params)


def break_glass(user: int, now: datetime, cases: Collection[int] | None) -> list[Row]:
    """(case, person, id) of the viewer's break-glass accesses open now."""
    if cases is not None and not cases:
        return []
    sql = (
        "SELECT b.case_id, c.person_id, b.id FROM sharing_breakglass b JOIN cases_case c ON c.id = b.case_id "
        "WHERE b.user_id = %s AND b.expires_at > %s"
    )
    params: list[Any] = [user, now]
    if cases is not None:
        among, ids = _among("b.case_id", cases)
        sql, params = f"{sql} AND {among}", params + ids
    return _rows(sql, params)


def restrictions(cases: Collection[int]) -> list[Row]:
    """(case, user, kind) of the restrictions in force on these cases."""
    if not cases:
        return []
    among, ids = _among("case_id", cases)
    return _rows(
        f"SELECT case_id, user_id, kind FROM sharing_restriction WHERE {among} AND removed_at IS NULL", ids
    )


def consents(people: Collection[int], agencies: Collection[int], today: date) -> list[Row]:
    """(person, agency, category) of the consents in force today from these people for these agencies."""
    if not people or not agencies:
        return []
    of_people, people_ids = _among("co.person_id", people)
    for_agencies, agency_ids = _among("co.recipient_agency_id", agencies)
    sql = (
        "SELECT co.person_id, co.recipient_agency_id, cc.category FROM sharing_consentcategory cc "
        f"JOIN sharing_consent co ON co.id = cc.consent_id WHERE {of_people} AND {for_agencies} "
        "AND co.withdrawn_at IS NULL AND co.given_on <= %s AND (co.expires_on IS NULL OR co.expires_on >= %s)"
    )
    return _rows(sql, [*people_ids, *agency_ids, today, today])
