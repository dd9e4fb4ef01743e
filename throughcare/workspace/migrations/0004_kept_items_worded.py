"""Needs attention items keep their wording (`lib.wording`), read in the reader's language. The stale-case
triggers are installed again after the other apps' changes of this release (none rebuilds a table; this
keeps the triggers as the feeds now declare them)."""

from typing import Any

from django.db import migrations

import throughcare.lib.wording


def install(apps: Any, schema_editor: Any) -> None:
    from throughcare.workspace.kept import install_triggers  # the feeds as declared at start-up

    install_triggers(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0003_case_activity_not_a_change"),
        ("cases", "0004_timeline_entries_worded"),
        ("custody", "0018_handover_items_translated"),
        ("notifications", "0003_notifications_worded"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(  # the column stays text: no table is rebuilt
            state_operations=[
                migrations.AlterField(
                    model_name="keptitem", name="text", field=throughcare.lib.wording.WordingField()
                )
            ]
        ),
        migrations.RunPython(install, install),
    ]
