from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "throughcare.learning"
    verbose_name = "Learning from cases"

    def ready(self) -> None:
        # Imported here: app modules may load only once the app registry is ready.
        from throughcare.learning import reactions

        reactions.register()
