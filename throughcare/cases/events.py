"""The facts of a case that other capabilities react to, as domain events (`throughcare.lib.events`).

Each is emitted by the capability that records it, inside its transaction; the reactions are subscribed at
start-up by the apps that own them (`docs/architecture.md` lists who emits and who reacts). They are
named as facts of the domain, carry ids and plain values only, and name the data category of what they
tell, so that the API can publish them to the systems entitled to that category.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from throughcare.cases.models import DataCategory
from throughcare.lib.events import DomainEvent
from throughcare.lib.wording import Wording


@dataclass(frozen=True, kw_only=True)
class CaseOpened(DomainEvent):
    type: ClassVar[str] = "case.opened"
    category: ClassVar[str] = DataCategory.GENERAL
    phase: str


@dataclass(frozen=True, kw_only=True)
class CasePhaseChanged(DomainEvent):
    type: ClassVar[str] = "case.phase_changed"
    category: ClassVar[str] = DataCategory.GENERAL
    from_phase: str
    to_phase: str


@dataclass(frozen=True, kw_only=True)
class CaseReleased(DomainEvent):
    """The person was released into the community (the case moved from custody to community)."""

    type: ClassVar[str] = "case.released"
    category: ClassVar[str] = DataCategory.GENERAL
    released_on: date
    release_conference_overridden: bool  # a manager released without the required conference


@dataclass(frozen=True, kw_only=True)
class IntelligenceRecorded(DomainEvent):
    """Intelligence was recorded on the case (the event says only that it exists)."""

    type: ClassVar[str] = "case.intelligence_recorded"
    category: ClassVar[str] = DataCategory.INTELLIGENCE


@dataclass(frozen=True, kw_only=True)
class ReleaseConferenceRecorded(DomainEvent):
    type: ClassVar[str] = "conference.release_recorded"
    category: ClassVar[str] = DataCategory.GENERAL
    conference_id: int
    label: Wording  # how the conference is named, e.g. "Release conference of 3 Mar 2026" (English published)


@dataclass(frozen=True, kw_only=True)
class ConferenceDecisionRecorded(DomainEvent):
    type: ClassVar[str] = "conference.decision_recorded"
    category: ClassVar[str] = DataCategory.RISK
    conference_id: int
    decision_id: int
    triggers_plan_review: bool
    # "<conference>: <decision>", as the plan review it triggers says: read in the reader's language where it
    # is shown, English where the event is published (`as_dict`)
    summary: Wording


@dataclass(frozen=True, kw_only=True)
class EntryErased(DomainEvent):
    """A timeline entry was erased (the event says which, never what it said)."""

    type: ClassVar[str] = "case.entry_erased"
    category: ClassVar[str] = DataCategory.GENERAL
    entry_id: int


@dataclass(frozen=True, kw_only=True)
class CaseClosed(DomainEvent):
    """The case was closed (criteria met, the agencies signed off)."""

    type: ClassVar[str] = "case.closed"
    category: ClassVar[str] = DataCategory.GENERAL


@dataclass(frozen=True, kw_only=True)
class ResponsibilityChanged(DomainEvent):
    """Who is responsible for the case changed (recomputed from the sentence, or overridden)."""

    type: ClassVar[str] = "case.responsibility_changed"
    category: ClassVar[str] = DataCategory.LEGAL
    responsible: str  # the kind of agency now responsible, e.g. "probation"
    reason: str


@dataclass(frozen=True, kw_only=True)
class HandoverStateChanged(DomainEvent):
    """The custody-to-community handover started, was accepted, completed or abandoned."""

    type: ClassVar[str] = "handover.state_changed"
    category: ClassVar[str] = DataCategory.LEGAL
    handover_id: int
    state: str


@dataclass(frozen=True, kw_only=True)
class InformationRecorded(DomainEvent):
    """Incoming information was recorded and must be acknowledged (the event never carries its summary)."""

    type: ClassVar[str] = "information.recorded"
    category: ClassVar[str] = DataCategory.RISK
    information_id: int
    acknowledge_by: str


@dataclass(frozen=True, kw_only=True)
class InformationAcknowledged(DomainEvent):
    type: ClassVar[str] = "information.acknowledged"
    category: ClassVar[str] = DataCategory.RISK
    information_id: int
    decision: str


@dataclass(frozen=True, kw_only=True)
class InformationEscalated(DomainEvent):
    """Incoming information was not acknowledged in time; the managers were told."""

    type: ClassVar[str] = "information.escalated"
    category: ClassVar[str] = DataCategory.RISK
    information_id: int


@dataclass(frozen=True, kw_only=True)
class ReviewDue(DomainEvent):
    """A review of the risk management plan is required."""

    type: ClassVar[str] = "review.due"
    category: ClassVar[str] = DataCategory.RISK
    review_id: int
    due_on: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReviewOverdue(DomainEvent):
    type: ClassVar[str] = "review.overdue"
    category: ClassVar[str] = DataCategory.RISK
    review_id: int
    due_on: date


@dataclass(frozen=True, kw_only=True)
class RequestDecided(DomainEvent):
    """A risk-relevant request (travel, residence, contact …) was decided."""

    type: ClassVar[str] = "request.decided"
    category: ClassVar[str] = DataCategory.RISK
    request_id: int
    kind: str
    outcome: str


@dataclass(frozen=True, kw_only=True)
class ReferralStateChanged(DomainEvent):
    type: ClassVar[str] = "referral.state_changed"
    category: ClassVar[str] = DataCategory.INTERVENTIONS
    referral_id: int
    state: str


@dataclass(frozen=True, kw_only=True)
class ConsentWithdrawn(DomainEvent):
    """The person withdrew consent to sharing with an agency: what it may see of the case shrinks."""

    type: ClassVar[str] = "consent.withdrawn"
    category: ClassVar[str] = DataCategory.GENERAL
    consent_id: int
    agency_id: int


@dataclass(frozen=True, kw_only=True)
class IntelligenceFlagRaised(DomainEvent):
    """ "Intelligence exists — contact the owner": the flag, never what the intelligence says."""

    type: ClassVar[str] = "intelligence.flag_raised"
    category: ClassVar[str] = DataCategory.GENERAL
    owner_id: int


ALL_EVENTS: tuple[type[DomainEvent], ...] = (
    CaseOpened,
    CasePhaseChanged,
    CaseReleased,
    IntelligenceRecorded,
    ReleaseConferenceRecorded,
    ConferenceDecisionRecorded,
    EntryErased,
    CaseClosed,
    ResponsibilityChanged,
    HandoverStateChanged,
    InformationRecorded,
    InformationAcknowledged,
    InformationEscalated,
    ReviewDue,
    ReviewOverdue,
    RequestDecided,
    ReferralStateChanged,
    ConsentWithdrawn,
    IntelligenceFlagRaised,
)
