from dataclasses import dataclass

import pytest
from wagtail.models import Site

from courses.models import LessonPage, ModulePage, ProgrammePage
from tests.factories import (
    KNOWLEDGE_CHECK,
    LessonPageFactory,
    ModulePageFactory,
    ProgrammePageFactory,
)


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
