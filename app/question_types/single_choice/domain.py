"""Single choice: pick the one correct option of two or more."""

from __future__ import annotations

from app.domain.answer_ids import AnswerIds
from app.domain.messages import N_, Message, Text
from app.domain.question_types.base import (
    ChoiceType,
    ResponseError,
    is_blank,
    no_such_option,
    real_ids,
)
from app.domain.records import QuestionRecord

TEXTS: dict[str, Text] = {
    "single_choice.unused_field": N_("a single-choice question does not use %(field)s; remove it"),
    "single_choice.too_few_options": N_(
        "a single-choice question needs at least 2 options; it has %(options)s"
    ),
    "single_choice.correct_options": N_(
        "a single-choice question needs exactly one correct option; it has %(correct)s"
    ),
    # what is wrong with a learner's response (ResponseError)
    "single_choice.answer_not_id": N_("a single-choice answer is the id of one option"),
}


class SingleChoice(ChoiceType):
    """Exactly one correct option; a response is the id of the chosen option."""

    key = "single_choice"
    sort_order = 10
    label = N_("Single choice")

    def check_options(self, q: QuestionRecord) -> list[Message]:
        """Two or more options, exactly one of them correct."""
        problems = []
        if len(q.options) < 2:
            problems.append(Message("single_choice.too_few_options", {"options": len(q.options)}))
        correct = sum(1 for o in q.options if o.correct)
        if correct != 1:
            problems.append(Message("single_choice.correct_options", {"correct": correct}))
        return problems

    def unused_field(self, field: str) -> Message:
        """A single-choice question does not use `field`."""
        return Message("single_choice.unused_field", {"field": field})

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> str | None:
        """The real id of the chosen option."""
        if is_blank(raw):
            return None
        if not isinstance(raw, str):
            raise ResponseError(Message("single_choice.answer_not_id"))
        return real_ids(self.ids_for(q, ids), "option", [raw.strip()], no_such_option)[0]

    def public_response(self, q: QuestionRecord, value: object, ids: AnswerIds | None) -> object:
        """The chosen option's public id."""
        return None if value is None else self.ids_for(q, ids).public("option", str(value))

    def grade(self, q: QuestionRecord, response: object) -> float:
        """All the marks for the correct option, nothing otherwise."""
        return 1.0 if response is not None and response == self.correct_response(q) else 0.0

    def random_guess(self, q: QuestionRecord) -> float:
        """One chance in the number of options."""
        return 1.0 / len(q.options) if q.options else 0.0

    def correct_response(self, q: QuestionRecord) -> str | None:
        """The id of the correct option."""
        return next((o.id for o in q.options if o.correct), None)


TYPE = SingleChoice()
