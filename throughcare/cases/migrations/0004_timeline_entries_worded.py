"""A timeline entry's body holds a person's note as written or the wording of what the system recorded
(`lib.wording`), read in the reader's language. The column stays text: only the field changes, so SQLite
rebuilds no table (a rebuild would break the stale-case triggers that name it)."""

from django.db import migrations

import throughcare.lib.wording


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_by_activity")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="timelineentry", name="body", field=throughcare.lib.wording.WordingField()
                )
            ]
        )
    ]
