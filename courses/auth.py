"""Authentication backends: Django's and allauth's, except that the signed-in user is loaded, in
the one query Django makes for them anyway, with what nearly every request then asks:

- the learner profile (`user.learner_profile`: the learner's force, for progress and pages);
- whether they belong to any group or hold any permission directly
  (`has_groups_or_permissions`). Without either, ModelBackend grants them nothing, so every
  page's `{% editor_userbar %}` knows without asking that a learner cannot use the Wagtail
  admin; `user.has_perm()` costs two queries, which every learner paid on every page;
- the content token (`user.content_token_at_load`), which every page then reads to use its
  process's copies of the site and the page (courses.structure.request_token): one round trip
  fewer for every signed-in page.

The statement is built once per process and database (`_SignedInUserQuery`, with
courses.rawsql), not through a QuerySet: the ORM rebuilds and compiles the same join on every
request, about 1.1 ms of CPU on the benchmark machine, a tenth of a progress event
(docs/benchmarks.md). A test compares what it loads with the ORM's answer, field by field, on
both databases.

With courses.sessions (the default SESSION_ENGINE) the session itself is read in that statement
too, joined to its user: `get_request_user()` (courses.middleware.AuthenticationMiddleware) lets
the backend take the user from there, so a signed-in request reads its session and user in one
round trip.
"""

from contextvars import ContextVar
from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from asgiref.sync import sync_to_async
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

from courses.models import ContentVersion, LearnerProfile
from courses.rawsql import prepared_cursor, row_loader

# user_read_with_session()'s answer when the session did not read that user.
NOT_READ = object()


class _SignedInUserQuery:
    """SELECT the user, their learner profile (LEFT JOIN), the groups-or-permissions flag and
    the content token by the user's id, and build the instances as `select_related()` would,
    with the relation cached both ways.

    courses.sessions selects the same (`select`, `joins`) alongside a session, joining the user
    as `u`, and builds the user from the end of its row (`build()`).
    """

    def __init__(self, alias: str):
        connection = connections[alias]
        qn = connection.ops.quote_name
        self.alias = alias
        self.user = row_loader(get_user_model(), alias, "u")
        self.profile = row_loader(LearnerProfile, alias, "p")
        user_meta = get_user_model()._meta
        self.profile_relation = user_meta.get_field("learner_profile")
        self.profile_user_field = LearnerProfile._meta.get_field("user")
        groups = user_meta.get_field("groups").remote_field.through._meta
        permissions = user_meta.get_field("user_permissions").remote_field.through._meta
        self.user_pk = user_pk = f"u.{qn(user_meta.pk.column)}"
        self.user_table = qn(user_meta.db_table)
        token = ContentVersion._meta
        # How many values `select` gives, at the end of a row.
        self.width = self.user.width + self.profile.width + 2
        self.select = f"""{self.user.columns}, {self.profile.columns},
                (EXISTS (SELECT 1 FROM {qn(groups.db_table)} g
                         WHERE g.{qn(groups.get_field("user").column)} = {user_pk})
                 OR EXISTS (SELECT 1 FROM {qn(permissions.db_table)} up
                            WHERE up.{qn(permissions.get_field("user").column)} = {user_pk})),
                (SELECT t.{qn(token.get_field("token").column)} FROM {qn(token.db_table)} t
                 WHERE t.{qn(token.pk.column)} = {ContentVersion.SINGLETON_ID:d})"""  # noqa: S608
        self.joins = (
            f"LEFT JOIN {qn(LearnerProfile._meta.db_table)} p "
            f"ON p.{qn(self.profile_user_field.column)} = {user_pk}"
        )
        self.sql = f"""
            SELECT {self.select}
            FROM {self.user_table} u {self.joins}
            WHERE {user_pk} = %s
        """  # noqa: S608 - names from model metadata; the id is a parameter

    def get(self, user_id):
        """The user with this id, or None."""
        with prepared_cursor(self.alias) as cursor:
            cursor.execute(self.sql, [user_id])
            row = cursor.fetchone()
        return None if row is None else self.build(row)

    def build(self, row):
        """The user from the last `width` values of a row that selected `select`, or None when
        they are NULL (an outer join that found no user)."""
        row = row[-self.width :]
        split = self.user.width
        user = self.user.load(row[:split])
        if user is None:
            return None
        profile = self.profile.load(row[split:-2])
        if profile is not None:
            self.profile_user_field.set_cached_value(profile, user)
        # A cached None makes `user.learner_profile` raise DoesNotExist without a query.
        self.profile_relation.set_cached_value(user, profile)
        user.has_groups_or_permissions = bool(row[-2])
        # Read in the same statement as the user: the token this request's pages are served
        # under (courses.structure.request_token), as current_token() would have returned.
        user.content_token_at_load = (self.alias, row[-1])
        return user


@cache
def signed_in_user_query(alias: str) -> _SignedInUserQuery:
    """The process's statement for this database."""
    return _SignedInUserQuery(alias)


def user_id_or_none(value):
    """A user id as Django reads it from a session's data; None when absent or not a valid id
    (no session Django writes has one)."""
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


def load_signed_in_user(user_id):
    """The user with this id, with `learner_profile` and `has_groups_or_permissions`, in one
    query; None when there is no such user (or the id is malformed)."""
    user_id = user_id_or_none(user_id)
    if user_id is None:
        return None
    alias = router.db_for_read(get_user_model())
    return signed_in_user_query(alias).get(user_id)


# The session of the request whose user Django is loading (get_request_user()).
_session_being_read: ContextVar = ContextVar("courses.auth session", default=None)


def get_request_user(request):
    """django.contrib.auth.get_user(request), with the backend allowed to take the user the
    request's session read with itself (courses.sessions) instead of querying again. Django's
    checks are all kept: the session's backend, `user_can_authenticate()`, the password hash."""
    token = _session_being_read.set(request.session)
    try:
        return auth.get_user(request)
    finally:
        _session_being_read.reset(token)


class SignedInUserMixin:
    """ModelBackend.get_user, loading the user with the learner profile and
    `has_groups_or_permissions` (same one query), or taking them from the request's session
    when it read this user already (courses.sessions)."""

    def get_user(self, user_id):
        read_with = getattr(_session_being_read.get(), "user_read_with_session", None)
        user = read_with(user_id) if read_with is not None else NOT_READ
        if user is NOT_READ:
            user = load_signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
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
