"""The translatable snippets' locale and translation key required and unique together (see
0032_d). An attitude survey is one per programme per locale: its Welsh translation belongs
to the same programme."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("supportservice", "testimony", "attitudesurvey", "surveystatement")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0032_d_translatable_snippets"),
    ]

    operations = [
        *(
            operation
            for name in MODELS
            for operation in (
                migrations.AlterField(
                    model_name=name,
                    name="locale",
                    field=models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="locale",
                    ),
                ),
                migrations.AlterField(
                    model_name=name,
                    name="translation_key",
                    field=models.UUIDField(default=uuid.uuid4, editable=False),
                ),
                migrations.AlterUniqueTogether(
                    name=name, unique_together={("translation_key", "locale")}
                ),
            )
        ),
        migrations.AlterField(
            model_name="attitudesurvey",
            name="programme",
            field=models.ForeignKey(
                help_text="The programme whose learners are asked.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attitude_surveys",
                to="courses.programmepage",
            ),
        ),
        migrations.AddConstraint(
            model_name="attitudesurvey",
            constraint=models.UniqueConstraint(
                fields=("programme", "locale"),
                name="attitudesurvey_one_per_programme",
                violation_error_message=(
                    "This programme already has a survey. Edit that one instead."
                ),
            ),
        ),
    ]
