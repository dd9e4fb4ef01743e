"""What the workspace keeps: the items of Needs attention, computed ahead so that a list of a whole agency
reads a page of rows instead of computing every case's dues (`throughcare.workspace.kept`)."""

from __future__ import annotations

from django.db import models

from throughcare.accounts.models import User
from throughcare.cases.models import Case, CaseData, CaseDataQuerySet, DataCategory
from throughcare.lib.wording import WordingField
from throughcare.people.models import Person


class KeptItem(CaseData, models.Model):
    """One item of Needs attention of a case, as its source gave it on `KeptDay.day`. Each row carries the
    category of the row it comes from: the gate shows it only to those who hold that category."""

    category_field = "category"
    person_path = "person"  # kept with the row: the gate's consent conditions need no join to the case

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")  # the case's person
    case_open = models.BooleanField(default=True)  # the case was not closed (a phase change marks it stale)
    category = models.CharField(max_length=20, choices=DataCategory.choices)
    group = models.CharField(max_length=100)  # the heading it is listed under
    group_order = models.PositiveSmallIntegerField()
    position = models.PositiveIntegerField()  # its place among the case's items, as the sources gave them
    text = WordingField()  # read in the reader's language (`lib.wording`)
    due_on = models.DateField(null=True)
    overdue = models.BooleanField()
    overdue_at = models.DateTimeField(null=True)  # overdue from this moment on (read at the time shown)
    anchor = models.CharField(max_length=100, blank=True)
    url = models.CharField(max_length=500, blank=True)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, null=True, related_name="+")
    audience = models.CharField(max_length=20)  # `cases.contributions.Audience`

    objects = CaseDataQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["case", "position"], name="kept_item_case"),
            models.Index(fields=["owner"], name="kept_item_owner"),
        ]

    def __str__(self) -> str:
        return str(self.text)


class KeptDay(models.Model):
    """The day the kept items were computed for (one row). On any other day the lists are computed live."""

    key = models.PositiveSmallIntegerField(primary_key=True, default=1)
    day = models.DateField()

    def __str__(self) -> str:
        return f"Needs attention kept for {self.day}"


class StaleCase(models.Model):
    """A case whose kept items may no longer hold: a row it feeds on changed. Written by triggers in the
    database, in the transaction of the change, so that no way of writing (a form, the API, a bulk update,
    the console) can leave a case's kept items behind."""

    case_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return f"case {self.case_id}"


class KeptCount(CaseData, models.Model):
    """How many of a case's dated items of one category were overdue at the start of `KeptDay.day` and of
    the same weekday in each of the weeks before: the weeks of a manager's chart (`workspace.deadlines`),
    kept with the items and read through the gate by category like them. Only a case and category with
    something overdue is kept; work counted among open cases only is kept for open cases only."""

    WEEKS = 8  # the weeks of the chart: one column each

    category_field = "category"
    person_path = "person"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")  # the case's person
    category = models.CharField(max_length=20, choices=DataCategory.choices)
    after_closing = models.BooleanField(default=False)  # work counted on any case, closed too (follow-ups)
    # Overdue at the start of the kept day (0), of the same weekday a week before (1), and so on.
    weeks_ago_0 = models.PositiveIntegerField(default=0)
    weeks_ago_1 = models.PositiveIntegerField(default=0)
    weeks_ago_2 = models.PositiveIntegerField(default=0)
    weeks_ago_3 = models.PositiveIntegerField(default=0)
    weeks_ago_4 = models.PositiveIntegerField(default=0)
    weeks_ago_5 = models.PositiveIntegerField(default=0)
    weeks_ago_6 = models.PositiveIntegerField(default=0)
    weeks_ago_7 = models.PositiveIntegerField(default=0)

    objects = CaseDataQuerySet.as_manager()  # found by case through the foreign key's own index

    def __str__(self) -> str:
        return f"case {self.case_id}, {self.category}: {self.weeks_ago_0} overdue"
