"""The interface languages Clausewise offers, and how a browser's wishes map onto them.

A language is kept (config `LANGUAGES`, `User.language`, the session) by its Babel locale
id, the name of its folder under app/translations: `en`, `zh_Hans`. Pages name it by its
BCP 47 tag (`<html lang="zh-Hans">`). Every name is written in its own language, so a
reader finds theirs whatever the page's language is. Imports nothing of the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One interface language: its locale id, its BCP 47 tag and its own name."""

    locale: str
    tag: str
    name: str


DEFAULT = "en"
OFFERED = (
    Language("en", "en", "English"),
    Language("zh_Hans", "zh-Hans", "简体中文"),
)
LOCALES = tuple(language.locale for language in OFFERED)
_BY_LOCALE = {language.locale: language for language in OFFERED}

# The primary subtag a browser asks for → the locale that serves it. Every Chinese variant
# is served in Simplified Chinese: zh-TW or zh-HK readers read it far better than English.
_BY_PRIMARY = {"en": "en", "zh": "zh_Hans"}


def is_offered(locale: str | None) -> bool:
    """True for the locale id of an offered language (`en`, `zh_Hans`)."""
    return locale in _BY_LOCALE


def html_tag(locale: object) -> str:
    """The BCP 47 tag of a locale (a Babel Locale or its id): `zh_Hans` → `zh-Hans`."""
    language = _BY_LOCALE.get(str(locale))
    return language.tag if language else str(locale).replace("_", "-")


def from_accept_language(wishes: Iterable[tuple[str, float]]) -> str | None:
    """The offered locale for the browser's wishes (tag, quality), best first; None if
    none of them is offered. `zh`, `zh-CN`, `zh-Hans`, `zh-SG`, `zh-TW`… → `zh_Hans`."""
    for tag, quality in wishes:
        if quality <= 0:
            continue  # "q=0": the browser refuses this language
        primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
        if primary in _BY_PRIMARY:
            return _BY_PRIMARY[primary]
    return None


def from_tag(tag: str) -> str:
    """The offered locale a language tag written by a person names (`zh`, `zh-CN`,
    `zh_Hans`, `EN-gb`…), or the tag unchanged when it names none (for the caller to
    refuse)."""
    return from_accept_language([(tag, 1.0)]) or tag if tag.strip() else tag
