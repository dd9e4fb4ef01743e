from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "throughcare.audit"
    verbose_name = "Audit log"
