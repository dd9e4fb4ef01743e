"""Load the default criteria set (data written for Throughcare; organisations may add their own)."""

from typing import Any

from django.db import migrations

from throughcare.rehab.defaults import ensure_default_criteria


def load(apps: Any, schema_editor: Any) -> None:
    ensure_default_criteria(apps.get_model("rehab", "CriteriaSet"), apps.get_model("rehab", "Criterion"))


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("rehab", "CriteriaSet").objects.filter(code="throughcare-default").delete()


class Migration(migrations.Migration):
    dependencies = [("rehab", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
