"""Writing a validated bank record into the database (the caller commits)."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.records import BankRecord, QuestionRecord
from app.extensions import db
from app.models import (
    Bank,
    Clause,
    Edition,
    Question,
    QuestionClause,
    QuestionVersion,
    Scenario,
    User,
)
from app.services.bank_store import content_hash, new_version


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
    existing = {
        s.key: s for s in db.session.scalars(select(Scenario).where(Scenario.bank_id == bank.id))
    }
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


def _current_versions(bank: Bank) -> dict[str, tuple[Question, str, int]]:
    """Question key → (question, current content hash, current version number)."""
    stmt = (
        select(Question, QuestionVersion.content_hash, QuestionVersion.number)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank.id)
    )
    return {q.key: (q, digest, number) for q, digest, number in db.session.execute(stmt)}


def _version_for(
    q: QuestionRecord, number: int, scenarios: dict[str, int], clauses: dict[tuple[str, str], int]
) -> QuestionVersion:
    """A new version row for a record, with its clause links."""
    version = new_version(q, number, scenarios.get(q.scenario) if q.scenario else None)
    version.clause_links = [
        QuestionClause(clause_id=clauses[(q.edition, c)]) for c in dict.fromkeys(q.clauses)
    ]
    return version


def write_bank_records(
    actor: User | None, record: BankRecord, publish: bool
) -> tuple[int, int, int]:
    """Create or update a bank's questions; returns (created, updated, unchanged)."""
    bank = _upsert_bank(actor, record)
    scenarios = _upsert_scenarios(bank, record)
    clauses = clause_ids()
    current = _current_versions(bank)
    created = updated = unchanged = 0
    author = actor.id if actor else None
    for q in record.questions:
        found = current.get(q.id)
        if found is not None and found[1] == content_hash(q):
            unchanged += 1
            continue
        if found is None:
            question = Question(key=q.id, bank=bank, status="published" if publish else "draft")
            db.session.add(question)
            number, created = 1, created + 1
        else:
            question, number, updated = found[0], found[2] + 1, updated + 1
        version = _version_for(q, number, scenarios, clauses)
        version.created_by_id = author
        version.question = question
        question.current_version = version
    db.session.flush()
    return created, updated, unchanged
