from django.db import migrations


def load(apps, schema_editor):
    from throughcare.custody.catalogue import ensure_catalogue

    ensure_catalogue(apps.get_model("custody", "ConditionTemplate"))


class Migration(migrations.Migration):
    """Catalogue 2026.2: CND-01 reworded; 2026.1 stays for the conditions ordered from it."""

    dependencies = [("custody", "0013_jurisdiction_profile_moved")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
