"""The reader's language for reference texts (clause, scheme and section titles).

Flask-Babel's locale of the request (`zh`, `zh_Hans`, `zh_CN` …) becomes the content tag
the reference data is keyed by (`zh-Hans`); outside a request, and for a locale the
reference data has no wording in, it is English.
"""

from __future__ import annotations

import flask_babel

from app.domain.wording import SOURCE_LANGUAGE, content_language, in_language
from app.models import Scheme


def reader_language() -> str:
    """The content language of the current locale ("en" outside a request)."""
    locale = flask_babel.get_locale()
    if locale is None:
        return SOURCE_LANGUAGE
    return content_language(locale.language, locale.script)


def section_titles(scheme: Scheme | None, language: str | None = None) -> dict[str, str]:
    """Section id → title of a scheme's blueprint in `language` (default: the reader's)."""
    if scheme is None:
        return {}
    language = language or reader_language()
    return {s.id: in_language(s.title, language) for s in scheme.exam_blueprint.sections}
