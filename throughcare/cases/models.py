"""One continuous case per person per sentence: phases, case team, timeline.

`Case.objects.visible_to(user)` and `<case-data model>.objects.visible_to(user)` are the one definition of
what a user may see. Every page, partial, search and export starts from them; the conditions are the
gate's (`throughcare.sharing.access`), asked through the port in `gateway.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, Membership, User
from throughcare.cases.gateway import gate
from throughcare.lib.sql import OnCase, Text
from throughcare.lib.text import fold
from throughcare.lib.wording import WordingField
from throughcare.people.models import Person


class Phase(models.TextChoices):
    CUSTODY = "custody", _("Custody")
    RELEASE_PLANNING = "release_planning", _("Release planning")
    COMMUNITY = "community", _("Community supervision")
    REINTEGRATION = "reintegration", _("Reintegration")
    CLOSED = "closed", _("Closed")


# The ordinary journey. Recall (community → custody) arrives with the continuity work.
NEXT_PHASE: dict[str, str] = {
    Phase.CUSTODY: Phase.RELEASE_PLANNING,
    Phase.RELEASE_PLANNING: Phase.COMMUNITY,
    Phase.COMMUNITY: Phase.REINTEGRATION,
    Phase.REINTEGRATION: Phase.CLOSED,
}


class DataCategory(models.TextChoices):
    """What an entry is about; sharing is decided per category (DOMAIN.md §5)."""

    IDENTITY = "identity", _("Identity")
    LEGAL = "legal", _("Legal (sentence, conditions)")
    RISK = "risk", _("Risk")
    INTELLIGENCE = "intelligence", _("Intelligence")
    HEALTH = "health", _("Health")
    INTERVENTIONS = "interventions", _("Interventions and progress")
    FAMILY = "family", _("Family")
    GENERAL = "general", _("General")


class Nature(models.TextChoices):
    """Facts are kept apart from personal assessments (Law Enforcement Directive, Art. 7)."""

    FACT = "fact", _("Fact")
    ASSESSMENT = "assessment", _("Assessment")


class CaseData:
    """Mixed into every model that holds data about a case. Each declares, once, the data category of
    its rows and how a row reaches its case; the gate reads nothing else to decide who may see it.

    - `data_category`: the category of every row (a sentence is legal, a plan is risk), or
    - `category_field`: the field that holds each row's category (a timeline entry), or
    - `category_by`: a field and a mapping from its values to categories (a pathway need);
    - `case_path`: the lookup from a row to its case ("case", or e.g. "item__case");
    - `person_path`: the lookup to the case's person, where a row keeps it itself (default: through the case).
    """

    data_category: ClassVar[str] = ""
    category_field: ClassVar[str] = ""
    category_by: ClassVar[tuple[str, Mapping[Any, str]] | None] = None
    case_path: ClassVar[str] = "case"
    person_path: ClassVar[str] = ""

    @classmethod
    def categories_declared(cls) -> frozenset[str]:
        if cls.category_by is not None:
            return frozenset(cls.category_by[1].values())
        if cls.category_field:
            return frozenset(DataCategory.values)
        return frozenset({cls.data_category})

    @classmethod
    def values_by_category(cls) -> dict[str, list[Any]]:
        """For `category_by`: each category (in order) → the field's values that give it."""
        assert cls.category_by is not None, f"{cls.__name__} has no category_by"
        mapping = cls.category_by[1]
        return {
            category: [value for value, c in mapping.items() if c == category]
            for category in sorted(set(mapping.values()))
        }

    @classmethod
    def category_expression(cls) -> Any:
        """Each row's category as an SQL expression (for rows counted by category in the database)."""
        if cls.category_by is not None:
            field = cls.category_by[0]
            whens = [
                models.When(**{f"{field}__in": values}, then=models.Value(category))
                for category, values in cls.values_by_category().items()
            ]
            return models.Case(*whens, output_field=models.CharField())
        if cls.category_field:
            return models.F(cls.category_field)
        return models.Value(cls.data_category, output_field=models.CharField())

    def data_category_of(self) -> str:
        """This row's category."""
        if self.category_by is not None:
            field, mapping = self.category_by
            return mapping[getattr(self, field)]
        if self.category_field:
            category: str = getattr(self, self.category_field)
            return category
        return self.data_category


