"""The case page's own sections: the overview and the timeline (the capabilities contribute the rest)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from throughcare.cases.contributions import Section, contribute_section


def contribute() -> None:
    contribute_section(Section("overview", gettext_lazy("Overview"), "cases:detail", None, 0))
    contribute_section(Section("timeline", gettext_lazy("Timeline"), "cases:timeline", None, 10))
