"""The gate's SQL conditions, written by hand (`lib.sql.OnRow` carries them into a query).

Which cases a viewer may open is a UNION of indexed lookups — their team places, the current places of
the agencies they manage, the agreements in force for their agencies (those needing consent only with
consent in force), their open break-glass — less the cases a restriction list keeps them out of; which
categories of a case they hold is an OR of grants on the same facts. Built with the ORM these cost 4–11
ms of Python on every list of a wide scope (a manager's), more than the database took; here each is a
few lines of SQL. `sharing/tests/test_conditions.py` holds each to the ORM form it replaced (kept there
as the specification), and the gate's property tests hold the lists to the written policy.

`{case}`, `{person}` and `{category}` below are the outer row's columns, compiled by Django.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

from django.utils import timezone

from throughcare.accounts.models import User
from throughcare.lib.sql import Text, among
from throughcare.sharing.models import LegalBasis, Restriction


class Viewer(Protocol):
    """What these conditions read of the viewer (`access.Viewer`)."""

    @property
    def user(self) -> User: ...
    @property
    def agencies(self) -> dict[int, str]: ...
    @property
    def managed(self) -> dict[int, str]: ...
    @property
    def now(self) -> datetime: ...
    @property
    def residual_since(self) -> datetime: ...
    def categories(self, kind: str, mode: str) -> list[str]: ...
    def holdable(self, kind: str) -> list[str]: ...


def candidates(v: Viewer, case: str | None) -> Text:
    """The case ids some rule opens to the viewer (one SELECT of `case_id` per rule, UNION ALL); with
    `case`, each part probes that case only (for a list that tests the cases it walks)."""
    arms: list[str] = []
    params: list[Any] = []

    def arm(sql: str, values: list[Any], column: str) -> None:
        if case is not None:
            sql += f" AND {column} = {case}"
        arms.append(sql)
        params.extend(values)

    if v.agencies:
        agencies, agency_ids = among("m.agency_id", v.agencies)
        arm(
            "SELECT m.case_id FROM cases_caseteammember m WHERE m.user_id = %s AND "
            f"{agencies} AND (m.ended_at IS NULL OR m.ended_at > %s)",
            [v.user.pk, *agency_ids, v.residual_since],
            "m.case_id",
        )
    if v.managed:
        managed, managed_ids = among("m.agency_id", v.managed)
        current = f"SELECT m.case_id FROM cases_caseteammember m WHERE {managed} AND m.ended_at IS NULL"
        arm(current, managed_ids, "m.case_id")
    if v.agencies:
        in_force, in_force_params = _agreement_in_force(v)
        arm(
            f"SELECT a.case_id FROM sharing_sharingagreement a WHERE {in_force} AND NOT ({CONSENT_ONLY})",
            [*in_force_params, LegalBasis.CONSENT],
            "a.case_id",
        )
        consented, consented_params = _consent_in_force(v, "c.person_id", ("a.recipient_agency_id", []))
        arm(
            "SELECT a.case_id FROM sharing_agreementcategory ac "
            "JOIN sharing_sharingagreement a ON a.id = ac.agreement_id JOIN cases_case c ON c.id = a.case_id "
            f"WHERE {in_force} AND {CONSENT_ONLY} AND ac.category IN (SELECT cc.category {consented})",
            [*in_force_params, LegalBasis.CONSENT, *consented_params],
            "a.case_id",
        )
    arm(
        "SELECT b.case_id FROM sharing_breakglass b WHERE b.user_id = %s AND b.expires_at > %s",
        [v.user.pk, v.now],
        "b.case_id",
    )
    return " UNION ALL ".join(arms), params


def among_candidates(v: Viewer, case: str) -> Text:
    """The case is among the candidates: PostgreSQL reads the UNION once and joins the cases by id (the
    cost follows the viewer's scope, not the service)."""
    sql, params = candidates(v, None)
    return f"{case} IN ({sql})", params


def each_case(v: Viewer, case: str) -> Text:
    """The same, probed for each case the outer query reads: for a list that walks an index in its order
    and stops at its page (an EXISTS over a UNION is never turned into a hash of the whole scope)."""
    sql, params = candidates(v, case)
    return f"EXISTS ({sql})", params


def not_restricted(v: Viewer, case: str) -> Text:
    """No restriction list in force keeps the viewer out: not on a "never" list, and on every "only"
    list there is (there is at most one per case and kind)."""
    of_case = (
        f"SELECT 1 FROM sharing_restriction r WHERE r.case_id = {case} "
        "AND r.removed_at IS NULL AND r.kind = %s"
    )
    never, only, me = Restriction.Kind.NEVER, Restriction.Kind.ONLY, v.user.pk
    return (
        f"NOT EXISTS ({of_case} AND r.user_id = %s) "
        f"AND (NOT EXISTS ({of_case}) OR EXISTS ({of_case} AND r.user_id = %s))",
        [never, me, only, only, me],
    )


def granted(v: Viewer, literal: str | None, columns: dict[str, str]) -> Text:
    """Some grant gives the viewer the row's category on its case: the column `category`, or `literal`
    (one category asked of cases). A grant is a place on the team in one of their agencies (the kind's
    rule: always, or with the person's consent to that agency), an agreement in force naming the category
    (one needing consent only with it), the current place of an agency they manage (the kind's "always"
    categories), or their open break-glass. The caller adds the candidates, the restriction lists and,
    for rows, that intelligence is never granted this way."""
    case, person = columns["case"], columns["person"]
    category: Text = ("%s", [literal]) if literal is not None else (columns["category"], [])
    arms: list[Text | None] = []
    for agency, kind in v.agencies.items():
        team = (
            f"EXISTS (SELECT 1 FROM cases_caseteammember m WHERE m.case_id = {case} AND m.user_id = %s "
            "AND m.agency_id = %s AND (m.ended_at IS NULL OR m.ended_at > %s))",
            [v.user.pk, agency, v.residual_since],
        )
        consented = _joined(
            "EXISTS (SELECT 1 ",
            _consent_in_force(v, person, ("%s", [agency])),
            " AND cc.category = ",
            category,
            ")",
        )
        in_force, in_force_params = _agreement_in_force(v, [agency])
        naming = _joined(
            "SELECT 1 FROM sharing_agreementcategory ac "
            "JOIN sharing_sharingagreement a ON a.id = ac.agreement_id "
            f"WHERE a.case_id = {case} AND {in_force} AND ac.category = ",
            in_force_params,
            category,
            " AND ",
        )
        free = _joined("EXISTS (", naming, f"NOT ({CONSENT_ONLY}))", [LegalBasis.CONSENT])
        needing = _joined("EXISTS (", naming, f"{CONSENT_ONLY})", [LegalBasis.CONSENT])
        arms.append(_all(_in(v.categories(kind, "always"), literal, columns), team))
        arms.append(_all(_in(v.categories(kind, "consent"), literal, columns), team, consented))
        arms.append(_all(_in(v.holdable(kind), literal, columns), _any(free, _all(needing, consented))))
    for agency, kind in v.managed.items():
        managing = (
            f"EXISTS (SELECT 1 FROM cases_caseteammember m WHERE m.case_id = {case} AND m.agency_id = %s "
            "AND m.ended_at IS NULL)",
            [agency],
        )
        arms.append(_all(_in(v.categories(kind, "always"), literal, columns), managing))
    arms.append(
        (
            f"EXISTS (SELECT 1 FROM sharing_breakglass b WHERE b.case_id = {case} AND b.user_id = %s "
            "AND b.expires_at > %s)",
            [v.user.pk, v.now],
        )
    )
    return _any(*arms) or NEVER


# An agreement that shares only with the person's consent (none recorded, none overridden); its parameter
# is `LegalBasis.CONSENT`.
CONSENT_ONLY = "a.legal_basis = %s AND a.consent_override_reason = ''"

# Conditions put together: None is a condition no row meets, ALWAYS one every row meets.
ALWAYS: Text = ("1 = 1", [])
NEVER: Text = ("1 = 0", [])


def _in(categories: list[str], literal: str | None, columns: dict[str, str]) -> Text | None:
    """The row's category is one of these (decided here for a literal)."""
    if literal is not None:
        return ALWAYS if literal in categories else None
    return among(columns["category"], categories) if categories else None


def _all(*parts: Text | None) -> Text | None:
    if any(part is None for part in parts):
        return None
    kept = [part for part in parts if part is not None and part != ALWAYS]
    if not kept:
        return ALWAYS
    return " AND ".join(f"({sql})" for sql, _ in kept), [p for _, params in kept for p in params]


def _any(*parts: Text | None) -> Text | None:
    kept = [part for part in parts if part is not None]
    if not kept:
        return None
    if ALWAYS in kept:
        return ALWAYS
    return " OR ".join(f"({sql})" for sql, _ in kept), [p for _, params in kept for p in params]


def _joined(*pieces: str | list[Any] | Text) -> Text:
    """Text and parameters in order: a string, its parameters (a list), or a (text, parameters) pair."""
    sql, params = "", []
    for piece in pieces:
        if isinstance(piece, str):
            sql += piece
        elif isinstance(piece, list):
            params += piece
        else:
            sql += piece[0]
            params += piece[1]
    return sql, params


def _agreement_in_force(v: Viewer, agencies: Collection[int] | None = None) -> Text:
    """An agreement `a` in force now for one of the viewer's agencies (or of `agencies`), or for them by
    name."""
    recipients, ids = among("a.recipient_agency_id", v.agencies if agencies is None else agencies)
    return (
        f"{recipients} AND a.revoked_at IS NULL AND a.valid_from <= %s "
        "AND (a.valid_until IS NULL OR a.valid_until > %s) "
        "AND (a.recipient_user_id IS NULL OR a.recipient_user_id = %s)",
        [*ids, v.now, v.now, v.user.pk],
    )


def _consent_in_force(v: Viewer, person: str, agency: Text) -> Text:
    """`FROM` the categories (`cc`) of the consents in force today from `person` (a column) to `agency` (a
    column, or a placeholder and its parameter)."""
    today = timezone.localdate(v.now)
    return _joined(
        "FROM sharing_consentcategory cc JOIN sharing_consent co ON co.id = cc.consent_id "
        f"WHERE co.person_id = {person} AND co.recipient_agency_id = ",
        agency,
        " AND co.withdrawn_at IS NULL AND co.given_on <= %s "
        "AND (co.expires_on IS NULL OR co.expires_on >= %s)",
        [today, today],
    )
