from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "throughcare.risk"
    verbose_name = "Risk management"
