"""Writing the translations of a bank record beside its questions and case texts.

A translation is stored per question (or per case text key) and language, never as a
version: writing one leaves the question's versions, its review state and its
statistics as they are. An import adds and replaces the translations its file carries
and keeps the others (formats that carry none never remove any). The caller commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from app.domain.records import BankRecord, TranslationRecord
from app.extensions import db
from app.models import QuestionTranslation, ScenarioTranslation

_CHUNK = 5000


def _same(row: Any, t: TranslationRecord, fields: dict[str, Any]) -> bool:
    """Whether a stored row already holds this translation."""
    return (row.source_language, row.source_hash) == (t.source_language, t.source_hash) and (
        _row_fields(row) == fields
    )


def _kept(row: Any, t: TranslationRecord, fields: dict[str, Any]) -> bool:
    """A file without a source hash, holding the texts already stored: the stored hash
    (what they were made from) stays, so an edited source leaves them stale."""
    return t.assumed_hash and _row_fields(row) == fields


def _row_fields(row: Any) -> dict[str, Any]:
    """A stored row's translated texts, in the shape of TranslationRecord.fields."""
    if isinstance(row, QuestionTranslation):
        return dict(row.fields or {})
    return {"title": row.title, "text": row.text}


def write_question_translations(
    record: BankRecord, question_ids: dict[str, int], author: int | None
) -> int:
    """Add or replace the record's question translations; how many were written."""
    wanted = {
        (question_ids[q.id], tag): t
        for q in record.questions
        if q.id in question_ids
        for tag, t in q.translations.items()
    }
    if not wanted:
        return 0
    ids = sorted({qid for qid, _tag in wanted})
    stored: dict[tuple[int, str], QuestionTranslation] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = select(QuestionTranslation).where(
            QuestionTranslation.question_id.in_(ids[start : start + _CHUNK])
        )
        stored |= {(row.question_id, row.language): row for row in db.session.scalars(stmt)}
    new: list[dict[str, Any]] = []
    written = 0
    for (qid, tag), t in wanted.items():
        row = stored.get((qid, tag))
        if row is None:
            new.append(_question_row(qid, t, author))
        elif _kept(row, t, t.fields):
            continue
        elif not _same(row, t, t.fields):
            row.source_language, row.source_hash = t.source_language, t.source_hash
            row.fields, row.updated_by_id = dict(t.fields), author
            written += 1
    if new:
        db.session.execute(insert(QuestionTranslation), new)
    db.session.flush()
    return written + len(new)


def _question_row(question_id: int, t: TranslationRecord, author: int | None) -> dict[str, Any]:
    """The column values of a new question translation."""
    return {
        "question_id": question_id,
        "language": t.language,
        "source_language": t.source_language,
        "source_hash": t.source_hash,
        "fields": dict(t.fields),
        "updated_by_id": author,
    }


def write_scenario_translations(bank_id: int, record: BankRecord, author: int | None) -> int:
    """Add or replace the record's case-text translations; how many were written."""
    wanted = {(s.id, tag): t for s in record.scenarios for tag, t in s.translations.items()}
    if not wanted:
        return 0
    stmt = select(ScenarioTranslation).where(ScenarioTranslation.bank_id == bank_id)
    stored = {(row.scenario_key, row.language): row for row in db.session.scalars(stmt)}
    written = 0
    for (key, tag), t in wanted.items():
        texts = {"title": t.fields.get("title", ""), "text": t.fields.get("text", "")}
        row = stored.get((key, tag))
        if row is not None and (_same(row, t, texts) or _kept(row, t, texts)):
            continue
        if row is None:
            row = ScenarioTranslation(bank_id=bank_id, scenario_key=key, language=tag)
            db.session.add(row)
        row.source_language, row.source_hash = t.source_language, t.source_hash
        row.title, row.text, row.updated_by_id = texts["title"], texts["text"], author
        written += 1
    db.session.flush()
    return written
