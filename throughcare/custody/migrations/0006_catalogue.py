from django.db import migrations


def load(apps, schema_editor):
    from throughcare.custody.catalogue import ensure_catalogue

    ensure_catalogue(apps.get_model("custody", "ConditionTemplate"))


class Migration(migrations.Migration):
    dependencies = [("custody", "0005_conditions")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
