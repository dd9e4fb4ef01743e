"""What the gate decides about a user and a case, as types the layers below and above it share.

The gate itself (`throughcare.sharing.access`) sits above the cases layer; these are its answers: why a
user may open a case (`Relation`), what they may do and see there (`Standing`), and the decisions that
belong to a function (`Capability`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from throughcare.accounts.models import Agency
from throughcare.cases.models import DataCategory

INTELLIGENCE = DataCategory.INTELLIGENCE


class Relation(StrEnum):
    """Why a user may open a case, strongest first."""

    LEAD = "lead"  # the active lead place on the case team
    TEAM = "team"  # another active place on the case team
    FORMER = "former"  # a place ended less than RESIDUAL_ACCESS_DAYS ago: read only
    MANAGER = "manager"  # a manager of an agency with an active place: read only
    AGREEMENT = "agreement"  # a sharing agreement in force: read only
    BREAK_GLASS = "break_glass"  # emergency access: read only
    DATA_PROTECTION = "data_protection"  # the DPO reviewing a training case made from it: read only


WORKING_RELATIONS = frozenset({Relation.LEAD, Relation.TEAM, Relation.FORMER, Relation.MANAGER})


@dataclass(frozen=True)
class Standing:
    """The user's relationship to a case: what justifies their access, whether they may write, and
    which data categories of it they may see."""

    agency: Agency | None
    justification: str
    can_write: bool
    categories: frozenset[str] = frozenset()
    relation: Relation = Relation.TEAM

    @property
    def sees_intelligence(self) -> bool:
        return INTELLIGENCE in self.categories

    @property
    def is_lead(self) -> bool:
        return self.relation == Relation.LEAD

    @property
    def works_on_case(self) -> bool:
        """On the team (or recently was), or managing it — rather than holding an agreement or break-glass."""
        return self.relation in WORKING_RELATIONS

    def holds(self, category: str | None) -> bool:
        """May see this category of the case (None: the case record itself, which every standing sees)."""
        return category is None or category in self.categories


class Capability(StrEnum):
    CHANGE_PHASE = "change_phase"  # the lead of the case, or a manager of the lead's agency
    MANAGE_SHARING = "manage_sharing"  # the same: agreements, consent overrides, restrictions
    MANAGE_TEAM = "manage_team"  # the same: who is on the case team, in which role
    CHAIR_CONFERENCES = "chair_conferences"  # panel chairs (a membership capability) and case leads
    DECIDE_REQUESTS = "decide_requests"  # delegated authority for risk-relevant requests
    OVERRIDE_CONSENT = "override_consent"
    BREAK_GLASS = "break_glass"
    COMPUTE_STATISTICS = "compute_statistics"  # analysts: aggregates of case data, never a row
    PUBLISH_STATISTICS = "publish_statistics"  # a second person approves what statistics are published
    REVIEW_CASE = "review_case"  # a manager of an agency on the case, or a panel chair: a case review
    BUILD_TRAINING = "build_training"  # trainers: turn a case they may see into a training case
    REVIEW_TRAINING = "review_training"  # the DPO or a trainer: approve a training case or a lesson
