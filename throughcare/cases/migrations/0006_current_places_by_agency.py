"""The current places of each agency, with their cases: the candidates of a manager's scope read from the
index alone (a manager's count of all the cases they can see)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0010_user_language'),
        ('cases', '0005_phase_change_reason_worded'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='caseteammember',
            index=models.Index(
                condition=models.Q(('ended_at__isnull', True)), fields=['agency', 'case'], name='current_places'
            ),
        ),
    ]
