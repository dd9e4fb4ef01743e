"""The model named Action becomes ActionItem: its name no longer clashes with the actions module."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("conferences", "0004_briefing_categories")]

    operations = [migrations.RenameModel(old_name="Action", new_name="ActionItem")]
