"""The access gate: the one way to fetch a case, and why the user may see it.

A case the user may not see raises Http404 exactly like one that does not exist, so that the
answer never reveals that a case exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from throughcare.accounts.models import Agency, Membership, Role, User
from throughcare.cases.models import Case, CaseTeamMember


@dataclass(frozen=True)
class Standing:
    """The user's relationship to a case: what justifies their access, and whether they may write."""

    agency: Agency | None
    justification: str
    can_write: bool


def get_case_for_user(user: User, case_id: int, *, write: bool = False) -> Case:
    try:
        case = Case.objects.visible_to(user).select_related("person").get(pk=case_id)
    except Case.DoesNotExist:
        raise Http404("No case found") from None
    if write and not standing_on_case(user, case).can_write:
        raise PermissionDenied("Only members of the case team can change this case.")
    return case


def standing_on_case(user: User, case: Case) -> Standing:
    """Why the user may see this case. The caller has already fetched the case through the gate."""
    place = (
        CaseTeamMember.objects.active()
        .with_active_agency_membership()
        .filter(case=case, user=user)
        .select_related("agency")
        .first()
    )
    if place is not None:
        return Standing(place.agency, f"case team: {place.get_responsibility_display().lower()}", True)
    managing = (
        Membership.objects.filter(user=user, role=Role.MANAGER, is_active=True)
        .filter(agency__case_places__case=case, agency__case_places__ended_at__isnull=True)
        .select_related("agency")
        .first()
    )
    if managing is not None:
        return Standing(managing.agency, f"manager of {managing.agency.label} on the case team", False)
    raise Http404("No case found")
