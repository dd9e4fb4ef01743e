"""The figures of a release: each definition measured, then protected together, as plain data (what a page,
a CSV, a PDF or the JSON download shows). Nothing exact leaves this module: counts below the threshold and
whatever could reveal them are `[c]`; a rate is shown only when its count and its cohort are; survival
curves are sampled monthly and cut where fewer than the threshold remain at risk.

Every computation is logged as a combination of case data (or of an extract), with its definition.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from throughcare.accounts.models import User
from throughcare.audit.log import record
from throughcare.audit.models import Operation
from throughcare.cases.facts import Success, rehab_facts
from throughcare.lib.errors import ActionRefused
from throughcare.lib.wording import (
    Wording,
    english,
    in_words,
    label_of,
    midsentence,
    paragraph,
    worded,
    worded_count,
)
from throughcare.outcomes import engine, privacy
from throughcare.outcomes.disclosure import SUPPRESSED, Protected, Rules, Table, protect_together
from throughcare.outcomes.models import (
    CensorReason,
    GroupBy,
    MeasureDefinition,
    Privacy,
    ReferenceStudy,
    Release,
    Source,
)
from throughcare.outcomes.sources import People, people_for
from throughcare.people.models import Gender

# Names the system gives in a release, stored in English and read in the reader's language (`reading`).
REOFFENDED, DID_NOT = gettext_noop("Reoffended"), gettext_noop("Did not reoffend")
ALL, TOTAL = gettext_noop("All"), gettext_noop("Total")
CURVE_STEP_DAYS = 30


def rules() -> Rules:
    return Rules(threshold=settings.STATISTICS_THRESHOLD, rounding=settings.STATISTICS_ROUNDING)


def definition_of(measure: MeasureDefinition) -> engine.Definition:
    return engine.Definition(
        follow_up_years=measure.follow_up_years,
        waiting_months=measure.waiting_months,
        outcome=measure.outcome,
    )


@dataclass(frozen=True)
class Measured:
    measure: MeasureDefinition
    people: People
    followed: engine.Followed
    groups: list[str]
    table: Table
    by: User


def compute(
    measures: list[MeasureDefinition],
    *,
    by: User,
    studies: list[ReferenceStudy] | None = None,
    release: Release | None = None,
) -> dict[str, Any]:
    """The protected figures of these definitions, and the reference studies beside them. A release under
    differential privacy spends ε from its budget instead of hiding small counts."""
    private = release is not None and release.privacy == Privacy.DIFFERENTIAL
    with transaction.atomic():
        measured = [_measure(m, by) for m in measures]
        if private:
            assert release is not None
            epsilon = privacy.spend(release, len(measured), by=by)
            protected = [privacy.noisy(m.table, epsilon, rules()) for m in measured]
        else:
            protected = protect_together([m.table for m in measured], rules())
        figures = [_figures(m, p, private=private) for m, p in zip(measured, protected, strict=True)]
    return {
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "rules": _rules_shown(release if private else None),
        "measures": figures,
        "studies": [study_figures(s) for s in studies or []],
    }


def _rules_shown(release: Release | None) -> dict[str, Any]:
    if release is None:
        shown = rules()
        return {"threshold": shown.threshold, "rounding": shown.rounding, "footnote": shown.footnote.stored()}
    footnote = worded(
        "Differential privacy: every count carries random noise (discrete Laplace, ε = %(epsilon)s for the "
        "release, shared between its tables). Intervals do not include the noise; curves, frequency and "
        "success figures are not published in this mode.",
        epsilon=release.epsilon,
    )
    return {"threshold": 0, "rounding": 0, "epsilon": release.epsilon, "footnote": footnote.stored()}


def study_figures(study: ReferenceStudy) -> dict[str, Any]:
    low, high = engine.wilson(study.events, study.cohort)
    return {
        "citation": study.citation,
        "country": study.country,
        "cohort": study.cohort,
        "events": study.events,
        "rate": study.events / study.cohort if study.cohort else None,
        "ci_low": low,
        "ci_high": high,
        "definition": study.definition,
        "url": study.url,
    }


def _measure(measure: MeasureDefinition, by: User) -> Measured:
    definition = definition_of(measure)
    people = people_for(measure, by)
    if len(people.cohort) == 0:
        raise ActionRefused(
            gettext("No one in “%(name)s” was released in the period: the cohort is empty")
            % {"name": measure.name}
        )
    complete = engine.complete_by(people.cohort, definition)
    if complete is not None and complete > timezone.localdate():
        raise ActionRefused(
            gettext(
                "“%(name)s”: the follow-up and waiting period of the last release end "
                "on %(complete)s. Choose an earlier period or a shorter follow-up."
            )
            % {"name": measure.name, "complete": format(complete, "%d %b %Y")}
        )
    followed = engine.follow(people.cohort, people.events, definition)
    groups, table = _table(measure, people, followed)
    record(
        Operation.COMBINATION,
        measure,
        by=by,
        justification="statistics computed",
        details=_described(measure, len(people.cohort)),
    )
    return Measured(measure, people, followed, groups, table, by)


def _described(measure: MeasureDefinition, people: int) -> dict[str, Any]:
    return {
        "definition": measure.name,
        "source": measure.source,
        "extract": measure.extract_id,
        "released": [measure.released_from.isoformat(), measure.released_to.isoformat()],
        "follow_up_years": measure.follow_up_years,
        "waiting_months": measure.waiting_months,
        "outcome": measure.outcome,
        "group_by": measure.group_by,
        "people": people,
    }


def _table(measure: MeasureDefinition, people: People, followed: engine.Followed) -> tuple[list[str], Table]:
    if measure.group_by:
        values = people.cohort.groups.get(measure.group_by)
        if values is None:
            raise ActionRefused(
                gettext("“%(name)s” cannot be grouped by %(group_by)s")
                % {"name": measure.name, "group_by": measure.group_by},
                field="group_by",
            )
        groups = sorted(set(values.tolist()))
    else:
        values, groups = np.full(len(people.cohort), ALL), [ALL]
    cells = np.array(
        [
            [
                int((followed.reoffended & (values == g)).sum()),
                int((~followed.reoffended & (values == g)).sum()),
            ]
            for g in groups
        ],
        dtype=np.int64,
    )
    outcome = f"{measure.outcome}/{measure.follow_up_years}y/{measure.waiting_months}m"
    table = Table(
        title=measure.name,
        rows=groups,
        columns=[f"{REOFFENDED}:{outcome}", f"{DID_NOT}:{outcome}"],
        cells=cells,
        row_dimension=measure.group_by or "all",
        key=_cohort_key(measure),
    )
    return groups, table


def _cohort_key(measure: MeasureDefinition) -> str:
    """The same people whatever is counted of them: tables over one cohort share their totals."""
    return "/".join(
        str(part)
        for part in (
            measure.source,
            measure.extract_id,
            measure.released_from,
            measure.released_to,
            measure.gender,
            measure.age_band,
            measure.region,
            measure.profile,
            measure.sentence_band,
            measure.programme,
            sorted(measure.censoring),
        )
    )


def _figures(measured: Measured, protected: Protected, *, private: bool = False) -> dict[str, Any]:
    measure, groups = measured.measure, measured.groups
    grid = protected.grid()
    row = _private_row if private else _row
    labels = [_group_label(measure.group_by, group) for group in groups]
    rows = [row(label, grid[n], measured, n) for n, label in enumerate(labels)]
    total = row(ALL, grid[-1], measured, None)
    return {
        "name": measure.name,
        "description": measure.description,
        # What the system wrote is stored in English (the method as a wording), whoever published it, and
        # read in the reader's language (`reading.as_read`).
        "group_by": english(label_of(measure, "group_by")) if measure.group_by else "",
        "methodology": methodology(measure).stored(),
        "table": {
            "columns": [REOFFENDED, DID_NOT, TOTAL],
            "rows": [[label, *grid[n]] for n, label in enumerate(labels)],
            "total": [ALL, *grid[-1]],
        },
        "rates": rows if measure.group_by else [],
        "headline": total,
        "survival": [] if private else _curves(measured, protected, labels),
        "success": None if private else _success(measured),
    }


PROGRAMME_GROUPS = {"took part": gettext_noop("Took part"), "did not": gettext_noop("Did not take part")}


def _group_label(group_by: str, value: str) -> str:
    """A group as a release names it, in English: a gender by its label (the cohort holds the code), the
    programme groups by theirs."""
    if group_by == GroupBy.GENDER and value in Gender.values:
        return english(Gender(value).label)
    if group_by == GroupBy.PROGRAMME:
        return PROGRAMME_GROUPS.get(value, value)
    return value


def _private_row(label: str, cells: list[int | str], measured: Measured, group: int | None) -> dict[str, Any]:
    """A row from noisy counts: the rate and its interval from them; nothing else is published."""
    reoffended, _, cohort = (int(v) for v in cells)
    low, high = engine.wilson(reoffended, cohort)
    return {
        "group": label,
        "cohort": cohort,
        "reoffenders": reoffended,
        "rate": round(reoffended / cohort, 4) if cohort else None,
        "ci_low": round(low, 4) if cohort else None,
        "ci_high": round(high, 4) if cohort else None,
        "offences": SUPPRESSED,
        "per_reoffender": None,
        "median_days_to_first": None,
    }


def _success(measured: Measured) -> dict[str, Any] | None:
    """What the cases show of success (the cases recorded here only; an extract has no closures): cases
    closed, closed with every criterion met, median time from release to closure, programmes started and
    completed. Each share is hidden where its count, or the rest of its base, is below the threshold."""
    if measured.measure.source != Source.CASES:
        return None
    facts = rehab_facts().success_for_statistics(measured.by, measured.people.case_ids)
    rows = [facts[pk] for pk in measured.people.case_ids]
    released = measured.people.cohort.released
    closed = [n for n, f in enumerate(rows) if f.closed_on]
    started = [f for f in rows if f.programmes_started]
    days = [(np.datetime64(rows[n].closed_on, "D") - released[n]).astype(int) for n in closed]
    return {
        "closed": _share(len(closed), len(rows)),
        "criteria_met": _share(sum(rows[n].criteria_met for n in closed), len(closed)),
        "median_days_to_closure": float(np.median(days)) if len(closed) >= rules().threshold else None,
        "programme_started": _share(len(started), len(rows)),
        "programme_completed": _share(sum(1 for f in started if f.programmes_completed), len(started)),
        "follow_ups_clear": _share(*_clear_follow_ups(measured, rows, closed)),
    }


def _clear_follow_ups(measured: Measured, rows: list[Success], closed: list[int]) -> tuple[int, int]:
    """Follow-ups held after closure, and those with nothing new: no outcome (other than leaving the
    follow-up) between the closure and the follow-up."""
    events = measured.people.events
    held = clear = 0
    for n in closed:
        since = np.datetime64(rows[n].closed_on, "D")
        mine = events.committed[events.person == n]
        for day in rows[n].follow_ups_done:
            held += 1
            clear += not bool(((mine >= since) & (mine <= np.datetime64(day, "D"))).any())
    return clear, held


def _share(count: int, base: int) -> dict[str, Any]:
    threshold = rules().threshold
    if count < threshold or base - count < threshold:
        return {"count": SUPPRESSED, "base": base if base >= threshold else SUPPRESSED, "rate": None}
    low, high = engine.wilson(count, base)
    return {
        "count": count,
        "base": base,
        "rate": round(count / base, 4),
        "ci_low": round(low, 4),
        "ci_high": round(high, 4),
    }


def _row(label: str, cells: list[int | str], measured: Measured, group: int | None) -> dict[str, Any]:
    reoffended, _, cohort = cells
    shown = SUPPRESSED not in (reoffended, cohort)
    picked = (
        None if group is None else measured.people.cohort.groups.get(measured.measure.group_by, np.array([]))
    )
    rows = None if group is None or picked is None else picked == measured.groups[group]
    measure = engine.measure(measured.followed, rows)
    threshold = rules().threshold
    digits = 3 if rules().rounding else 4  # with rounded counts, a precise rate would give them back
    return {
        "group": label,
        "cohort": cohort,
        "reoffenders": reoffended,
        "rate": round(measure.rate, digits) if shown else None,
        "ci_low": round(measure.ci_low, digits) if shown else None,
        "ci_high": round(measure.ci_high, digits) if shown else None,
        "offences": measure.offences if shown and measure.offences >= threshold else SUPPRESSED,
        "per_reoffender": _number(measure.per_reoffender)
        if shown and measure.reoffenders >= threshold
        else None,
        "median_days_to_first": _number(measure.median_days_to_first)
        if shown and measure.reoffenders >= threshold
        else None,
    }


def _number(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 2)


def _curves(measured: Measured, protected: Protected, labels: list[str]) -> list[dict[str, Any]]:
    """Kaplan–Meier curves of the whole cohort and of each group whose counts are shown, monthly, cut
    where fewer than the threshold remain at risk."""
    threshold = rules().threshold
    wanted: list[tuple[str, np.ndarray | None]] = [(ALL, None)]
    if measured.measure.group_by:
        values = measured.people.cohort.groups[measured.measure.group_by]
        # A curve gives its group's count away (last drop × size): drawn only where both are shown.
        wanted += [
            (labels[n], values == g)
            for n, g in enumerate(measured.groups)
            if not protected.hidden[n, [0, -1]].any()
        ]
    curves = []
    for label, rows in wanted:
        if (len(measured.people.cohort) if rows is None else int(rows.sum())) < threshold:
            continue
        points = _monthly(
            engine.survival(measured.followed, rows), threshold, measured.measure.follow_up_years
        )
        if points:
            curves.append({"group": label, "points": points})
    return curves


def _monthly(points: list[engine.SurvivalPoint], threshold: int, years: int) -> list[list[float]]:
    """The curve read at every 30th day (steps of single events would show when each happened)."""
    sampled = []
    for day in range(0, 365 * years + 1, CURVE_STEP_DAYS):
        point = next((p for p in reversed(points) if p.days <= day), None)
        later = [p for p in points if p.days >= day]
        at_risk = later[0].at_risk if later else 0
        if point is None or at_risk < threshold:
            break
        sampled.append([day, round(point.surviving, 4), round(point.low, 4), round(point.high, 4)])
    return sampled


def methodology(measure: MeasureDefinition) -> Wording:
    """The definition in plain words, generated from the definition itself: a wording, read in the
    reader's language."""
    return paragraph([_cohort(measure), *_outcome(measure), _censoring(measure), *_protection()])


