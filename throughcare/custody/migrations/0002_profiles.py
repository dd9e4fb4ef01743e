from django.db import migrations

# The profiles this migration first shipped; the later ones arrive with jurisdictions 0002.
FIRST = frozenset({"default-england-wales", "release-conference-model"})


def load(apps, schema_editor):
    from throughcare.jurisdictions.shipped import ensure_default_profiles

    ensure_default_profiles(apps.get_model("custody", "JurisdictionProfile"), FIRST)


class Migration(migrations.Migration):
    dependencies = [("custody", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
