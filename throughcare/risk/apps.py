from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "throughcare.risk"
    verbose_name = "Risk management"

    def ready(self) -> None:
        # Imported here: app modules may load only once the app registry is ready.
        from throughcare.risk import decisions, reactions, sections

        reactions.register()
        sections.contribute()
        decisions.contribute()
