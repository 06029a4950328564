"""Essay: free text marked by a trainer against a rubric."""

from __future__ import annotations

from app.domain.answer_ids import AnswerIds
from app.domain.messages import N_, Message, Text
from app.domain.question_types.base import QuestionType, bounded_text, number
from app.domain.records import QuestionRecord

MAX_LENGTH = 20_000

TEXTS: dict[str, Text] = {
    "essay.unused_field": N_("an essay question does not use %(field)s; remove it"),
    "essay.unnamed_criterion": N_("every rubric criterion needs a name"),
    # the criterion's name comes quoted as typed
    "essay.criterion_marks": N_("rubric criterion %(criterion)s needs marks above 0"),
    "essay.unnamed_criterion_marks": N_("rubric criterion 'a criterion' needs marks above 0"),
    "essay.marks_not_rubric_sum": N_(
        "an essay's marks must equal the sum of its rubric marks (%(total)s); it has %(marks)s"
    ),
    # what is wrong with a learner's response (ResponseError)
    "essay.answer_not_text": N_("an essay must be text"),
    "essay.answer_too_long": N_("an essay may be at most %(limit)s characters; it has %(length)s"),
}


def _too_long(limit: str, length: str) -> Message:
    """The problem of an answer longer than the limit."""
    return Message("essay.answer_too_long", {"limit": limit, "length": length})


class Essay(QuestionType):
    """An optional rubric (whose marks add up to the question's) and a model answer."""

    key = "essay"
    sort_order = 70
    label = N_("Essay")
    auto_graded = False
    fields = ("rubric", "model_answer")

    def check(self, q: QuestionRecord) -> list[Message]:
        """Rubric criteria need a name and positive marks that add up to the question's."""
        problems = []
        if any(not c.criterion.strip() for c in q.rubric):
            problems.append(Message("essay.unnamed_criterion"))
        for c in q.rubric:
            if not c.marks > 0 and c.criterion:
                problems.append(Message("essay.criterion_marks", {"criterion": repr(c.criterion)}))
            elif not c.marks > 0:
                problems.append(Message("essay.unnamed_criterion_marks"))
        total = sum(c.marks for c in q.rubric)
        if q.rubric and abs(total - q.marks) > 1e-9:
            sums = {"total": number(total), "marks": number(q.marks)}
            problems.append(Message("essay.marks_not_rubric_sum", sums))
        return problems

    def unused_field(self, field: str) -> Message:
        """An essay question does not use `field`."""
        return Message("essay.unused_field", {"field": field})

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> str | None:
        """The written text, trimmed; at most 20,000 characters."""
        return bounded_text(raw, MAX_LENGTH, Message("essay.answer_not_text"), _too_long)

    def grade(self, q: QuestionRecord, response: object) -> float | None:
        """None: a trainer marks essays. An unanswered essay earns 0 without one."""
        return 0.0 if response is None or response == "" else None

    def random_guess(self, q: QuestionRecord) -> float:
        """Guessing free text earns nothing."""
        return 0.0

    def correct_response(self, q: QuestionRecord) -> str | None:
        """The model answer, if any."""
        return q.model_answer or None


TYPE = Essay()
