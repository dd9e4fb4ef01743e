"""The case page's own sections: the overview and the timeline (the capabilities contribute the rest)."""

from __future__ import annotations

from throughcare.cases.contributions import Section, contribute_section


def contribute() -> None:
    contribute_section(Section("overview", "Overview", "cases:detail", None, 0))
    contribute_section(Section("timeline", "Timeline", "cases:timeline", None, 10))
