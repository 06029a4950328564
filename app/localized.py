"""Reference data in the reader's language, for pages, exports and messages.

Clause, scheme and section titles, scheme descriptions and disclaimers are written in
English with their translations beside them (`app.domain.wording`). Everything that
shows one to a person goes through `localized`:

- a row or mapping with the field and its `translations` (a Clause, Edition or Scheme):
  `localized(scheme, "title")`, in templates `scheme|localized("title")`;
- a `Wording` (a section title from the blueprint, a title carried by analytics):
  `localized(section.title)`, in templates `section.title|localized`;
- any other value comes back as its text.

The language is the request's (Flask-Babel's locale), else the one given; a text with
no wording in that language is shown in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from app.domain.wording import Wording, in_language, translated
from app.queries.language import reader_language, section_titles

__all__ = ["install", "localized", "section_titles"]


def localized(source: Any, field: str | None = None, language: str | None = None) -> str:
    """`source` (or its `field`) in the reader's language, falling back to English."""
    language = language or reader_language()
    if field is None:
        if isinstance(source, str):
            return in_language(source, language)
        return "" if source is None else str(source)
    text = _value(source, field)
    if isinstance(text, Wording):
        return text.in_language(language)
    return translated(
        "" if text is None else str(text), _value(source, "translations"), field, language
    )


def _value(source: Any, name: str) -> Any:
    """A mapping's item or an object's attribute; None when it has none."""
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def install(app: Flask) -> None:
    """Register the `localized` template filter."""
    app.jinja_env.filters["localized"] = localized
