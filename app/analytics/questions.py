"""Read-only views for authoring: the filtered question list, one question, the review
queue and scenarios (a question's history: `question_history`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, or_, select
from sqlalchemy.orm import aliased

from app.analytics import translation_states
from app.analytics.question_history import changes_against_live
from app.domain.records import QuestionRecord
from app.domain.version_diff import FieldChange
from app.domain.wording import translated
from app.extensions import db
from app.models import (
    Clause,
    Edition,
    Question,
    QuestionClause,
    QuestionStatus,
    QuestionTranslation,
    QuestionVersion,
)
from app.queries import question_search
from app.queries.banks import current_version_id, version_records
from app.queries.language import reader_language

PAGE_SIZE = 50


@dataclass
class Filters:
    """What a trainer filters the question list by; empty values mean "any"."""

    q: str = ""
    clause: str = ""
    level: str = ""
    type: str = ""
    status: str = ""
    difficulty: int | None = None
    keys: list[str] | None = None  # only these question keys (e.g. flagged by statistics)
    translation: str = ""  # current, stale or missing: how its translation stands…
    language: str = ""  # …into this language (both or neither)


@dataclass
class Row:
    """One line of the question list."""

    id: int
    key: str
    status: str
    type: str
    level: str
    difficulty: int
    title: str
    stem: str
    version: int
    updated_at: datetime
    clauses: list[str] = field(default_factory=list)
    live_version: int | None = None  # the number exams draw, when it is not `version`
    change: list[FieldChange] = field(default_factory=list)  # fields changed since the live one
    translations: dict[str, str] = field(default_factory=dict)  # language → current, stale…


@dataclass
class Page:
    """One page of rows and what is needed to draw the pager."""

    rows: list[Row]
    total: int
    page: int
    pages: int


def _filtered(bank_id: int, f: Filters) -> Select[*tuple[Any, ...]]:
    """(question id, search rank) when searching, else (question id, last change, 0),
    filtered. The
    versions are joined only for a filter on them, so a plain list reads the questions'
    (bank, updated_at, id) index alone; a search without other filters reads the search
    index alone."""
    found = question_search.match(db.engine.dialect.name, f.q, bank_id)
    if found is not None:
        hits = found.ids.subquery("hits")
        if not (f.status or f.keys is not None or f.translation or _version_filters(f)):
            return select(hits.c.id, hits.c.rank)
        stmt: Select[*tuple[Any, ...]] = select(hits.c.id, hits.c.rank).join(
            Question, Question.id == hits.c.id
        )
    else:
        stmt = select(Question.id, Question.updated_at, literal(0.0).label("rank"))
    stmt = stmt.where(Question.bank_id == bank_id)
    if f.status:
        stmt = stmt.where(Question.status == f.status)
    if f.keys is not None:
        stmt = stmt.where(Question.key.in_(f.keys or [""]))
    if f.translation and f.language:
        stmt = stmt.where(_translation_filter(bank_id, f.translation, f.language))
    wanted = _version_filters(f)
    if wanted:
        stmt = stmt.join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        stmt = stmt.where(*wanted)
    return stmt


def _translation_filter(bank_id: int, status: str, language: str) -> ColumnElement[bool]:
    """Questions whose translation into `language` is missing, current or stale."""
    if status == translation_states.MISSING:
        return ~(
            select(QuestionTranslation.id)
            .where(
                QuestionTranslation.question_id == Question.id,
                QuestionTranslation.language == language,
            )
            .exists()
        )
    return Question.id.in_(translation_states.ids_with_status(bank_id, language, status))


def _version_filters(f: Filters) -> list[ColumnElement[bool]]:
    """The conditions on the current version that the filters ask for."""
    wanted = []
    if f.level:
        wanted.append(QuestionVersion.level == f.level)
    if f.type:
        wanted.append(QuestionVersion.type == f.type)
    if f.difficulty:
        wanted.append(QuestionVersion.difficulty == f.difficulty)
    if f.clause.strip():
        clause = f.clause.strip()
        tagged = (
            select(QuestionClause.version_id)
            .join(Clause, Clause.id == QuestionClause.clause_id)
            .where(or_(Clause.number == clause, Clause.number.like(f"{_escape_like(clause)}.%")))
        )
        wanted.append(QuestionVersion.id.in_(tagged))
    return wanted


def _escape_like(text: str) -> str:
    """The text with LIKE wildcards taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def question_page(bank_id: int, f: Filters, page: int = 1, languages: Iterable[str] = ()) -> Page:
    """One page of the bank's questions: best match first (then newest question) when
    searching, else newest change first. The list counts, then picks the page's ids in
    index order; a search picks them and counts in one pass over the matches (a window
    count). Only the page's rows are then read in full, with how their translations into
    `languages` stand."""
    ids = _filtered(bank_id, f).subquery()
    searching = bool(f.q.strip())
    total = None if searching else _count(ids)
    if total is not None:
        page = min(max(1, page), max(1, -(-total // PAGE_SIZE)))
    page = max(1, page)
    picked = _page_ids(ids, searching, page)
    if searching:
        total = picked[0][1] if picked else (_count(ids) if page > 1 else 0)
        if not picked and total:  # past the last page: show the last one
            page = -(-total // PAGE_SIZE)
            picked = _page_ids(ids, searching, page)
    assert total is not None
    order = [row[0] for row in picked]
    stmt = (
        select(Question, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.id.in_(order))
    )
    found = {q.id: (q, v) for q, v in db.session.execute(stmt)}
    rows = _rows([found[qid] for qid in order if qid in found])
    standing = translation_states.statuses([row.id for row in rows], languages)
    for row in rows:
        row.translations = standing.get(row.id, {})
    return Page(rows, total, page, max(1, -(-total // PAGE_SIZE)))


def _count(ids: Any) -> int:
    """How many rows the filtered subquery has."""
    return db.session.scalar(select(func.count()).select_from(ids)) or 0


def _page_ids(ids: Any, searching: bool, page: int) -> list[Any]:
    """(question id[, total]) of one page, in list order."""
    # A search ranks best match first, then newest question; the list is newest change first.
    columns: list[Any] = [ids.c.id]
    if searching:
        order = [ids.c.rank.desc(), ids.c.id.desc()]
        columns.append(func.count().over())
    else:
        order = [ids.c.updated_at.desc(), ids.c.id.desc()]
    stmt = select(*columns).order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return list(db.session.execute(stmt))


def _rows(found: list[Any]) -> list[Row]:
    """List rows from (question, current version) pairs, clauses in one query."""
    clauses = _clauses([v.id for _q, v in found])
    live = _numbers([q.live_version_id for q, _v in found if q.has_pending_change])
    return [
        Row(
            q.id,
            q.key,
            q.status,
            v.type,
            v.level,
            v.difficulty,
            v.title,
            v.stem,
            v.number,
            q.updated_at,
            clauses.get(v.id, []),
            live.get(q.live_version_id) if q.has_pending_change else None,
        )
        for q, v in found
    ]


def _numbers(version_ids: list[int]) -> dict[int, int]:
    """Version id → its number."""
    if not version_ids:
        return {}
    stmt = select(QuestionVersion.id, QuestionVersion.number).where(
        QuestionVersion.id.in_(version_ids)
    )
    return dict(db.session.execute(stmt).all())


def _clauses(version_ids: list[int]) -> dict[int, list[str]]:
    """Version id → clause numbers in document order."""
    stmt = (
        select(QuestionClause.version_id, Clause.number)
        .join(Clause, Clause.id == QuestionClause.clause_id)
        .where(QuestionClause.version_id.in_(version_ids))
        .order_by(Clause.sort_key)
    )
    found: dict[int, list[str]] = {}
    for vid, number in db.session.execute(stmt):
        found.setdefault(vid, []).append(number)
    return found


def clause_choices(
    edition: str = "2018", language: str | None = None
) -> list[tuple[str, str, int]]:
    """(number, title, depth) of every clause of an edition, in document order; titles in
    `language` (default: the reader's)."""
    language = language or reader_language()
    stmt = (
        select(Clause.number, Clause.title, Clause.translations)
        .join(Edition, Edition.id == Clause.edition_id)
        .where(Edition.code == edition)
        .order_by(Clause.sort_key)
    )
    return [
        (n, translated(t, translations, "title", language), n.count("."))
        for n, t, translations in db.session.execute(stmt)
    ]


def current_record(question: Question) -> QuestionRecord:
    """The question's current content as a record."""
    version_id = current_version_id(question)
    return version_records([version_id])[version_id]


def live_record(question: Question) -> QuestionRecord | None:
    """The content of the version exams and practice draw, when a change to it waits for
    review (None otherwise: learners are shown the current version, if any)."""
    version_id = question.live_version_id
    if version_id is None or not question.has_pending_change:
        return None
    return version_records([version_id])[version_id]


def review_queue() -> list[Row]:
    """Questions waiting for review, oldest first; a change to a live question carries
    its diff against the live version."""
    stmt = (
        select(Question, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.status == QuestionStatus.IN_REVIEW)
        .order_by(Question.updated_at)
    )
    found = list(db.session.execute(stmt))
    rows = _rows(found)
    changes = changes_against_live([q for q, _v in found])
    for row in rows:
        row.change = changes.get(row.id, [])
    return rows


def scenario_choices(bank_id: int) -> list[tuple[str, str]]:
    """(key, title) of the bank's case texts (current revisions)."""
    from app.models import Scenario, current_scenarios

    stmt = current_scenarios(Scenario.key, Scenario.title).where(Scenario.bank_id == bank_id)
    return [(k, t) for k, t in db.session.execute(stmt.order_by(Scenario.key))]


def bank_files(bank_id: int) -> list[tuple[str, str, int]]:
    """(name, media type, size in bytes) of the bank's files (images, sounds), by name."""
    from app.models import BankAsset

    stmt = (
        select(BankAsset.name, BankAsset.media_type, BankAsset.size)
        .where(BankAsset.bank_id == bank_id)
        .order_by(BankAsset.name)
    )
    return [(n, t, s) for n, t, s in db.session.execute(stmt)]


def scenario(bank_id: int, key: str) -> tuple[str, str, str] | None:
    """(key, title, text) of the current revision of one case text of the bank."""
    from app.models import Scenario, current_scenarios

    stmt = current_scenarios(Scenario.key, Scenario.title, Scenario.text).where(
        Scenario.bank_id == bank_id, Scenario.key == key
    )
    row = db.session.execute(stmt).first()
    return tuple(row) if row else None


def scenario_rows(bank_id: int) -> list[tuple[str, str, str, int]]:
    """(key, title, text, questions using it) of the bank's case texts: the current
    revision, and the questions whose newest version uses any revision of it."""
    from app.models import Scenario, current_scenarios

    revision = aliased(Scenario)
    used = (
        select(func.count(Question.id))
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .join(revision, revision.id == QuestionVersion.scenario_id)
        .where(revision.bank_id == Scenario.bank_id, revision.key == Scenario.key)
        .scalar_subquery()
    )
    stmt = (
        current_scenarios(Scenario.key, Scenario.title, Scenario.text, used)
        .where(Scenario.bank_id == bank_id)
        .order_by(Scenario.key)
    )
    return [tuple(r) for r in db.session.execute(stmt)]
