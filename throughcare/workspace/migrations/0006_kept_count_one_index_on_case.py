"""The kept counts' own index on their case repeated the one its foreign key already has."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workspace", "0005_kept_counts")]

    operations = [migrations.RemoveIndex(model_name="keptcount", name="kept_count_case")]
