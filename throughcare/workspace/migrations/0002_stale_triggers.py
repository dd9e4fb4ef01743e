"""The triggers that mark cases stale when a row their Needs attention items are computed from changes
(`throughcare.workspace.kept`). They follow the feeds the capabilities declare in code: a migration that
adds a feed runs `install_triggers` again, as this one does."""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from throughcare.workspace.kept import install_triggers  # the feeds as declared at start-up

    install_triggers(schema_editor.connection.alias)


def remove(apps: Any, schema_editor: Any) -> None:
    from throughcare.workspace.kept import remove_triggers  # the feeds as declared at start-up

    remove_triggers(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0001_kept_attention"),
        ("cases", "0002_alter_timelineentry_kind"),
        ("custody", "0014_catalogue_2026_2"),
        ("risk", "0005_reviews"),
        ("rehab", "0002_default_criteria"),
        ("conferences", "0005_action_item"),
        ("learning", "0001_initial"),
        ("jurisdictions", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]
