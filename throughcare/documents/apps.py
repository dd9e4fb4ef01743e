from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DocumentsConfig(AppConfig):
    name = "throughcare.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        # Imported here: the contributions registry is filled once the apps are ready.
        from throughcare.cases.contributions import Section, contribute_section
        from throughcare.cases.models import DataCategory

        contribute_section(
            Section(
                "documents",
                gettext_lazy("Documents"),
                "documents:list",
                DataCategory.LEGAL,
                46,
                works_on_case_only=True,
            )
        )
