"""The knowledge check: its options, its validation and the server's scoring
(`KnowledgeCheckBlock.score` and `CheckOutcome`, which the progress service and the learner
journey rely on).

Feedback must not give the answer away: until the learner answers rightly, or has answered
`reveal_after` times (counted on the server), only the options they chose are marked and only
those options' feedback is shown (`CheckOutcome.shown_feedback`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.blocks.list_block import ListBlockValidationError

REVEAL_AFTER_DEFAULT = 2
REVEAL_AFTER_MAX = 10


@dataclass(frozen=True)
class CheckOutcome:
    """The server's verdict on one knowledge-check submission."""

    score: int  # 0-100
    correct: bool
    selected: tuple[int, ...]
    # One entry per option: (option index, was it selected, is it correct, feedback text)
    feedback: tuple[tuple[int, bool, bool, str], ...]
    # The editor's setting: how many answers before the right one is shown.
    reveal_after: int = REVEAL_AFTER_DEFAULT
    # The learner's answers to this check so far, this one included, as the server counted
    # them (0 when nothing was counted).
    attempts: int = 0

    @property
    def answer_revealed(self) -> bool:
        """Whether the right answer may be shown: after a right answer, or enough answers."""
        return self.correct or self.attempts >= self.reveal_after

    @property
    def attempts_left(self) -> int:
        """Answers still to give before the right answer is shown (0 once it is)."""
        return 0 if self.answer_revealed else self.reveal_after - self.attempts

    @property
    def missed_some(self) -> bool:
        """Every chosen option is right, but not every right option was chosen."""
        return not self.correct and all(correct for _i, sel, correct, _f in self.feedback if sel)

    def shown_feedback(self) -> tuple[tuple[int, bool, bool | None, str], ...]:
        """What the learner may see of each option: (index, selected, correct, feedback).

        Before the answer is revealed an option the learner did not choose shows nothing:
        `correct` is None and its feedback is empty, so neither gives the right answer away.
        """
        revealed = self.answer_revealed
        return tuple(
            (i, selected, correct, text) if revealed or selected else (i, False, None, "")
            for i, selected, correct, text in self.feedback
        )


class KnowledgeCheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300, help_text=_("The answer as learners will see it."))
    is_correct = blocks.BooleanBlock(required=False, help_text=_("Tick if this answer is right."))
    feedback = blocks.TextBlock(
        required=False, help_text=_("Shown after the learner answers: why it is right or wrong.")
    )

    class Meta:
        icon = "list-ul"


EMPTY_OPTION = {"text": "", "is_correct": False, "feedback": ""}


class KnowledgeCheckBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=500, help_text=_("The question, as a full sentence."))
    allow_multiple = blocks.BooleanBlock(
        required=False,
        help_text=_("Tick if learners may choose several answers (all correct ones are needed)."),
    )
    options = blocks.ListBlock(
        KnowledgeCheckOptionBlock(),
        # A new check starts with the two answers it needs, not one and a "minimum is 2" error.
        default=[EMPTY_OPTION, EMPTY_OPTION],
        min_num=2,
        max_num=8,
        help_text=_("Two to eight answers. Correct answers are never sent to the browser."),
    )
    reveal_after = blocks.IntegerBlock(
        default=REVEAL_AFTER_DEFAULT,
        min_value=1,
        max_value=REVEAL_AFTER_MAX,
        label=_("Show the right answer after"),
        help_text=(
            f"How many answers a learner gives before the right answer is shown to them (1 to "
            f"{REVEAL_AFTER_MAX}). Until then, they only see which of their choices were wrong "
            "and your feedback on those. A right answer always shows it."
        ),
    )

    class Meta:
        icon = "help"
        template = "courses/blocks/knowledge_check.html"
        description = _(
            "A question scored on the server. Counts towards the module's pass mark; answers "
            "and feedback are only shown after the learner submits."
        )
        preview_value = {
            "question": "Which question puts responsibility where it belongs?",
            "allow_multiple": False,
            "reveal_after": REVEAL_AFTER_DEFAULT,
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
            problem = gettext("Give at least two answers.")
        elif correct == 0:
            problem = gettext("Tick at least one answer as correct.")
        elif correct > 1 and not value["allow_multiple"]:
            problem = gettext(
                "Only one answer can be correct for a single-answer question: untick the others, "
                "or tick 'allow multiple'."
            )
        elif len({option["text"].strip().lower() for option in options}) < len(options):
            problem = gettext("Two answers have the same text; make each answer different.")
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
                    value["options"], outcome.shown_feedback(), strict=False
                )
            ]
            ready = parent_context.get("certificate_ready") or {}
            if ready.get("block_id") == parent_context.get("block_id"):
                context["certificate_url"] = ready.get("url")
        return context

    def score(self, value, selected, *, attempts: int = 0) -> CheckOutcome:
        """Score a submission: `selected` is an iterable of option indexes (0-based);
        `attempts`, the learner's answers to this check counted so far, this one included.

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
            # Content stored before the setting existed has no value for it: the default.
            reveal_after=int(value.get("reveal_after") or REVEAL_AFTER_DEFAULT),
            attempts=attempts,
        )
