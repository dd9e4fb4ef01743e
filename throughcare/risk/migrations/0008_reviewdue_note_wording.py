"""A review's note holds what the person asking wrote or the system's wording (`lib.wording`), read in the
reader's language, and may be longer than its old bound: PostgreSQL widens the column to text. SQLite does
not bound a varchar, so it rebuilds no table there (the stale-case triggers name this table)."""

from typing import Any

from django.db import migrations

import throughcare.lib.wording


def widen(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "risk_reviewdue" ALTER COLUMN "note" TYPE text')


class Migration(migrations.Migration):
    dependencies = [("risk", "0007_demo_instruments_translated")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reviewdue",
                    name="note",
                    field=throughcare.lib.wording.WordingField(
                        blank=True, help_text="Why; never the content of intelligence"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(widen, migrations.RunPython.noop)],
        )
    ]
