"""The default quorum rules per conference kind (data: administrators change them)."""

from typing import Any

from django.db import migrations

# As first shipped (throughcare.conferences.meetings.DEFAULT_QUORUM may change later; this must not).
DEFAULT_QUORUM = {
    "release": (3, ["prison", "probation"]),
    "case": (2, ["probation"]),
    "panel_2": (3, ["probation", "police_ct"]),
    "panel_3": (4, ["probation", "police_ct"]),
    "urgent": (2, []),
}


def load(apps: Any, schema_editor: Any) -> None:
    QuorumRule = apps.get_model("conferences", "QuorumRule")
    for kind, (minimum, kinds) in DEFAULT_QUORUM.items():
        QuorumRule.objects.get_or_create(kind=kind, defaults={"min_agencies": minimum, "required_kinds": kinds})


class Migration(migrations.Migration):
    dependencies = [("conferences", "0002_meetings")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
