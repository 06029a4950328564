"""Reference texts in several languages: clause, scheme and section titles.

The reference data (question_banks/standards, question_banks/schemes) writes each short
title in English and may add `translations: {zh-Hans: {title: …}}`. English is the source
and the fallback: a text missing in the reader's language is shown in English.

A `Wording` is such a title carried through the lower layers without choosing a
language: it is its English text wherever a plain string is expected (sorting, logs,
JSON), and keeps its translations so that the web can show it in the reader's language
at the last moment (`app.localized`). Results cached per process can then hold
wordings and serve readers of every language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SOURCE_LANGUAGE = "en"
# Content languages the reference data may carry besides English (BCP 47 tags).
LANGUAGES = ("zh-Hans",)

# How a list of titles is written inside a sentence, per language.
LIST_SEPARATORS = {SOURCE_LANGUAGE: ", ", "zh-Hans": "、"}

# Language tag → field → text, as the reference files and the rows store them.
Translations = Mapping[str, Mapping[str, Any]]


class Wording(str):
    """A short text that is its English wording and knows its other languages."""

    translations: Mapping[str, str]  # language tag → text

    def __new__(cls, text: str, translations: Mapping[str, str] | None = None) -> Wording:
        made = super().__new__(cls, text)
        made.translations = dict(translations or {})
        return made

    def in_language(self, language: str) -> str:
        """The text in `language`; English when it has no translation there."""
        return self.translations.get(language) or str.__str__(self)


def in_language(text: str, language: str) -> str:
    """A text in `language`: a Wording's translation (or its English), any other as is."""
    return text.in_language(language) if isinstance(text, Wording) else text


def listed(texts: Sequence[str]) -> Wording:
    """Titles written as one list ("A, B"; "甲、乙"), in every language any of them has."""
    languages = {lang for text in texts if isinstance(text, Wording) for lang in text.translations}
    return Wording(
        LIST_SEPARATORS[SOURCE_LANGUAGE].join(map(str.__str__, texts)),
        {
            lang: LIST_SEPARATORS.get(lang, ", ").join(in_language(t, lang) for t in texts)
            for lang in languages
        },
    )


def translated(text: str, translations: Translations | None, field: str, language: str) -> str:
    """`field` of a row in `language`: its translation there, else `text` (English)."""
    fields = (translations or {}).get(language)
    found = fields.get(field) if isinstance(fields, Mapping) else None
    return found if isinstance(found, str) and found else text


def wording(text: str, translations: Translations | None, field: str = "title") -> Wording:
    """A row's `field` as a Wording, from its English text and its stored translations."""
    per_language = {
        language: value
        for language, fields in (translations or {}).items()
        if isinstance(fields, Mapping) and isinstance(value := fields.get(field), str) and value
    }
    return Wording(text, per_language)


def content_language(language: str | None, script: str | None = None) -> str:
    """The content tag for a Babel locale's language and script: zh, zh_Hans and zh_CN
    read Simplified Chinese (zh-Hans); anything without content of its own, English."""
    if language == "zh" and script in (None, "Hans"):
        return "zh-Hans"
    tag = f"{language}-{script}" if script else str(language)
    return tag if tag in LANGUAGES else SOURCE_LANGUAGE
