"""Where a measure's people come from: the cases recorded here (through the gate's statistics channel, for
an analyst) or an anonymised extract. Either way the engine gets a cohort and its outcome events; nothing of
it is shown, only what `figures` computes and protects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Func, IntegerField, Min, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from throughcare.accounts.models import User
from throughcare.cases.facts import rehab_facts, sentence_facts
from throughcare.cases.models import Case, Phase, PhaseChange
from throughcare.lib.errors import ActionRefused
from throughcare.outcomes.engine import RECALL, REENGAGEMENT, Cohort, Events
from throughcare.outcomes.models import ExtractPerson, MeasureDefinition, OutcomeEvent, OutcomeKind, Source

# Group names the system gives, kept in English in the cohort and translated where a release is read.
AGE_BANDS = [
    (0, 25, gettext_noop("Under 25")),
    (25, 35, gettext_noop("25 to 34")),
    (35, 50, gettext_noop("35 to 49")),
    (50, 200, gettext_noop("50 and over")),
]


@dataclass(frozen=True)
class People:
    cohort: Cohort
    events: Events
    case_ids: tuple[int, ...] = ()  # the cases of the cohort's rows, in order (none for an extract)


def people_for(definition: MeasureDefinition, user: User) -> People:
    if definition.source == Source.EXTRACT:
        if definition.extract is None:
            raise ActionRefused(gettext("Choose the extract to measure"), field="extract")
        if definition.profile or definition.sentence_band or definition.programme:
            raise ActionRefused(
                gettext(
                    "An extract records no sentence, profile or programme: those filters are for the cases "
                    "recorded here"
                ),
                field="source",
            )
        return _from_extract(definition)
    return _from_cases(definition, user)


def age_band(born: date | None, released: date) -> str:
    if born is None:
        return "not recorded"
    age = released.year - born.year - ((released.month, released.day) < (born.month, born.day))
    return next(label for low, high, label in AGE_BANDS if low <= age < high)


# An extract -----------------------------------------------------------------------------------------------


NO_DATE = -(10**6)  # a day number no date of this century has: NULL, read as NaT


class EpochDays(Func):
    """A date as whole days since 1970-01-01 (what datetime64[D] counts), NULL as NO_DATE: NumPy takes
    integers in bulk where dates would be built one Python object at a time."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"COALESCE(CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER), {NO_DATE})"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"COALESCE(%(expressions)s - DATE '1970-01-01', {NO_DATE})"
        return super().as_sql(compiler, connection, template=template, **extra)


def extract_rows(definition: MeasureDefinition) -> QuerySet[ExtractPerson]:
    return ExtractPerson.objects.filter(
        extract=definition.extract,
        released__gte=definition.released_from,
        released__lte=definition.released_to,
        **{
            name: getattr(definition, name)
            for name in ("gender", "age_band", "region")
            if getattr(definition, name)
        },
    ).order_by("pk")


