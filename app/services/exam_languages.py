"""The languages of a new attempt: checking the one chosen, reading the translations of
the items drawn, and the other language practice items may be switched to.

Reads only, for `app.services.attempts`; each costs at most one query per start,
whatever the number of items.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask_babel import gettext as _

from app.errors import InvalidInput
from app.models import AttemptMode
from app.queries import banks as bank_queries
from app.queries import translations as translation_queries


def check_language(language: str, pool: bank_queries.LivePool) -> None:
    """Refuse an exam language no bank is written in and no live question has an
    up-to-date translation into (a language with only stale translations would show
    every item in its source)."""
    if not language or language in set(pool.languages.values()):
        return
    if not translation_queries.has_current_translation(language):
        raise InvalidInput(_("No question is available in that language; choose another."))


def drawn_translations(
    language: str, vids: list[int], pool: bank_queries.LivePool
) -> dict[int, translation_queries.Shown]:
    """The translations into the exam language of the drawn versions whose source is
    another language: one query, none when every item is in that language already."""
    if not language:
        return {}
    foreign = [vid for vid in vids if pool.languages.get(vid) != language]
    return translation_queries.for_versions(foreign, [language]) if foreign else {}


def other_language(
    mode: str,
    language: str,
    interface: str,
    rows: list[dict[str, Any]],
    pool: bank_queries.LivePool,
) -> str | None:
    """Practice: the language items may be switched to, besides the one they show in —
    the source language under a translated exam language, else the interface
    language. Mock exams keep one language."""
    if mode == AttemptMode.MOCK or not rows:
        return None
    sources = Counter(pool.languages.get(row["version_id"], "") for row in rows)
    source = sources.most_common(1)[0][0]
    exam = language or source
    if exam != source:
        return source or None
    return interface if interface and interface != exam else None
