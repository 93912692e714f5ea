"""Authentication backends: Django's and allauth's, except that the signed-in user is loaded,
in the one query the session makes anyway, with what nearly every request then asks:

- the learner profile (`user.learner_profile`: the learner's force, for progress and pages);
- whether they hold Wagtail's `access_admin` permission (`admin_access_granted`), which every
  page's `{% editor_userbar %}` needs; `user.has_perm()` costs two queries (the user's and
  their groups' permissions), which every learner paid on every page. Two EXISTS answer it for
  next to nothing.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from wagtail.admin.models import Admin

# Whether the auth_user row holds a permission (content type id, codename) directly or through
# a group. Raw SQL because the ORM's Exists() subqueries cost more Python to build and compile
# (about 1.2 ms) than the two queries they replace; this adds under 0.1 ms to the user query.
# Django's own user model and tables: a test compares the answer with has_perm().
HAS_PERMISSION_SQL = """
EXISTS (
    SELECT 1 FROM "auth_user_user_permissions" up
    JOIN "auth_permission" p ON p."id" = up."permission_id"
    WHERE up."user_id" = "auth_user"."id" AND p."content_type_id" = %s AND p."codename" = %s
) OR EXISTS (
    SELECT 1 FROM "auth_user_groups" ug
    JOIN "auth_group_permissions" gp ON gp."group_id" = ug."group_id"
    JOIN "auth_permission" p ON p."id" = gp."permission_id"
    WHERE ug."user_id" = "auth_user"."id" AND p."content_type_id" = %s AND p."codename" = %s
)"""


# Made once: building a model field is surprisingly costly (about 4% of a progress request).
_FLAG = BooleanField()


def users_with_admin_access_flag() -> QuerySet:
    """Users annotated with `admin_access_granted`: whether Wagtail's `access_admin` permission
    is theirs directly or through a group, as ModelBackend would find it (superusers aside:
    is_superuser says)."""
    # Admin: the model Wagtail hangs access_admin on; its content type is cached per process.
    permission = (ContentType.objects.get_for_model(Admin).pk, "access_admin")
    flag = RawSQL(HAS_PERMISSION_SQL, permission * 2, output_field=_FLAG)  # noqa: S611
    return get_user_model()._default_manager.annotate(admin_access_granted=flag)


class SignedInUserMixin:
    """ModelBackend.get_user, loading the user with the learner profile and
    `admin_access_granted` (same one query)."""

    def get_user(self, user_id):
        try:
            user = users_with_admin_access_flag().select_related("learner_profile").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        # The content type lookup may query (once per process): not in the event loop.
        return await sync_to_async(self.get_user)(user_id)


class ModelBackend(SignedInUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(SignedInUserMixin, AllauthBackend):
    pass


# Sessions signed in before these backends existed (and bench/run.py's) name the parents, which
# Django would no longer accept; courses.middleware.SessionBackendUpgradeMiddleware renames them.
REPLACED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "courses.auth.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "courses.auth.AuthenticationBackend",
}
