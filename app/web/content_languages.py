"""Content languages in pages: names of language tags, `lang` attributes, and the
interface language as a content tag.

Items show in the language of their translation or in their source language, which may
differ from the page's: each piece of item text carries `lang` when it does, so that
screen readers speak it in the right voice and browsers pick the right fonts.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup, escape

from app.domain.translation import interface_tag


def page_language() -> str:
    """The page's language (the interface locale) as a content tag, e.g. zh-Hans."""
    locale = get_locale()
    return interface_tag(str(locale)) if locale is not None else "en"


def lang_attr(tag: str | None) -> Markup:
    """` lang="…"` for text in `tag` when it differs from the page's language, else
    nothing."""
    if not tag or tag == page_language():
        return Markup("")
    return Markup(' lang="%s"') % escape(tag)


def language_name(tag: str | None) -> str:
    """A language tag's name in the reader's language ("Chinese (Simplified)", "英语")."""
    if not tag:
        return ""
    reader = get_locale() or Locale("en")
    try:
        name = Locale.parse(tag.replace("-", "_")).get_display_name(reader)
    except (UnknownLocaleError, ValueError):
        return tag
    if name and reader.language == "zh":  # Babel writes "中文 (简体)"; CLDR's zh pattern
        name = name.replace(" (", "（").replace(")", "）")  # is {0}（{1}）
    return name or tag


def install(app: Flask) -> None:
    """Register the template filters."""
    app.jinja_env.filters["lang_attr"] = lang_attr
    app.jinja_env.filters["language_name"] = language_name
