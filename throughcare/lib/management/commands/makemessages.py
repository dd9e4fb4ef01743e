"""`makemessages` that also extracts the messages of system text (`lib.wording`): ``worded("…")`` like
``gettext("…")`` and ``worded_count("…", "…", n)`` like ``ngettext``."""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=worded",
        "--keyword=worded_count:1,2",
    ]
