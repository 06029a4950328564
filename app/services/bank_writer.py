"""Writing a validated bank record into the database (the caller commits).

New versions are written with bulk Core statements (a handful of round trips for a
whole bank) because imports of tens of thousands of questions must stay fast. Each new
version goes through the same review rule as the editor (`app.domain.review`): it goes
live only on the "publish" route; otherwise a published question's live version stays
in exams beside it until a reviewer approves the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import aliased

from app.domain.records import BANK_FIELDS, BankRecord, QuestionRecord
from app.domain.review import ReviewState, with_new_version
from app.extensions import db
from app.models import (
    Actor,
    Bank,
    Clause,
    Edition,
    Question,
    QuestionClause,
    QuestionOption,
    QuestionStatus,
    QuestionVersion,
    Scenario,
    current_scenarios,
)
from app.models.base import utcnow
from app.services.bank_assets import write_assets
from app.services.bank_store import content_hash, version_row
from app.services.review import write_states
from app.services.translation_store import (
    write_question_translations,
    write_scenario_translations,
)


@dataclass
class BankWrite:
    """What writing one bank record did (or, in a dry run, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0  # changed questions whose live version stays in exams until approved
    new_bank: bool = False
    # (field, old value, new value) for each metadata field of an existing bank that changed
    bank_changes: list[tuple[str, str, str]] = field(default_factory=list)
    files_added: int = 0  # the bank's files (images, sounds) the import adds or replaces
    files_changed: int = 0
    # Translations added or replaced (of questions and case texts); never new versions.
    translations: int = 0


def _bank_values(record: BankRecord) -> dict[str, str]:
    """The metadata a new bank gets from a record (the title defaults to its id)."""
    values = {name: getattr(record, name) for name in BANK_FIELDS}
    values["title"] = values["title"] or record.id
    return values


def _upsert_bank(actor: Actor, record: BankRecord, outcome: BankWrite) -> Bank:
    """The bank row for `record.id`: created, or changed only in the fields the file gave."""
    bank = db.session.scalars(select(Bank).where(Bank.code == record.id)).first()
    if bank is None:
        bank = Bank(code=record.id, created_by_id=actor.id)
        db.session.add(bank)
        outcome.new_bank = True
        values = _bank_values(record)
    else:
        values = {name: getattr(record, name) for name in BANK_FIELDS if name in record.given}
        outcome.bank_changes = [
            (name, getattr(bank, name), value)
            for name, value in values.items()
            if getattr(bank, name) != value
        ]
    for name, value in values.items():
        setattr(bank, name, value)
    db.session.flush()
    return bank


def _upsert_scenarios(bank: Bank, record: BankRecord) -> dict[str, int]:
    """Case text key → id of its current revision, after adding the record's case texts.
    A changed text becomes a new revision; the old one stays for the versions using it."""
    rows = db.session.scalars(current_scenarios().where(Scenario.bank_id == bank.id))
    existing = {s.key: s for s in rows}
    changed = [
        item
        for item in record.scenarios
        if item.id not in existing
        or (existing[item.id].title, existing[item.id].text) != (item.title, item.text)
    ]
    now = utcnow()
    for item in changed:
        if item.id in existing:
            existing[item.id].superseded_at = now
    db.session.flush()  # old revisions stop being current before the new ones are added
    for item in changed:
        existing[item.id] = Scenario(bank_id=bank.id, key=item.id, title=item.title, text=item.text)
        db.session.add(existing[item.id])
    db.session.flush()
    return {key: row.id for key, row in existing.items()}


def clause_ids() -> dict[tuple[str, str], int]:
    """(edition code, clause number) → clause id."""
    stmt = select(Edition.code, Clause.number, Clause.id).join(Clause.edition)
    return {(code, number): cid for code, number, cid in db.session.execute(stmt)}


@dataclass(frozen=True)
class _Existing:
    """An existing question: its id, review state, current hash, case text revision and
    highest version."""

    id: int
    state: ReviewState
    content_hash: str
    scenario_id: int | None
    last_number: int


def _existing_questions(bank: Bank) -> dict[str, _Existing]:
    """Question key → what the bank already holds for it."""
    older = aliased(QuestionVersion)
    last = select(func.max(older.number)).where(older.question_id == Question.id).scalar_subquery()
    stmt = (
        select(
            Question.key,
            Question.id,
            Question.status,
            Question.current_version_id,
            Question.live_version_id,
            Question.review_requested_by_id,
            QuestionVersion.content_hash,
            QuestionVersion.scenario_id,
            last,
        )
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank.id)
    )
    return {
        key: _Existing(qid, ReviewState(status, current, live, asked), digest, scenario, number)
        for key, qid, status, current, live, asked, digest, scenario, number in db.session.execute(
            stmt
        )
    }


def _insert_questions(bank: Bank, records: list[QuestionRecord]) -> list[int]:
    """Insert identity rows for new questions (drafts until their first version is
    routed); their ids in the records' order."""
    if not records:
        return []
    now = utcnow()
    rows = [
        {
            "bank_id": bank.id,
            "key": q.id,
            "status": QuestionStatus.DRAFT,
            "created_at": now,
            "updated_at": now,
        }
        for q in records
    ]
    stmt = insert(Question).returning(Question.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))


def _insert_versions(
    todo: list[tuple[QuestionRecord, int, int]],
    scenarios: dict[str, int],
    author: int | None,
) -> list[int]:
    """Insert versions with their options and clause links; their ids in `todo` order."""
    if not todo:
        return []
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
    return version_ids


def write_bank_records(actor: Actor, record: BankRecord, route: str) -> BankWrite:
    """Create or update a bank's questions; each new version follows `route` ("draft",
    "review" or "publish", see `app.domain.review`)."""
    outcome = BankWrite()
    bank = _upsert_bank(actor, record, outcome)
    files = write_assets(bank, record)  # may rename the record's references: first
    outcome.files_added, outcome.files_changed = files.added, files.changed
    scenarios = _upsert_scenarios(bank, record)
    existing = _existing_questions(bank)
    new: list[QuestionRecord] = []
    todo: list[tuple[QuestionRecord, int, int]] = []
    before: dict[int, ReviewState] = {}
    for q in record.questions:
        found = existing.get(q.id)
        if found is None:
            new.append(q)
        elif found.content_hash == content_hash(q) and found.scenario_id == scenarios.get(
            q.scenario or ""
        ):
            outcome.unchanged += 1
        else:
            todo.append((q, found.id, found.last_number + 1))
            before[found.id] = found.state
    outcome.created, outcome.updated = len(new), len(todo)
    new_ids = _insert_questions(bank, new)
    todo += [(q, qid, 1) for q, qid in zip(new, new_ids, strict=True)]
    author = actor.id
    version_ids = _insert_versions(todo, scenarios, author)
    changes = []
    for (_q, qid, _n), vid in zip(todo, version_ids, strict=True):
        was = before.get(qid, ReviewState(QuestionStatus.DRAFT, None))
        changes.append((qid, was, with_new_version(was, vid, route, author)))
    write_states(changes)
    outcome.held = sum(1 for qid, _was, state in changes if qid in before and state.pending)
    question_ids = {key: found.id for key, found in existing.items()}
    question_ids |= {q.id: qid for q, qid in zip(new, new_ids, strict=True)}
    outcome.translations = write_question_translations(record, question_ids, author)
    outcome.translations += write_scenario_translations(bank.id, record, author)
    db.session.expire_all()
    return outcome
