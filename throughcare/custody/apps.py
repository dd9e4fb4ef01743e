from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "throughcare.custody"
    verbose_name = "Custody to community"
