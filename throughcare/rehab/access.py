"""The gate's rule for referrals: what the provider of a programme sees.

Built from the gate's own policy (`throughcare.sharing.access`): someone on the case sees a referral as
they see the case's interventions; a provider's worker sees only what the rule below allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import DataCategory
from throughcare.rehab.models import Referral
from throughcare.sharing.access import NOTHING, Policy, Refs, Viewer, case_standing_or_none, viewer_for
from throughcare.sharing.models import Consent

# Referrals: what a provider sees ------------------------------------------------------------------
#
# A provider of a programme is not on the case team. Its workers see a submitted referral — the curated
# summary the referrer chose and the delivery they record — and nothing else of the case. A referral to a
# provider that needs consent is seen only while the person's consent to that provider is in force (or the
# referral recorded a permitted override). Restriction lists apply as everywhere.


@dataclass(frozen=True)
class ReferralStanding:
    as_provider: bool  # True: sees the summary only; False: sees it as someone on the case
    agency: Agency | None
    justification: str
    can_write: bool


def referral_standing(user: User, referral: Referral) -> ReferralStanding | None:
    viewer = viewer_for(user)
    case_standing = case_standing_or_none(user, referral.case)
    if case_standing is not None and case_standing.holds(DataCategory.INTERVENTIONS):
        return ReferralStanding(
            False, case_standing.agency, case_standing.justification, case_standing.can_write
        )
    if not Referral.objects.filter(pk=referral.pk).filter(provider_referrals_q(viewer)).exists():
        return None
    provider = referral.programme.provider_id
    return ReferralStanding(True, viewer.agency_objects[provider], "provider of the programme", True)


def provider_referrals_q(viewer: Viewer) -> Q:
    """Referrals a provider's worker may see, in SQL: submitted to a programme of their agency, on a case
    whose restriction lists do not keep them out, and — where the programme needs consent — with the
    person's consent to the provider in force (or a recorded override)."""
    if not viewer.agencies:
        return NOTHING
    policy = Policy(viewer, Refs(case="case", person="case__person", category=None))
    # The person's consent found through the case (`person__cases`), so that the list's query needs no
    # join to the cases to test it: its rows are sorted narrow, and their details joined for a page.
    consent = Consent.objects.in_force(viewer.now).filter(
        person__cases=OuterRef("case"), recipient_agency=OuterRef("programme__provider")
    )
    return (
        Q(programme__provider__in=list(viewer.agencies))
        & ~Q(status="started")
        & policy.not_restricted()
        & (Q(programme__requires_consent=False) | ~Q(consent_override_reason="") | Q(Exists(consent)))
    )


def get_referral_for_user(user: User, referral_id: int) -> tuple[Referral, ReferralStanding]:
    """The one way to open a referral. Not visible raises Http404, exactly like missing."""
    referral = (
        Referral.objects.select_related("case__person", "programme__provider").filter(pk=referral_id).first()
    )
    standing = referral_standing(user, referral) if referral is not None else None
    if referral is None or standing is None:
        raise Http404("No referral found")
    return referral, standing


def provider_referrals(user: User) -> QuerySet[Referral]:
    """Referrals to programmes the user's agencies provide, as the gate lets the user see them, newest
    first, without their details (to sort and count them narrow; `with_details` adds what a list shows, and
    a page of them is read with `provider_standings`)."""
    return Referral.objects.filter(provider_referrals_q(viewer_for(user))).order_by("-submitted_at", "-pk")


def with_details(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """The referrals with what a list of them shows: the case and its person, the programme and its
    provider, the referring agency."""
    return referrals.select_related("case__person", "programme__provider", "referring_agency")


def provider_standings(user: User, referrals: Iterable[Referral]) -> list[tuple[Referral, ReferralStanding]]:
    """Each referral with the standing its provider has on it."""
    agencies = viewer_for(user).agency_objects
    return [
        (r, ReferralStanding(True, agencies[r.programme.provider_id], "provider of the programme", True))
        for r in referrals
    ]
