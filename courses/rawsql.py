"""Model instances from hand-written SQL, built as the ORM builds them.

For the two statements every signed-in request or progress event runs (courses.auth's user
query, the progress service's module-row update): the ORM compiles a QuerySet, or resolves a
RawQuerySet's columns, on every call, which costs several times what the statement itself
does. A `RowLoader` works out once per process, model and database the column list and each
column's converters (SQLite returns times as text, for instance), and then turns a row into the
instance `Model.from_db()` would build, as a QuerySet does.

`prepared_cursor()` is for those statements too: on PostgreSQL the server plans each one once
per connection, rather than on every call (cms.postgresql).

`fields` limits a loader to some of the model's fields (and its primary key), as `.only()`
does: the rest are deferred. A model with a parent table (a Wagtail page type) can be loaded
from rows its QuerySets fetched (courses.structure keeps such rows), not from `columns`, which
name one table.
"""

import inspect
from functools import cache

from django.db import connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init
from modelcluster.models import ClusterableModel
from wagtail.models import AbstractPage, ShowInMenusMixin

# Constructors that, for a row read from the database (all its fields given positionally, the
# primary key set), do no more than Model.__init__: the others only take child objects as
# keyword arguments (ClusterableModel) or fill in defaults for a page not yet saved (Wagtail).
_ROW_SAFE_INITS = frozenset(
    klass.__dict__["__init__"]
    for klass in (Model, ClusterableModel, AbstractPage, ShowInMenusMixin)
)


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
        # Whether load() may build an instance as Model.__init__ would, without calling it: the
        # model's constructors and from_db() are Django's (or do nothing more for a row read
        # from the database), and any pre_init or post_init receiver is connected at load().
        self.plain = model.from_db.__func__ is Model.from_db.__func__ and all(
            klass.__dict__["__init__"] in _ROW_SAFE_INITS
            for klass in model.__mro__
            if "__init__" in klass.__dict__ and klass is not object
        )
        # Fields set as Model.__init__ sets them, through their descriptor (_converts()).
        self.set_through = [
            (index, attname)
            for index, attname in enumerate(self.attnames)
            if _converts(model, attname)
        ]

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
        model = self.model
        if not self.plain or pre_init.has_listeners(model) or post_init.has_listeners(model):
            return model.from_db(self.alias, self.attnames, values)
        # What from_db() builds, without Model.__init__'s general path (keyword arguments,
        # defaults, signals) and, for a page, Wagtail's and modelcluster's constructors: about
        # two thirds of a page instance's cost, which every lesson page paid three times.
        instance = model.__new__(model)
        instance._state = state = ModelState()
        state.adding, state.db = False, self.alias
        instance.__dict__.update(zip(self.attnames, values, strict=True))
        for index, attname in self.set_through:
            setattr(instance, attname, values[index])
        return instance


def _converts(model, attname: str) -> bool:
    """Whether assigning to this field goes through a descriptor that converts the value (a
    StreamField's, say). A foreign key's id descriptor only stores it on a new instance, so it
    does not count."""
    descriptor = inspect.getattr_static(model, attname, None)
    return hasattr(type(descriptor), "__set__") and not isinstance(
        descriptor, ForeignKeyDeferredAttribute
    )


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
