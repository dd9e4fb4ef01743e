"""A handover item's note holds what the person who did it wrote, or the system's wording (a release
conference recorded), read in the reader's language: PostgreSQL widens the column to text. SQLite does not
bound a varchar, so it rebuilds no table there (Needs attention's triggers name this table)."""

from typing import Any

from django.db import migrations

import throughcare.lib.wording


def widen(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "custody_handoveritem" ALTER COLUMN "note" TYPE text')


class Migration(migrations.Migration):
    dependencies = [("custody", "0018_handover_items_translated")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="handoveritem",
                    name="note",
                    field=throughcare.lib.wording.WordingField(blank=True),
                ),
            ],
            database_operations=[migrations.RunPython(widen, migrations.RunPython.noop)],
        )
    ]
