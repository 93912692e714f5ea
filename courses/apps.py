from django.apps import AppConfig


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from courses import audit, checks, learner_language, signals  # noqa: F401 - audit
        from courses.lead_permissions import register_permission_policies

        signals.connect_receivers()
        learner_language.connect_receivers()  # the learner's language kept at sign-in
        # Before any admin viewset asks for a policy (Wagtail would make a default one).
        register_permission_policies()
