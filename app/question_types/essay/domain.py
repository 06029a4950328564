"""Essay: free text marked by a trainer against a rubric."""

from __future__ import annotations

from app.domain.answer_ids import AnswerIds
from app.domain.question_types.base import QuestionType, bounded_text, number
from app.domain.records import QuestionRecord

MAX_LENGTH = 20_000


class Essay(QuestionType):
    """An optional rubric (whose marks add up to the question's) and a model answer."""

    key = "essay"
    sort_order = 70
    label = "Essay"
    noun = "an essay question"
    auto_graded = False
    fields = ("rubric", "model_answer")

    def check(self, q: QuestionRecord) -> list[str]:
        """Rubric criteria need a name and positive marks that add up to the question's."""
        problems = []
        if any(not c.criterion.strip() for c in q.rubric):
            problems.append("every rubric criterion needs a name")
        for c in q.rubric:
            if not c.marks > 0:
                name = c.criterion or "a criterion"
                problems.append(f"rubric criterion {name!r} needs marks above 0")
        total = sum(c.marks for c in q.rubric)
        if q.rubric and abs(total - q.marks) > 1e-9:
            problems.append(
                f"an essay's marks must equal the sum of its rubric marks ({number(total)}); "
                f"it has {number(q.marks)}"
            )
        return problems

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> str | None:
        """The written text, trimmed; at most 20,000 characters."""
        return bounded_text(raw, MAX_LENGTH, "an essay")

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
