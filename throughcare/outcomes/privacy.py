"""Differential privacy, the formal alternative to suppression: every count of a table is released with
noise from the discrete Laplace mechanism (OpenDP), calibrated so that one table costs ε; a release's
computations may spend no more than its budget, and each spend is recorded.

One person is in exactly one cell of a table's interior, so noising each cell with scale 1/ε gives the whole
table ε (parallel composition); totals are the sums of the noisy cells (post-processing, free). Negative
counts are published as 0. Intervals are computed from the noisy counts and do not include the noise.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext

from throughcare.accounts.models import User
from throughcare.lib.errors import ActionRefused
from throughcare.outcomes.disclosure import Protected, Rules, Table
from throughcare.outcomes.models import PrivacySpend, Release


@lru_cache(maxsize=32)
def _mechanism(epsilon: float) -> Any:
    import opendp.prelude as dp  # loaded only when a release asks for differential privacy

    dp.enable_features("contrib")
    space = dp.atom_domain(T=int), dp.absolute_distance(T=int)
    measurement = space >> dp.m.then_laplace(scale=1.0 / epsilon)
    assert measurement.map(1) <= epsilon + 1e-9  # one person moves one count by one: ε
    return measurement


def noisy(table: Table, epsilon: float, rules: Rules) -> Protected:
    """The table with every interior count noised (ε for the whole table) and its totals summed."""
    mechanism = _mechanism(epsilon)
    cells = np.vectorize(lambda count: max(0, mechanism(int(count))), otypes=[np.int64])(table.cells)
    shown = Table(table.title, table.rows, table.columns, cells, table.row_dimension, table.key).augmented()
    return Protected(table, shown, np.zeros(shown.shape, dtype=bool), rules)


def spend(release: Release, tables: int, *, by: User) -> float:
    """Record the ε one computation of the release spends, split over its tables; refused when the
    release's budget cannot cover it. Returns ε per table."""
    if release.epsilon <= 0 or release.epsilon_budget <= 0:
        raise ActionRefused(gettext("Set ε for the computation and the release's budget"), field="epsilon")
    with transaction.atomic():
        locked = Release.objects.select_for_update().get(pk=release.pk)
        spent = PrivacySpend.objects.filter(release=locked).aggregate(total=Sum("epsilon"))["total"] or 0.0
        if spent + locked.epsilon > locked.epsilon_budget + 1e-9:
            raise ActionRefused(
                gettext(
                    "The privacy budget of this release is spent (ε %(spent)s of "
                    "%(epsilon_budget)s): its figures cannot be computed again without "
                    "disclosing more."
                )
                % {"spent": format(spent, "g"), "epsilon_budget": format(locked.epsilon_budget, "g")}
            )
        PrivacySpend.objects.create(release=locked, epsilon=locked.epsilon, tables=tables, spent_by=by)
    return locked.epsilon / tables
