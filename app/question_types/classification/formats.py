"""Classification in the file formats: native YAML/JSON and QTI 2.1.

GIFT, Aiken, Moodle XML and the spreadsheet columns have no hook here, so their writers
list classification questions as skipped ("cannot express") and their readers never
produce one. QTI holds it as a marked matchInteraction (see the QTI section below).

Native shape::

    categories: [{id: inc, text: Incident}, {id: req, text: Service request}]
    items: [{id: i1, text: Printer is down, category: inc}, ...]
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats.native_fields import FieldReader
from app.formats.native_lines import Path
from app.formats.qti_interactions import (
    ItemParts,
    PairMessages,
    QtiHooks,
    match_sets,
    read_pairs,
)
from app.formats.qti_model import ItemReader
from app.formats.qti_write import declaration, set_inline
from app.formats.type_formats import TypeFormats
from app.formats.xml_support import sub

CATEGORY_KEYS = ("id", "text")
ITEM_KEYS = ("id", "text", "category")


def read_native(reader: FieldReader, item: dict, path: Path) -> dict[str, Any]:
    """The categories and items of a native question, reporting what is wrong."""
    data: dict[str, Any] = {}
    for key, allowed in (("categories", CATEGORY_KEYS), ("items", ITEM_KEYS)):
        rows = []
        for row, row_path in reader.records(item, path, key):
            reader.check_keys(row, row_path, allowed)
            rows.append({k: reader.text(row, row_path, k, required=True) or "" for k in allowed})
        if rows:
            data[key] = rows
    return data


def write_native(q: QuestionRecord) -> dict[str, Any]:
    """The categories and items, in the native key order."""
    out: dict[str, Any] = {}
    for key, allowed in (("categories", CATEGORY_KEYS), ("items", ITEM_KEYS)):
        rows = q.data.get(key) or []
        if rows:
            out[key] = [{k: row.get(k, "") for k in allowed} for row in rows]
    return out


# --- QTI 2.1 ------------------------------------------------------------------------

# A matchInteraction: the items in the first simpleMatchSet (each matched once), the
# categories in the second (each any number of times), one directedPair "item category"
# per item as the correct response. Scoring matches the domain's: mapResponse gives each
# item placed right its share of the marks, so the score is the share of items placed
# right. Item and category ids are the choices' identifiers.
#
# How a reader tells it from matching, which writes the same interaction: Clausewise marks
# the interaction with `class="clausewise-classification"` (QTI lets every body element
# carry a class, and other tools ignore it). Only a marked matchInteraction is read as
# classification; any other, such as a matching item or one from another tool, is read as
# matching.

CLASSIFICATION_CLASS = "clausewise-classification"
_PAIRS = PairMessages(
    unknown=lambda value: Message("qti.class_pair_unknown", {"value": value}),
    repeated=lambda choice: Message("qti.class_item_twice", {"choice": choice}),
    missing=lambda choice: Message("qti.class_item_unplaced", {"choice": choice}),
)


def write_qti(q: QuestionRecord) -> ItemParts:
    """Items and categories as two sets, each item's category as a directedPair."""
    its, cats = q.data.get("items") or [], q.data.get("categories") or []
    el = Element("matchInteraction", responseIdentifier="RESPONSE", shuffle="true")
    el.set("maxAssociations", str(len(its)))
    el.set("class", CLASSIFICATION_CLASS)
    item_set, category_set = sub(el, "simpleMatchSet"), sub(el, "simpleMatchSet")
    for item in its:
        choice = sub(item_set, "simpleAssociableChoice", identifier=item["id"], matchMax="1")
        set_inline(choice, item["text"])
    for category in cats:
        # matchMax 0: a category may hold any number of items.
        choice = sub(category_set, "simpleAssociableChoice", identifier=category["id"])
        choice.set("matchMax", "0")
        set_inline(choice, category["text"])
    keys = [f"{item['id']} {item['category']}" for item in its]
    mapping = [(value, q.marks / max(len(keys), 1)) for value in keys]
    return ItemParts([el], declaration("multiple", "directedPair", keys, mapping, q.marks), "map")


def claims_qti(interaction: Element) -> bool:
    """A matchInteraction Clausewise marked as a classification."""
    return CLASSIFICATION_CLASS in (interaction.get("class") or "").split()


def read_qti(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """Items from the first set, categories from the second, each item's category."""
    q.type = "classification"
    decl = reader.declaration(el, path)
    sets = match_sets(reader, el, path)
    if sets is None:
        return
    its = {i: text for i, text, _, _ in sets[0]}
    cats = {i: text for i, text, _, _ in sets[1]}
    placed = read_pairs(reader, decl, its, cats, _PAIRS) if decl else None
    if placed is None or reader.failed:
        return
    q.data = {
        "categories": [{"id": i, "text": text} for i, text in cats.items()],
        "items": [{"id": i, "text": text, "category": placed[i]} for i, text in its.items()],
    }


QTI = QtiHooks("matchInteraction", write_qti, read_qti, claims=claims_qti)


FORMATS = TypeFormats(
    native_keys=("categories", "items"),
    read_native=read_native,
    write_native=write_native,
    qti=QTI,
)
