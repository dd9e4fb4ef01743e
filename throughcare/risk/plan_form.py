"""The plan review form: a new version starts as a copy of the current one and is changed row by row.

Works without JavaScript: the current strategies and warning signs are rows, with three blank rows for
new ones (save and review again for more). Posted rows are read back into the same shape, so a refused
form is shown again exactly as it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.http import QueryDict

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import Case
from throughcare.lib.errors import ActionRefused
from throughcare.risk.models import PlanSection, PlanVersion, Scenario
from throughcare.risk.plans import PlanContent, StrategyInput, WarningSignInput, ordered_strategies

BLANK_ROWS = 3


@dataclass
class StrategyRow:
    n: int
    section: str = ""
    description: str = ""
    owner: str = ""  # "user:<pk>" or "agency:<pk>"
    review_on: str = ""


@dataclass
class SignRow:
    n: int
    description: str = ""
    triggers: set[int] = field(default_factory=set)


@dataclass
class PlanForm:
    based_on: int
    reason: str = ""
    reason_note: str = ""
    judgement: str = ""
    judgement_rationale: str = ""
    formulation: str = ""
    protective_factors: str = ""
    scenarios: dict[str, str] = field(default_factory=dict)
    strategies: list[StrategyRow] = field(default_factory=list)
    signs: list[SignRow] = field(default_factory=list)


def from_version(version: PlanVersion | None) -> PlanForm:
    if version is None:
        return _with_blanks(PlanForm(based_on=0, reason="first"))
    strategies = ordered_strategies(version)
    row_of = {s.pk: n for n, s in enumerate(strategies)}
    form = PlanForm(
        based_on=version.number,
        formulation=version.formulation,
        protective_factors=version.protective_factors,
        scenarios={
            kind: "\n\n".join(s.description for s in version.scenarios.all() if s.kind == kind)
            for kind in Scenario.Kind.values
        },
        strategies=[
            StrategyRow(
                n,
                s.section,
                s.description,
                f"user:{s.owner_id}" if s.owner_id else f"agency:{s.owner_agency_id}",
                s.review_on.isoformat(),
            )
            for n, s in enumerate(strategies)
        ],
        signs=[
            SignRow(n, w.description, {row_of[t.pk] for t in w.triggers.all() if t.pk in row_of})
            for n, w in enumerate(version.warning_signs.prefetch_related("triggers"))
        ],
    )
    return _with_blanks(form)


def _with_blanks(form: PlanForm) -> PlanForm:
    start = len(form.strategies)
    form.strategies += [StrategyRow(start + i) for i in range(BLANK_ROWS)]
    start = len(form.signs)
    form.signs += [SignRow(start + i) for i in range(BLANK_ROWS)]
    return form


def from_post(post: QueryDict) -> PlanForm:
    """The form as it was sent, rows that were removed or left blank dropped (blank rows added back)."""
    strategies = [
        StrategyRow(
            n,
            post.get(f"strategy-{n}-section", ""),
            post.get(f"strategy-{n}-description", "").strip(),
            post.get(f"strategy-{n}-owner", ""),
            post.get(f"strategy-{n}-review_on", "").strip(),
        )
        for n in range(_count(post, "strategy-rows"))
        if not post.get(f"strategy-{n}-remove")
    ]
    signs = [
        SignRow(
            n,
            post.get(f"sign-{n}-description", "").strip(),
            {int(v) for v in post.getlist(f"sign-{n}-triggers") if v.isdigit()},
        )
        for n in range(_count(post, "sign-rows"))
        if not post.get(f"sign-{n}-remove")
    ]
    form = PlanForm(
        based_on=_count(post, "based_on"),
        reason=post.get("reason", ""),
        reason_note=post.get("reason_note", ""),
        judgement=post.get("judgement", ""),
        judgement_rationale=post.get("judgement_rationale", ""),
        formulation=post.get("formulation", ""),
        protective_factors=post.get("protective_factors", ""),
        scenarios={kind: post.get(f"scenario-{kind}", "") for kind in Scenario.Kind.values},
        strategies=[row for row in strategies if row.description],
        signs=[row for row in signs if row.description],
    )
    return _renumber(form)


def _count(post: QueryDict, name: str) -> int:
    value = post.get(name, "")
    return min(int(value), 500) if value.isdigit() else 0


def _renumber(form: PlanForm) -> PlanForm:
    """Rows kept get consecutive numbers; warning signs follow their strategies to the new numbers."""
    new_number = {row.n: n for n, row in enumerate(form.strategies)}
    for n, row in enumerate(form.strategies):
        row.n = n
    for n, sign in enumerate(form.signs):
        sign.n = n
        sign.triggers = {new_number[t] for t in sign.triggers if t in new_number}
    return _with_blanks(form)


def content(form: PlanForm, case: Case) -> PlanContent:
    """What the form says, as plan content; owners must be on the team or an agency; dates real dates."""
    kept = [row for row in form.strategies if row.description]
    return PlanContent(
        formulation=form.formulation,
        protective_factors=form.protective_factors,
        judgement=form.judgement,
        judgement_rationale=form.judgement_rationale,
        scenarios=[(kind, text) for kind, text in form.scenarios.items() if text.strip()],
        strategies=[_strategy(row, case) for row in kept],
        warning_signs=[
            WarningSignInput(sign.description, sorted(sign.triggers))
            for sign in form.signs
            if sign.description
        ],
    )


def _strategy(row: StrategyRow, case: Case) -> StrategyInput:
    owner, agency = _owner(row, case)
    return StrategyInput(row.section, row.description, _date(row), owner=owner, owner_agency=agency)


def _date(row: StrategyRow) -> date | None:
    try:
        return date.fromisoformat(row.review_on) if row.review_on else None
    except ValueError:
        raise ActionRefused(
            f"Enter the review date of “{row.description}” as a date, e.g. 2027-03-01", field="strategies"
        ) from None


def _owner(row: StrategyRow, case: Case) -> tuple[User | None, Agency | None]:
    """The owner chosen: a worker who is or was on the case team, or an agency; (None, None) is refused
    by the plan's own check (every strategy needs an owner)."""
    kind, _, pk = row.owner.partition(":")
    if kind == "user" and pk.isdigit():
        return User.objects.filter(pk=int(pk), case_places__case=case).first(), None
    if kind == "agency" and pk.isdigit():
        return None, Agency.objects.filter(pk=int(pk)).first()
    return None, None


def owner_choices(case: Case) -> list[tuple[str, str]]:
    """The case team's workers, then every agency."""
    places = case.team.select_related("user", "agency").order_by("user__last_name")
    people = {f"user:{p.user_id}": f"{p.user} ({p.agency.name})" for p in places}
    agencies = {f"agency:{a.pk}": f"{a.name} (the agency)" for a in Agency.objects.order_by("name")}
    return [("", "Choose an owner")] + list(people.items()) + list(agencies.items())


SECTIONS = [("", "Choose a section")] + list(PlanSection.choices)
