from courses.blocks import KnowledgeCheckBlock
from courses.models import LessonPage


def test_module_tree_is_published_with_a_scoreable_check(module_tree):
    assert module_tree.module.live
    assert [p.title for p in module_tree.module.get_children().live()] == [
        "Leadership lesson 1",
        "Leadership lesson 2",
        "Leadership lesson 3",
    ]
    last = LessonPage.objects.get(pk=module_tree.lessons[-1].pk)
    child = next(c for c in last.body if c.id == module_tree.check_block_id)
    block: KnowledgeCheckBlock = child.block
    assert block.score(child.value, [1]).score == 100
    assert block.score(child.value, [0]).score == 0
