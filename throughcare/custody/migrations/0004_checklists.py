from django.db import migrations


def load(apps, schema_editor):
    from throughcare.custody.checklists import ensure_checklists

    ensure_checklists(apps.get_model("custody", "ChecklistTemplateItem"))


class Migration(migrations.Migration):
    dependencies = [("custody", "0003_handover")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
