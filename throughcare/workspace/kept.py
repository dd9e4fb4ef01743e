"""Needs attention kept ahead: every case's items computed once, read a page at a time through the gate.

Computing a whole agency's list live asks every source about thousands of cases on every view. Instead:

- **Computed for a day.** `rebuild(day)` (the daily run's last job) asks every source, without a user, for
  the items of every case as of that day: each item with its audience (`Audience`) and the category of the
  row it comes from. `KeptDay` says which day they are for. On any other day the lists are computed live,
  as before: nothing is ever shown from another day's reckoning.
- **Kept current by the database.** A trigger on every table the items are computed from (the feeds each
  capability declares) marks the cases the changed row reaches as stale (`StaleCase`), in the transaction of
  the change, however it was written. A list first computes its stale cases again (`refresh`); after a bulk
  change it computes its share of them and is itself computed live until none are left.
- **Read through the gate.** Each kept row carries its category (`category_field`): `visible_to` shows a
  user only the rows of the cases they may open, in the categories they hold. The scope (a worker's own
  cases, a manager's agencies) and the audience (everyone on the case, the owner, the lead) are conditions
  in the same query; a page reads the keys of the scope's items once (counted by heading) and then its 50
  rows.
- **The weeks of a manager's chart** (how many items were overdue at the start of each of the last eight
  weeks) are kept with the items, by case and category with a column a week (`KeptCount`), and read the
  same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from datetime import date, datetime

from django.db import connections, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as Case_
from django.db.models.functions import Coalesce

from throughcare.accounts.models import Membership, User
from throughcare.cases.contributions import (
    AttentionFeed,
    AttentionItem,
    AttentionScope,
    Audience,
    attention_feeds,
    attention_groups,
    attention_items,
)
from throughcare.cases.models import Case, CaseTeamMember, Phase
from throughcare.cases.standing import Standing
from throughcare.sharing.access import viewer_for
from throughcare.workspace.deadlines import counts_to_keep
from throughcare.workspace.models import KeptCount, KeptDay, KeptItem, StaleCase

BATCH = 1000  # cases computed together (each source asks one query per batch)
WAIT_FOR = 200  # stale cases a list computes again before it is shown; past that it is computed live


# Computing and keeping ----------------------------------------------------------------------------------


def _system(case_ids: Collection[int], today: date) -> AttentionScope:
    return AttentionScope.system(Case.objects.filter(pk__in=list(case_ids)), today)


def items_of(case_ids: Collection[int], today: date) -> list[AttentionItem]:
    """Every item of these cases as of `today`, from every source, in the order the sources give them."""
    return attention_items(_system(case_ids, today))


def keep(case_ids: Collection[int], today: date) -> int:
    """Compute the items of these cases and keep them in place of what was kept, with their overdue work
    counted on each day of a manager's chart (`deadlines.counts_to_keep`). Returns how many items."""
    orders = {group.title: group.order for group in attention_groups()}
    rows = []
    for position, item in enumerate(items_of(case_ids, today)):
        assert item.case is not None and item.category, f"a kept item needs a case and a category: {item}"
        rows.append(
            KeptItem(
                case_id=item.case.pk,
                person_id=item.case.person_id,
                case_open=item.case.phase != Phase.CLOSED,
                category=item.category,
                group=item.group,
                group_order=orders[item.group],
                position=position,
                text=item.text,
                due_on=item.due_on,
                overdue=item.overdue,
                overdue_at=item.overdue_at,
                anchor=item.anchor,
                url=item.url,
                owner=item.owner,
                audience=item.audience,
            )
        )
    counts = counts_to_keep(_system(case_ids, today))
    with transaction.atomic():
        KeptItem.objects.filter(case_id__in=list(case_ids)).delete()
        KeptItem.objects.bulk_create(rows, batch_size=2000)
        KeptCount.objects.filter(case_id__in=list(case_ids)).delete()
        KeptCount.objects.bulk_create(counts, batch_size=2000)
    return len(rows)


def rebuild(today: date) -> int:
    """Keep every case's items for `today` (the daily run). Each batch takes its cases off the stale list
    before it reads them, so that a change made meanwhile marks its case again and is not lost."""
    kept = 0
    for batch in _batches(Case.objects.order_by("pk").values_list("pk", flat=True).iterator(BATCH)):
        with transaction.atomic():
            list(StaleCase.objects.select_for_update().filter(case_id__in=batch).values_list("pk"))
            StaleCase.objects.filter(case_id__in=batch).delete()
            kept += keep(batch, today)
    KeptDay.objects.update_or_create(key=1, defaults={"day": today})
    return kept


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def refresh(today: date) -> bool:
    """Compute stale cases again (at most `WAIT_FOR`), if the items are kept for `today`. True when the kept
    items can be read: none is left stale. After a bulk change each list computes its share and is itself
    computed live, so that the marks drain as people work. Stale marks are taken under a row lock, so that
    two lists shown at once do not both compute one case; one that waited finds the marks gone and the
    items computed."""
    if not KeptDay.objects.filter(key=1, day=today).exists():
        return False
    with transaction.atomic():
        stale = StaleCase.objects.select_for_update().order_by("case_id")
        ids = list(stale.values_list("case_id", flat=True)[: WAIT_FOR + 1])
        if ids:
            StaleCase.objects.filter(case_id__in=ids[:WAIT_FOR]).delete()
            keep(ids[:WAIT_FOR], today)
    return len(ids) <= WAIT_FOR


