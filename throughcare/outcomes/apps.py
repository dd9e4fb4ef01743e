from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "throughcare.outcomes"
    verbose_name = "Outcomes and statistics"

    def ready(self) -> None:
        # Imported here: app modules may load only once the app registry is ready.
        from throughcare.outcomes import sections

        sections.contribute()
