"""The log by month. Every sealed event says which month it was sealed in — for events sealed before,
the month of the latest event up to it, so that months never go back along the chain — and on PostgreSQL
the table becomes partitioned by that month (throughcare.audit.partitions): it is rebuilt, its rows copied,
its indexes and constraints made again under their names. The primary key becomes (id, month), as
PostgreSQL requires of a partitioned table; Django still addresses events by id alone.

The rebuild copies the whole log once: about 4 minutes for 25 million events on the benchmark machine
(bench/README.md)."""

import datetime

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

UNSEALED = datetime.date(9999, 12, 1)
PARENT = "audit_auditevent"


def months_of_sealed(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        rebuild_partitioned(schema_editor)
    else:
        set_months(apps)
    ChainHead = apps.get_model("audit", "ChainHead")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    last = AuditEvent.objects.exclude(month=UNSEALED).order_by("-seq").values_list("month", flat=True).first()
    ChainHead.objects.update(month=last)


def set_months(apps):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    latest = None
    sealed = AuditEvent.objects.filter(seq__isnull=False).order_by("seq").only("id", "occurred_at")
    for event in sealed.iterator(chunk_size=2000):
        at = event.occurred_at.astimezone(datetime.UTC)
        month = datetime.date(at.year, at.month, 1)
        latest = month if latest is None else max(latest, month)
        AuditEvent.objects.filter(pk=event.pk).update(month=latest)


def _following(month):
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def rebuild_partitioned(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY contype, conname",
            [PARENT],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [PARENT, PARENT],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT date_trunc('month', min(occurred_at) AT TIME ZONE 'UTC')::date FROM audit_auditevent"
        )
        first = cursor.fetchone()[0]
        today = django.utils.timezone.now().date()
        this_month = datetime.date(today.year, today.month, 1)
        month = min(first or this_month, this_month)
        cursor.execute(
            f"CREATE TABLE {PARENT}_by_month (LIKE {PARENT} INCLUDING DEFAULTS) PARTITION BY RANGE (month)"
        )
        while month <= _following(this_month):
            cursor.execute(
                f"CREATE TABLE {PARENT}_{month:%Y_%m} PARTITION OF {PARENT}_by_month "
                f"FOR VALUES FROM ('{month}') TO ('{_following(month)}')"
            )
            month = _following(month)
        cursor.execute(
            f"CREATE TABLE {PARENT}_unsealed PARTITION OF {PARENT}_by_month "
            f"FOR VALUES FROM ('{UNSEALED}') TO (MAXVALUE)"
        )
        cursor.execute(f"SELECT * FROM {PARENT} LIMIT 0")
        columns = [c.name for c in cursor.description]
        kept = ", ".join(c for c in columns if c != "month")
        cursor.execute(
            f"INSERT INTO {PARENT}_by_month ({kept}, month) SELECT {kept}, CASE WHEN seq IS NULL "
            f"THEN '{UNSEALED}'::date ELSE date_trunc('month', max(occurred_at AT TIME ZONE 'UTC') "
            f"OVER (ORDER BY seq))::date END FROM {PARENT}"
        )
        cursor.execute(f"DROP TABLE {PARENT}")
        cursor.execute(f"ALTER TABLE {PARENT}_by_month RENAME TO {PARENT}")
        cursor.execute(f"CREATE SEQUENCE {PARENT}_id_seq OWNED BY {PARENT}.id")
        cursor.execute(f"ALTER TABLE {PARENT} ALTER COLUMN id SET DEFAULT nextval('{PARENT}_id_seq')")
        cursor.execute(f"SELECT setval('{PARENT}_id_seq', coalesce(max(id), 0) + 1, false) FROM {PARENT}")
        for name, definition, kind in constraints:
            if kind == "p":
                definition = "PRIMARY KEY (id, month)"
            cursor.execute(f'ALTER TABLE {PARENT} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {PARENT}")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_clearance_two_people'),
        ('audit', '0003_unsealed_consultations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ArchivedMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(unique=True)),
                ('table', models.CharField(max_length=63)),
                ('first_seq', models.BigIntegerField()),
                ('last_seq', models.BigIntegerField()),
                ('prev_hash', models.CharField(help_text='The hash of the event before the first', max_length=64)),
                ('last_hash', models.CharField(max_length=64)),
                ('events', models.BigIntegerField()),
                ('archived_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['month'],
            },
        ),
        migrations.AddField(
            model_name='auditevent',
            name='month',
            field=models.DateField(db_default=datetime.date(9999, 12, 1), editable=False),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='month',
            field=models.DateField(null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='case_id',
            field=models.BigIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.BigIntegerField(db_index=True, help_text='Position in the chain, 1, 2, 3 … without gaps', null=True),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('month', 'seq'), name='audit_seq_once'),
        ),
        migrations.RunPython(months_of_sealed, migrations.RunPython.noop, elidable=False),
    ]
