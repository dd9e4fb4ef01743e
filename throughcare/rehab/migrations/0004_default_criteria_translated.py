"""The default criteria set gets its shipped German, French and Dutch wording where it has none yet."""

from typing import Any

from django.db import migrations


def translate(apps: Any, schema_editor: Any) -> None:
    from throughcare.rehab.defaults import translate_default_criteria  # the shipped data as it is now

    translate_default_criteria(apps.get_model("rehab", "CriteriaSet"), apps.get_model("rehab", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("rehab", "0003_catalogue_translations")]

    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
