"""The session engine (SESSION_ENGINE "courses.sessions", the default): Django's database
sessions, with the signed-in user read in the same statement.

Every signed-in request reads its session and then its user. Here the session's row carries the
user's id (courses.models.UserSession, as Django's documentation extends the database backend),
so `load()` joins the user, their learner profile, the groups-or-permissions flag and the
content token (courses.auth's statement) to the session, and keeps the user it built;
courses.auth's backends take that user rather than query again, when it is the user the
session's data names. One round trip instead of two, and no cache server on the way: with
Django's `cached_db` engine the session came from Redis and the user from PostgreSQL.

Everything else (saving, expiry, cycling the key at sign-in, `clearsessions`) is Django's
database backend, unchanged.
"""

from functools import cache

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from courses.auth import NOT_READ, signed_in_user_query, user_id_or_none
from courses.models import UserSession
from courses.rawsql import prepared_cursor


class _SessionQuery:
    """SELECT a live session's data and user id by its key, with courses.auth's user columns
    (NULL when the session has no user, or the user is gone)."""

    def __init__(self, alias: str):
        qn = connections[alias].ops.quote_name
        users = signed_in_user_query(alias)
        meta = UserSession._meta
        self.alias, self.users = alias, users

        def column(name):
            return f"s.{qn(meta.get_field(name).column)}"

        self.sql = f"""
            SELECT {column("session_data")}, {column("user")}, {users.select}
            FROM {qn(meta.db_table)} s
            LEFT JOIN {users.user_table} u ON {users.user_pk} = {column("user")}
            {users.joins}
            WHERE {column("session_key")} = %s AND {column("expire_date")} > %s
        """  # noqa: S608 - names from model metadata; the key and the time are parameters

    def get(self, session_key: str):
        """(session data, user id, user or None) for a live session, or None."""
        connection = connections[self.alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with prepared_cursor(self.alias) as cursor:
            cursor.execute(self.sql, [session_key, now])
            row = cursor.fetchone()
        if row is None:
            return None
        return row[0], row[1], self.users.build(row)


@cache
def _session_query(alias: str) -> _SessionQuery:
    return _SessionQuery(alias)


class SessionStore(DatabaseSessionStore):
    # The user read with the session: (their id, the user or None), or None when not read.
    _read_user = None

    @classmethod
    def get_model_class(cls):
        return UserSession

    def load(self):
        self._read_user = None
        if self.session_key is None:  # no cookie, or a malformed one: nothing to look up
            return {}
        found = _session_query(router.db_for_read(UserSession)).get(self.session_key)
        if found is None:
            self._session_key = None  # as Django's backend: a new key if this one is saved
            return {}
        data, user_id, user = found
        if user_id is not None:
            self._read_user = (user_id, user)
        return self.decode(data)

    def user_read_with_session(self, user_id):
        """The user with this id as read with the session (None when there is no such user),
        or NOT_READ when the session read another user or none."""
        if self._read_user is None or self._read_user[0] != user_id:
            return NOT_READ
        return self._read_user[1]

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = user_id_or_none(data.get(SESSION_KEY))
        return instance

    async def acreate_model_instance(self, data):
        instance = await super().acreate_model_instance(data)
        instance.user_id = user_id_or_none(data.get(SESSION_KEY))
        return instance
