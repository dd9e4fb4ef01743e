"""The code the demo's authenticator would show now (for the personas who need a second factor)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from throughcare.demo.world import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the demo authenticator's current 6-digit code (the demo world only, never production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("There is no demo authenticator in production: each person has their own.")
        self.stdout.write(f"{totp(DEMO_TOTP_KEY):06d}")
