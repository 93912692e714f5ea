"""A module's Welsh translation for tests: the Wagtail API wagtail-localize builds on
(`copy_for_translation`, which keeps the StreamField block ids), then Welsh text, published."""

from dataclasses import dataclass

from wagtail.models import Locale

from courses.models import LessonPage, ModulePage
from tests.conftest import ModuleTree

WELSH_MODULE_TITLE = "Arweinyddiaeth a cham-drin domestig"
WELSH_FEEDBACK = [
    "Mae hyn yn ei beio hi.",
    "Ie: ei ddewis ef.",
    "Does neb yn ysgogi cam-drin.",
]


@dataclass
class WelshTree:
    module: ModulePage
    lessons: list[LessonPage]


def welsh_translation(tree: ModuleTree) -> WelshTree:
    """The module and its lessons in Welsh (their parents too, as Wagtail copies them), with
    Welsh titles and the check's options' feedback in Welsh, all published."""
    cy = Locale.objects.get(language_code="cy")
    module = tree.module.copy_for_translation(cy, copy_parents=True)
    module.title = WELSH_MODULE_TITLE
    module.summary = "Sut olwg sydd ar arweinyddiaeth dda pan fo cam-drin domestig."
    module.save_revision().publish()
    lessons = []
    for number, lesson in enumerate(tree.lessons, start=1):
        welsh = lesson.copy_for_translation(cy)
        welsh.title = f"Gwers {number}"
        for child in welsh.body:
            if child.block_type == "knowledge_check":
                for option, feedback in zip(child.value["options"], WELSH_FEEDBACK, strict=True):
                    option["feedback"] = feedback
        welsh.save_revision().publish()
        lessons.append(LessonPage.objects.get(pk=welsh.pk))
    return WelshTree(ModulePage.objects.get(pk=module.pk), lessons)
