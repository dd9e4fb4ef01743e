from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "throughcare.cases"
    verbose_name = "Cases"
