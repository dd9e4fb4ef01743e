"""A handover's items keep their title's translations (copied from the checklist when the handover starts),
and the shipped conditions catalogue and checklists get their translations where they have none yet."""

from typing import Any

from django.db import migrations, models


def translate(apps: Any, schema_editor: Any) -> None:
    from throughcare.custody.catalogue import translate_catalogue  # the shipped data as it is now
    from throughcare.custody.checklists import translate_checklists

    templates = apps.get_model("custody", "ChecklistTemplateItem")
    translate_catalogue(apps.get_model("custody", "ConditionTemplate"))
    translate_checklists(templates)
    titles = {(t.kind, t.code): t.translations for t in templates.objects.all()}
    for item in apps.get_model("custody", "HandoverItem").objects.select_related("handover"):
        shipped = titles.get((item.handover.kind, item.code))
        if shipped and not item.translations:
            item.translations = shipped
            item.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("custody", "0017_responsibility_reason_worded")]

    operations = [
        migrations.AddField(
            model_name="handoveritem",
            name="translations",
            field=models.JSONField(
                blank=True, default=dict, help_text="The wording in other languages, by language code"
            ),
        ),
        migrations.RunPython(translate, migrations.RunPython.noop),
    ]
