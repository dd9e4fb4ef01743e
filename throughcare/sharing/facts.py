"""The rows the policy decides from, read from the viewer's side with hand-written SQL.

Each page's header decides the notifications it counts from the facts of the cases they name, and an
officer's lists decide their scope from the same facts (`access._held_from_facts`). These are small
indexed lookups; through the ORM, building and compiling them cost four times what the database took
(about 6 ms of a 24 ms page). Here each statement is written once, its lists of ids expanded, and read
on the connection the ORM would have used, those a decision needs sent together (`read`: one round
trip on PostgreSQL). `access` turns the rows into the facts `decide` reads;
`sharing/tests/test_facts.py` holds each reader to the ORM query it replaces, and the gate's property
tests hold the decisions made from them to the written policy.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connections, router

from throughcare.accounts.models import Agency
from throughcare.cases.models import CaseTeamMember
from throughcare.lib.sql import Text, adapted
from throughcare.lib.sql import among as _among

Row = tuple[Any, ...]


def _connection() -> Any:
    """The connection the ORM would have read these rows on (the primary, or a replica in a read-only
    view)."""
    return connections[router.db_for_read(CaseTeamMember)]


@dataclass(frozen=True)
class Statement:
    """One reading: its SQL, its parameters, and how each row read is made (times made aware)."""

    sql: str
    params: Sequence[Any]
    shape: Callable[[Row], Row] = tuple


def read(*statements: Statement | None) -> list[list[Row]]:
    """The rows of each statement (none for None: nothing to read), in order. On PostgreSQL they are sent
    together, one round trip for all (each query's wait costs about as much as its work here); SQLite,
    in the process, takes them one by one. The times and days among the parameters are sent as the
    database stores them."""
    connection = _connection()
    wanted = [statement for statement in statements if statement is not None]
    results: list[list[Row]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(wanted) > 1:
            params = [adapted(connection, value) for statement in wanted for value in statement.params]
            cursor.execute(";\n".join(statement.sql for statement in wanted), params)
            results.append(cursor.fetchall())
            while cursor.nextset():
                results.append(cursor.fetchall())
        else:
            for statement in wanted:
                cursor.execute(statement.sql, [adapted(connection, value) for value in statement.params])
                results.append(cursor.fetchall())
    shaped = iter(
        [[statement.shape(row) for row in rows] for statement, rows in zip(wanted, results, strict=True)]
    )
    return [next(shaped) if statement is not None else [] for statement in statements]


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
) -> Statement | None:
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
        return None
    sql = (
        "SELECT m.case_id, c.person_id, m.user_id, m.agency_id, m.ended_at, m.responsibility "
        "FROM cases_caseteammember m JOIN cases_case c ON c.id = m.case_id WHERE (" + " OR ".join(arms) + ")"
    )
    if cases is not None:
        among, ids = _among("m.case_id", cases)
        sql, params = f"{sql} AND {among}", params + ids
    if limit is not None:
        sql, params = f"{sql} LIMIT %s", [*params, limit]
    return Statement(sql, params, lambda row: (*row[:4], _aware(row[4]), row[5]))


def agreements(
    user: int, agencies: Collection[int], now: datetime, cases: Collection[int] | None, limit: int | None
) -> Statement | None:
    """(case, agency, category, legal basis, consent override reason, purpose, person) for each category of
    the agreements in force now for the viewer's agencies (or for them by name), in the categories' order."""
    if not agencies or cases is not None and not cases:
        return None
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
    return Statement(sql, params)


def break_glass(user: int, now: datetime, cases: Collection[int] | None) -> Statement | None:
    """(case, person, id) of the viewer's break-glass accesses open now."""
    if cases is not None and not cases:
        return None
    sql = (
        "SELECT b.case_id, c.person_id, b.id FROM sharing_breakglass b JOIN cases_case c ON c.id = b.case_id "
        "WHERE b.user_id = %s AND b.expires_at > %s"
    )
    params: list[Any] = [user, now]
    if cases is not None:
        among, ids = _among("b.case_id", cases)
        sql, params = f"{sql} AND {among}", params + ids
    return Statement(sql, params)


def restrictions(cases: Collection[int]) -> Statement | None:
    """(case, user, kind) of the restrictions in force on these cases."""
    if not cases:
        return None
    among, ids = _among("case_id", cases)
    return Statement(
        f"SELECT case_id, user_id, kind FROM sharing_restriction WHERE {among} AND removed_at IS NULL", ids
    )


def consents(people: Collection[int], agencies: Collection[int], today: date) -> Statement | None:
    """(person, agency, category) of the consents in force today from these people for these agencies."""
    if not people:
        return None
    return _consents(_among("co.person_id", people), agencies, today)


def consents_on(cases: Collection[int], agencies: Collection[int], today: date) -> Statement | None:
    """The same, from the people of these cases (read with the cases' other facts, before their people
    are known)."""
    if not cases:
        return None
    of_cases, ids = _among("c.id", cases)
    return _consents(
        (f"co.person_id IN (SELECT c.person_id FROM cases_case c WHERE {of_cases})", ids), agencies, today
    )


def _consents(people: Text, agencies: Collection[int], today: date) -> Statement | None:
    if not agencies:
        return None
    of_people, people_ids = people
    for_agencies, agency_ids = _among("co.recipient_agency_id", agencies)
    sql = (
        "SELECT co.person_id, co.recipient_agency_id, cc.category FROM sharing_consentcategory cc "
        f"JOIN sharing_consent co ON co.id = cc.consent_id WHERE {of_people} AND {for_agencies} "
        "AND co.withdrawn_at IS NULL AND co.given_on <= %s AND (co.expires_on IS NULL OR co.expires_on >= %s)"
    )
    return Statement(sql, [*people_ids, *agency_ids, today, today])


def unread_notifications(user: int) -> Statement:
    """(case, category, how many) of the user's unread notifications (the header counts those that still
    reach them)."""
    return Statement(
        "SELECT case_id, category, count(*) FROM notifications_notification "
        "WHERE recipient_id = %s AND read_at IS NULL GROUP BY case_id, category",
        [user],
    )


# The viewer: the user's memberships with their agencies, and the sharing rules -------------------------

# The agency's columns, made into an Agency as the ORM makes it: values of these types come back from
# either database as the model holds them (Django has SQLite turn a `bool` column's 0 and 1 into
# booleans). `test_facts` holds Agency's fields to them.
_AGENCY_FIELDS = list(Agency._meta.concrete_fields)
READ_AS_IS = {"AutoField", "BigAutoField", "CharField", "BooleanField"}


def memberships(user: int, flags: Sequence[str]) -> Statement:
    """(role, {flag: set or not}, agency) for each of the user's active memberships, in the order they were
    made; `flags`: the membership's boolean columns wanted."""
    wanted = ", ".join(f"m.{flag}" for flag in flags)
    agency = ", ".join(f"a.{field.column}" for field in _AGENCY_FIELDS)
    sql = (
        f"SELECT m.role, {wanted}, {agency} FROM accounts_membership m "
        "JOIN accounts_agency a ON a.id = m.agency_id WHERE m.user_id = %s AND m.is_active ORDER BY m.id"
    )
    alias, names = _connection().alias, [field.attname for field in _AGENCY_FIELDS]

    def made(row: Row) -> Row:
        held = dict(zip(flags, row[1 : 1 + len(flags)], strict=True))
        return row[0], held, Agency.from_db(alias, names, list(row[1 + len(flags) :]))

    return Statement(sql, [user], made)


def rules() -> Statement:
    """(agency kind, category, mode) of every sharing rule."""
    return Statement("SELECT agency_kind, category, mode FROM sharing_sharingrule", [])