def _cohort(measure: MeasureDefinition) -> Wording:
    start, end = in_words(measure.released_from), in_words(measure.released_to)
    filters = _filters(measure)
    if measure.source != Source.CASES:
        return worded(
            "Cohort: everyone first released into the community between %(start)s and %(end)s, from the "
            "anonymised extract “%(extract)s”%(filters)s; each person is counted once, by their first "
            "release in the period.",
            start=start,
            end=end,
            extract=str(measure.extract),
            filters=worded(" (%(filters)s)", filters=filters) if filters else "",
        )
    if filters:
        return worded(
            "Cohort: everyone first released into the community between %(start)s and %(end)s, from the "
            "cases recorded in Throughcare (%(filters)s); each person is counted once, by their first "
            "release in the period.",
            start=start,
            end=end,
            filters=filters,
        )
    return worded(
        "Cohort: everyone first released into the community between %(start)s and %(end)s, from the cases "
        "recorded in Throughcare; each person is counted once, by their first release in the period.",
        start=start,
        end=end,
    )


def _filters(measure: MeasureDefinition) -> list[Wording]:
    """Who the cohort is limited to, each condition a phrase."""
    gender = english(Gender(measure.gender).label) if measure.gender in Gender.values else measure.gender
    named = [
        (gettext_noop("gender: %(value)s"), gender, _vocabulary(gender)),
        (gettext_noop("age at release: %(value)s"), measure.age_band, _vocabulary(measure.age_band)),
        (gettext_noop("region: %(value)s"), measure.region, measure.region),
        (gettext_noop("jurisdiction profile: %(value)s"), measure.profile, measure.profile),
        (gettext_noop("sentence: %(value)s"), measure.sentence_band, _vocabulary(measure.sentence_band)),
        (
            gettext_noop("programme: %(value)s"),
            measure.programme,
            midsentence(label_of(measure, "programme")),
        ),
    ]
    return [Wording(message, {"value": value}) for message, given, value in named if given]


