"""The demonstration instruments, where they are loaded, get the German, French and Dutch wording their
files now carry (rows that have translations of their own keep them)."""

from pathlib import Path
from typing import Any

from django.db import migrations

FILES = Path(__file__).resolve().parent.parent / "instruments"


def translate(apps: Any, schema_editor: Any) -> None:
    from throughcare.risk.instrument_file import add_translations  # the shipped files as they are now

    models = [apps.get_model("risk", name) for name in ("Instrument", "Domain", "Item")]
    for path in sorted(FILES.glob("demo-*.csv")):
        add_translations(path.read_text(encoding="utf-8"), *models)


class Migration(migrations.Migration):
    dependencies = [("risk", "0006_catalogue_translations")]

    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
