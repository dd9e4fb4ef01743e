from django.db import migrations

def load(apps, schema_editor):
    from throughcare.custody.defaults import ensure_default_profiles

    ensure_default_profiles(apps.get_model("custody", "JurisdictionProfile"))


class Migration(migrations.Migration):
    dependencies = [("custody", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