class CaseDataQuerySet(QuerySet[Any]):
    """The QuerySet of every case-data model: `visible_to(user)` filters by case and category in SQL."""

    def visible_to(self, user: User) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(gate().rows_q(user, self.model))

    def of_case(self, case: Case) -> Self:
        return self.filter(**{self.model.case_path: case})

    def for_statistics(self, user: User) -> Self:
        """Rows an analyst's computation may count (aggregates only: never shown as rows)."""
        return self.filter(gate().statistics_q(user, self.model))

    def on_case_as(self, case: Case, standing: Any) -> Self:
        """Rows of one case, in the categories of the viewer's standing on it (the gate's decision,
        read once for the case: `access.standing_on_case`)."""
        rows = self.of_case(case)
        model = self.model
        if model.category_by is not None:
            field, mapping = model.category_by
            return rows.filter(**{f"{field}__in": [v for v, c in mapping.items() if standing.holds(c)]})
        if model.category_field:
            return rows.filter(**{f"{model.category_field}__in": sorted(standing.categories)})
        return rows if standing.holds(model.data_category) else rows.none()

    def on_cases_holding(self, held: Callable[[str], Collection[int]]) -> Self:
        """Rows of cases the gate has decided, each in the categories the viewer holds on it: `held(c)`
        names the cases (by id) of which the viewer holds category `c` (`Case.objects.holding`, asked once
        per category rather than built into every query). A model whose rows each carry their own category
        is read through `visible_to` instead."""
        model, path = self.model, f"{self.model.case_path}__in"
        if model.category_field:
            raise TypeError(f"{model.__name__} rows carry their own category: read them with visible_to")
        if model.category_by is None:
            return self.filter(**{path: held(model.data_category)})
        field = model.category_by[0]
        condition = Q(pk__in=[])
        for category, values in model.values_by_category().items():
            condition |= Q(**{f"{field}__in": values, path: held(category)})
        return self.filter(condition)


def all_of(conditions: list[Q]) -> Q:
    """The conditions together, where each is a list of case ids (a scope decided from facts) as one list:
    PostgreSQL costs several lists on one column as if each multiplied the work of the index, and reads
    the whole table instead."""
    found = [(q, _ids_of(q)) for q in conditions]
    lists = [ids for _, ids in found if ids is not None]
    rest = [q for q, ids in found if ids is None]
    together = Q()
    if lists:
        common = set(lists[0]).intersection(*lists[1:])
        together &= Q(pk__in=sorted(common))
    for q in rest:
        together &= q
    return together


def _ids_of(q: Q) -> list[int] | None:
    """The ids of a condition that is only `pk__in=[…]`, else None."""
    if q.negated or q.connector != Q.AND or len(q.children) != 1:
        return None
    child = q.children[0]
    if isinstance(child, tuple) and child[0] == "pk__in" and isinstance(child[1], list | tuple | set):
        return list(child[1])
    return None


