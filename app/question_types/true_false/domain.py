"""True/false: is the statement in the stem true?"""

from __future__ import annotations

from app.domain.answer_ids import AnswerIds
from app.domain.messages import N_, Message, Text
from app.domain.question_types.base import QuestionType, ResponseError, is_blank
from app.domain.records import QuestionRecord

TEXTS: dict[str, Text] = {
    "true_false.unused_field": N_("a true/false question does not use %(field)s; remove it"),
    "true_false.answer_not_set": N_("a true/false question needs its answer set to true or false"),
    # what is wrong with a learner's response (ResponseError)
    "true_false.answer_not_boolean": N_("a true/false answer must be true or false"),
}

_WORDS = {"true": True, "false": False}


class TrueFalse(QuestionType):
    """The key is `answer`; a response is True or False."""

    key = "true_false"
    sort_order = 30
    label = N_("True/false")
    fields = ("answer", "feedback_true", "feedback_false")

    def check(self, q: QuestionRecord) -> list[Message]:
        """The answer must be true or false."""
        if not isinstance(q.answer, bool):
            return [Message("true_false.answer_not_set")]
        return []

    def unused_field(self, field: str) -> Message:
        """A true/false question does not use `field`."""
        return Message("true_false.unused_field", {"field": field})

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> bool | None:
        """True or False, also from the words 'true' and 'false'."""
        if is_blank(raw):
            return None
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _WORDS:
            return _WORDS[raw.strip().lower()]
        raise ResponseError(Message("true_false.answer_not_boolean"))

    def grade(self, q: QuestionRecord, response: object) -> float:
        """All the marks when the response equals the key."""
        return 1.0 if isinstance(response, bool) and response == q.answer else 0.0

    def random_guess(self, q: QuestionRecord) -> float:
        """A coin toss."""
        return 0.5

    def correct_response(self, q: QuestionRecord) -> bool | None:
        """The key."""
        return q.answer


TYPE = TrueFalse()
