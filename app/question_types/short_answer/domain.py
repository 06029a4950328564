"""Short answer: type a word or phrase; case and spacing are ignored when comparing."""

from __future__ import annotations

from app.domain.answer_ids import AnswerIds
from app.domain.messages import N_, Message, Text
from app.domain.question_types.base import (
    QuestionType,
    bounded_text,
    normalise_text,
)
from app.domain.records import QuestionRecord

MAX_LENGTH = 500

TEXTS: dict[str, Text] = {
    "short_answer.unused_field": N_("a short-answer question does not use %(field)s; remove it"),
    "short_answer.no_answers": N_("a short-answer question needs at least one accepted answer"),
    "short_answer.empty_answer": N_("accepted answers must not be empty"),
    # what is wrong with a learner's response (ResponseError)
    "short_answer.answer_not_text": N_("a short answer must be text"),
    "short_answer.answer_too_long": N_(
        "a short answer may be at most %(limit)s characters; it has %(length)s"
    ),
}


def _too_long(limit: str, length: str) -> Message:
    """The problem of an answer longer than the limit."""
    return Message("short_answer.answer_too_long", {"limit": limit, "length": length})


class ShortAnswer(QuestionType):
    """One or more accepted answers; a response is a short text."""

    key = "short_answer"
    sort_order = 60
    label = N_("Short answer")
    fields = ("answers",)

    def check(self, q: QuestionRecord) -> list[Message]:
        """At least one accepted answer, and none of them empty."""
        if not q.answers:
            return [Message("short_answer.no_answers")]
        if any(not a.strip() for a in q.answers):
            return [Message("short_answer.empty_answer")]
        return []

    def unused_field(self, field: str) -> Message:
        """A short-answer question does not use `field`."""
        return Message("short_answer.unused_field", {"field": field})

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> str | None:
        """The typed text, trimmed; at most 500 characters."""
        return bounded_text(raw, MAX_LENGTH, Message("short_answer.answer_not_text"), _too_long)

    def grade(self, q: QuestionRecord, response: object) -> float:
        """All the marks when the response equals an accepted answer, ignoring case/spacing."""
        if not isinstance(response, str) or not response.strip():
            return 0.0
        accepted = {normalise_text(a) for a in q.answers}
        return 1.0 if normalise_text(response) in accepted else 0.0

    def random_guess(self, q: QuestionRecord) -> float:
        """Guessing free text earns nothing."""
        return 0.0

    def correct_response(self, q: QuestionRecord) -> str | None:
        """The first accepted answer."""
        return q.answers[0] if q.answers else None


TYPE = ShortAnswer()
