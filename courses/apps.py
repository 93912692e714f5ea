from django.apps import AppConfig


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from courses import audit, signals  # noqa: F401 - audit: sign-in receivers

        signals.connect_receivers()
