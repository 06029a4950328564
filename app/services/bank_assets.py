"""A bank's files (images, sounds): written by imports, read for export and for views.

Imports write them in the transaction of the questions (`write_assets`, called by the
bank writer). A file is served to whoever may see the questions that show it
(`asset_for`): trainers and administrators see every bank's files, as they see every
bank's questions; a learner sees only the files a live question or its case text shows
in the question itself, not those only an explanation or a feedback shows, since
those may give the answer away before it should be seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Text, cast, func, or_, select

from app.domain.assets import MAX_BANK_ASSET_BYTES, NAME, AssetRecord
from app.domain.records import BankRecord, Location, Problem
from app.errors import NotFound
from app.extensions import db
from app.models import (
    Actor,
    Bank,
    BankAsset,
    Question,
    QuestionOption,
    QuestionVersion,
    Role,
    Scenario,
)


def _NOT_FOUND() -> str:
    return _("There is no such file.")


@dataclass(frozen=True)
class AssetWrite:
    """How many of a file's assets were new, changed or already there."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0


def write_assets(bank: Bank, assets: list[AssetRecord]) -> AssetWrite:
    """Add the record's files to the bank; a file of the same name and other bytes replaces
    the old one (files the record lacks stay: other questions may show them)."""
    if not assets:
        return AssetWrite()
    names = [a.name for a in assets]
    rows = db.session.scalars(
        select(BankAsset).where(BankAsset.bank_id == bank.id, BankAsset.name.in_(names))
    )
    existing = {row.name: row for row in rows}
    added = changed = 0
    for asset in assets:
        row = existing.get(asset.name)
        if row is None:
            db.session.add(_row(bank.id, asset))
            added += 1
        elif row.sha256 != asset.sha256:
            row.data, row.size, row.sha256 = asset.data, asset.size, asset.sha256
            row.media_type = asset.media_type
            changed += 1
    db.session.flush()
    return AssetWrite(added, changed, len(assets) - added - changed)


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
        raise NotFound(_NOT_FOUND())
    row = db.session.scalars(
        select(BankAsset).where(BankAsset.bank_id == bank_id, BankAsset.name == name)
    ).first()
    if row is None:
        raise NotFound(_NOT_FOUND())
    if actor.has_any_role(Role.TRAINER, Role.ADMIN):
        return row
    if actor.has_any_role(Role.LEARNER) and _shown_by_live_question(bank_id, name):
        return row
    raise NotFound(_NOT_FOUND())


def _shown_by_live_question(bank_id: int, name: str) -> bool:
    """Whether a live question of the bank shows the file in its stem, an option, its own
    fields (matching, ordering, …) or the case text it is written with."""
    escaped = name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
    pattern = f"%](asset:{escaped})%"

    def like(column: Any) -> Any:
        return column.like(pattern, escape="\\")

    live = (
        select(QuestionVersion.id)
        .join(Question, Question.live_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank_id)
    )
    in_version = live.where(or_(like(QuestionVersion.stem), like(cast(QuestionVersion.body, Text))))
    in_option = select(QuestionOption.id).where(
        QuestionOption.version_id.in_(live), like(QuestionOption.text)
    )
    in_case = (
        select(Scenario.id)
        .join(QuestionVersion, QuestionVersion.scenario_id == Scenario.id)
        .join(Question, Question.live_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank_id, like(Scenario.text))
    )
    return any(
        db.session.scalar(stmt.limit(1)) is not None for stmt in (in_version, in_option, in_case)
    )
