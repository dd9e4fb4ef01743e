from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "throughcare.conferences"
    verbose_name = "Multi-agency conferences"

    def ready(self) -> None:
        # Imported here: app modules may load only once the app registry is ready.
        from throughcare.conferences import decisions, reactions, sections

        reactions.register()
        sections.contribute()
        decisions.contribute()
