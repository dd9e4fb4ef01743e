from django.contrib.admin import options
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.db import models


class AdminConfig(DjangoAdminConfig):
    """Django's administration, on a site that asks for the second factor (see admin_site), with its
    date fields bounded like every other form's (lib.forms)."""

    default = False
    default_site = "throughcare.workspace.admin_site.AdminSite"

    def ready(self) -> None:
        # Imported here: lib.forms needs the settings, loaded by now.
        from throughcare.lib.forms import DateField, SplitDateTimeField

        # Before the admin classes are registered (autodiscovery, below): each copies these defaults.
        defaults = options.FORMFIELD_FOR_DBFIELD_DEFAULTS
        defaults[models.DateField] = {**defaults[models.DateField], "form_class": DateField}
        defaults[models.DateTimeField] = {**defaults[models.DateTimeField], "form_class": SplitDateTimeField}
        super().ready()
