import os

from django.conf import settings
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "throughcare.settings")
application = get_wsgi_application()
if settings.AUDIT_SEALER == "thread":
    from throughcare.audit import sealer  # noqa: E402 — after the application has set Django up

    sealer.start()
if settings.PRODUCTION:
    # In production the server does not start with settings that undo Throughcare's protections.
    call_command("check", deploy=True, fail_level="ERROR")
