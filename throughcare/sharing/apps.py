from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "throughcare.sharing"
    verbose_name = "Need-to-know sharing"