# Reading ------------------------------------------------------------------------------------------------


def kept_for(user: User, scope: str) -> QuerySet[KeptItem]:
    """The kept items on the user's list (`scope` "mine": their cases; "agency": their agencies'), through
    the gate. Without a managed agency, a list is the user's own."""
    rows = KeptItem.objects.visible_to(user)
    open_case = Q(case_open=True)
    mine = scope == "mine" or not viewer_for(user).managed
    own = Q(owner=user)
    if mine:
        places = CaseTeamMember.objects.active().filter(case=OuterRef("case"), user=user)
        leads = places.filter(responsibility=CaseTeamMember.Responsibility.LEAD)
        on_team = open_case & Exists(places)
        return rows.filter(
            on_team
            & (
                Q(audience=Audience.CASE)
                | Q(audience=Audience.OWNER_OR_CASE, owner__isnull=True)
                | Q(audience__in=[Audience.OWNER_OR_CASE, Audience.OWNER, Audience.PERSONAL]) & own
                | Q(audience=Audience.LEAD) & Exists(leads)
            )
            | Q(audience__in=[Audience.FOLLOW_UP, Audience.ANY_CASE]) & own
        )
    managed = Membership.objects.filter(user=OuterRef("owner"), agency__in=list(viewer_for(user).managed))
    return rows.filter(
        open_case & ~Q(audience__in=[Audience.PERSONAL, Audience.FOLLOW_UP, Audience.ANY_CASE])
        | open_case & Q(audience=Audience.PERSONAL) & own
        | Q(audience=Audience.FOLLOW_UP) & Exists(managed)
        | Q(audience=Audience.ANY_CASE)
    )


def current_for(case_id: int, today: date) -> bool:
    """Whether the case's kept items hold for `today`: kept for that day, and no change since."""
    return (
        KeptDay.objects.filter(key=1, day=today).exists()
        and not StaleCase.objects.filter(case_id=case_id).exists()
    )


def of_case_as(case: Case, standing: Standing, user: User) -> QuerySet[KeptItem]:
    """The kept items of one case the gate has opened to the user, for anyone working on it (the
    overview): in the categories of their standing; of the items that ask one person, their own."""
    rows = KeptItem.objects.on_case_as(case, standing)
    return rows.exclude(Q(audience=Audience.PERSONAL) & ~Q(owner=user))


def tally(rows: QuerySet[KeptItem]) -> Counter[tuple[str, int | None]]:
    """How many of the rows there are under each heading for each person who should act on them: the
    item's owner, else the case lead (by user id; None: no one). Counted in the database, in one pass."""
    lead = CaseTeamMember.objects.leads().filter(case=OuterRef("case")).values("user")[:1]
    who = Coalesce("owner_id", Subquery(lead), output_field=BigIntegerField())
    counted = rows.annotate(who=who).values("group", "who").annotate(n=Count("pk")).order_by()
    return Counter({(row["group"], row["who"]): row["n"] for row in counted})


def by_ids(ids: list[int]) -> QuerySet[KeptItem]:
    """Kept items by the ids `kept_for` gave in this request: the rows of a page it chose."""
    return KeptItem.objects.filter(pk__in=ids)


def overdue_q(now: datetime) -> Q:
    return Q(overdue=True) | Q(overdue_at__lte=now)


def in_order(rows: QuerySet[KeptItem], now: datetime) -> QuerySet[KeptItem]:
    """Overdue first, then by due day (those without one last), then as the sources gave them."""
    late = Case_(When(overdue_q(now), then=Value(0)), default=Value(1), output_field=IntegerField())
    due = F("due_on").asc(nulls_last=True)
    return rows.annotate(late=late).order_by("late", due, "group_order", "case_id", "position")


def as_items(rows: Iterable[KeptItem], now: datetime) -> list[AttentionItem]:
    return [
        AttentionItem(
            row.case,
            row.text,
            row.due_on,
            row.overdue or (row.overdue_at is not None and row.overdue_at <= now),
            row.anchor,
            row.url,
            row.group,
            row.owner,
            row.audience,
            row.category,
            row.overdue_at,
        )
        for row in rows
    ]


