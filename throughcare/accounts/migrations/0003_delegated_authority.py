from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_membership_intelligence_cleared_and_more")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="may_decide_requests",
            field=models.BooleanField(
                default=False,
                help_text="Delegated authority to decide risk-relevant requests outside a conference.",
            ),
        ),
    ]
