from django.apps import AppConfig


class LibConfig(AppConfig):
    """The helpers every app uses; an app of its own for its management command (`makemessages`)."""

    name = "throughcare.lib"
    label = "lib"
