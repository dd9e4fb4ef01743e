"""A handover's items keep their title's translations (copied from the checklist when the handover starts),
and the shipped conditions catalogue and checklists get their translations where they have none yet."""

from typing import Any

from django.db import migrations, models


def add_column(apps: Any, schema_editor: Any) -> None:
    """The column, added in place: Django would rebuild the table on SQLite (a JSON column with a default),
    which breaks the stale-case triggers that name it."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE "custody_handoveritem" ADD COLUMN "translations" jsonb NOT NULL DEFAULT \'{}\'::jsonb'
        )
        schema_editor.execute('ALTER TABLE "custody_handoveritem" ALTER COLUMN "translations" DROP DEFAULT')
    else:
        schema_editor.execute(
            'ALTER TABLE "custody_handoveritem" ADD COLUMN "translations" text NOT NULL DEFAULT \'{}\' '
            'CHECK ((JSON_VALID("translations") OR "translations" IS NULL))'
        )


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
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="handoveritem",
                    name="translations",
                    field=models.JSONField(
                        blank=True, default=dict, help_text="The wording in other languages, by language code"
                    ),
                )
            ],
            database_operations=[migrations.RunPython(add_column, migrations.RunPython.noop)],
        ),
        migrations.RunPython(translate, migrations.RunPython.noop),
    ]