class CaseQuerySet(QuerySet["Case"]):
    def visible_to(self, user: User, *, per_case: bool = False) -> CaseQuerySet:
        """Cases the user may open (the gate's rules, asked through `gateway`). `per_case`: the condition
        probed for each case read, for a list that walks the cases by last activity (`Gate.cases_q`)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(gate().cases_q(user, per_case=per_case))

    def count_visible_to(self, user: User, cap: int) -> int:
        """How many cases the user may open (`visible_to`), counted up to `cap` + 1: for a list of all
        of them, as the gate counts them best. All of them: asked of cases already narrowed, it would not
        narrow them, so it refuses."""
        if self.query.has_filters():
            raise TypeError("count_visible_to counts all the cases the user may open: ask Case.objects")
        if not user.is_authenticated or not user.is_active:
            return 0
        return gate().count_cases(user, cap)

    def for_statistics(self, user: User) -> CaseQuerySet:
        """Cases an analyst's computation may count (aggregates only: never shown as rows)."""
        return self.filter(gate().statistics_q(user, None))

    def holding(self, user: User, category: str) -> CaseQuerySet:
        """Visible cases of which the user holds this data category."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(all_of([gate().cases_q(user), gate().category_q(user, category)]))

    def identity_visible_to(
        self, user: User, *, per_case: bool = False, among: Collection[int] | None = None
    ) -> CaseQuerySet:
        """Visible cases whose person's names the user may see: what search may look through. `per_case`:
        both conditions probed for each case read (a few cases named by a list already shown). `among`:
        of these cases only."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        conditions = [gate().cases_q(user, per_case=per_case), gate().identity_q(user, per_case=per_case)]
        if among is not None:
            conditions.append(Q(pk__in=sorted(among)))
        return self.filter(all_of(conditions))

    def matching(self, words: Iterable[str]) -> CaseQuerySet:
        """Cases every word of a search finds: part of the person's name or an alias (accents and case
        ignored), or a whole case reference or identifier (prison number, national identity number …).
        The cases are found from each word first — by the names' trigram index and the references' and
        identifiers' upper-case indexes — so the gate's conditions are asked of those few only; as a
        condition on each case in scope joined to its person, a manager's search probed all of them."""

        def found_by(word: str) -> OnCase:
            pattern = f"%{connection.ops.prep_for_like_query(fold(word))}%"  # `_` and `%` as written

            def sql(case: str) -> Text:
                return (
                    f"{case} IN (SELECT c.id FROM cases_case c WHERE c.person_id IN ("
                    "SELECT p.id FROM people_person p WHERE p.search_text LIKE %s ESCAPE '\\' "
                    "UNION SELECT i.person_id FROM people_identifier i WHERE UPPER(i.value) = UPPER(%s)) "
                    "UNION SELECT c.id FROM cases_case c WHERE UPPER(c.reference) = UPPER(%s))",
                    [pattern, word, word],
                )

            return OnCase(sql, "pk")

        return self.filter(*[found_by(word) for word in words])

    def with_identity_flag(self, user: User) -> CaseQuerySet:
        """Annotate `shows_identity`: whether a list may print the person's name."""
        flag = models.ExpressionWrapper(gate().identity_q(user), output_field=models.BooleanField())
        return self.annotate(shows_identity=flag)

    def flag_identity(self, user: User, cases: list[Case]) -> list[Case]:
        """Set `shows_identity` on a page of cases already read through the gate, as the gate decides it
        for these cases (from their facts: for pages read by walking, where the flag in the page's own
        query would hash the viewer's whole scope, and building the condition costs more than deciding)."""
        visible = user.is_authenticated and user.is_active
        shown = gate().identity_held(user, [case.pk for case in cases]) if visible else set()
        for case in cases:
            case.shows_identity = case.pk in shown  # type: ignore[attr-defined]
        return cases

    def on_caseload_of(self, user: User) -> CaseQuerySet:
        """The cases where the user is on the active team: their own caseload."""
        mine = CaseTeamMember.objects.active().filter(case=OuterRef("pk"), user=user)
        return self.visible_to(user).filter(Exists(mine))

    def with_caseload_columns(self, user: User) -> CaseQuerySet:
        """The case's lead agency, and the user's responsibility and function on its team (each place is
        unique: one current lead, one current place per person). Written by hand (`lib.sql.OnCase`):
        three ORM subqueries cost more to build than the page's rows took to read."""

        def place(column: str, whose: str, value: object) -> OnCase:
            """`column` of the case's current place (`m`, with its agency `a`) where `whose` is `value`."""

            def sql(case: str) -> Text:
                return (
                    f"SELECT {column} FROM cases_caseteammember m "
                    "JOIN accounts_agency a ON a.id = m.agency_id "
                    f"WHERE m.case_id = {case} AND m.{whose} = %s AND m.ended_at IS NULL LIMIT 1",
                    [value],
                )

            return OnCase(sql, "pk", models.CharField())

        lead = CaseTeamMember.Responsibility.LEAD
        return self.select_related("person").annotate(
            lead_agency_name=place("a.short_name", "responsibility", lead),
            my_responsibility=place("m.responsibility", "user_id", user.pk),
            my_function=place("m.function", "user_id", user.pk),
        )


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    sentence_summary = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. 6 years, preparation of terrorist acts")
    )
    is_terrorism_case = models.BooleanField(default=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.CUSTODY)
    opened_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # Optimistic lock: every change of the case row bumps it, so stale forms are detected.
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at"]
        indexes = [
            models.Index(fields=["phase", "last_activity_at"]),
            # The caseload's order (most recent activity first, then id): a list walks it to its page.
            models.Index(fields=["-last_activity_at", "id"], name="case_by_activity"),
            # Search finds a case by its whole reference, whatever its case (`CaseQuerySet.matching`).
            models.Index(Upper("reference"), name="case_reference_upper"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def next_phase(self) -> str | None:
        return NEXT_PHASE.get(self.phase)

    def get_next_phase_display(self) -> str:
        return str(Phase(self.next_phase).label) if self.next_phase else ""


class PhaseChange(CaseData, models.Model):
    data_category = DataCategory.GENERAL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = WordingField(blank=True)  # what the person gave, or the system's wording (a recall, a closure)

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_phase or '—'} → {self.to_phase}"


class CaseTeamMemberQuerySet(QuerySet["CaseTeamMember"]):
    def active(self) -> CaseTeamMemberQuerySet:
        return self.filter(ended_at__isnull=True)

    def leads(self) -> CaseTeamMemberQuerySet:
        """Active lead places (one per case: a constraint keeps it so)."""
        return self.active().filter(responsibility=CaseTeamMember.Responsibility.LEAD)

    def lead(self) -> CaseTeamMember | None:
        """The active lead place, with its worker and agency, or None."""
        return self.leads().select_related("user", "agency").first()

    def with_active_agency_membership(self) -> CaseTeamMemberQuerySet:
        """Only team places whose worker still belongs to the agency they act for."""
        belongs = Membership.objects.filter(user=OuterRef("user"), agency=OuterRef("agency"), is_active=True)
        return self.filter(Exists(belongs))


class CaseTeamMember(models.Model):
    class Responsibility(models.TextChoices):
        LEAD = "lead", _("Lead")
        SUPPORTING = "supporting", _("Supporting")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="case_places")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_places")
    responsibility = models.CharField(max_length=12, choices=Responsibility.choices)
    function = models.CharField(max_length=100, blank=True, help_text=_("e.g. Community offender manager"))
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CaseTeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["responsibility", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(responsibility="lead", ended_at__isnull=True),
                name="one_active_lead_per_case",
            ),
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(ended_at__isnull=True), name="one_active_place_per_user"
            ),
        ]
        # The cases a manager's agencies hold places on, from the index alone (the gate's candidates).
        indexes = [
            models.Index(fields=["agency", "case"], condition=Q(ended_at__isnull=True), name="current_places")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.agency.label}) on {self.case}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class TimelineEntryQuerySet(CaseDataQuerySet):
    """`visible_to(user)`: entries of a case the user may open, in a category they may hold."""

    def newest_first(self) -> TimelineEntryQuerySet:
        return self.order_by("-occurred_at", "-recorded_at", "-pk")


