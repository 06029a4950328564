"""Classification: sort each item into one of several categories.

The definition lives in `QuestionRecord.data`: `categories` (id and text) and `items`
(id, text and the id of the category it belongs to). Several items may share a category
and a category may hold none. Learners see the items (shuffled) and the categories in
their authored order, under public ids; a response maps public item ids to public
category ids and is stored in real ids. Score: the share of items placed correctly;
a random placement is right with probability 1/(number of categories).

A translation carries the categories' and items' texts by id (`data_texts`: `{"categories":
{id: text}, "items": {id: text}}`); shown in it, the item keeps its ids, key and order.
"""

from __future__ import annotations

import copy
from typing import Any

from app.domain.answer_ids import AnswerIds, Parts
from app.domain.messages import N_, Message, Text, ngettext
from app.domain.question_types.base import (
    PairErrors,
    QuestionType,
    id_problems,
    ordered,
    real_pairs,
    text_problems,
)
from app.domain.records import QuestionRecord

TEXTS: dict[str, Text] = {
    "classification.unused_field": N_(
        "a classification question does not use %(field)s; remove it"
    ),
    "classification.category_without_id": N_("every category needs an id"),
    "classification.repeated_category_ids": N_("category ids must be unique; repeated: %(ids)s"),
    "classification.category_without_text": ngettext(
        "%(num)d category(s) have no text", "%(num)d category(s) have no text"
    ),
    "classification.repeated_categories": N_(
        "each category needs a different text; repeated: %(texts)s"
    ),
    "classification.item_without_id": N_("every item needs an id"),
    "classification.repeated_item_ids": N_("item ids must be unique; repeated: %(ids)s"),
    "classification.item_without_text": ngettext(
        "%(num)d item(s) have no text", "%(num)d item(s) have no text"
    ),
    "classification.repeated_items": N_("each item needs a different text; repeated: %(texts)s"),
    "classification.too_few_categories": N_(
        "a classification question needs at least 2 categories; it has %(categories)s"
    ),
    "classification.too_few_items": N_(
        "a classification question needs at least 2 items; it has %(items)s"
    ),
    "classification.stray_items": N_("these items name no category of the question: %(items)s"),
    # what is wrong with a learner's response (ResponseError)
    "classification.answer_not_pairs": N_(
        "a classification answer pairs item ids with category ids"
    ),
    "classification.no_such_item": N_("there is no item %(id)s in this question"),
    "classification.chosen_category_not_id": N_("each chosen category must be given by its id"),
    "classification.no_such_category": N_("%(id)s is not one of the categories"),
}

_PAIR_ERRORS: PairErrors = (
    Message("classification.answer_not_pairs"),
    lambda public: Message("classification.no_such_item", {"id": public}),
    Message("classification.chosen_category_not_id"),
    lambda public: Message("classification.no_such_category", {"id": public}),
)


def categories(q: QuestionRecord) -> list[dict[str, Any]]:
    """The question's categories, in authored order."""
    return list(q.data.get("categories") or [])


def items(q: QuestionRecord) -> list[dict[str, Any]]:
    """The question's items, each with the id of its category."""
    return list(q.data.get("items") or [])


def _texts(rows: list[Any]) -> dict[str, str]:
    """Id → text of categories or items (rows that are not mappings left out)."""
    return {
        str(row.get("id", "")): str(row.get("text", "")) for row in rows if isinstance(row, dict)
    }


class Classification(QuestionType):
    """Items to sort into two or more categories; partial credit per item."""

    key = "classification"
    sort_order = 80
    label = N_("Classification")
    fields = ("data",)
    data_labels = {"categories": N_("Category %(id)s"), "items": N_("Item %(id)s")}

    def check(self, q: QuestionRecord) -> list[Message]:
        """Two or more categories and items, unique ids and texts, known categories."""
        cats, its = categories(q), items(q)
        problems = id_problems(
            [str(c.get("id", "")) for c in cats],
            Message("classification.category_without_id"),
            lambda ids: Message("classification.repeated_category_ids", {"ids": ids}),
        )
        problems += text_problems(
            [str(c.get("text", "")) for c in cats],
            lambda blank: Message("classification.category_without_text", count=blank),
            lambda texts: Message("classification.repeated_categories", {"texts": texts}),
        )
        problems += id_problems(
            [str(i.get("id", "")) for i in its],
            Message("classification.item_without_id"),
            lambda ids: Message("classification.repeated_item_ids", {"ids": ids}),
        )
        problems += text_problems(
            [str(i.get("text", "")) for i in its],
            lambda blank: Message("classification.item_without_text", count=blank),
            lambda texts: Message("classification.repeated_items", {"texts": texts}),
        )
        if len(cats) < 2:
            problems.append(Message("classification.too_few_categories", {"categories": len(cats)}))
        if len(its) < 2:
            problems.append(Message("classification.too_few_items", {"items": len(its)}))
        known = {c.get("id") for c in cats}
        strays = sorted(str(i.get("id")) for i in its if i.get("category") not in known)
        if strays:
            problems.append(Message("classification.stray_items", {"items": ", ".join(strays)}))
        unknown = sorted(set(q.data) - {"categories", "items"})
        if unknown:
            problems.append(self.unused_field(", ".join(unknown)))
        return problems

    def unused_field(self, field: str) -> Message:
        """A classification question does not use `field` (or these fields, joined)."""
        return Message("classification.unused_field", {"field": field})

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

    def data_texts(self, q: QuestionRecord) -> dict[str, dict[str, str]]:
        """The categories' and the items' texts, by id."""
        return {
            "categories": _texts(categories(q)),
            "items": _texts(items(q)),
        }

    def translated_data(
        self, q: QuestionRecord, texts: dict[str, dict[str, str]]
    ) -> dict[str, Any]:
        """The categories and items with the given texts; ids and each item's category
        stay the source's."""
        data = copy.deepcopy(q.data)
        for group in ("categories", "items"):
            given = texts.get(group) or {}
            for row in data.get(group) or []:
                if isinstance(row, dict) and str(row.get("id", "")) in given:
                    row["text"] = given[str(row.get("id", ""))]
        return data

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
