"""Support services, testimonies and attitude surveys (with their statements) become
translatable (Wagtail's TranslatableMixin, as its docs describe for existing models): the
locale and translation key are added empty, every existing row gets the default locale and a
fresh key here, and 0033_d makes them required and unique together."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.translation import get_supported_language_variant

MODELS = ("supportservice", "testimony", "attitudesurvey", "surveystatement")


def give_default_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    code = get_supported_language_variant(settings.LANGUAGE_CODE)
    default, _ = Locale.objects.get_or_create(language_code=code)
    for name in MODELS:
        model = apps.get_model("courses", name)
        for pk in model.objects.filter(locale__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(locale=default, translation_key=uuid.uuid4())


def locale_field():
    return models.ForeignKey(
        editable=False,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="wagtailcore.locale",
        verbose_name="locale",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0031_welsh"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        *(
            operation
            for name in MODELS
            for operation in (
                migrations.AddField(model_name=name, name="locale", field=locale_field()),
                migrations.AddField(
                    model_name=name,
                    name="translation_key",
                    field=models.UUIDField(editable=False, null=True),
                ),
            )
        ),
        migrations.RunPython(give_default_locale, migrations.RunPython.noop),
    ]
