from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "throughcare.rights"
    verbose_name = "Rights of the person (subject access)"
