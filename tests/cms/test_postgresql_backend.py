"""cms.postgresql: Django's PostgreSQL backend, reading times with psycopg's C loader."""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.utils import load_backend
from psycopg import pq

from cms.settings.base import database_from_env

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the backend is PostgreSQL's"
)

TIMES = [
    "2026-03-01 09:30:00.123456+00",
    "2026-03-29 00:59:59.999999+00",  # the hour before British Summer Time starts
    "2026-10-25 01:30:00+01",  # the hour that happens twice in London
    "1999-12-31 23:59:59-08",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]
QUERY = "SELECT " + ", ".join(f"'{value}'::timestamptz" for value in TIMES)


@contextmanager
def other_connection(alias, **settings):
    """A second connection to the test database through this backend, with other settings."""
    settings_dict = {**connection.settings_dict, **settings}
    other = load_backend("cms.postgresql").DatabaseWrapper(settings_dict, alias=alias)
    try:
        yield other
    finally:
        other.close()


def test_postgresql_urls_use_it_and_sqlite_is_untouched(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/damatters")
    assert database_from_env("sqlite://")["ENGINE"] == "cms.postgresql"
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    assert database_from_env("sqlite://")["ENGINE"] == "django.db.backends.sqlite3"


@postgresql_only
@pytest.mark.django_db
def test_times_are_what_djangos_own_loader_reads():
    from cms.postgresql.base import C_IMPLEMENTATION, TIMESTAMPTZ_OID, UTCTimestamptzLoader

    connection.ensure_connection()
    assert C_IMPLEMENTATION  # psycopg[binary], as pyproject.toml installs it
    registered = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT)
    assert registered is UTCTimestamptzLoader
    with connection.cursor() as cursor:
        cursor.execute(QUERY)
        ours = cursor.fetchone()
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)  # Django's loader, this cursor only
        cursor.execute(QUERY)
        djangos = cursor.fetchone()
    assert ours == djangos
    assert all(value.tzinfo is datetime.UTC for value in ours)
    assert ours[0] == datetime.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=datetime.UTC)
    assert ours[2] == datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC)


@postgresql_only
@pytest.mark.django_db
def test_another_database_time_zone_keeps_djangos_loader():
    with other_connection("london", TIME_ZONE="Europe/London") as other, other.cursor() as cursor:
        cursor.execute(QUERY.replace(f", '{TIMES[-2]}'::timestamptz", ""))  # BC in London
        values = cursor.fetchone()
    assert all(value.tzinfo == ZoneInfo("Europe/London") for value in values)
    assert values[0] == datetime.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=datetime.UTC)


def test_prepared_statements_are_on_unless_turned_off(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/damatters")
    assert database_from_env("sqlite://")["OPTIONS"]["prepare_threshold"] == 0
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")
    assert database_from_env("sqlite://")["OPTIONS"]["prepare_threshold"] is None
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    assert "prepare_threshold" not in database_from_env("sqlite://")["OPTIONS"]


def _prepared(cursor) -> dict[str, int]:
    """This connection's prepared statements: their text, and how often each ran prepared."""
    cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
    return dict(cursor.fetchall())


@postgresql_only
@pytest.mark.django_db
def test_a_prepared_cursor_plans_its_statement_once_per_connection(django_assert_num_queries):
    from courses import structure
    from courses.models import ContentVersion

    singleton = ContentVersion.SINGLETON_ID
    ContentVersion.objects.update_or_create(id=singleton, defaults={"token": "t1"})
    with django_assert_num_queries(3) as queries:  # logged and counted like any other
        assert [structure.current_token() for _ in range(3)] == ["t1"] * 3
    logged = f"SELECT token FROM courses_contentversion WHERE id = {singleton}"  # noqa: S608
    assert [query["sql"] for query in queries.captured_queries] == [logged] * 3
    with connection.cursor() as cursor:
        runs = [count for text, count in _prepared(cursor).items() if "contentversion" in text]
    assert runs == [3]  # one statement, prepared on the first run and used by all three
    ContentVersion.objects.update(token="t2")
    assert structure.current_token() == "t2"


@postgresql_only
@pytest.mark.django_db
def test_without_prepared_statements_it_is_the_ordinary_cursor():
    from django.db.backends.postgresql.base import ServerBindingCursor

    from courses.rawsql import prepared_cursor

    options = {**connection.settings_dict["OPTIONS"], "prepare_threshold": None}
    with other_connection("pooled", OPTIONS=options) as other:
        with other.prepared_cursor() as cursor:
            assert type(cursor.cursor) is type(other.cursor().cursor)  # client-side binding
            cursor.execute("SELECT %s::integer + 1", [41])
            assert cursor.fetchone() == (42,)
        with other.cursor() as cursor:
            assert _prepared(cursor) == {}
    with prepared_cursor(connection.alias) as cursor:
        assert isinstance(cursor.cursor, ServerBindingCursor)  # server-side binding


@postgresql_only
@pytest.mark.django_db
def test_a_prepared_cursor_reads_times_in_the_connections_time_zone():
    london = other_connection("london", TIME_ZONE="Europe/London")
    with london as other, other.prepared_cursor() as cursor:
        cursor.execute(f"SELECT '{TIMES[0]}'::timestamptz WHERE %s", [True])
        [value] = cursor.fetchone()
    assert value.tzinfo == ZoneInfo("Europe/London")
    assert value == datetime.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=datetime.UTC)
