"""The one port through which the cases layer asks the gate, which sits above it.

The cases layer keeps the case, its team and timeline; the gate (`throughcare.sharing.access`) decides who
may see and change them from the sharing policy data, and so must import the cases layer. The few things the
cases layer itself needs from the gate — the SQL conditions behind `Case.objects.visible_to(user)` and the
writer and capability checks of the case's own verbs — are this protocol. The access layer installs its
implementation at start-up (`SharingConfig.ready`); no module of this layer imports the gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from throughcare.accounts.models import User

if TYPE_CHECKING:  # types only: the models module imports this one
    from throughcare.cases.models import Case, CaseData
    from throughcare.cases.standing import Capability, Standing


class Gate(Protocol):
    def cases_q(self, user: User, *, per_case: bool = False) -> Q:
        """Cases the user may open. `per_case`: the same cases, as a condition probed for each case the
        query reads (for a list that walks an index in its order and stops at its page)."""

    def count_cases(self, user: User, cap: int) -> int:
        """How many cases the user may open, counted up to `cap` + 1."""

    def category_q(self, user: User, category: str) -> Q:
        """Of those, the cases whose `category` the user holds."""

    def identity_q(self, user: User, *, per_case: bool = False) -> Q:
        """Cases whose person's names the user may see (`per_case`: probed for each case, for a page of
        cases already read through the gate)."""

    def identity_held(self, user: User, case_ids: list[int]) -> set[int]:
        """Of these few cases (a page), those whose person's names the user may see."""

    def rows_q(self, user: User, model: type[CaseData]) -> Q:
        """Rows of a case-data model the user may see (case and category)."""

    def standing_on_case(self, user: User, case: Case) -> Standing:
        """The user's standing on a case fetched through the gate (Http404 when there is none)."""

    def require_writer(self, by: User, case: Case, category: str | None, *, doing: str) -> Standing:
        """The writer's standing, or ActionRefused saying who may."""

    def require_capability(self, user: User, capability: Capability, *, doing: str, case: Case) -> None:
        """ActionRefused unless the user holds the capability on the case."""

    def is_cleared(self, user: User) -> bool:
        """Whether the user may read and write intelligence."""

    def statistics_q(self, user: User, model: type[CaseData] | None = None) -> Q:
        """Rows of a case-data model (or, with None, cases) a statistics computation may count."""


_installed: list[Gate] = []


def install(gate: Gate) -> None:
    _installed[:] = [gate]


def gate() -> Gate:
    if not _installed:
        raise ImproperlyConfigured("No access gate installed: is throughcare.sharing in INSTALLED_APPS?")
    return _installed[0]
