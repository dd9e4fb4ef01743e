"""What need-to-know sharing contributes to the case page: the Sharing and access section, for the team and
its managers (those reading under an agreement or break-glass do not manage it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from throughcare.cases.contributions import Section, contribute_section


def contribute() -> None:
    contribute_section(
        Section("sharing", gettext_lazy("Sharing"), "sharing:overview", None, 60, works_on_case_only=True)
    )
