"""Classification: sort each item into one of several categories.

The definition lives in `QuestionRecord.data`: `categories` (id and text) and `items`
(id, text and the id of the category it belongs to). Several items may share a category
and a category may hold none. Learners see the items (shuffled) and the categories in
their authored order, under public ids; a response maps public item ids to public
category ids and is stored in real ids. Score: the share of items placed correctly;
a random placement is right with probability 1/(number of categories).
"""

from __future__ import annotations

from typing import Any

from app.domain.answer_ids import AnswerIds, Parts
from app.domain.question_types.base import (
    QuestionType,
    id_problems,
    ordered,
    real_pairs,
    text_problems,
)
from app.domain.records import QuestionRecord

_PAIR_ERRORS = (
    "a classification answer pairs item ids with category ids",
    "there is no item {value!r} in this question",
    "each chosen category must be given by its id",
    "{value!r} is not one of the categories",
)


def categories(q: QuestionRecord) -> list[dict[str, Any]]:
    """The question's categories, in authored order."""
    return list(q.data.get("categories") or [])


def items(q: QuestionRecord) -> list[dict[str, Any]]:
    """The question's items, each with the id of its category."""
    return list(q.data.get("items") or [])


class Classification(QuestionType):
    """Items to sort into two or more categories; partial credit per item."""

    key = "classification"
    sort_order = 80
    label = "Classification"
    noun = "a classification question"
    fields = ("data",)

    def check(self, q: QuestionRecord) -> list[str]:
        """Two or more categories and items, unique ids and texts, known categories."""
        cats, its = categories(q), items(q)
        problems = id_problems("category", [str(c.get("id", "")) for c in cats])
        problems += text_problems("category", [str(c.get("text", "")) for c in cats])
        problems += id_problems("item", [str(i.get("id", "")) for i in its])
        problems += text_problems("item", [str(i.get("text", "")) for i in its])
        if len(cats) < 2:
            problems.append(f"{self.noun} needs at least 2 categories; it has {len(cats)}")
        if len(its) < 2:
            problems.append(f"{self.noun} needs at least 2 items; it has {len(its)}")
        known = {c.get("id") for c in cats}
        strays = sorted(str(i.get("id")) for i in its if i.get("category") not in known)
        if strays:
            problems.append(f"these items name no category of the question: {', '.join(strays)}")
        unknown = sorted(set(q.data) - {"categories", "items"})
        if unknown:
            problems.append(f"{self.noun} does not use {', '.join(unknown)}; remove it")
        return problems

    def view_fields(self, q: QuestionRecord, order: list[str] | None, ids: AnswerIds) -> dict:
        """The items in display order and the categories, under public ids."""
        text = {i["id"]: i["text"] for i in items(q)}
        return {
            "items": [
                {"id": ids.public("item", i), "text": text[i]}
                for i in ordered(self.shuffle_ids(q), order)
            ],
            "categories": [
                {"id": ids.public("category", c["id"]), "text": c["text"]} for c in categories(q)
            ],
        }

    def parts(self, q: QuestionRecord) -> Parts:
        """The items and the categories."""
        return {"item": [i["id"] for i in items(q)], "category": [c["id"] for c in categories(q)]}

    def shuffle_ids(self, q: QuestionRecord) -> list[str]:
        """Items may be shown in any order."""
        return [i["id"] for i in items(q)]

    def parse_response(
        self, q: QuestionRecord, raw: object, ids: AnswerIds | None = None
    ) -> dict[str, str] | None:
        """Real item id -> real category id; items left blank are left out."""
        return real_pairs(raw, self.ids_for(q, ids), "item", "category", _PAIR_ERRORS)

    def public_response(self, q: QuestionRecord, value: object, ids: AnswerIds | None) -> object:
        """Public item id -> public category id."""
        if not isinstance(value, dict):
            return value
        ids = self.ids_for(q, ids)
        return {ids.public("item", i): ids.public("category", c) for i, c in value.items()}

    def grade(self, q: QuestionRecord, response: object) -> float:
        """The share of items placed in their own category."""
        its = items(q)
        if not isinstance(response, dict) or not its:
            return 0.0
        return sum(1 for i in its if response.get(i["id"]) == i["category"]) / len(its)

    def random_guess(self, q: QuestionRecord) -> float:
        """Each item is right with probability 1/(number of categories)."""
        cats = categories(q)
        return 1.0 / len(cats) if cats else 0.0

    def correct_response(self, q: QuestionRecord) -> dict[str, str]:
        """Each item id with its category id."""
        return {i["id"]: i["category"] for i in items(q)}


TYPE = Classification()
