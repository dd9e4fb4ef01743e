from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The top layer: the case page composed of sections, Needs attention, navigation and search."""

    name = "throughcare.workspace"
    verbose_name = "Workspace"

    def ready(self) -> None:
        # Imported here: app modules may load only once the app registry is ready.
        from throughcare.workspace import attention, sections

        attention.contribute()
        sections.contribute()
