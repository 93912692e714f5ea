"""courses.rawsql.RowLoader builds instances without Model.__init__ where it may: each must be
what Model.from_db() builds from the same row, for every model loaded that way."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.signals import post_init
from wagtail.models import Page, PageViewRestriction, Site

from courses import services
from courses.models import (
    ApiKey,
    Force,
    LearnerProfile,
    LessonPage,
    ModulePage,
    ModuleProgress,
    ProgrammePage,
)
from courses.models.pages import SIBLING_FIELDS
from courses.rawsql import row_loader
from home.models import HomePage
from tests.factories import api_key, learner

pytestmark = pytest.mark.django_db


def _raw(queryset) -> list[tuple]:
    """A queryset's rows as the database returns them: its SQL, without converters."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def both_ways(model, queryset, fields=None):
    """The instance built by the loader, and by Model.from_db(), from the same raw row."""
    loader = row_loader(model, connection.alias, fields=fields)
    [row] = _raw(queryset.only(*fields) if fields else queryset)
    ours = loader.load(row)
    values = list(row)
    for index, converters, col in loader.converters:
        for converter in converters:
            values[index] = converter(values[index], col, connection)
    return ours, model.from_db(connection.alias, loader.attnames, values)


def assert_same(ours, djangos):
    assert type(ours) is type(djangos)
    assert ours._state.adding is djangos._state.adding is False
    assert ours._state.db == djangos._state.db == connection.alias
    mine = {name: value for name, value in vars(ours).items() if name != "_state"}
    theirs = {name: value for name, value in vars(djangos).items() if name != "_state"}
    assert mine == theirs


def test_each_model_loads_as_from_db_builds_it(module_tree):
    officer = learner("met")
    services.progress_record(
        learner=officer, event_id=uuid.uuid4(), lesson=module_tree.lessons[0], verb="completed"
    )
    api_key("met")
    PageViewRestriction.objects.create(page=module_tree.lessons[1], restriction_type="login")
    lesson = module_tree.lessons[0]
    cases = [
        (get_user_model(), get_user_model().objects.filter(pk=officer.pk)),
        (LearnerProfile, LearnerProfile.objects.filter(user=officer)),
        (Force, Force.objects.filter(code="met")),
        (ApiKey, ApiKey.objects.all()),
        (ModuleProgress, ModuleProgress.objects.filter(learner=officer)),
        (Site, Site.objects.all()[:1]),
        (HomePage, HomePage.objects.all()),
        (ProgrammePage, ProgrammePage.objects.filter(pk=module_tree.programme.pk)),
        (ModulePage, ModulePage.objects.filter(pk=module_tree.module.pk)),
        (LessonPage, LessonPage.objects.filter(pk=lesson.pk)),
        (PageViewRestriction, PageViewRestriction.objects.all()),
    ]
    for model, queryset in cases:
        ours, djangos = both_ways(model, queryset)
        assert row_loader(model, connection.alias).plain, model
        assert_same(ours, djangos)
    # A lesson's body goes through its StreamField's descriptor, as Model.__init__ sets it.
    ours, _ = both_ways(LessonPage, LessonPage.objects.filter(pk=lesson.pk))
    assert [block.block_type for block in ours.body] == [block.block_type for block in lesson.body]
    assert ours.title == lesson.title and ours.specific_class is LessonPage
    # Some fields only, the rest deferred: they load on access, as with .only().
    fields = tuple(SIBLING_FIELDS)
    ours, djangos = both_ways(Page, Page.objects.filter(pk=lesson.pk), fields)
    assert_same(ours, djangos)
    assert ours.get_deferred_fields() == djangos.get_deferred_fields()
    assert ours.seo_title == lesson.seo_title  # a deferred field, read on access


def test_a_receiver_of_model_signals_gets_them(module_tree):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=LessonPage)
    try:
        ours, _ = both_ways(LessonPage, LessonPage.objects.filter(pk=module_tree.lessons[0].pk))
    finally:
        post_init.disconnect(receiver, sender=LessonPage)
    assert any(instance is ours for instance in seen)  # from_db() built it, with its signals
