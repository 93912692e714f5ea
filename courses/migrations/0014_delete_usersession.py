"""Sessions are Django's own again (django.contrib.sessions): the table of sessions with a user
column goes. Everyone signed in signs in again once (README, upgrading)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0013_learner_move_audit_actions"),
    ]

    operations = [
        migrations.DeleteModel(name="UserSession"),
    ]
