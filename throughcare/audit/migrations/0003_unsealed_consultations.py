"""Bodies: every event keeps its content as the canonical JSON its hash covers, so that verification
hashes bytes instead of rebuilding JSON; recipients and details live only there. Consultations may wait
unsealed (no place in the chain yet), and an event about several cases is indexed in ConsultedCase.

Events already written keep their hash: their body is the payload that hash covered (a JSON object with
their place), exactly as the chain of 0002 serialised it."""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations, models


def keep_bodies(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    key = settings.AUDIT_CHAIN_KEY.encode()
    for old in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        payload = {
            "seq": old.seq, "occurred_at": old.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "operation": old.operation, "actor": old.actor_id, "actor_agency": old.actor_agency_id,
            "case": old.case_id, "object_type": old.object_type, "object_id": old.object_id,
            "justification": old.justification, "recipients": old.recipients, "details": old.details,
        }  # fmt: skip
        body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        mac = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
        AuditEvent.objects.filter(pk=old.pk).update(body=body, mac=mac)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_hash_chain'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['id']},
        ),
        migrations.AddField(
            model_name='auditevent',
            name='body',
            field=models.TextField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='mac',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.BigIntegerField(help_text='Position in the chain, 1, 2, 3 … without gaps', null=True, unique=True),
        ),
        migrations.RunPython(keep_bodies, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='auditevent',
            name='body',
            field=models.TextField(editable=False),
        ),
        migrations.RemoveField(model_name='auditevent', name='details'),
        migrations.RemoveField(model_name='auditevent', name='recipients'),
        migrations.CreateModel(
            name='ConsultedCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event_id', models.BigIntegerField()),
                ('case_id', models.BigIntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['case_id', 'event_id'], name='audit_consu_case_id_7f973b_idx')],
                'constraints': [models.UniqueConstraint(fields=('event_id', 'case_id'), name='case_once_per_event')],
            },
        ),
    ]
