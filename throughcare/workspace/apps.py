from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The top layer: the case page composed of sections, Needs attention, navigation and search."""

    name = "throughcare.workspace"
    verbose_name = "Workspace"

    def ready(self) -> None:
        # Imported here: app modules may load only once the app registry is ready.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from throughcare.lib.daily import DailyJob, register_daily  # the day's keeping of Needs attention
        from throughcare.lib.middleware import SessionLimits  # the session's start, on sign-in
        from throughcare.workspace import (
            attention,
            kept,
            oversight,
            sections,
        )  # contributions, lockouts, days

        attention.contribute()
        sections.contribute()
        user_locked_out.connect(oversight.record_lockout, dispatch_uid="throughcare-lockout-audit")
        user_logged_in.connect(SessionLimits.started, dispatch_uid="throughcare-session-start")
        # Needs attention kept for the day: computed last, after the day's escalations have changed items.
        register_daily(
            "workspace.kept", DailyJob(950, "Needs attention kept for {today}: {count} items.", kept.rebuild)
        )
