"""The weeks of a manager's chart kept with Needs attention (`KeptCount`), and conference actions a feed
(their trigger installed). What was kept before has no counts: the day is forgotten, so that every list is
computed live until the next daily run keeps it whole again."""

from typing import Any

import django.db.models.deletion
import throughcare.cases.models
from django.db import migrations, models


def install(apps: Any, schema_editor: Any) -> None:
    from throughcare.workspace.kept import install_triggers  # the feeds as declared at start-up

    install_triggers(schema_editor.connection.alias)
    apps.get_model("workspace", "KeptDay").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_phase_change_reason_worded'),
        ('people', '0003_identifier_search'),
        ('workspace', '0004_kept_items_worded'),
        # The tables of every feed as they now are: their triggers are installed after them.
        ('conferences', '0005_action_item'),
        ('custody', '0019_handover_item_note_worded'),
        ('jurisdictions', '0002_profiles_as_data'),
        ('learning', '0003_lesson_language'),
        ('rehab', '0004_default_criteria_translated'),
        ('risk', '0008_reviewdue_note_wording'),
    ]

    operations = [
        migrations.CreateModel(
            name='KeptCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.CharField(choices=[('identity', 'Identity'), ('legal', 'Legal (sentence, conditions)'), ('risk', 'Risk'), ('intelligence', 'Intelligence'), ('health', 'Health'), ('interventions', 'Interventions and progress'), ('family', 'Family'), ('general', 'General')], max_length=20)),
                ('after_closing', models.BooleanField(default=False)),
                ('weeks_ago_0', models.PositiveIntegerField(default=0)),
                ('weeks_ago_1', models.PositiveIntegerField(default=0)),
                ('weeks_ago_2', models.PositiveIntegerField(default=0)),
                ('weeks_ago_3', models.PositiveIntegerField(default=0)),
                ('weeks_ago_4', models.PositiveIntegerField(default=0)),
                ('weeks_ago_5', models.PositiveIntegerField(default=0)),
                ('weeks_ago_6', models.PositiveIntegerField(default=0)),
                ('weeks_ago_7', models.PositiveIntegerField(default=0)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.case')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.person')),
            ],
            options={
                'indexes': [models.Index(fields=['case'], name='kept_count_case')],
            },
            bases=(throughcare.cases.models.CaseData, models.Model),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
