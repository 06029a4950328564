"""Web parts of classification: a category chosen per item; the editor's two lists."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from app.web.question_type_parts import TypeWeb

SEPARATOR = "=>"


def read_answer(form: MultiDict) -> dict[str, str]:
    """Public item id -> chosen public category id, for the items given a category."""
    return {
        name.removeprefix("category-"): value
        for name, value in form.items()
        if name.startswith("category-") and value
    }


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def read_editor(form: MultiDict) -> dict[str, Any]:
    """Categories (one per line) and items (`item text => category text`, one per line).

    Ids are numbered in the order written (c1…, i1…). An item whose category is not
    listed keeps the text it names as its category, which validation reports.
    """
    names = _lines(form.get("classification-categories"))
    ids = {name.casefold(): f"c{n}" for n, name in enumerate(names, start=1)}
    found = []
    for n, line in enumerate(_lines(form.get("classification-items")), start=1):
        text, _arrow, category = line.partition(SEPARATOR)
        category = category.strip()
        found.append(
            {
                "id": f"i{n}",
                "text": text.strip(),
                "category": ids.get(category.casefold(), category),
            }
        )
    cats = [{"id": f"c{n}", "text": name} for n, name in enumerate(names, start=1)]
    return {k: v for k, v in (("categories", cats), ("items", found)) if v}


def editor_values(record: Any) -> dict[str, str]:
    """The two editor lists for a stored question."""
    cats = record.data.get("categories") or []
    text = {c["id"]: c["text"] for c in cats}
    its = record.data.get("items") or []
    return {
        "classification-categories": "\n".join(c["text"] for c in cats),
        "classification-items": "\n".join(
            f"{i['text']} {SEPARATOR} {text.get(i['category'], i['category'])}" for i in its
        ),
    }


WEB = TypeWeb(read_answer=read_answer, read_editor=read_editor, editor_values=editor_values)
