"""Pages of a long list whose cost follows the page, not the list.

Django's paginator counts every row and its template printed a link per page (925 links for a manager at
32,000 cases). Here the count stops at `LIST_COUNT_CAP` (the caption then says "more than"), and the links
are elided around the current page: first, last, and two either side.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    def __init__(self, object_list: QuerySet[Any], per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap if cap is not None else settings.LIST_COUNT_CAP
        self.capped = False

    @cached_property
    def count(self) -> int:
        """How many rows, up to the cap: `SELECT count(*) FROM (… LIMIT cap + 1)`."""
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        counted = rows.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)


def paginate(rows: QuerySet[Any] | Sequence[Any], per_page: int, number: Any) -> Page:  # type: ignore[type-arg]
    """The page asked for (the first if the number is not one, the last if past the end), with `links`:
    the page numbers to show, `Paginator.ELLIPSIS` where some are left out. A query is counted up to the
    cap; a list already in memory is counted whole."""
    paginator = CappedPaginator(rows, per_page) if isinstance(rows, QuerySet) else Paginator(rows, per_page)
    page = paginator.get_page(number)
    page.links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))  # type: ignore[attr-defined]
    return page