# The triggers that mark cases stale ----------------------------------------------------------------------


def install_triggers(using: str = "default") -> None:
    """(Re)create the trigger of every feed: after a row is written or deleted, the cases it reaches are
    marked stale. Run by a migration (`workspace/migrations/0002_stale_triggers.py`); a change to the feeds
    comes with a migration that runs it again."""
    db = connections[using]
    if StaleCase._meta.db_table not in db.introspection.table_names():
        return  # a database that holds no tables of its own (a replica follows its primary's)
    statements = [
        sql
        for feed in attention_feeds()
        for sql in (_postgres(feed) if db.vendor == "postgresql" else _sqlite(feed))
    ]
    with db.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def remove_triggers(using: str = "default") -> None:
    db = connections[using]
    with db.cursor() as cursor:
        for model, path, _ in attention_feeds():
            name, table = _name(model, path), model._meta.db_table
            if db.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")


def _stale(model: type[Model], path: str, row: str) -> str:
    table = StaleCase._meta.db_table
    return (
        f"INSERT INTO {table} (case_id) SELECT s.c FROM ({_cases(model, path, row)}) s WHERE s.c IS NOT NULL"
    )


def _cases(model: type[Model], path: str, row: str) -> str:
    """SQL naming, as column c, the ids of the cases a row (NEW or OLD) of `model` reaches by `path`."""
    current, alias = model, row
    tables: list[str] = []
    joins: list[str] = []
    if not path:
        return f"SELECT {row}.{model._meta.pk.column} AS c"
    names = path.split("__")
    for n, name in enumerate(names):
        field = current._meta.get_field(name)
        if field.many_to_one or (field.one_to_one and field.concrete):
            column = f"{alias}.{field.column}"  # type: ignore[union-attr]
            if n == len(names) - 1:
                where = f" WHERE {' AND '.join(joins)}" if joins else ""
                source = f" FROM {', '.join(tables)}" if tables else ""
                return f"SELECT {column} AS c{source}{where}"
            target = field.related_model
            tables.append(f"{target._meta.db_table} t{n}")  # type: ignore[union-attr]
            joins.append(f"t{n}.{target._meta.pk.column} = {column}")  # type: ignore[union-attr]
        elif field.one_to_many:  # back along a relation: the rows of another table that point here
            target = field.related_model
            tables.append(f"{target._meta.db_table} t{n}")  # type: ignore[union-attr]
            joins.append(f"t{n}.{field.field.column} = {alias}.{current._meta.pk.column}")  # type: ignore[union-attr]
        else:
            raise ValueError(f"{model.__name__}: cannot follow {name!r} in {path!r}")
        current, alias = target, f"t{n}"  # type: ignore[assignment]
    raise ValueError(f"{model.__name__}: {path!r} does not end at a case")


def _name(model: type[Model], path: str) -> str:
    return f"tc_stale_{model._meta.db_table}_{path.replace('__', '_')}"[:60]


def _changed(feed: AttentionFeed, distinct: str) -> str:
    """SQL true when an update changed a column other than those the feed ignores."""
    columns = [field.column for field in feed.model._meta.concrete_fields if field.name not in feed.ignoring]
    return " OR ".join(f"OLD.{column} {distinct} NEW.{column}" for column in columns)


def _postgres(feed: AttentionFeed) -> list[str]:
    model, path = feed.model, feed.path
    name, table = _name(model, path), model._meta.db_table
    unchanged = (
        f"IF TG_OP = 'UPDATE' AND NOT ({_changed(feed, 'IS DISTINCT FROM')}) THEN RETURN NULL; END IF;"
        if feed.ignoring
        else ""
    )
    body = f"""
        BEGIN
            {unchanged}
            IF TG_OP <> 'INSERT' THEN {_stale(model, path, "OLD")} ON CONFLICT DO NOTHING; END IF;
            IF TG_OP <> 'DELETE' THEN {_stale(model, path, "NEW")} ON CONFLICT DO NOTHING; END IF;
            RETURN NULL;
        END"""
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$",
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def _sqlite(feed: AttentionFeed) -> list[str]:
    model, path = feed.model, feed.path
    name, table = _name(model, path), model._meta.db_table
    statements = []
    for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
        marks = "; ".join(
            _stale(model, path, row).replace("INSERT INTO", "INSERT OR IGNORE INTO") for row in rows
        )
        when = f" WHEN {_changed(feed, 'IS NOT')}" if event == "UPDATE" and feed.ignoring else ""
        statements += [
            f"DROP TRIGGER IF EXISTS {name}_{event.lower()}",
            f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table}{when} BEGIN {marks}; END",
        ]
    return statements
