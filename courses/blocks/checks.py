"""The knowledge check: its options, its validation and the server's scoring
(`KnowledgeCheckBlock.score` and `CheckOutcome`, which the progress service and the learner
journey rely on)."""

from dataclasses import dataclass

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.blocks.list_block import ListBlockValidationError


@dataclass(frozen=True)
class CheckOutcome:
    """The server's verdict on one knowledge-check submission."""

    score: int  # 0-100
    correct: bool
    selected: tuple[int, ...]
    # One entry per option: (option index, was it selected, is it correct, feedback text)
    feedback: tuple[tuple[int, bool, bool, str], ...]


class KnowledgeCheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300, help_text="The answer as learners will see it.")
    is_correct = blocks.BooleanBlock(required=False, help_text="Tick if this answer is right.")
    feedback = blocks.TextBlock(
        required=False, help_text="Shown after the learner answers: why it is right or wrong."
    )

    class Meta:
        icon = "list-ul"


EMPTY_OPTION = {"text": "", "is_correct": False, "feedback": ""}


class KnowledgeCheckBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=500, help_text="The question, as a full sentence.")
    allow_multiple = blocks.BooleanBlock(
        required=False,
        help_text="Tick if learners may choose several answers (all correct ones are needed).",
    )
    options = blocks.ListBlock(
        KnowledgeCheckOptionBlock(),
        # A new check starts with the two answers it needs, not one and a "minimum is 2" error.
        default=[EMPTY_OPTION, EMPTY_OPTION],
        min_num=2,
        max_num=8,
        help_text="Two to eight answers. Correct answers are never sent to the browser.",
    )

    class Meta:
        icon = "help"
        template = "courses/blocks/knowledge_check.html"
        description = (
            "A question scored on the server. Counts towards the module's pass mark; answers "
            "and feedback are only shown after the learner submits."
        )
        preview_value = {
            "question": "Which question puts responsibility where it belongs?",
            "allow_multiple": False,
            "options": [
                {"text": "Why doesn't she leave?", "is_correct": False, "feedback": ""},
                {"text": "Why doesn't he stop?", "is_correct": True, "feedback": ""},
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        options = list(value["options"])
        correct = sum(1 for option in options if option["is_correct"])
        problem = None
        if len(options) < 2:
            problem = "Give at least two answers."
        elif correct == 0:
            problem = "Tick at least one answer as correct."
        elif correct > 1 and not value["allow_multiple"]:
            problem = (
                "Only one answer can be correct for a single-answer question: untick the others, "
                "or tick 'allow multiple'."
            )
        elif len({option["text"].strip().lower() for option in options}) < len(options):
            problem = "Two answers have the same text; make each answer different."
        if problem:
            raise StructBlockValidationError(
                block_errors={"options": ListBlockValidationError(non_block_errors=[problem])}
            )
        return value

    def get_searchable_content(self, value):
        # The question only: answers and feedback must not leak through the search index.
        return [value["question"]]

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        outcome = (parent_context.get("check_feedback") or {}).get(parent_context.get("block_id"))
        context["outcome"] = outcome
        if outcome:
            context["answered_options"] = [
                {"text": option["text"], "selected": selected, "correct": correct, "feedback": fb}
                for option, (_i, selected, correct, fb) in zip(
                    value["options"], outcome.feedback, strict=False
                )
            ]
        return context

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
