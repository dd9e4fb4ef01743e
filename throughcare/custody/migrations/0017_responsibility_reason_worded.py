"""The reason responsibility lies where it does holds its wording (`lib.wording`), read in the reader's
language, and may be longer than 300 characters: PostgreSQL widens the column to text. SQLite does not
bound a varchar, so it rebuilds no table there (a rebuild would break the stale-case triggers that name
it)."""

from typing import Any

from django.db import migrations

import throughcare.lib.wording


def widen(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "custody_sentence" ALTER COLUMN "responsibility_reason" TYPE text')


class Migration(migrations.Migration):
    dependencies = [("custody", "0016_catalogue_translations")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="sentence",
                    name="responsibility_reason",
                    field=throughcare.lib.wording.WordingField(blank=True),
                )
            ],
            database_operations=[migrations.RunPython(widen, migrations.RunPython.noop)],
        )
    ]
