"""Read-only queries over question banks: records for export, clause filters, coverage."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Sequence
from typing import Any, NamedTuple

from cachetools import LRUCache, cached
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from app.domain import translation
from app.domain.assets import AssetRecord
from app.domain.records import (
    BankRecord,
    HintRecord,
    OptionRecord,
    PairRecord,
    QuestionRecord,
    RubricCriterion,
    ScenarioRecord,
    StepRecord,
)
from app.domain.wording import translated
from app.extensions import db
from app.models import (
    Bank,
    BankAsset,
    Clause,
    ClauseMapping,
    Edition,
    Question,
    QuestionClause,
    QuestionVersion,
    Scenario,
)
from app.queries import translations as translation_queries
from app.queries.language import reader_language


def current_version(question: Question) -> QuestionVersion:
    """A saved question's current version (the column is nullable only to break the
    questions ⇄ versions cycle while a question is first saved)."""
    version = question.current_version
    assert version is not None, f"question {question.key} has no version"
    return version


def current_version_id(question: Question) -> int:
    """The id of a saved question's current version, without loading the version."""
    assert question.current_version_id is not None, f"question {question.key} has no version"
    return question.current_version_id


def _clause_numbers_by_version(version_ids: list[int]) -> dict[int, list[str]]:
    """Version id → its clause numbers, in a few queries."""
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(version_ids), 5000):
        chunk = version_ids[start : start + 5000]
        stmt = (
            select(QuestionClause.version_id, Clause.number)
            .join(Clause, Clause.id == QuestionClause.clause_id)
            .where(QuestionClause.version_id.in_(chunk))
            .order_by(QuestionClause.version_id, Clause.sort_key)
        )
        for vid, number in db.session.execute(stmt):
            found[vid].append(number)
    return found


def bank_record(code: str, statuses: tuple[str, ...] | None = None) -> BankRecord | None:
    """A bank as it stands now (current versions), ready for a format writer."""
    bank = db.session.scalars(select(Bank).where(Bank.code == code)).first()
    if bank is None:
        return None
    stmt = (
        select(Question)
        .where(Question.bank_id == bank.id)
        .options(selectinload(Question.current_version).selectinload(QuestionVersion.options))
        .order_by(Question.id)
    )
    if statuses:
        stmt = stmt.where(Question.status.in_(statuses))
    questions = list(db.session.scalars(stmt))
    scenarios = list(db.session.scalars(select(Scenario).where(Scenario.bank_id == bank.id)))
    scenario_keys: dict[int | None, str] = {s.id: s.key for s in scenarios}  # every revision
    scenarios = [s for s in scenarios if s.superseded_at is None]
    current = [(q.key, current_version(q)) for q in questions]
    clauses = _clause_numbers_by_version([v.id for _, v in current])
    records = [
        record_of(key, v, clauses[v.id], scenario_keys.get(v.scenario_id), bank.id)
        for key, v in current
    ]
    translated = translation_queries.of_questions(q.id for q in questions)
    for question, record in zip(questions, records, strict=True):
        record.translations = translated.get(question.id, {})
        translation.with_statuses(record)
    case_translations = translation_queries.of_scenarios(bank.id)
    cases = [
        ScenarioRecord(s.key, s.title, s.text, case_translations.get(s.key, {})) for s in scenarios
    ]
    for case in cases:
        translation.scenario_with_statuses(case)
    return BankRecord(
        id=bank.code,
        title=bank.title,
        language=bank.language,
        licence=bank.licence,
        edition=bank.edition,
        description=bank.description,
        scenarios=cases,
        questions=records,
        assets=bank_assets(bank.id),
    )


def bank_assets(bank_id: int) -> list[AssetRecord]:
    """Every file of a bank, by name, as records for a format writer."""
    stmt = select(BankAsset).where(BankAsset.bank_id == bank_id).order_by(BankAsset.name)
    return [AssetRecord(r.name, r.media_type, r.data) for r in db.session.scalars(stmt)]


