from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "throughcare.outcomes"
    verbose_name = "Outcomes and statistics"
