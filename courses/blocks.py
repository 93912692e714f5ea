"""StreamField blocks for lesson bodies.

The authoring issue fills in the rest of the block set; the knowledge-check scoring contract
below is what the progress service and the learner journey rely on.
"""

from dataclasses import dataclass

from wagtail import blocks


@dataclass(frozen=True)
class CheckOutcome:
    """The server's verdict on one knowledge-check submission."""

    score: int  # 0-100
    correct: bool
    selected: tuple[int, ...]
    # One entry per option: (option index, was it selected, is it correct, feedback text)
    feedback: tuple[tuple[int, bool, bool, str], ...]


class KnowledgeCheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    is_correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(required=False)


class KnowledgeCheckBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=500)
    allow_multiple = blocks.BooleanBlock(required=False)
    options = blocks.ListBlock(KnowledgeCheckOptionBlock(), min_num=2)

    def score(self, value, selected) -> CheckOutcome:
        """Score a submission: `selected` is an iterable of option indexes (0-based).

        Full marks only when the selected set is exactly the set of correct options.
        Raises ValueError for an index out of range, an empty answer, or several answers
        to a single-answer question.
        """
        options = list(value["options"])
        chosen = tuple(sorted({int(i) for i in selected}))
        if not chosen:
            raise ValueError("Choose at least one answer.")
        if any(i < 0 or i >= len(options) for i in chosen):
            raise ValueError("An answer does not match any option of this question.")
        if len(chosen) > 1 and not value["allow_multiple"]:
            raise ValueError("This question takes a single answer.")
        correct = {i for i, option in enumerate(options) if option["is_correct"]}
        is_correct = set(chosen) == correct
        feedback = tuple(
            (i, i in chosen, bool(option["is_correct"]), option["feedback"] or "")
            for i, option in enumerate(options)
        )
        return CheckOutcome(
            score=100 if is_correct else 0,
            correct=is_correct,
            selected=chosen,
            feedback=feedback,
        )


class ReflectionPromptBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=500)
    guidance = blocks.TextBlock(required=False)


class LessonStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(icon="pilcrow")
    knowledge_check = KnowledgeCheckBlock()
    reflection_prompt = ReflectionPromptBlock()
