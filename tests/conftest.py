import uuid
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from courses import services
from courses.models import (
    ForceEmailDomain,
    LearnerRole,
    LessonPage,
    ModulePage,
    ProgrammePage,
    Verb,
)
from tests.factories import (
    KNOWLEDGE_CHECK,
    LessonPageFactory,
    ModulePageFactory,
    ProgrammePageFactory,
    force,
)

# The test OpenID Providers (oidc_providers) for tests/sso and tests/browser.
pytest_plugins = ["tests.oidc.provider"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache. Rolling a test back undoes its database changes,
    but not what was cached of them (Wagtail's site root paths, the page fragments, the lesson
    structure and the rate-limit counts), and the content token returns to the same value (no
    token) after every rollback."""
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, as a management command does: a request
    under /cy/ leaves Welsh active in the thread (LocaleMiddleware activates the language of
    each request and nothing deactivates it), which would put the next test's reverse() under
    /cy/."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def home_page(db):
    """The site root created by home's data migration."""
    return Site.objects.get(is_default_site=True).root_page.specific


@dataclass
class ModuleTree:
    programme: ProgrammePage
    module: ModulePage
    lessons: list[LessonPage]
    check_block_id: str
    reflection_block_id: str


def build_module_tree(home_page, *, title="Leadership", lessons=3) -> ModuleTree:
    """A published programme > module > lessons; the last lesson has a knowledge check
    (option 1 is the right answer) and a reflection prompt."""
    programme = ProgrammePage.objects.first() or ProgrammePageFactory(parent=home_page)
    module = ModulePageFactory(parent=programme, title=title)
    pages = [
        LessonPageFactory(parent=module, title=f"{title} lesson {i + 1}") for i in range(lessons)
    ]
    last = pages[-1]
    last.body = [
        ("paragraph", "<p>Check what you have learned.</p>"),
        ("knowledge_check", KNOWLEDGE_CHECK),
        ("reflection_prompt", {"prompt": "What will you do differently?", "guidance": ""}),
    ]
    last.save_revision().publish()
    last.refresh_from_db()
    check_id = next(child.id for child in last.body if child.block_type == "knowledge_check")
    reflection_id = next(child.id for child in last.body if child.block_type == "reflection_prompt")
    return ModuleTree(programme, module, pages, check_id, reflection_id)


@pytest.fixture
def module_tree(home_page) -> ModuleTree:
    return build_module_tree(home_page)


def complete_module(user, tree: ModuleTree) -> None:
    """Through the progress service: complete every lesson and answer the check rightly."""
    for lesson in tree.lessons:
        services.progress_record(
            learner=user, event_id=uuid.uuid4(), lesson=lesson, verb=Verb.COMPLETED
        )
    services.progress_record(
        learner=user,
        event_id=uuid.uuid4(),
        lesson=tree.lessons[-1],
        verb=Verb.ANSWERED,
        result={"block_id": tree.check_block_id, "answers": [1]},
    )


@pytest.fixture
def gmp_domain(db):
    """GMP accepts registrations from gmp.demo.example."""
    return ForceEmailDomain.objects.create(force=force("gmp"), domain="gmp.demo.example")


def signup(client, email, **overrides):
    """Post the registration form as an officer would fill it in."""
    data = {
        "first_name": "Sam",
        "last_name": "Okafor",
        "email": email,
        "role": LearnerRole.CALL_HANDLER,
        "staff_number": "GM1234",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


CSRF_TOKEN = "a" * 32  # a valid unmasked secret; the cookie and the X-CSRFToken header must match


def signed_in_api_client(user) -> Client:
    """A signed-in learner whose browser sends the CSRF cookie, as the progress script does;
    send CSRF_TOKEN as the X-CSRFToken header with each write."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["csrftoken"] = CSRF_TOKEN
    return client


def field_values(instance) -> dict:
    """Every concrete field's stored value, by attribute name: for comparing two instances."""
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
