"""A case's trigger no longer marks it stale when only its last activity or version changed (the feed
declares the columns it ignores): every note written on a case touches its last activity, and none of its
Needs attention items is computed from it."""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from throughcare.workspace.kept import install_triggers  # the feeds as declared at start-up

    install_triggers(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("workspace", "0002_stale_triggers")]

    operations = [migrations.RunPython(install, install)]
