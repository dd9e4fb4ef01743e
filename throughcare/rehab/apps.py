from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "throughcare.rehab"
    verbose_name = "Rehabilitation"

    def ready(self) -> None:
        # Imported here: app modules may load only once the app registry is ready.
        from throughcare.cases.facts import provide_rehab
        from throughcare.rehab import facts, reactions, sections

        reactions.register()
        sections.contribute()
        provide_rehab(facts.RehabFacts())
