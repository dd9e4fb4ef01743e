"""The rights app's answers to `throughcare.cases.facts.RightsFacts`."""

from __future__ import annotations

from throughcare.cases.models import Case
from throughcare.rights.models import AccessRestriction


class RightsFacts:
    def withheld_categories(self, case: Case) -> set[str]:
        return set(
            AccessRestriction.objects.filter(request__person_id=case.person_id).values_list(
                "category", flat=True
            )
        )
