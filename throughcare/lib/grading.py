"""How reliable a source is: one scale wherever information is graded (the admiralty scale's first part)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceReliability(models.TextChoices):
    A = "A", _("A — completely reliable")
    B = "B", _("B — usually reliable")
    C = "C", _("C — fairly reliable")
    D = "D", _("D — not usually reliable")
    E = "E", _("E — unreliable")
    F = "F", _("F — reliability cannot be judged")
