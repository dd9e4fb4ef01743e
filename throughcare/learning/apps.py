from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "throughcare.learning"
    verbose_name = "Learning from cases"
