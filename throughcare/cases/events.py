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
    label: str  # how the conference is named, e.g. "Release conference, 3 Mar 2026"


@dataclass(frozen=True, kw_only=True)
class ConferenceDecisionRecorded(DomainEvent):
    type: ClassVar[str] = "conference.decision_recorded"
    category: ClassVar[str] = DataCategory.RISK
    conference_id: int
    decision_id: int
    triggers_plan_review: bool
    summary: str  # "<conference>: <decision>", as the plan review it triggers says


@dataclass(frozen=True, kw_only=True)
class EntryErased(DomainEvent):
    """A timeline entry was erased (the event says which, never what it said)."""

    type: ClassVar[str] = "case.entry_erased"
    category: ClassVar[str] = DataCategory.GENERAL
    entry_id: int


ALL_EVENTS: tuple[type[DomainEvent], ...] = (
    CaseOpened,
    CasePhaseChanged,
    CaseReleased,
    IntelligenceRecorded,
    ReleaseConferenceRecorded,
    ConferenceDecisionRecorded,
    EntryErased,
)
