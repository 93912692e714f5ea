from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's reference views' tables and its stock Wagtail page type.

    Installed by bench/settings.py (and the test settings, for tests/bench) only: the site
    itself never has these tables.
    """

    name = "bench"
    label = "bench"
    default_auto_field = "django.db.models.BigAutoField"
