"""The index of the cases lists name holds each list's month (its partition) and actor, so that "who
accessed this case" reads each event from its own month, and says who acted without reading the events.
Filled from the events for the lists already logged; the sealer sets the month from now on."""

import datetime

from django.db import migrations, models

FILL = """UPDATE audit_consultedcase SET month = e.month, actor_id = e.actor_id
FROM audit_auditevent e WHERE e.id = audit_consultedcase.event_id"""


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_access_changes_indexed'),
    ]

    operations = [
        migrations.AddField(
            model_name='consultedcase',
            name='actor_id',
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='consultedcase',
            name='month',
            field=models.DateField(db_default=datetime.date(9999, 12, 1)),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.RemoveIndex(
            model_name='consultedcase',
            name='audit_consu_case_id_7f973b_idx',
        ),
        migrations.AddIndex(
            model_name='consultedcase',
            index=models.Index(
                fields=['case_id', 'event_id'], include=('month', 'actor_id'), name='consulted_case_index'
            ),
        ),
    ]
