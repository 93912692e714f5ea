from django.apps import AppConfig


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from courses import audit, structure  # noqa: F401 - audit: sign-in receivers

        structure.connect_receivers()
