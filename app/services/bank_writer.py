"""Writing a validated bank record into the database (the caller commits).

New versions are written with bulk Core statements (a handful of round trips for a
whole bank) because imports of tens of thousands of questions must stay fast.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select, update

from app.domain.records import BankRecord, QuestionRecord
from app.extensions import db
from app.models import (
    Bank,
    Clause,
    Edition,
    Question,
    QuestionClause,
    QuestionOption,
    QuestionVersion,
    Scenario,
    User,
)
from app.models.base import utcnow
from app.services.bank_store import content_hash, version_row


def _upsert_bank(actor: User | None, record: BankRecord) -> Bank:
    """The bank row for `record.id`, created or with its metadata refreshed."""
    bank = db.session.scalars(select(Bank).where(Bank.code == record.id)).first()
    if bank is None:
        bank = Bank(code=record.id, created_by_id=actor.id if actor else None)
        db.session.add(bank)
    bank.title = record.title or record.id
    bank.language = record.language
    bank.licence = record.licence
    bank.edition = record.edition
    bank.description = record.description
    db.session.flush()
    return bank


def _upsert_scenarios(bank: Bank, record: BankRecord) -> dict[str, int]:
    """Scenario key → id for the bank, after creating or updating the record's scenarios."""
    rows = db.session.scalars(select(Scenario).where(Scenario.bank_id == bank.id))
    existing = {s.key: s for s in rows}
    for item in record.scenarios:
        row = existing.get(item.id)
        if row is None:
            row = Scenario(bank_id=bank.id, key=item.id)
            db.session.add(row)
            existing[item.id] = row
        row.title, row.text = item.title, item.text
    db.session.flush()
    return {key: row.id for key, row in existing.items()}


def clause_ids() -> dict[tuple[str, str], int]:
    """(edition code, clause number) → clause id."""
    stmt = select(Edition.code, Clause.number, Clause.id).join(Clause.edition)
    return {(code, number): cid for code, number, cid in db.session.execute(stmt)}


def _current_versions(bank: Bank) -> dict[str, tuple[int, str, int]]:
    """Question key → (question id, current content hash, current version number)."""
    stmt = (
        select(Question.key, Question.id, QuestionVersion.content_hash, QuestionVersion.number)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank.id)
    )
    return {key: (qid, digest, number) for key, qid, digest, number in db.session.execute(stmt)}


def _insert_questions(bank: Bank, records: list[QuestionRecord], status: str) -> list[int]:
    """Insert identity rows for new questions; their ids in the records' order."""
    if not records:
        return []
    now = utcnow()
    rows = [
        {"bank_id": bank.id, "key": q.id, "status": status, "created_at": now, "updated_at": now}
        for q in records
    ]
    stmt = insert(Question).returning(Question.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))


def _insert_versions(
    todo: list[tuple[QuestionRecord, int, int]],
    scenarios: dict[str, int],
    author: int | None,
) -> None:
    """Insert versions, their options and clause links, and point questions at them."""
    if not todo:
        return
    rows = [
        version_row(q, qid, number, scenarios.get(q.scenario or ""), author)
        for q, qid, number in todo
    ]
    stmt = insert(QuestionVersion).returning(QuestionVersion.id, sort_by_parameter_order=True)
    version_ids = list(db.session.scalars(stmt, rows))
    clauses = clause_ids()
    options: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for (q, _qid, _n), vid in zip(todo, version_ids, strict=True):
        options += [
            {
                "version_id": vid,
                "key": o.id,
                "position": i,
                "text": o.text,
                "correct": o.correct,
                "feedback": o.feedback,
            }
            for i, o in enumerate(q.options)
        ]
        links += [
            {"version_id": vid, "clause_id": clauses[(q.edition, c)]}
            for c in dict.fromkeys(q.clauses)
        ]
    if options:
        db.session.execute(insert(QuestionOption), options)
    if links:
        db.session.execute(insert(QuestionClause), links)
    pointer = (
        update(Question.__table__)
        .where(Question.__table__.c.id == bindparam("qid"))
        .values(current_version_id=bindparam("vid"), updated_at=bindparam("now"))
    )
    now = utcnow()
    db.session.execute(
        pointer,
        [
            {"qid": qid, "vid": vid, "now": now}
            for (_q, qid, _n), vid in zip(todo, version_ids, strict=True)
        ],
    )


def write_bank_records(
    actor: User | None, record: BankRecord, publish: bool
) -> tuple[int, int, int]:
    """Create or update a bank's questions; returns (created, updated, unchanged)."""
    bank = _upsert_bank(actor, record)
    scenarios = _upsert_scenarios(bank, record)
    current = _current_versions(bank)
    new: list[QuestionRecord] = []
    todo: list[tuple[QuestionRecord, int, int]] = []
    unchanged = 0
    for q in record.questions:
        found = current.get(q.id)
        if found is None:
            new.append(q)
        elif found[1] == content_hash(q):
            unchanged += 1
        else:
            todo.append((q, found[0], found[2] + 1))
    updated = len(todo)
    new_ids = _insert_questions(bank, new, "published" if publish else "draft")
    todo += [(q, qid, 1) for q, qid in zip(new, new_ids, strict=True)]
    _insert_versions(todo, scenarios, actor.id if actor else None)
    db.session.expire_all()
    return len(new), updated, unchanged
