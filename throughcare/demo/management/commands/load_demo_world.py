from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from throughcare.demo import world

DEFAULT_PASSWORD = "throughcare-demo"


class Command(BaseCommand):
    help = (
        "Load the synthetic demo world (agencies, personas, ~64 cases). Does nothing if it is already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD))

    def handle(self, *args: Any, **options: Any) -> None:
        created = world.load(options["password"])
        self.stdout.write("Demo world loaded." if created else "Demo world already present; nothing changed.")
        self.stdout.write("\nDemo personas (one password for all):")
        for username, name, job in world.describe():
            self.stdout.write(f"  {username:<20} {name:<22} {job}")
        self.stdout.write(
            f"\nPassword: {options['password']}"
            if created
            else f"\nPassword: the one given when the world was loaded (by default '{DEFAULT_PASSWORD}')."
        )
