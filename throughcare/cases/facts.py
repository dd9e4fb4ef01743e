"""Facts about a case that custody (and rehabilitation) keep and other capabilities must read.

Custody keeps the sentence, its dates and the offences. Rehabilitation (is this a terrorism case?), the
conferences (does this release need a release conference?) and referrals (when is the release?) ask here
rather than import custody, so that no domain app depends on another. Custody provides the answers at
start-up (`CustodyConfig.ready`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from throughcare.accounts.models import User
    from throughcare.cases.models import Case
    from throughcare.people.models import Person


class SentenceFacts(Protocol):
    def is_terrorism_case(self, case: Case) -> bool:
        """A terrorism offence, or an offence with a terrorist connection, is on the case."""

    def release_date(self, case: Case) -> date | None:
        """The date the person is (or was) released: conditional release, else the earliest release."""

    def release_conference_required_by(self, case: Case) -> str:
        """The name of the jurisdiction profile that requires a release conference before this release,
        or "" when none is required."""

    def recalls_for_statistics(self, user: User, case_ids: Iterable[int]) -> dict[int, date]:
        """When each of these cases was recalled to custody, as the gate lets a statistics computation
        count it (the user's capability decides)."""

    def sentences_for_statistics(self, user: User, case_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """Each case's jurisdiction profile (its code) and sentence band, for a statistics computation."""

    def offences_for_statistics(self, user: User, case_ids: Iterable[int]) -> dict[int, str]:
        """Each case's kind of offence ("Terrorism offence", "Offence with a terrorist connection", "Other
        offence"), for a computation that counts (statistics, the rare-combination check of training)."""


_provided: list[SentenceFacts] = []


def provide(facts: SentenceFacts) -> None:
    _provided[:] = [facts]


def sentence_facts() -> SentenceFacts:
    if not _provided:
        raise ImproperlyConfigured("No sentence facts provided: is throughcare.custody in INSTALLED_APPS?")
    return _provided[0]


@dataclass(frozen=True)
class Success:
    """What a case shows of success, as a statistics computation may count it."""

    closed_on: date | None  # the case closed (with the agencies' sign-off)
    criteria_met: bool  # at that time every mandatory criterion was met or did not apply
    programmes_started: int
    programmes_completed: int
    follow_ups_done: tuple[date, ...] = ()  # the days the follow-ups after closure were held


class RehabFacts(Protocol):
    def success_for_statistics(self, user: User, case_ids: Iterable[int]) -> dict[int, Success]:
        """Closure, criteria and programmes of these cases, as the gate lets a statistics computation count
        them (the user's capability decides)."""

    def relatives(self, case: Case) -> list[tuple[Any, Person]]:
        """The family members recorded on the case (their relation's label, e.g. "Child", still to be
        translated, and themselves), for
        pseudonymisation only: their names are replaced in a training case, never shown (the caller passed
        the gate's training channel)."""


_rehab: list[RehabFacts] = []


def provide_rehab(facts: RehabFacts) -> None:
    _rehab[:] = [facts]


def rehab_facts() -> RehabFacts:
    if not _rehab:
        raise ImproperlyConfigured(
            "No rehabilitation facts provided: is throughcare.rehab in INSTALLED_APPS?"
        )
    return _rehab[0]


class RightsFacts(Protocol):
    def withheld_categories(self, case: Case) -> set[str]:
        """The categories withheld from the person in any answer to their subject access requests: what was
        judged too sensitive to give even to them is never put in a training case."""


_rights: list[RightsFacts] = []


def provide_rights(facts: RightsFacts) -> None:
    _rights[:] = [facts]


def rights_facts() -> RightsFacts:
    if not _rights:
        raise ImproperlyConfigured("No rights facts provided: is throughcare.rights in INSTALLED_APPS?")
    return _rights[0]


@dataclass(frozen=True)
class Certificate:
    """A user's certification for a licensed instrument."""

    instrument: str
    certified_on: date
    expires_on: date
    evidence: str = ""


class CertificationFacts(Protocol):
    def certificates(self, user_ids: Iterable[int]) -> dict[int, list[Certificate]]:
        """Each user's instrument certifications, newest first (for their training record)."""


_certifications: list[CertificationFacts] = []


def provide_certifications(facts: CertificationFacts) -> None:
    _certifications[:] = [facts]


def certification_facts() -> CertificationFacts:
    if not _certifications:
        raise ImproperlyConfigured("No certification facts provided: is throughcare.risk in INSTALLED_APPS?")
    return _certifications[0]
