from django.db import migrations


def load_matrix(apps, schema_editor):
    from throughcare.sharing.defaults import DEFAULT_MATRIX

    SharingRule = apps.get_model("sharing", "SharingRule")
    categories = ["identity", "legal", "risk", "intelligence", "health", "interventions", "family", "general"]
    for kind, modes in DEFAULT_MATRIX.items():
        for category in categories:
            SharingRule.objects.get_or_create(
                agency_kind=kind, category=category, defaults={"mode": modes.get(category, "never")}
            )


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]
    operations = [migrations.RunPython(load_matrix, migrations.RunPython.noop)]
