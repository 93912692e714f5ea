# The force dashboard's "active in the last 30 days": a force's rows a learner moved on lately.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0021_lead_audit_actions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="moduleprogress",
            index=models.Index(
                condition=models.Q(("status__gte", 1)),
                fields=["force", "updated_at"],
                name="moduleprogress_force_upd_idx",
            ),
        ),
    ]
