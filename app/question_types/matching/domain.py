"""Matching: pair each prompt with the response that belongs to it.

Learners see the prompts in their authored order and every offered match (the pairs'
matches plus `extra_matches`) in alphabetical or shuffled order, both under public ids.
A learner's response maps public prompt ids to public match ids; it is stored as real
prompt ids mapped to match texts. The display order of the matches is kept as internal
ids numbered alphabetically (m1, m2…), which are never shown.
Score: the share of prompts matched right. A random assignment matches each prompt
with probability 1/(number of offered matches), which is the random-guess score.
"""

from __future__ import annotations

from app.domain.answer_ids import AnswerIds, Parts
from app.domain.question_types.base import (
    QuestionType,
    display_ids,
    id_problems,
    ordered,
    real_pairs,
    text_problems,
)
from app.domain.records import QuestionRecord

_PAIR_ERRORS = (
    "a matching answer pairs prompt ids with chosen match ids",
    "there is no prompt {value!r} in this question",
    "each chosen match must be given by its id",
    "{value!r} is not one of the offered matches",
)


def offered_matches(q: QuestionRecord) -> list[str]:
    """Every match a learner may choose from: the pairs' matches and the extra ones."""
    return [p.match for p in q.pairs] + list(q.extra_matches)


def match_ids(q: QuestionRecord) -> dict[str, str]:
    """Internal display-order id of every offered match, keyed by the match text."""
    texts = offered_matches(q)
    return display_ids(texts, "m", set(texts))


class Matching(QuestionType):
    """Prompts paired with distinct matches, optionally padded with extra matches."""

    key = "matching"
    sort_order = 40
    label = "Matching"
    noun = "a matching question"
    fields = ("pairs", "extra_matches")

    def check(self, q: QuestionRecord) -> list[str]:
        """Two or more pairs, unique prompt ids, distinct prompts and distinct matches."""
        problems = id_problems("pair", [p.id for p in q.pairs])
        problems += text_problems("prompt", [p.prompt for p in q.pairs])
        problems += text_problems("match", offered_matches(q))
        if len(q.pairs) < 2:
            problems.append(f"{self.noun} needs at least 2 pairs; it has {len(q.pairs)}")
        return problems

    def view_fields(self, q: QuestionRecord, order: list[str] | None, ids: AnswerIds) -> dict:
        """The prompts, and every offered match in display order, under public ids."""
        by_id = {mid: text for text, mid in match_ids(q).items()}
        return {
            "prompts": [{"id": ids.public("prompt", p.id), "text": p.prompt} for p in q.pairs],
            "matches": [
                {"id": ids.public("match", by_id[i]), "text": by_id[i]}
                for i in ordered(self.shuffle_ids(q), order)
            ],
        }

    def parts(self, q: QuestionRecord) -> Parts:
        """The prompts (by pair id) and the offered matches (by their text)."""
        return {"prompt": [p.id for p in q.pairs], "match": list(match_ids(q))}

    def shuffle_ids(self, q: QuestionRecord) -> list[str]:
        """The display ids of the offered matches."""
        return sorted(match_ids(q).values(), key=lambda i: int(i.lstrip("m")))

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> dict[str, str] | None:
        """Real prompt id -> chosen match text; prompts left blank are left out."""
        return real_pairs(raw, self.ids_for(q, ids), "prompt", "match", _PAIR_ERRORS)

    def public_response(self, q: QuestionRecord, value: object, ids: AnswerIds | None) -> object:
        """Public prompt id -> public match id."""
        if not isinstance(value, dict):
            return value
        ids = self.ids_for(q, ids)
        return {ids.public("prompt", p): ids.public("match", m) for p, m in value.items()}

    def grade(self, q: QuestionRecord, response: object) -> float:
        """The share of prompts given their own match."""
        if not isinstance(response, dict) or not q.pairs:
            return 0.0
        right = sum(1 for p in q.pairs if response.get(p.id) == p.match)
        return right / len(q.pairs)

    def random_guess(self, q: QuestionRecord) -> float:
        """Each prompt is right with probability 1/(number of offered matches)."""
        offered = len(set(offered_matches(q)))
        return 1.0 / offered if offered else 0.0

    def correct_response(self, q: QuestionRecord) -> dict[str, str]:
        """Each prompt id with its match."""
        return {p.id: p.match for p in q.pairs}


TYPE = Matching()
