"""A notification's subject and body hold their wording (`lib.wording`), read in the recipient's language,
and may be longer than their old bounds: PostgreSQL widens the columns to text. SQLite does not bound a
varchar, so it rebuilds no table there."""

from typing import Any

from django.db import migrations

import throughcare.lib.wording


def widen(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for column in ("subject", "body"):
            schema_editor.execute(f'ALTER TABLE "notifications_notification" ALTER COLUMN "{column}" TYPE text')


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_notification_case_category")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification", name="body", field=throughcare.lib.wording.WordingField(blank=True)
                ),
                migrations.AlterField(
                    model_name="notification", name="subject", field=throughcare.lib.wording.WordingField()
                ),
            ],
            database_operations=[migrations.RunPython(widen, migrations.RunPython.noop)],
        )
    ]