def question_keys_for_clause(number: str, edition: str = "2018") -> list[str]:
    """Keys of questions tagged with a clause or its sub-clauses, including questions
    tagged with clauses of another edition that are mapped to it."""
    target = aliased(Clause)
    in_tree = (target.number == number) | target.number.startswith(number + ".")
    wanted = (
        select(target.id)
        .join(Edition, Edition.id == target.edition_id)
        .where(Edition.code == edition, in_tree)
    )
    mapped = select(ClauseMapping.from_clause_id).where(ClauseMapping.to_clause_id.in_(wanted))
    stmt = (
        select(Question.key)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .join(QuestionClause, QuestionClause.version_id == QuestionVersion.id)
        .where(QuestionClause.clause_id.in_(wanted.union(mapped)))
        .distinct()
        .order_by(Question.key)
    )
    return list(db.session.scalars(stmt))


def published_items() -> list[Any]:
    """Every live question as exam assembly sees it (2011 tags mapped to 2018)."""
    return published_pool()[0]


def _clause_numbers_2018(version_ids: list[int]) -> dict[int, list[str]]:
    """Version id → 2018 clause numbers, mapping other editions' clauses through the table."""
    own = aliased(Clause)
    mapped = aliased(Clause)
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(version_ids), 5000):
        chunk = version_ids[start : start + 5000]
        stmt = (
            select(QuestionClause.version_id, Edition.code, own.number, mapped.number)
            .join(own, own.id == QuestionClause.clause_id)
            .join(Edition, Edition.id == own.edition_id)
            .outerjoin(ClauseMapping, ClauseMapping.from_clause_id == own.id)
            .outerjoin(mapped, mapped.id == ClauseMapping.to_clause_id)
            .where(QuestionClause.version_id.in_(chunk))
        )
        for vid, code, number, target in db.session.execute(stmt):
            value = number if code == "2018" else target
            if value and value not in found[vid]:
                found[vid].append(value)
    return found


def clause_numbers(edition: str = "2018") -> list[str]:
    """Every clause number of an edition, in document order."""
    stmt = (
        select(Clause.number).join(Edition).where(Edition.code == edition).order_by(Clause.sort_key)
    )
    return list(db.session.scalars(stmt))