class TimelineEntry(CaseData, models.Model):
    category_field = "category"

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        PHASE_CHANGE = "phase_change", _("Phase change")
        CASE_OPENED = "case_opened", _("Case opened")
        TEAM_CHANGE = "team_change", _("Case team change")
        RECORD_CHANGE = "record_change", _("Record change")
        ERASURE = "erasure", _("Erasure")  # that an entry was erased (never what it said)

    # Indexed by `entry_newest_first`, which begins with the case (an index of its own would be a copy the
    # planner prefers for the entries of a case bulk-loaded together, and then sorts them all).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline", db_index=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NOTE)
    category = models.CharField(max_length=20, choices=DataCategory.choices)
    nature = models.CharField(max_length=12, choices=Nature.choices)
    body = WordingField()  # a note as written, or what the system recorded, read in the reader's language
    occurred_at = models.DateTimeField(help_text=_("When it happened"))
    recorded_at = models.DateTimeField(default=timezone.now, help_text=_("When it was recorded"))
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")

    objects = TimelineEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "timeline entries"
        # A case's timeline in its order (`newest_first`): a page of it read from the index, however many
        # entries the case holds (with the time alone, each page sorted all of them).
        indexes = [
            models.Index(fields=["case", "-occurred_at", "-recorded_at", "-id"], name="entry_newest_first")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def is_backdated(self) -> bool:
        return (self.recorded_at - self.occurred_at).total_seconds() > 3600


def case_reference(number: int, at: datetime | None = None) -> str:
    year = (at or timezone.now()).year
    return f"{settings.CASE_REFERENCE_PREFIX}-{year}-{number:04d}"
