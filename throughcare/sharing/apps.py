from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "throughcare.sharing"
    verbose_name = "Need-to-know sharing"

    def ready(self) -> None:
        # Imported here: app modules may load only once the app registry is ready.
        from throughcare.cases.gateway import install
        from throughcare.sharing import access, reactions, sections

        install(access.SqlGate())
        reactions.register()
        sections.contribute()
