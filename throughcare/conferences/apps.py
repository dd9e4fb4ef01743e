from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "throughcare.conferences"
    verbose_name = "Multi-agency conferences"
