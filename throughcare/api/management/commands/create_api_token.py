"""Print a new API token for a user (for scripts, tests and a partner system's set-up)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from throughcare.accounts.models import User
from throughcare.api import tokens
from throughcare.api.models import Scope
from throughcare.lib.errors import ActionRefused


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (it is shown once; only its hash is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--scope", choices=Scope.values, default=Scope.READ)
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--name", default="Created with manage.py create_api_token")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']}")
        try:
            _, raw = tokens.issue(
                user, name=options["name"], scope=options["scope"], days=options["days"], by=user
            )
        except ActionRefused as refusal:
            raise CommandError(refusal.message) from refusal
        self.stdout.write(raw)
