from django.apps import AppConfig


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from courses import audit, checks, signals  # noqa: F401 - audit: sign-in receivers
        from courses.lead_permissions import register_permission_policies

        signals.connect_receivers()
        # Before any admin viewset asks for a policy (Wagtail would make a default one).
        register_permission_policies()
