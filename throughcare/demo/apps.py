from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "throughcare.demo"
    verbose_name = "Demo world"
