"""Ordering: put the steps in the correct order.

Grading rule — adjacent successions. The key defines n - 1 successions (step 1 is
directly followed by step 2, 2 by 3, …). The score is the share of those successions
that the response keeps, each step directly followed by its successor. Only the
correct order scores 1; a correct block shifted to the wrong place keeps all its
inner successions (s2 s3 s4 s1 scores 2/3, where counting absolute positions would
give 0); and unlike counting all pairs in relative order (Kendall's tau, where a
random order already scores 1/2) a random guess earns little.

Random guess: in a uniformly random permutation of n steps, a given step directly
follows another with probability (n - 1)!/n! = 1/n, so by linearity of expectation the
expected share of the n - 1 successions is exactly 1/n. (The tests confirm this by
enumerating every permutation for n up to 7.)

Step ids in the key usually run s1, s2… in the correct order, so learners only ever see
and send public ids (see app/domain/answer_ids.py); parse_response returns the real ids.
Without a display order the steps are shown in the alphabetical order of their texts.
"""

from __future__ import annotations

from itertools import pairwise

from app.domain.answer_ids import AnswerIds, Parts
from app.domain.messages import N_, Message, Text, ngettext
from app.domain.question_types.base import (
    QuestionType,
    ResponseError,
    id_list,
    id_problems,
    is_blank,
    normalise_text,
    ordered,
    real_ids,
    text_problems,
)
from app.domain.records import QuestionRecord

TEXTS: dict[str, Text] = {
    "ordering.unused_field": N_("an ordering question does not use %(field)s; remove it"),
    "ordering.step_without_id": N_("every step needs an id"),
    "ordering.repeated_step_ids": N_("step ids must be unique; repeated: %(ids)s"),
    "ordering.step_without_text": ngettext(
        "%(num)d step(s) have no text", "%(num)d step(s) have no text"
    ),
    "ordering.repeated_steps": N_("each step needs a different text; repeated: %(texts)s"),
    "ordering.too_few_steps": N_("an ordering question needs at least 2 steps; it has %(steps)s"),
    # what is wrong with a learner's response (ResponseError)
    "ordering.answer_not_step_list": N_("the answer must be a list of step ids"),
    "ordering.chosen_step_not_id": N_("every chosen step must be given by its id"),
    "ordering.no_such_step": N_("there is no step %(id)s in this question"),
    "ordering.answer_not_every_step": N_("an ordering answer must list every step exactly once"),
}


def successions_kept(key: list[str], response: list[str]) -> int:
    """How many of the key's adjacent pairs appear adjacent, in order, in the response."""
    follows = dict(pairwise(response))
    return sum(1 for a, b in pairwise(key) if follows.get(a) == b)


def _no_such_step(public: str) -> Message:
    """The problem of a step id (quoted as typed) the question does not have."""
    return Message("ordering.no_such_step", {"id": public})


class Ordering(QuestionType):
    """Steps listed in the correct order; a response lists every step id once."""

    key = "ordering"
    sort_order = 50
    label = N_("Ordering")
    fields = ("steps",)

    def check(self, q: QuestionRecord) -> list[Message]:
        """Two or more steps with unique ids and distinct texts."""
        problems = id_problems(
            [s.id for s in q.steps],
            Message("ordering.step_without_id"),
            lambda ids: Message("ordering.repeated_step_ids", {"ids": ids}),
        )
        problems += text_problems(
            [s.text for s in q.steps],
            lambda blank: Message("ordering.step_without_text", count=blank),
            lambda texts: Message("ordering.repeated_steps", {"texts": texts}),
        )
        if len(q.steps) < 2:
            problems.append(Message("ordering.too_few_steps", {"steps": len(q.steps)}))
        return problems

    def unused_field(self, field: str) -> Message:
        """An ordering question does not use `field`."""
        return Message("ordering.unused_field", {"field": field})

    def view_fields(self, q: QuestionRecord, order: list[str] | None, ids: AnswerIds) -> dict:
        """The steps in the given order (alphabetical if none), under public ids."""
        text = {s.id: s.text for s in q.steps}
        if order is None:
            order = sorted(text, key=lambda i: (normalise_text(text[i]), text[i]))
        return {
            "steps": [
                {"id": ids.public("step", i), "text": text[i]} for i in ordered(list(text), order)
            ]
        }

    def parts(self, q: QuestionRecord) -> Parts:
        """The steps."""
        return {"step": [s.id for s in q.steps]}

    def shuffle_ids(self, q: QuestionRecord) -> list[str]:
        """The real step ids; the caller shuffles them and passes them back as `order`."""
        return [s.id for s in q.steps]

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> list[str] | None:
        """Every step's real id exactly once, in the learner's order."""
        if is_blank(raw):
            return None
        given = id_list(
            raw, Message("ordering.answer_not_step_list"), Message("ordering.chosen_step_not_id")
        )
        steps = real_ids(self.ids_for(q, ids), "step", given, _no_such_step)
        if sorted(steps) != sorted(s.id for s in q.steps):
            raise ResponseError(Message("ordering.answer_not_every_step"))
        return steps

    def public_response(self, q: QuestionRecord, value: object, ids: AnswerIds | None) -> object:
        """The steps' public ids, in the learner's order."""
        if not isinstance(value, list):
            return value
        ids = self.ids_for(q, ids)
        return [ids.public("step", v) for v in value]

    def grade(self, q: QuestionRecord, response: object) -> float:
        """The share of the key's adjacent successions that the response keeps."""
        key = [s.id for s in q.steps]
        if not isinstance(response, list) or not key:
            return 0.0
        if response == key:
            return 1.0
        return successions_kept(key, response) / (len(key) - 1) if len(key) > 1 else 0.0

    def random_guess(self, q: QuestionRecord) -> float:
        """Exactly 1/n for n steps (see the module docstring)."""
        return 1.0 / len(q.steps) if q.steps else 0.0

    def correct_response(self, q: QuestionRecord) -> list[str]:
        """The step ids in the correct order."""
        return [s.id for s in q.steps]


TYPE = Ordering()
