from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "throughcare.rights"
    verbose_name = "Rights of the person (subject access)"

    def ready(self) -> None:
        # Imported here: app modules may load only once the app registry is ready.
        from throughcare.cases.facts import provide_rights
        from throughcare.rights.facts import RightsFacts

        provide_rights(RightsFacts())