def _vocabulary(value: str) -> Any:
    """A group's name the system gives (an age band, a sentence band, a gender): its English, translated
    when read; a name the catalogues do not hold is shown as written."""
    return gettext_lazy(value)


def _outcome(measure: MeasureDefinition) -> list[Wording]:
    return [
        worded_count(
            "Outcome: %(outcome)s, committed within %(count)s year of release.",
            "Outcome: %(outcome)s, committed within %(count)s years of release.",
            measure.follow_up_years,
            outcome=engine.OUTCOME_LABELS.get(measure.outcome, measure.outcome),
        ),
        worded_count(
            "It must be proven by the end of that time plus a waiting period of %(count)s month.",
            "It must be proven by the end of that time plus a waiting period of %(count)s months.",
            measure.waiting_months,
        ),
    ]


def _censoring(measure: MeasureDefinition) -> Wording:
    labels = dict(CensorReason.choices)
    reasons = [midsentence(labels.get(code, code)) for code in sorted(measure.censoring)]
    if not reasons:
        return worded(
            "People who leave the follow-up for any reason recorded are counted in the cohort; the survival "
            "curve stops following them on that day."
        )
    return worded(
        "People who leave the follow-up (%(reasons)s) are counted in the cohort; the survival curve stops "
        "following them on that day.",
        reasons=reasons,
    )


def _protection() -> list[Wording]:
    return [
        worded("Intervals are Wilson %(level)s %% intervals.", level=95),
        worded(
            "Counts below %(threshold)s, and counts from which they could be worked out, are not shown "
            "([c]).",
            threshold=rules().threshold,
        ),
    ]
