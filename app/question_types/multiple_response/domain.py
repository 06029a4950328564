"""Multiple response: tick every correct option among three or more.

Partial credit: each correct option ticked earns 1/C and each wrong option ticked
costs 1/W (C correct and W wrong options); the result is clamped to 0..1. Ticking
every option therefore scores 1 - 1 = 0, and ticking nothing scores 0.
"""

from __future__ import annotations

from math import comb

from app.domain.answer_ids import AnswerIds
from app.domain.messages import N_, Message, Text
from app.domain.question_types.base import (
    ChoiceType,
    id_list,
    is_blank,
    no_such_option,
    real_ids,
)
from app.domain.records import QuestionRecord

TEXTS: dict[str, Text] = {
    "multiple_response.unused_field": N_(
        "a multiple-response question does not use %(field)s; remove it"
    ),
    "multiple_response.too_few_options": N_(
        "a multiple-response question needs at least 3 options; it has %(options)s"
    ),
    "multiple_response.no_correct_option": N_(
        "a multiple-response question needs at least one correct option; it has none"
    ),
    "multiple_response.no_wrong_option": N_(
        "a multiple-response question needs at least one wrong option; all are correct"
    ),
}


def partial_credit(right: int, wrong: int, n_correct: int, n_wrong: int) -> float:
    """Score for ticking `right` correct and `wrong` wrong options, clamped to 0..1."""
    if n_correct == 0:
        return 0.0
    earned = right / n_correct - (wrong / n_wrong if n_wrong else 0.0)
    return min(1.0, max(0.0, earned))


class MultipleResponse(ChoiceType):
    """At least one correct and one wrong option; a response is a set of option ids."""

    key = "multiple_response"
    sort_order = 20
    label = N_("Multiple response")

    def check_options(self, q: QuestionRecord) -> list[Message]:
        """Three or more options, at least one correct and at least one wrong."""
        problems = []
        if len(q.options) < 3:
            too_few = {"options": len(q.options)}
            problems.append(Message("multiple_response.too_few_options", too_few))
        correct = sum(1 for o in q.options if o.correct)
        if correct == 0:
            problems.append(Message("multiple_response.no_correct_option"))
        if q.options and correct == len(q.options):
            problems.append(Message("multiple_response.no_wrong_option"))
        return problems

    def unused_field(self, field: str) -> Message:
        """A multiple-response question does not use `field`."""
        return Message("multiple_response.unused_field", {"field": field})

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> list[str] | None:
        """The real ids of the ticked options, sorted and without repeats."""
        if is_blank(raw):
            return None
        listed = id_list(
            raw, Message("type.answer_not_option_list"), Message("type.chosen_option_not_id")
        )
        given = [g for g in dict.fromkeys(listed) if g]
        return sorted(set(real_ids(self.ids_for(q, ids), "option", given, no_such_option))) or None

    def public_response(self, q: QuestionRecord, value: object, ids: AnswerIds | None) -> object:
        """The ticked options' public ids, sorted."""
        if not isinstance(value, list):
            return value
        return sorted(self.ids_for(q, ids).public("option", v) for v in value)

    def grade(self, q: QuestionRecord, response: object) -> float:
        """Right ticks earn, wrong ticks cost; ticking everything never earns full marks."""
        if not isinstance(response, list | tuple | set | frozenset):
            return 0.0
        ticked = set(response)
        right = sum(1 for o in q.options if o.correct and o.id in ticked)
        wrong = sum(1 for o in q.options if not o.correct and o.id in ticked)
        n_correct = sum(1 for o in q.options if o.correct)
        return partial_credit(right, wrong, n_correct, len(q.options) - n_correct)

    def random_guess(self, q: QuestionRecord) -> float:
        """Exact mean score over every non-empty set of ticks, each equally likely."""
        n_correct = sum(1 for o in q.options if o.correct)
        n_wrong = len(q.options) - n_correct
        subsets = 2 ** len(q.options) - 1
        if subsets <= 0:
            return 0.0
        total = sum(
            comb(n_correct, r) * comb(n_wrong, w) * partial_credit(r, w, n_correct, n_wrong)
            for r in range(n_correct + 1)
            for w in range(n_wrong + 1)
        )
        return total / subsets

    def correct_response(self, q: QuestionRecord) -> list[str]:
        """The ids of the correct options, sorted."""
        return sorted(o.id for o in q.options if o.correct)


TYPE = MultipleResponse()