def version_records(version_ids: list[int]) -> dict[int, QuestionRecord]:
    """Version id → the question record it stores (clauses in their own edition)."""
    stmt = (
        select(QuestionVersion, Question.key, Scenario.key, Question.bank_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .outerjoin(Scenario, Scenario.id == QuestionVersion.scenario_id)
        .where(QuestionVersion.id.in_(version_ids))
        .options(selectinload(QuestionVersion.options))
    )
    clauses = _clause_numbers_by_version(version_ids)
    return {
        version.id: record_of(key, version, clauses[version.id], scenario, bank_id)
        for version, key, scenario, bank_id in db.session.execute(stmt)
    }


def mapped_clauses(version_ids: list[int]) -> dict[int, list[str]]:
    """Version id → its clauses as 2018 numbers (other editions mapped)."""
    return dict(_clause_numbers_2018(version_ids))


def scenarios_by_id(scenario_ids: list[int]) -> dict[int, ScenarioRecord]:
    """Scenario rows as records, by id."""
    stmt = select(Scenario).where(Scenario.id.in_(scenario_ids))
    return {s.id: ScenarioRecord(s.key, s.title, s.text) for s in db.session.scalars(stmt)}


class LivePool(NamedTuple):
    """The published pool as exam assembly draws from it."""

    items: list[Any]  # coverage Items, in question order
    versions: dict[str, int]  # question key → live version id
    hashes: dict[int, str]  # live version id → its content hash (for `records_for_versions`)
    cases: dict[int, ScenarioRecord]  # live version id → its case text, for those with one
    languages: dict[int, str]  # live version id → its source language (its bank's)


# The pool last loaded by this process (one entry: a new fingerprint replaces it; no TTL).
# cachetools' caches are not thread-safe, hence the lock; a load runs outside it.
_POOL_CACHE: LRUCache[Hashable, LivePool] = LRUCache(maxsize=1)
_POOL_LOCK = threading.Lock()


def _pool_fingerprint() -> tuple[Any, ...]:
    """A cheap summary that changes whenever the published pool may have changed.

    Any status change, new version or new question touches `questions.updated_at` or the
    counts; a change to the edition mapping changes its count, and one to a bank's
    language its `updated_at`. One aggregate query.
    """
    mappings = (
        func.count(ClauseMapping.id),
        func.max(ClauseMapping.id),
        func.sum(ClauseMapping.to_clause_id),
    )
    summary = select(
        func.count(Question.id),
        func.max(Question.updated_at),
        func.max(Question.current_version_id),
        func.count(Question.live_version_id),
        *(select(figure).scalar_subquery() for figure in mappings),
        select(func.max(Bank.updated_at)).scalar_subquery(),
    )
    count, updated, latest, live, *mapped = db.session.execute(summary).one()
    return (str(db.engine.url), count, updated, latest, live, *mapped)


def published_pool() -> tuple[list[Any], dict[str, int]]:
    """Live items for assembly, and question key → live (approved) version id."""
    pool = live_pool()
    return pool.items, pool.versions


def live_pool() -> LivePool:
    """The published pool with its live versions' content hashes.

    Loading 50,000 items takes longer than drawing a form from them, so the pool is kept per
    process and reloaded only when `_pool_fingerprint` changes. The fingerprint itself is
    asked at most once per `POOL_RECHECK_SECONDS` (1 s unless configured; 0 asks every
    time): a burst of starts then costs one aggregate query per worker, not one per start,
    and a change to the published pool reaches new attempts within that time, as if they
    had started a moment earlier. Callers must not mutate the pool.
    """
    return _pool_at(_recent_fingerprint())


# The fingerprint last read by this process: (database URL, monotonic time read, value).
_LAST_FINGERPRINT: list[tuple[str, float, tuple[Any, ...]]] = []


def _recent_fingerprint() -> tuple[Any, ...]:
    """`_pool_fingerprint()`, or the one read less than POOL_RECHECK_SECONDS ago for the
    same database."""
    wait = float(current_app.config.get("POOL_RECHECK_SECONDS", 1.0))
    url = str(db.engine.url)
    now = time.monotonic()
    with _POOL_LOCK:
        last = _LAST_FINGERPRINT[0] if _LAST_FINGERPRINT else None
    if last is not None and last[0] == url and 0 <= now - last[1] < wait:
        return last[2]
    fingerprint = _pool_fingerprint()
    with _POOL_LOCK:
        _LAST_FINGERPRINT[:] = [(url, now, fingerprint)]
    return fingerprint


@cached(_POOL_CACHE, lock=_POOL_LOCK)
def _pool_at(fingerprint: tuple[Any, ...]) -> LivePool:
    """The published pool, cached under the fingerprint it was loaded at."""
    return _load_published_pool()


def _load_published_pool() -> LivePool:
    """Live items and their live version ids, straight from the database.

    A question with a change under review is drawn at its live version; one never
    approved, or retired, has no live version and is not drawn.
    """
    from app.domain.coverage import Item

    stmt = (
        select(
            Question.key,
            QuestionVersion.id,
            QuestionVersion.level,
            QuestionVersion.type,
            Scenario.key,
            QuestionVersion.content_hash,
            Scenario.title,
            Scenario.text,
            Bank.language,
        )
        .join(QuestionVersion, Question.live_version_id == QuestionVersion.id)
        .join(Bank, Bank.id == Question.bank_id)
        .outerjoin(Scenario, Scenario.id == QuestionVersion.scenario_id)
        .order_by(Question.id)
    )
    rows = list(db.session.execute(stmt))
    clauses = _clause_numbers_2018([vid for _k, vid, *_ in rows])
    items = [
        Item(key, tuple(clauses.get(vid, ())), level, qtype, scenario)
        for key, vid, level, qtype, scenario, *_rest in rows
    ]
    versions = {key: vid for key, vid, *_ in rows}
    hashes = {vid: content_hash for _k, vid, _l, _t, _s, content_hash, *_ in rows}
    cases = {
        vid: ScenarioRecord(case, title, text)
        for _k, vid, _l, _t, case, _h, title, text, _language in rows
        if case is not None
    }
    languages = {vid: language for _k, vid, *_rest, language in rows}
    return LivePool(items, versions, hashes, cases, languages)


def drill_supply(clauses: Sequence[str], levels: Sequence[str]) -> dict[str, int]:
    """Per clause: how many published items a drill or practice set on it alone can draw."""
    from app.domain.assembly import practice_supply

    return practice_supply(published_pool()[0], clauses, levels)


def clause_titles(edition: str = "2018", language: str | None = None) -> dict[str, str]:
    """Clause number → short title for an edition, in `language` (default: the reader's;
    English where a clause has no title in it)."""
    language = language or reader_language()
    stmt = (
        select(Clause.number, Clause.title, Clause.translations)
        .join(Edition)
        .where(Edition.code == edition)
    )
    return {
        number: translated(title, translations, "title", language)
        for number, title, translations in db.session.execute(stmt)
    }


_RECORDS: OrderedDict[tuple[int, str], QuestionRecord] = OrderedDict()
_RECORDS_MAX = 8192


def records_for_versions(pairs: list[tuple[int, str]]) -> dict[int, QuestionRecord]:
    """Version id → its record, for (version id, content hash) pairs; cached per process.

    Versions never change, and the key carries the content hash, so a reused row id can
    never return other content. Misses are loaded in one batch. Records are shared:
    callers read them (render, parse, grade) and never change them.
    """
    found: dict[int, QuestionRecord] = {}
    missing: dict[int, str] = {}
    for vid, content_hash in pairs:
        record = _RECORDS.get((vid, content_hash))
        if record is None:
            missing[vid] = content_hash
        else:
            _RECORDS.move_to_end((vid, content_hash))
            found[vid] = record
    if missing:
        loaded = version_records(list(missing))
        for vid, record in loaded.items():
            found[vid] = _RECORDS[(vid, missing[vid])] = record
        while len(_RECORDS) > _RECORDS_MAX:
            _RECORDS.popitem(last=False)
    return found


def warm_live_records(pool: LivePool) -> int:
    """Load the records of the pool's live versions into the per-process cache (when at
    most half the cache would hold them), so that the first exams drawn skip the loads;
    how many were loaded."""
    pairs = list(pool.hashes.items())
    if len(pairs) > _RECORDS_MAX // 2:
        return 0
    for start in range(0, len(pairs), 1000):
        records_for_versions(pairs[start : start + 1000])
    return len(pairs)


def record_for_version(version_id: int, content_hash: str) -> QuestionRecord:
    """The content one version stores (see `records_for_versions`)."""
    return records_for_versions([(version_id, content_hash)])[version_id]


def record_of(
    key: str,
    version: QuestionVersion,
    clauses: list[str],
    scenario_key: str | None,
    bank_id: int | None = None,
) -> QuestionRecord:
    """Rebuild the question record a version stores (for export and grading)."""
    body = version.body or {}
    return QuestionRecord(
        id=key,
        bank_id=bank_id,
        type=version.type,
        stem=version.stem,
        level=version.level,
        clauses=clauses,
        edition=version.edition,
        difficulty=version.difficulty,
        cognitive=version.cognitive,
        marks=version.marks,
        title=version.title,
        explanation=version.explanation,
        tags=list(version.tags or []),
        scenario=scenario_key,
        options=[OptionRecord(o.key, o.text, o.correct, o.feedback) for o in version.options],
        answer=body.get("answer"),
        feedback_true=body.get("feedback_true", ""),
        feedback_false=body.get("feedback_false", ""),
        pairs=[PairRecord(**p) for p in body.get("pairs", [])],
        extra_matches=list(body.get("extra_matches", [])),
        steps=[StepRecord(**s) for s in body.get("steps", [])],
        answers=list(body.get("answers", [])),
        rubric=[RubricCriterion(**r) for r in body.get("rubric", [])],
        model_answer=body.get("model_answer", ""),
        data=dict(body.get("data") or {}),
        correct_feedback=body.get("correct_feedback", ""),
        partial_feedback=body.get("partial_feedback", ""),
        incorrect_feedback=body.get("incorrect_feedback", ""),
        hints=[HintRecord(**h) for h in body.get("hints", [])],
    )
