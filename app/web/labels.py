"""The reader's words for codes stored as plain strings: question types and levels.

Pages show `row.type|type_label` ("单选题") and `scheme.level|level_label` ("基础级"),
never the stored code ("single_choice", "foundation"). An unknown code shows as it is.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext

from app.domain import question_types
from app.domain.messages import N_

LEVEL_LABELS = {
    "foundation": N_("Foundation"),
    "practitioner": N_("Practitioner"),
    "auditor": N_("Auditor"),
}


def type_label(key: str) -> str:
    """A question type's name in the reader's language."""
    try:
        return gettext(question_types.get(key).label)
    except KeyError:
        return key


def level_label(level: str) -> str:
    """A qualification level's name in the reader's language."""
    return gettext(LEVEL_LABELS[level]) if level in LEVEL_LABELS else level


def install(app: Flask) -> None:
    """Register the template filters."""
    app.jinja_env.filters["type_label"] = type_label
    app.jinja_env.filters["level_label"] = level_label
