from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "throughcare.notifications"
    verbose_name = "Notifications"
