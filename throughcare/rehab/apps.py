from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "throughcare.rehab"
    verbose_name = "Rehabilitation"
