"""Chain the audit log: give every existing event its place and keyed hash, in the order written."""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations, models


def chain_hash(prev_hash, payload):
    """The chain's hash as this migration wrote it (kept here: the application's has moved on)."""
    message = prev_hash.encode() + b"\n" + json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), message, hashlib.sha256).hexdigest()


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    prev = "0" * 64
    seq = 0
    for old in AuditEvent.objects.order_by("pk").iterator():
        seq += 1
        # The same fields, in the same form, as AuditEvent.payload() at the time of this migration.
        payload = {
            "seq": seq, "occurred_at": old.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "operation": old.operation, "actor": old.actor_id, "actor_agency": old.actor_agency_id,
            "case": old.case_id, "object_type": old.object_type, "object_id": old.object_id,
            "justification": old.justification, "recipients": [], "details": old.details,
        }
        digest = chain_hash(prev, payload)
        AuditEvent.objects.filter(pk=old.pk).update(seq=seq, prev_hash=prev, hash=digest, recipients=[])
        prev = digest
    ChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(default="0" * 64, max_length=64)),
            ],
        ),
        migrations.AddField("auditevent", "seq", models.BigIntegerField(null=True)),
        migrations.AddField("auditevent", "prev_hash", models.CharField(default="", max_length=64)),
        migrations.AddField("auditevent", "hash", models.CharField(null=True, max_length=64)),
        migrations.AddField("auditevent", "recipients", models.JSONField(blank=True, default=list)),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            "auditevent", "seq",
            models.BigIntegerField(unique=True, help_text="Position in the chain, 1, 2, 3 … without gaps"),
        ),
        migrations.AlterField("auditevent", "prev_hash", models.CharField(max_length=64)),
        migrations.AlterField("auditevent", "hash", models.CharField(max_length=64, unique=True)),
        migrations.AlterModelOptions("auditevent", {"ordering": ["seq"]}),
        migrations.AddIndex("auditevent", models.Index(fields=["case_id", "occurred_at"], name="audit_audit_case_id_40d269_idx")),
    ]