def read_columns(rows: QuerySet[ExtractPerson]) -> list[tuple[Any, ...]]:
    """The columns a measure needs: dates as day numbers, empty groups named — fetched as the driver gives
    them, without Django building and converting a row object for each person."""
    named = {f"g_{name}": Coalesce(NullIf(name, Value("")), Value("not recorded")) for name in GROUPS}
    days = {f"d_{name}": EpochDays(name) for name in DATES}
    sql, params = (
        rows.annotate(**days, **named).values_list(*days, "outcome_kind", *named).query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched: list[tuple[Any, ...]] = cursor.fetchall()
    return fetched


DATES = ("released", "outcome_date", "proven_date", "censor_date")
GROUPS = ("gender", "age_band", "region")


def _from_extract(definition: MeasureDefinition) -> People:
    columns = read_columns(extract_rows(definition))
    if not columns:
        return People(Cohort(np.zeros(0, "datetime64[D]"), np.zeros(0, "datetime64[D]")), Events.none())
    released, outcome, proven, censored, kind, *groups = zip(*columns, strict=True)
    kinds_all = np.array(kind, dtype="U12")
    with_outcome = np.flatnonzero(kinds_all != "")
    kinds = kinds_all[with_outcome]
    committed = _days(outcome)[with_outcome]
    proof = _days(proven)[with_outcome]
    # Re-engagement and recall are proven when they are recorded: their own date when none is given.
    self_proven = np.isin(kinds, [REENGAGEMENT, RECALL]) & np.isnat(proof)
    proof[self_proven] = committed[self_proven]
    cohort = Cohort(
        released=_days(released),
        censored=_days(censored),
        groups={name: np.array(values) for name, values in zip(GROUPS, groups, strict=True)},
    )
    return People(cohort, Events(with_outcome.astype(np.int64), committed, kinds, proof))


def _dates(values: tuple[date | None, ...]) -> np.ndarray:
    return np.array([v if v is not None else "NaT" for v in values], dtype="datetime64[D]")


def _days(numbers: tuple[int, ...]) -> np.ndarray:
    days = np.array(numbers, dtype=np.int64)
    return np.where(days == NO_DATE, np.datetime64("NaT", "D"), days.astype("datetime64[D]"))


# The cases recorded here ----------------------------------------------------------------------------------


def _from_cases(definition: MeasureDefinition, user: User) -> People:
    """Each person once, by their first release into the community in the period."""
    firsts = (
        PhaseChange.objects.for_statistics(user)
        .filter(to_phase=Phase.COMMUNITY, case__in=Case.objects.for_statistics(user))
        .values("case")
        .annotate(first=Min("changed_at"))
    )
    released = {
        row["case"]: timezone.localdate(row["first"])
        for row in firsts
        if definition.released_from <= timezone.localdate(row["first"]) <= definition.released_to
    }
    people = (
        Case.objects.for_statistics(user)
        .filter(pk__in=released)
        .values_list("pk", "person__gender", "person__date_of_birth")
    )
    regions = dict(
        Case.objects.for_statistics(user)
        .filter(pk__in=released, team__responsibility="lead", team__ended_at__isnull=True)
        .values_list("pk", "team__agency__region")
    )
    sentences = sentence_facts().sentences_for_statistics(user, released)
    success = rehab_facts().success_for_statistics(user, released)
    chosen = [
        _row(
            pk,
            released[pk],
            (gender, regions.get(pk) or ""),
            born,
            sentences.get(pk, ("", "not recorded")),
            success[pk].programmes_started,
        )
        for pk, gender, born in people.order_by("pk")
    ]
    return _case_people(definition, user, [row for row in chosen if _wanted(definition, row)])


@dataclass(frozen=True)
class CaseRow:
    pk: int
    released: date
    groups: dict[str, str]


def _row(
    pk: int,
    released: date,
    person: tuple[str, str],
    born: date | None,
    sentence: tuple[str, str],
    programmes: int,
) -> CaseRow:
    """A case's place in the cohort. Its region is its lead agency's."""
    (gender, region), (profile, band) = person, sentence
    groups = {
        "gender": gender or "not recorded",
        "age_band": age_band(born, released),
        "region": region or "not recorded",
        "sentence_band": band,
        "profile": profile or "not recorded",
        "programme": "took part" if programmes else "did not",
    }
    return CaseRow(pk, released, groups)


def _wanted(definition: MeasureDefinition, row: CaseRow) -> bool:
    wanted = {
        "gender": definition.gender,
        "age_band": definition.age_band,
        "region": definition.region,
        "sentence_band": definition.sentence_band,
        "profile": definition.profile,
        "programme": {"took_part": "took part", "did_not": "did not"}.get(definition.programme, ""),
    }
    return all(not value or row.groups[name] == value for name, value in wanted.items())


def _case_people(definition: MeasureDefinition, user: User, chosen: list[CaseRow]) -> People:
    row = {c.pk: n for n, c in enumerate(chosen)}
    events, censored = _case_events(definition, user, row)
    grouped: dict[str, list[str]] = defaultdict(list)
    for member in chosen:
        for name, value in member.groups.items():
            grouped[name].append(value)
    cohort = Cohort(
        released=np.array([c.released for c in chosen], dtype="datetime64[D]"),
        censored=np.array([censored.get(n, "NaT") for n in range(len(chosen))], dtype="datetime64[D]"),
        groups={name: np.array(values) for name, values in grouped.items()},
    )
    case_ids = tuple(c.pk for c in chosen)
    if not events:
        return People(cohort, Events.none(), case_ids)
    person, committed, kind, proven = zip(*events, strict=True)
    return People(
        cohort,
        Events(
            np.array(person, dtype=np.int64),
            np.array(committed, dtype="datetime64[D]"),
            np.array(kind, dtype="U12"),
            _dates(proven),
        ),
        case_ids,
    )


def _case_events(
    definition: MeasureDefinition, user: User, row: dict[int, int]
) -> tuple[list[tuple[int, date, str, date | None]], dict[int, date]]:
    """The cohort's outcome events (by row) and when each person left the follow-up."""
    events: list[tuple[int, date, str, date | None]] = []
    censored: dict[int, date] = {}
    reasons = set(definition.censoring)
    outcomes = OutcomeEvent.objects.for_statistics(user).current().filter(case__in=list(row))
    for event in outcomes.only(
        "case_id", "kind", "occurred_on", "offence_kind", "proven_on", "censor_reason", "recorded_at"
    ):
        n = row[event.case_id]
        if event.kind == OutcomeKind.CENSORED:
            if not reasons or event.censor_reason in reasons:
                censored[n] = min(censored.get(n, event.occurred_on), event.occurred_on)
        elif event.kind == OutcomeKind.REENGAGEMENT:
            events.append((n, event.occurred_on, REENGAGEMENT, timezone.localdate(event.recorded_at)))
        else:
            events.append((n, event.occurred_on, event.offence_kind, event.proven_on))
    for pk, recalled in sentence_facts().recalls_for_statistics(user, row).items():
        events.append((row[pk], recalled, RECALL, recalled))
    return events, censored
