"""A phase change's reason holds what the person gave or the system's wording (`lib.wording`: a recall, a
closure, an override), read in the reader's language: PostgreSQL widens the column to text. SQLite does
not bound a varchar, so it rebuilds no table there (the stale-case triggers name this table)."""

from typing import Any

from django.db import migrations

import throughcare.lib.wording


def widen(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "cases_phasechange" ALTER COLUMN "reason" TYPE text')


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_timeline_entries_worded")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="phasechange",
                    name="reason",
                    field=throughcare.lib.wording.WordingField(blank=True),
                ),
            ],
            database_operations=[migrations.RunPython(widen, migrations.RunPython.noop)],
        )
    ]
