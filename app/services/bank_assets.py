"""A bank's files (images, sounds): written by imports, read for export and for views.

Imports write them in the transaction of the questions (`write_assets`, called by the
bank writer). A file is served to whoever may see the questions that show it
(`asset_for`): trainers and administrators see every bank's files, as they see every
bank's questions; a learner sees only the files a live question or its case text shows
in the question itself, or that a question met in one of their attempts shows; the
files of explanations and feedback only once the learner's attempt reveals them (the
answer checked, or the review open), since they may give the answer away.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Text, and_, cast, func, not_, or_, select, union

from app.domain.asset_rename import rename_references
from app.domain.assets import MAX_BANK_ASSET_BYTES, NAME, AssetRecord
from app.domain.records import BankRecord, Location, Problem
from app.errors import NotFound
from app.extensions import db
from app.models import (
    Actor,
    Attempt,
    AttemptItem,
    AttemptStatus,
    Bank,
    BankAsset,
    Question,
    QuestionOption,
    QuestionVersion,
    Role,
    Scenario,
    Scheme,
    current_scenarios,
)
from app.models.base import utcnow
from app.queries.attempts import review_closed


def _no_such_file() -> str:
    return _("There is no such file.")


@dataclass(frozen=True)
class AssetWrite:
    """How many of a file's assets were new, changed or already there."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0


def write_assets(bank: Bank, record: BankRecord) -> AssetWrite:
    """Add the record's files to the bank (files the record lacks stay: other questions may
    show them). A file of a name the bank holds with other bytes replaces that file when
    no other question or case text of the bank shows it; otherwise it is kept beside it
    under a name of its own (`<stem>-<8 hex of its SHA-256>.<ext>`) and the record's
    references follow, so no other question's image changes under it."""
    if not record.assets:
        return AssetWrite()
    existing = _rows(bank.id, [a.name for a in record.assets])
    added = changed = 0
    for index, asset in enumerate(record.assets):
        row = existing.get(asset.name)
        if (
            row is not None
            and row.sha256 != asset.sha256
            and _shown_elsewhere(bank, record, asset.name)
        ):
            kept = _beside(asset)
            rename_references(record, asset.name, kept.name)
            record.assets[index] = asset = kept
            row = _rows(bank.id, [kept.name]).get(kept.name)
        if row is None:
            db.session.add(_row(bank.id, asset))
            added += 1
        elif row.sha256 != asset.sha256:
            row.data, row.size, row.sha256 = asset.data, asset.size, asset.sha256
            row.media_type = asset.media_type
            changed += 1
    db.session.flush()
    return AssetWrite(added, changed, len(record.assets) - added - changed)


def _rows(bank_id: int, names: list[str]) -> dict[str, BankAsset]:
    rows = db.session.scalars(
        select(BankAsset).where(BankAsset.bank_id == bank_id, BankAsset.name.in_(names))
    )
    return {row.name: row for row in rows}


def _beside(asset: AssetRecord) -> AssetRecord:
    """The asset under a name of its own, from its hash."""
    stem, dot, extension = asset.name.rpartition(".")
    base = stem if dot else asset.name
    name = f"{base[:100]}-{asset.sha256[:8]}{dot}{extension if dot else ''}"
    return AssetRecord(name, asset.media_type, asset.data)


def _shown_elsewhere(bank: Bank, record: BankRecord, name: str) -> bool:
    """Whether a question the record does not hold, or a case text it does not, shows
    the file (in any text of its current version)."""
    like = _like(name)
    keys = [q.id for q in record.questions]
    cases = [c.id for c in record.scenarios]
    current = (
        select(QuestionVersion.id)
        .join(Question, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank.id, Question.key.not_in(keys))
    )
    checks = [
        current.where(
            or_(
                like(QuestionVersion.stem),
                like(QuestionVersion.explanation),
                like(cast(QuestionVersion.body, Text)),
            )
        ),
        select(QuestionOption.id).where(
            QuestionOption.version_id.in_(current),
            or_(like(QuestionOption.text), like(QuestionOption.feedback)),
        ),
        current_scenarios(Scenario.id).where(
            Scenario.bank_id == bank.id, Scenario.key.not_in(cases), like(Scenario.text)
        ),
    ]
    return any(db.session.scalar(stmt.limit(1)) is not None for stmt in checks)


def _row(bank_id: int, asset: AssetRecord) -> BankAsset:
    return BankAsset(
        bank_id=bank_id,
        name=asset.name,
        media_type=asset.media_type,
        size=asset.size,
        sha256=asset.sha256,
        data=asset.data,
    )


