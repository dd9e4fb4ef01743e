"""The gate's conditions on a list's cases, written by hand (`lib.sql.OnCase` carries them into a query).

Which cases a viewer may open is a UNION of indexed lookups — their team places, the current places of
the agencies they manage, the agreements in force for their agencies (those needing consent only with
consent in force), their open break-glass — less the cases a restriction list keeps them out of. Built
with the ORM this cost 4–7 ms of Python on every list of a wide scope (a manager's), more than the
database took; here each is a few lines of SQL. `sharing/tests/test_conditions.py` holds each to the ORM
form it replaced (kept there as the specification), and the gate's property tests hold the lists to the
written policy.

`{case}` below is the outer row's case column, compiled by Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from throughcare.lib.sql import Text, among
from throughcare.sharing.models import LegalBasis, Restriction

if TYPE_CHECKING:
    from throughcare.sharing.access import Viewer


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

    agencies, agency_ids = among("m.agency_id", v.agencies)
    if v.agencies:
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
        consent_only = "a.legal_basis = %s AND a.consent_override_reason = ''"
        arm(
            f"SELECT a.case_id FROM sharing_sharingagreement a WHERE {in_force} AND NOT ({consent_only})",
            [*in_force_params, LegalBasis.CONSENT],
            "a.case_id",
        )
        consented, consented_params = _consented(v)
        arm(
            "SELECT a.case_id FROM sharing_agreementcategory ac "
            "JOIN sharing_sharingagreement a ON a.id = ac.agreement_id JOIN cases_case c ON c.id = a.case_id "
            f"WHERE {in_force} AND {consent_only} AND ac.category IN ({consented})",
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


def _agreement_in_force(v: Viewer) -> Text:
    """An agreement `a` in force now for one of the viewer's agencies, or for them by name."""
    agencies, ids = among("a.recipient_agency_id", v.agencies)
    return (
        f"{agencies} AND a.revoked_at IS NULL AND a.valid_from <= %s "
        "AND (a.valid_until IS NULL OR a.valid_until > %s) "
        "AND (a.recipient_user_id IS NULL OR a.recipient_user_id = %s)",
        [*ids, v.now, v.now, v.user.pk],
    )


def _consented(v: Viewer) -> Text:
    """The categories the person of case `c` consents today to share with the agreement `a`'s agency."""
    today = timezone.localdate(v.now)
    return (
        "SELECT cc.category FROM sharing_consentcategory cc JOIN sharing_consent co ON co.id = cc.consent_id "
        "WHERE co.person_id = c.person_id AND co.recipient_agency_id = a.recipient_agency_id "
        "AND co.withdrawn_at IS NULL AND co.given_on <= %s "
        "AND (co.expires_on IS NULL OR co.expires_on >= %s)",
        [today, today],
    )
