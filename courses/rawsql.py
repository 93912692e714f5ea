"""Model instances from hand-written SQL, built as the ORM builds them.

For the two statements every signed-in request or progress event runs (courses.auth's user
query, the progress service's module-row update): the ORM compiles a QuerySet, or resolves a
RawQuerySet's columns, on every call, which costs several times what the statement itself
does. A `RowLoader` works out once per process, model and database the column list and each
column's converters (SQLite returns times as text, for instance), and then turns a row into an
instance with `Model.from_db()`, as a QuerySet would.

`prepared_cursor()` is for those statements too: on PostgreSQL the server plans each one once
per connection, rather than on every call (cms.postgresql).

`fields` limits a loader to some of the model's fields (and its primary key), as `.only()`
does: the rest are deferred. A model with a parent table (a Wagtail page type) can be loaded
from rows its QuerySets fetched (courses.structure keeps such rows), not from `columns`, which
name one table.
"""

from functools import cache

from django.db import connections
from django.db.backends.utils import CursorWrapper


class RowLoader:
    def __init__(self, model, alias: str, table_alias: str = "", fields=None):
        connection = connections[alias]
        quote = connection.ops.quote_name
        self.model, self.alias = model, alias
        fields = [
            field
            for field in model._meta.concrete_fields
            if fields is None or field.attname in fields or field.primary_key
        ]
        self.width = len(fields)
        self.attnames = [field.attname for field in fields]
        self.pk_index = self.attnames.index(model._meta.pk.attname)
        prefix = f"{table_alias}." if table_alias else ""
        # For SELECT or RETURNING: every concrete column, in the model's field order.
        self.columns = ", ".join(prefix + quote(field.column) for field in fields)
        self.converters = []  # (index, converters, expression), as the SQL compiler gathers them
        for index, field in enumerate(fields):
            col = field.get_col(table_alias or model._meta.db_table)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self.converters.append((index, found, col))

    def load(self, values):
        """The instance for one row's values (this model's columns, in `columns` order), or
        None when its primary key is NULL (an outer join that found nothing)."""
        if values[self.pk_index] is None:
            return None
        values = list(values)
        connection = connections[self.alias]
        for index, converters, col in self.converters:
            for converter in converters:
                values[index] = converter(values[index], col, connection)
        return self.model.from_db(self.alias, self.attnames, values)


@cache
def row_loader(model, alias: str, table_alias: str = "", fields=None) -> RowLoader:
    """The process's loader; `fields`, when given, is a tuple of attribute names."""
    return RowLoader(model, alias, table_alias, fields)


def prepared_cursor(alias: str) -> CursorWrapper:
    """A cursor for a short statement, written once, that many requests run (the signed-in
    user, a lesson's status, the content token, an API key): on PostgreSQL, one whose
    statements the server plans once per connection (cms.postgresql's `prepared_cursor()`);
    elsewhere the ordinary cursor."""
    connection = connections[alias]
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()
