"""Single choice: pick the one correct option of two or more."""

from __future__ import annotations

from app.domain.answer_ids import AnswerIds, Parts
from app.domain.question_types.base import (
    QuestionType,
    is_blank,
    option_problems,
    option_view,
    real_ids,
)
from app.domain.records import QuestionRecord


class SingleChoice(QuestionType):
    """Exactly one correct option; a response is the id of the chosen option."""

    key = "single_choice"
    sort_order = 10
    label = "Single choice"
    noun = "a single-choice question"
    fields = ("options",)

    def check(self, q: QuestionRecord) -> list[str]:
        """Two or more options with distinct ids and texts, exactly one of them correct."""
        problems = option_problems(q)
        if len(q.options) < 2:
            problems.append(f"{self.noun} needs at least 2 options; it has {len(q.options)}")
        correct = sum(1 for o in q.options if o.correct)
        if correct != 1:
            problems.append(f"{self.noun} needs exactly one correct option; it has {correct}")
        return problems

    def view_fields(self, q: QuestionRecord, order: list[str] | None, ids: AnswerIds) -> dict:
        """The options, in display order."""
        return {"options": option_view(q, order, ids)}

    def parts(self, q: QuestionRecord) -> Parts:
        """The options."""
        return {"option": [o.id for o in q.options]}

    def shuffle_ids(self, q: QuestionRecord) -> list[str]:
        """Options may be shown in any order."""
        return [o.id for o in q.options]

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> str | None:
        """The real id of the chosen option."""
        if is_blank(raw):
            return None
        if not isinstance(raw, str):
            raise ValueError("a single-choice answer is the id of one option")
        return real_ids(self.ids_for(q, ids), "option", [raw.strip()], "option")[0]

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
