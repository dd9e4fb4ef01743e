from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "throughcare.people"
    verbose_name = "People (data subjects)"
