from django.db import migrations


def load_matrix(apps, schema_editor):
    from throughcare.sharing.defaults import ensure_default_matrix

    ensure_default_matrix(apps.get_model("sharing", "SharingRule"))


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]
    operations = [migrations.RunPython(load_matrix, migrations.RunPython.noop)]
