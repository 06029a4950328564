"""Read-only queries over translations: for exports, trainers' pages and exam pages.

Pages that show items ask for the translations of the items they show, in the few
languages they need, in one query (never one per item).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import and_, select

from app.domain.records import TranslationRecord
from app.extensions import db
from app.models import (
    Bank,
    Question,
    QuestionTranslation,
    QuestionVersion,
    Scenario,
    ScenarioTranslation,
)

_CHUNK = 5000


def record_of(row: QuestionTranslation | ScenarioTranslation) -> TranslationRecord:
    """A stored translation as a record (its status still to be worked out)."""
    if isinstance(row, QuestionTranslation):
        fields = dict(row.fields or {})
    else:
        fields = {"title": row.title, "text": row.text}
    return TranslationRecord(row.language, row.source_language, row.source_hash, fields)


def of_questions(question_ids: Iterable[int]) -> dict[int, dict[str, TranslationRecord]]:
    """Question id → its translations by language."""
    ids = sorted(set(question_ids))
    found: dict[int, dict[str, TranslationRecord]] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = (
            select(QuestionTranslation)
            .where(QuestionTranslation.question_id.in_(ids[start : start + _CHUNK]))
            .order_by(QuestionTranslation.question_id, QuestionTranslation.language)
        )
        for row in db.session.scalars(stmt):
            found.setdefault(row.question_id, {})[row.language] = record_of(row)
    return found


def of_scenarios(bank_id: int) -> dict[str, dict[str, TranslationRecord]]:
    """Case text key → its translations by language, for one bank."""
    stmt = (
        select(ScenarioTranslation)
        .where(ScenarioTranslation.bank_id == bank_id)
        .order_by(ScenarioTranslation.scenario_key, ScenarioTranslation.language)
    )
    found: dict[str, dict[str, TranslationRecord]] = {}
    for row in db.session.scalars(stmt):
        found.setdefault(row.scenario_key, {})[row.language] = record_of(row)
    return found


class Shown(NamedTuple):
    """What a page needs to show one question version in other languages."""

    source_language: str  # its bank's language
    translations: dict[str, TranslationRecord]  # of the languages asked for
    case_translations: dict[str, TranslationRecord]  # its case text's, likewise


def for_versions(version_ids: Iterable[int], languages: Iterable[str]) -> dict[int, Shown]:
    """Version id → its source language and its own and its case text's translations in
    `languages`; two queries for any number of versions."""
    vids, wanted = sorted(set(version_ids)), sorted(set(languages))
    if not vids:
        return {}
    stmt = (
        select(
            QuestionVersion.id, Bank.language, Scenario.key, Question.bank_id, QuestionTranslation
        )
        .join(Question, Question.id == QuestionVersion.question_id)
        .join(Bank, Bank.id == Question.bank_id)
        .outerjoin(Scenario, Scenario.id == QuestionVersion.scenario_id)
        .outerjoin(
            QuestionTranslation,
            and_(
                QuestionTranslation.question_id == Question.id,
                QuestionTranslation.language.in_(wanted),
            ),
        )
        .where(QuestionVersion.id.in_(vids))
    )
    shown: dict[int, Shown] = {}
    cases: dict[int, tuple[int, str]] = {}
    for vid, language, case, bank_id, row in db.session.execute(stmt):
        entry = shown.setdefault(vid, Shown(language, {}, {}))
        if row is not None:
            entry.translations[row.language] = record_of(row)
        if case is not None:
            cases[vid] = (bank_id, case)
    if cases and wanted:
        _add_case_translations(shown, cases, wanted)
    return shown


def _add_case_translations(
    shown: dict[int, Shown], cases: dict[int, tuple[int, str]], languages: list[str]
) -> None:
    """Fill in the case texts' translations of the versions that have a case text."""
    banks = sorted({bank for bank, _key in cases.values()})
    keys = sorted({key for _bank, key in cases.values()})
    stmt = select(ScenarioTranslation).where(
        ScenarioTranslation.bank_id.in_(banks),
        ScenarioTranslation.scenario_key.in_(keys),
        ScenarioTranslation.language.in_(languages),
    )
    by_case: dict[tuple[int, str], dict[str, TranslationRecord]] = {}
    for row in db.session.scalars(stmt):
        by_case.setdefault((row.bank_id, row.scenario_key), {})[row.language] = record_of(row)
    for vid, case in cases.items():
        shown[vid].case_translations.update(by_case.get(case, {}))


def has_current_translation(language: str) -> bool:
    """Whether some live question has an up-to-date translation into `language` (made
    from its live version's texts, so learners are shown it); one query, which stops at
    the first it finds."""
    found = (
        select(QuestionTranslation.id)
        .join(Question, Question.id == QuestionTranslation.question_id)
        .join(QuestionVersion, QuestionVersion.id == Question.live_version_id)
        .where(
            QuestionTranslation.language == language,
            QuestionTranslation.source_hash == QuestionVersion.source_hash,
        )
        .exists()
    )
    return bool(db.session.scalar(select(found)))


def languages_in_bank(bank_id: int) -> set[str]:
    """Every language some question of the bank has a translation in."""
    stmt = (
        select(QuestionTranslation.language)
        .join(Question, Question.id == QuestionTranslation.question_id)
        .where(Question.bank_id == bank_id)
        .distinct()
    )
    return set(db.session.scalars(stmt))


def hashes_in_bank(bank_id: int, language: str) -> dict[int, str]:
    """Question id → the source hash of its translation into `language`, for the bank's
    questions that have one."""
    stmt = (
        select(QuestionTranslation.question_id, QuestionTranslation.source_hash)
        .join(Question, Question.id == QuestionTranslation.question_id)
        .where(Question.bank_id == bank_id, QuestionTranslation.language == language)
    )
    return {qid: made_from for qid, made_from in db.session.execute(stmt)}


def hashes_of(question_ids: Iterable[int], languages: Iterable[str]) -> dict[int, dict[str, str]]:
    """Question id → language → the source hash its translation was made from, for the
    questions and languages asked for that have one."""
    ids, wanted = sorted(set(question_ids)), sorted(set(languages))
    if not ids or not wanted:
        return {}
    stmt = select(
        QuestionTranslation.question_id,
        QuestionTranslation.language,
        QuestionTranslation.source_hash,
    ).where(QuestionTranslation.question_id.in_(ids), QuestionTranslation.language.in_(wanted))
    found: dict[int, dict[str, str]] = {}
    for qid, language, made_from in db.session.execute(stmt):
        found.setdefault(qid, {})[language] = made_from
    return found


def of_scenario(bank_id: int, key: str) -> dict[str, TranslationRecord]:
    """A case text's translations by language."""
    stmt = select(ScenarioTranslation).where(
        ScenarioTranslation.bank_id == bank_id, ScenarioTranslation.scenario_key == key
    )
    return {row.language: record_of(row) for row in db.session.scalars(stmt)}