def size_problems(source: str, record: BankRecord) -> list[Problem]:
    """An error when the bank's files would come to more than a bank may hold."""
    if not record.assets:
        return []
    names = [a.name for a in record.assets]
    kept = db.session.scalar(
        select(func.coalesce(func.sum(BankAsset.size), 0))
        .join(Bank, Bank.id == BankAsset.bank_id)
        .where(Bank.code == record.id, BankAsset.name.not_in(names))
    )
    total = int(kept or 0) + sum(a.size for a in record.assets)
    if total <= MAX_BANK_ASSET_BYTES:
        return []
    message = _(
        "The files of bank '%(bank)s' would come to %(size)s KB, more than the %(limit)s KB "
        "a bank may hold; nothing was imported.",
        bank=record.id,
        size=total // 1024,
        limit=MAX_BANK_ASSET_BYTES // 1024,
    )
    return [Problem(Location(file=source), message)]


def asset_for(actor: Actor, bank_id: int, name: str) -> BankAsset:
    """A bank's file for someone allowed to see it; NotFound otherwise (never saying which)."""
    if not NAME.match(name):
        raise NotFound(_no_such_file())
    row = db.session.scalars(
        select(BankAsset).where(BankAsset.bank_id == bank_id, BankAsset.name == name)
    ).first()
    if row is None:
        raise NotFound(_no_such_file())
    if actor.has_any_role(Role.TRAINER, Role.ADMIN):
        return row
    if actor.has_any_role(Role.LEARNER) and _learner_may_see(actor.id, bank_id, name):
        return row
    raise NotFound(_no_such_file())


# Fields of a version's body a learner sees with the question; the others (true/false
# feedback, model answer, rubric, accepted answers) are key material.
_SHOWN_BODY_FIELDS = ("pairs", "steps", "extra_matches", "data")


def _learner_may_see(user_id: int | None, bank_id: int, name: str) -> bool:
    """Whether the file shows in what a learner may see: the question texts (stem,
    options, case text, a type's own fields) of the bank's live questions and of the
    versions the learner met in an attempt; the explanations and feedback of those the
    learner's attempts have revealed (answer checked, or review open)."""
    if user_id is None:
        return False
    live = (
        select(QuestionVersion.id)
        .join(Question, Question.live_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank_id)
    )
    met = (
        select(AttemptItem.version_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(Attempt.user_id == user_id, Question.bank_id == bank_id)
    )
    revealed = met.outerjoin(Scheme, Scheme.id == Attempt.scheme_id).where(
        or_(
            AttemptItem.checked_at.is_not(None),
            and_(Attempt.status != AttemptStatus.OPEN, not_(review_closed(utcnow()))),
        )
    )
    like = _like(name)
    shown = union(live, met).subquery()
    in_text = [
        select(QuestionVersion.id).where(
            QuestionVersion.id.in_(select(shown)), like(QuestionVersion.stem)
        ),
        select(QuestionOption.id).where(
            QuestionOption.version_id.in_(select(shown)), like(QuestionOption.text)
        ),
        select(Scenario.id)
        .join(QuestionVersion, QuestionVersion.scenario_id == Scenario.id)
        .where(QuestionVersion.id.in_(select(shown)), like(Scenario.text)),
    ]
    in_key = [
        select(QuestionVersion.id).where(
            QuestionVersion.id.in_(revealed), like(QuestionVersion.explanation)
        ),
        select(QuestionOption.id).where(
            QuestionOption.version_id.in_(revealed), like(QuestionOption.feedback)
        ),
    ]
    if any(db.session.scalar(stmt.limit(1)) is not None for stmt in in_text + in_key):
        return True
    return _in_bodies(select(shown), revealed, name, like)


def _in_bodies(shown: Any, revealed: Any, name: str, like: Any) -> bool:
    """Whether the file shows in a type's own fields of a shown version, or anywhere in
    the body of a revealed one (read in Python: the body is JSON)."""
    stmt = select(QuestionVersion.id, QuestionVersion.body).where(
        QuestionVersion.id.in_(shown), like(cast(QuestionVersion.body, Text))
    )
    opened = set(db.session.scalars(revealed))
    reference = f"](asset:{name})"
    for version_id, body in db.session.execute(stmt):
        fields = body if version_id in opened else {k: body.get(k) for k in _SHOWN_BODY_FIELDS}
        if reference in json.dumps(fields, ensure_ascii=False):
            return True
    return False


def _like(name: str) -> Any:
    """A LIKE test for texts that refer to the file `name` (wildcards in it escaped)."""
    escaped = name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
    pattern = f"%](asset:{escaped})%"

    def like(column: Any) -> Any:
        return column.like(pattern, escape="\\")

    return like
