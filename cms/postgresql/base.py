"""Django's PostgreSQL backend, reading `timestamptz` values with psycopg's C loader.

Django registers a `timestamptz` loader of its own on every connection: a subclass of psycopg's
pure-Python loader that sets each value's tzinfo to the connection's time zone. It parses every
time in Python, about 9 us a value on the benchmark machine, although psycopg[binary] ships a C
loader: a completions page loads about 170 times, the Met's CSV export 1.2 million.

The C loader cannot simply be registered instead. It is a final class, so it cannot carry the
time zone as Django's does, and Django's `create_cursor()` reads a `timezone` attribute from
whatever loader is registered. With the session in UTC, which is what Django sets up under
USE_TZ with no database TIME_ZONE, the C loader returns the very same values, tzinfo
`datetime.timezone.utc` included. So when the connection's time zone is UTC and psycopg's C
implementation is installed, this backend registers `UTCTimestamptzLoader`: it says UTC to
Django and hands each value to a C loader (about 1 us a value). Otherwise it is Django's
backend unchanged.

It also gives `prepared_cursor()`, for the short statements written once that nearly every
request runs (courses.rawsql.prepared_cursor): PostgreSQL plans each of them once per
connection, rather than on every call.
"""

import datetime

from django.db.backends.postgresql import base, operations
from psycopg import DataError, adapters, pq
from psycopg.adapt import Loader
from psycopg.postgres import types

TIMESTAMPTZ_OID = types["timestamptz"].oid
C_TIMESTAMPTZ_LOADER = adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT)
C_IMPLEMENTATION = pq.__impl__ in ("c", "binary")


class UTCTimestamptzLoader(Loader):
    """A `timestamptz` loader for sessions in UTC, as Django's loader for UTC but parsing in C."""

    timezone = datetime.UTC  # what Django's create_cursor() compares with its own time zone

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._c_loader = C_TIMESTAMPTZ_LOADER(oid, context)
        # The C loader's own bound method, so that loading a value runs no Python code.
        self.load = self._c_loader.load

    def load(self, data):  # replaced per instance in __init__
        return self._c_loader.load(data)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """The SQL a prepared cursor ran, with its parameters, as Django logs it for the
        others (psycopg keeps none for a prepared statement): for DEBUG and the tests' query
        captures only."""
        if isinstance(cursor, base.ServerBindingCursor):
            try:
                return self.compose_sql(sql, params)
            except DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if C_IMPLEMENTATION and self.timezone is datetime.UTC:
            connection.adapters.register_loader("timestamptz", UTCTimestamptzLoader)
        return connection

    def prepared_cursor(self):
        """A cursor that binds its parameters on the server, so that psycopg prepares each
        statement the first time a connection runs it, and PostgreSQL parses and plans it once
        per connection: planning was three quarters of the signed-in user query's database
        time (docs/benchmarks.md).

        Django's own cursors bind on the client and never prepare, so the ORM is unchanged.
        With prepared statements turned off (OPTIONS `prepare_threshold` None, Django's
        default, which DATABASE_PREPARED_STATEMENTS=false keeps, for a connection pooler that
        cannot keep them), this is the ordinary cursor. Statements run on it are logged and
        counted as any other.
        """
        if self.settings_dict["OPTIONS"].get("prepare_threshold") is None:
            return self.cursor()
        # What cursor() does before making one.
        self.close_if_health_check_failed()
        self.ensure_connection()
        self.validate_thread_sharing()
        with self.wrap_database_errors:
            cursor = base.ServerBindingCursor(self.connection)
        # As create_cursor(): times in the connection's time zone.
        loader = self.connection.adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT)
        if self.timezone != loader.timezone:
            base.register_tzloader(self.timezone, cursor)
        return self.make_debug_cursor(cursor) if self.queries_logged else self.make_cursor(cursor)
