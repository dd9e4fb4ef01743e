from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "throughcare.custody"
    verbose_name = "Custody to community"

    def ready(self) -> None:
        # Imported here: app modules may load only once the app registry is ready.
        from throughcare.cases.facts import provide
        from throughcare.custody import decisions, reactions, sections

        provide(reactions.CustodyFacts())
        reactions.register()
        sections.contribute()
        decisions.contribute()
