"""The gate's rule for conferences: who sees a conference (its chair, those invited, those attending).

What an attendee then sees of each case on the agenda is the gate's decision per case
(`throughcare.conferences.reading`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from throughcare.accounts.models import Agency, User
from throughcare.conferences.models import Attendance, Conference, Invitation
from throughcare.sharing.access import viewer_for

# Conferences: what an attendee sees ---------------------------------------------------------------
#
# A conference is seen by its chair and those invited (by name, or every worker of an invited agency) or
# recorded as attending. For each case on the agenda an attendee sees the case only as far as the gate
# lets them; beyond that, only the chair's briefing for that meeting (a recorded disclosure). Restricted
# sections of the minutes are shown only to cleared users.


@dataclass(frozen=True)
class ConferenceStanding:
    is_chair: bool
    cleared: bool
    agency: Agency | None


def conference_standing(user: User, conference: Conference) -> ConferenceStanding | None:
    viewer = viewer_for(user)
    agency = next(iter(viewer.agency_objects.values()), None)
    if conference.chair_id == user.pk:
        return ConferenceStanding(True, viewer.cleared, agency)
    invited = conference.invitations.filter(
        Q(user=user) | Q(user__isnull=True, agency__in=list(viewer.agencies))
    )
    attending = conference.attendance.filter(user=user)
    if invited.exists() or attending.exists():
        return ConferenceStanding(False, viewer.cleared, agency)
    return None


def get_conference_for_user(user: User, conference_id: int) -> tuple[Conference, ConferenceStanding]:
    """The one way to open a conference. Not invited raises Http404, exactly like missing."""
    conference = Conference.objects.select_related("chair").filter(pk=conference_id).first()
    standing = conference_standing(user, conference) if conference is not None else None
    if conference is None or standing is None:
        raise Http404("No conference found")
    return conference, standing


def conferences_for(user: User) -> QuerySet[Conference]:
    """Conferences the user chairs, is invited to (by name or agency) or attended."""
    # Each way in as a list of conference ids: joined to invitations and attendance, the rows multiplied
    # and had to be made distinct again (every column of every conference compared, on every list).
    viewer = viewer_for(user)
    by_name = Invitation.objects.filter(user=user).values("conference")
    by_agency = Invitation.objects.filter(user__isnull=True, agency__in=list(viewer.agencies))
    attended = Attendance.objects.filter(user=user).values("conference")
    return Conference.objects.filter(
        Q(chair=user) | Q(pk__in=by_name) | Q(pk__in=by_agency.values("conference")) | Q(pk__in=attended)
    )
