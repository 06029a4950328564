"""How a question's translations stand against its current version, for trainers.

A translation is *current* when it was made from the source texts as they are now and
*stale* when they have changed since; either way learners see it only when it covers
every part of the version they are shown (app.domain.localized.usable).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import localized, translation
from app.domain.records import QuestionRecord
from app.queries import translations as translation_queries


@dataclass(frozen=True)
class TranslationState:
    """One translation of a question as its page shows it."""

    language: str
    status: str  # current or stale
    shown: bool  # learners see it (it covers this version)
    stem: str  # the translated stem ("" if it has none)
    source_hash: str  # what it was made from
    current_hash: str  # what the source texts hash to now


def of_question(question_id: int, record: QuestionRecord) -> list[TranslationState]:
    """The question's translations by language, checked against `record`."""
    now = translation.source_hash(record)
    found = translation_queries.of_questions([question_id]).get(question_id, {})
    return [
        TranslationState(
            language=tag,
            status=translation.status_of(t, now),
            shown=localized.usable(record, t),
            stem=str(t.fields.get("stem", "")),
            source_hash=t.source_hash,
            current_hash=now,
        )
        for tag, t in sorted(found.items())
    ]
