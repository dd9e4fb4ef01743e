from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "throughcare.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Imported here: the outbox reads models, which are ready only now.
        from throughcare.api import outbox
        from throughcare.lib.events import subscribe_all

        subscribe_all(outbox.record)
