"""The plan review form: a new version starts as a copy of the current one and is changed row by row.

Django forms and formsets, working without JavaScript: the plan's own fields (reason, formulation,
scenarios, judgement) are one form; the strategies and the warning signs are formsets, the current ones
as rows with three blank rows for new ones (save and review again for more) and a box to remove a row.
A warning sign names the strategy rows it sets off. A refused form is shown again exactly as it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from throughcare.accounts.models import Agency, User
from throughcare.cases.models import Case
from throughcare.lib.forms import DateField, IntegerField, long_text
from throughcare.lib.text import ascii_int
from throughcare.risk.models import Assessment, PlanSection, PlanVersion, ReviewReason, Scenario
from throughcare.risk.plans import PlanContent, StrategyInput, WarningSignInput, ordered_strategies

BLANK_ROWS = 3
MOST_ROWS = 100  # a plan longer than this is not a plan; a tampered row count stops here
MOST_TEXT = 20_000  # a formulation may run to a few pages


class PlanForm(forms.Form):
    based_on = IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    reason = forms.ChoiceField(
        label=_("Why this version"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the reason for this version"),
            "invalid_choice": _("Choose a reason"),
        },
    )
    reason_note = forms.CharField(label=_("What prompted it (optional)"), max_length=500, required=False)
    formulation = long_text(
        _("Formulation"),
        rows=6,
        max_length=MOST_TEXT,
        help_text=_("Why this person, what drives the risk, what would change it."),
    )
    protective_factors = long_text(_("Protective factors"), max_length=MOST_TEXT)
    judgement = forms.ChoiceField(
        label=_("How much attention does this case need now?"),
        help_text=_(
            "Your own judgement, shown on the risk trajectory. Nothing is computed. Leave it empty "
            "if you make none at this review."
        ),
        choices=Assessment.Priority.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose a judgement from the list, or none")},
    )
    judgement_rationale = long_text(_("Why you judge so"), max_length=MOST_TEXT)

    def __init__(self, *args: Any, first: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = [c for c in ReviewReason.choices if (c[0] == ReviewReason.FIRST) == first]
        for kind, label in Scenario.Kind.choices:
            self.fields[f"scenario-{kind}"] = long_text(label, rows=2, max_length=MOST_TEXT)
        self.order_fields(["based_on", "reason", "reason_note", "formulation", "protective_factors"])

    def scenarios(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(k, data[f"scenario-{k}"]) for k in Scenario.Kind.values if data[f"scenario-{k}"].strip()]


class _Row(forms.Form):
    """A row of a formset: kept in the new version when it says something and is not removed."""

    def kept(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("description", "").strip()) and not data.get("DELETE")


class StrategyForm(_Row):
    description = forms.CharField(label=_("What will be done"), max_length=500, required=False)
    section = forms.ChoiceField(
        label=_("Section"), choices=[("", _("Choose a section")), *PlanSection.choices], required=False
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    review_on = DateField(
        label=_("Review by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the review date as a date, e.g. 2027-03-01")},
    )

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = owners
        if "DELETE" in self.fields:
            self.fields["DELETE"].label = "Remove this strategy from the new version"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = data.get("description", "").strip()
        if name and not data.get("DELETE"):  # the plan's own check says it too; here, next to the field
            if not data.get("section"):
                self.add_error("section", gettext("Choose the section of “%(name)s”") % {"name": name})
            if not data.get("owner"):
                self.add_error(
                    "owner",
                    gettext("The strategy “%(name)s” needs an owner (a person or an agency)")
                    % {"name": name},
                )
            if not data.get("review_on") and "review_on" not in self.errors:
                self.add_error(
                    "review_on", gettext("The strategy “%(name)s” needs a review date") % {"name": name}
                )
        return data


class SignForm(_Row):
    description = forms.CharField(label=_("What would be seen"), max_length=300, required=False)
    triggers = forms.TypedMultipleChoiceField(
        label=_("Sets off"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose among the strategies of this plan")},
    )

    def __init__(self, *args: Any, strategies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        triggers = self.fields["triggers"]
        assert isinstance(triggers, forms.ChoiceField)
        triggers.choices = strategies
        if "DELETE" in self.fields:
            self.fields["DELETE"].label = "Remove this warning sign from the new version"


Strategies = forms.formset_factory(
    StrategyForm, extra=BLANK_ROWS, can_delete=True, max_num=MOST_ROWS, absolute_max=MOST_ROWS
)
Signs = forms.formset_factory(
    SignForm, extra=BLANK_ROWS, can_delete=True, max_num=MOST_ROWS, absolute_max=MOST_ROWS
)


@dataclass
class PlanReview:
    """The plan form and its two formsets, bound together or not at all."""

    plan: forms.Form
    strategies: forms.BaseFormSet  # type: ignore[type-arg]
    signs: forms.BaseFormSet  # type: ignore[type-arg]

    def is_valid(self) -> bool:
        valid = all([self.plan.is_valid(), self.strategies.is_valid(), self.signs.is_valid()])
        for formset in (self.strategies, self.signs):
            for error in formset.non_form_errors():
                self.plan.add_error(None, error)
        return valid

    def problems(self) -> list[forms.Form]:
        """Every form with an error, for the summary at the top of the page."""
        return [f for f in [self.plan, *self.strategies.forms, *self.signs.forms] if f.errors]

    def content(self, case: Case) -> PlanContent:
        """What the form says, as plan content: rows removed or left blank dropped, the warning signs'
        triggers following their strategies to the new numbering."""
        rows = [(n, f) for n, f in enumerate(self.strategies.forms) if f.kept()]
        new_number = {n: i for i, (n, _) in enumerate(rows)}
        data = self.plan.cleaned_data
        return PlanContent(
            formulation=data["formulation"],
            protective_factors=data["protective_factors"],
            judgement=data["judgement"],
            judgement_rationale=data["judgement_rationale"],
            scenarios=self.plan.scenarios(),  # type: ignore[attr-defined]
            strategies=[_strategy(f.cleaned_data, case) for _, f in rows],
            warning_signs=[
                WarningSignInput(
                    f.cleaned_data["description"],
                    sorted(new_number[t] for t in f.cleaned_data["triggers"] if t in new_number),
                )
                for f in self.signs.forms
                if f.kept()
            ],
        )


def review_form(case: Case, current: PlanVersion | None, data: QueryDict | None = None) -> PlanReview:
    """The review form: bound to what was posted, or starting from the current version."""
    owners = owner_choices(case)
    initial, strategies, signs = _initial(current)
    strategy_set = Strategies(data, prefix="strategy", initial=strategies, form_kwargs={"owners": owners})
    labels = _strategy_labels(strategy_set, data)
    return PlanReview(
        plan=PlanForm(data, first=current is None, initial=initial),
        strategies=strategy_set,
        signs=Signs(data, prefix="sign", initial=signs, form_kwargs={"strategies": labels}),
    )


def _strategy_labels(strategy_set: forms.BaseFormSet, data: QueryDict | None) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    """What a warning sign can set off: each strategy row, by what it says (or its row if new)."""
    labels = []
    for n, form in enumerate(strategy_set.forms):
        said = (
            data.get(f"strategy-{n}-description", "")
            if data is not None
            else form.initial.get("description", "")
        )
        labels.append((n, said.strip() or gettext("the new strategy in row %(row)s") % {"row": n + 1}))
    return labels


def _initial(
    current: PlanVersion | None,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    if current is None:
        return {"based_on": 0, "reason": ReviewReason.FIRST}, [], []
    strategies = ordered_strategies(current)
    row_of = {s.pk: n for n, s in enumerate(strategies)}
    plan = {
        "based_on": current.number,
        "formulation": current.formulation,
        "protective_factors": current.protective_factors,
    } | {
        f"scenario-{kind}": "\n\n".join(s.description for s in current.scenarios.all() if s.kind == kind)
        for kind in Scenario.Kind.values
    }
    rows = [
        {
            "section": s.section,
            "description": s.description,
            "owner": f"user:{s.owner_id}" if s.owner_id else f"agency:{s.owner_agency_id}",
            "review_on": s.review_on,
        }
        for s in strategies
    ]
    signs = [
        {
            "description": w.description,
            "triggers": sorted(row_of[t.pk] for t in w.triggers.all() if t.pk in row_of),
        }
        for w in current.warning_signs.prefetch_related("triggers")
    ]
    return plan, rows, signs


def _strategy(row: dict[str, Any], case: Case) -> StrategyInput:
    owner, agency = _owner(row["owner"], case)
    return StrategyInput(
        row["section"], row["description"], row["review_on"], owner=owner, owner_agency=agency
    )


def _owner(value: str, case: Case) -> tuple[User | None, Agency | None]:
    """The owner chosen: a worker who is or was on the case team, or an agency; (None, None) is refused
    by the plan's own check (every strategy needs an owner)."""
    kind, _, typed = value.partition(":")
    pk = ascii_int(typed, max_digits=9)
    if kind == "user" and pk is not None:
        return User.objects.filter(pk=pk, case_places__case=case).first(), None
    if kind == "agency" and pk is not None:
        return None, Agency.objects.filter(pk=pk).first()
    return None, None


def owner_choices(case: Case) -> list[tuple[str, str]]:
    """The case team's workers, then every agency."""
    places = case.team.select_related("user", "agency").order_by("user__last_name")
    people = {f"user:{p.user_id}": f"{p.user} ({p.agency.name})" for p in places}
    agencies = {
        f"agency:{a.pk}": gettext("%(agency)s (the agency)") % {"agency": a.name}
        for a in Agency.objects.order_by("name")
    }
    return [("", gettext("Choose an owner"))] + list(people.items()) + list(agencies.items())
