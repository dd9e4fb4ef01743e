"""How reliable a source is: one scale wherever information is graded (the admiralty scale's first part)."""

from __future__ import annotations

from django.db import models


class SourceReliability(models.TextChoices):
    A = "A", "A — completely reliable"
    B = "B", "B — usually reliable"
    C = "C", "C — fairly reliable"
    D = "D", "D — not usually reliable"
    E = "E", "E — unreliable"
    F = "F", "F — reliability cannot be judged"
