"""Pages of a long list whose cost follows the page, not the list.

Django's paginator counts every row and its template printed a link per page (925 links for a manager at
32,000 cases). Here the count stops at `LIST_COUNT_CAP` (the caption then says "more than"), and the links
are elided around the current page: first, last, and two either side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.utils.functional import cached_property


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        cap: int | None = None,
        counter: Callable[[int], int] | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap if cap is not None else settings.LIST_COUNT_CAP
        self.capped = False
        self.counter = counter

    @cached_property
    def count(self) -> int:
        """How many rows, up to the cap: `SELECT count(*) FROM (… LIMIT cap + 1)`, or as `counter` counts
        them up to a cap + 1 (the same rows, counted a better way). The rows' columns are left out (a list's
        annotations are subqueries per row: a case list's lead agency, 10,000 times)."""
        if self.counter is not None:
            counted = self.counter(self.cap)
        else:
            rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
            if not (rows.query.combinator or rows.query.distinct or rows.query.group_by):
                rows = rows.values("pk")
            counted = rows.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)


def paginate(
    rows: QuerySet[Any] | Sequence[Any],
    per_page: int,
    number: Any,
    counter: Callable[[int], int] | None = None,
) -> Page:  # type: ignore[type-arg]
    """The page asked for (the first if the number is not one, the last if past the end), with `links`:
    the page numbers to show, `Paginator.ELLIPSIS` where some are left out. A query is counted up to the
    cap (by `counter`, given the cap, if one is given); a list already in memory is counted whole."""
    if isinstance(rows, QuerySet):
        paginator: Paginator = CappedPaginator(rows, per_page, counter=counter)  # type: ignore[type-arg]
    else:
        paginator = Paginator(rows, per_page)
    page = paginator.get_page(number)
    page.links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))  # type: ignore[attr-defined]
    return page


# Walking an index to the page ------------------------------------------------------------------------------
#
# A list sorted by an indexed column can be read two ways. Sorting: find every row in the viewer's scope,
# sort them, keep the page; the cost follows the scope (a manager's 20,000 cases). Walking: read the rows in
# the index's order and test each against the scope until the page is full; the cost follows how far the
# page's last row lies, about end × total ÷ scope rows when the scope is spread evenly. A manager of half
# the service walks about 50 rows for the first page; an officer with ten cases among 250,000 would walk
# them all. The count, read first, tells which: walk when its rows (each tested by a few index probes,
# PROBE_COST) cost less than sorting the scope.

PROBE_COST = 4


def estimated_rows(model: type[Model]) -> int:
    """How many rows the table holds: PostgreSQL's statistics (no scan), a count elsewhere."""
    db = router.db_for_read(model)
    estimate = -1  # PostgreSQL's "never analysed"
    if connections[db].vendor == "postgresql":
        with connections[db].cursor() as cursor:
            sql = "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass"
            cursor.execute(sql, [model._meta.db_table])
            row = cursor.fetchone()
        estimate = int(row[0]) if row else -1
    return estimate if estimate >= 0 else model._default_manager.using(db).count()


def walking_pays(count: int, end: int, total: int) -> bool:
    """Whether walking to a page's last row (`end`, 1-based) through a table of `total` rows of which the
    scope holds `count` costs less than sorting the scope."""
    return count > 0 and PROBE_COST * end * total <= count * count


def read_page(page: Page, rows: QuerySet[Any]) -> None:  # type: ignore[type-arg]
    """Read the page's rows from `rows` (the same rows, in the same order, with more columns than the
    query that was counted): the count and the page number stay."""
    bottom = (page.number - 1) * page.paginator.per_page
    page.object_list = list(rows[bottom : bottom + page.paginator.per_page])


def read_page_in_two(
    page: Page,  # type: ignore[type-arg]
    rows: QuerySet[Any],
    detailed: Callable[[QuerySet[Any]], QuerySet[Any]],
) -> None:
    """Read the page's rows in two steps: their ids from `rows`, sorted narrow (only the columns its order
    and conditions need), then those rows, still through `rows`' conditions, from `detailed` (the joins a
    list shows): the joins are made for the page's rows, not for every row sorted."""
    read_page(page, rows.values_list("pk", flat=True))
    ids = list(page.object_list)
    found = {row.pk: row for row in detailed(rows.filter(pk__in=ids))}
    page.object_list = [found[pk] for pk in ids if pk in found]


def walk_to_page(page: Page, walked: Callable[[], QuerySet[Any]]) -> bool:  # type: ignore[type-arg]
    """Read the page's rows from `walked()` (the same rows, in the same order, as a query that walks an
    index) when walking pays; the count and the page number stay. Returns whether it walked."""
    paginator = page.paginator
    model = paginator.object_list.model  # type: ignore[attr-defined]
    if not walking_pays(paginator.count, page.end_index(), estimated_rows(model)):
        return False
    page.object_list = list(walked()[page.start_index() - 1 : page.end_index()])
    return True
