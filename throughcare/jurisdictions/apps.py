from django.apps import AppConfig


class JurisdictionsConfig(AppConfig):
    name = "throughcare.jurisdictions"
    verbose_name = "Jurisdictions"
