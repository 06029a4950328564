"""Bulk actions on the question list: send for review, retire, move to another bank, add
or remove a tag, for questions a trainer selected in one bank.

Every selected question is checked on its own (it must be in the bank the list showed,
and the action must be open to it now); the ones that pass are changed together in one
transaction, the others are listed with the reason. A tag change is a content change:
each question gets a new version with the tag added or removed, which follows the review
rule like an edit in the editor (a published question stays live at its approved version
until the change is approved).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import select

from app.analytics import questions as question_views
from app.domain import review as rules
from app.errors import InvalidInput, PermissionDenied
from app.extensions import db
from app.models import Bank, Question, QuestionVersion, Role, User, label
from app.services import audit
from app.services.authoring import add_version, get_bank, next_number
from app.services.review import state_of, write_states

ACTIONS = ("submit", "retire", "move", "add_tag", "remove_tag")
MAX_SELECTED = 200
MAX_TAG_LENGTH = 64


@dataclass
class BulkOutcome:
    """What a bulk action did: the keys it changed, and (key, reason) of those it refused."""

    action: str
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    target: Bank | None = None
    tag: str = ""


def may_edit_bank(actor: User, bank: Bank) -> bool:
    """Whether `actor` may change the bank's questions. Banks have no owners of their own
    yet: every trainer and administrator edits every bank (one place to narrow it)."""
    return actor.has_any_role(Role.TRAINER, Role.ADMIN)


def editable_banks(actor: User) -> list[Bank]:
    """The banks `actor` may edit, by title (the targets of a move)."""
    banks = db.session.scalars(select(Bank).order_by(Bank.title, Bank.code))
    return [bank for bank in banks if may_edit_bank(actor, bank)]


def clean_tag(raw: str) -> str:
    """A tag as stored: trimmed, inner spaces kept single; refused when empty, too long or
    holding control characters."""
    tag = " ".join(raw.split())
    if not tag:
        raise InvalidInput(_("Give the tag to add or remove."))
    if len(tag) > MAX_TAG_LENGTH:
        raise InvalidInput(_("A tag has at most %(n)d characters.", n=MAX_TAG_LENGTH))
    if any(not ch.isprintable() for ch in tag):
        raise InvalidInput(_("A tag may not hold control characters."))
    return tag


def apply(
    actor: User,
    bank_id: int,
    question_ids: list[int],
    action: str,
    target_bank_id: int | None = None,
    tag: str = "",
) -> BulkOutcome:
    """Apply one action to the selected questions of a bank, in one transaction."""
    if not actor.has_any_role(Role.TRAINER, Role.ADMIN):
        raise PermissionDenied(_("Only trainers and administrators may edit question banks."))
    bank = get_bank(bank_id)
    if not may_edit_bank(actor, bank):
        raise PermissionDenied(_("You may not edit this bank."))
    if action not in ACTIONS:
        raise InvalidInput(_("Choose an action for the selected questions."))
    ids = list(dict.fromkeys(question_ids))
    if not ids:
        raise InvalidInput(_("Select at least one question."))
    if len(ids) > MAX_SELECTED:
        raise InvalidInput(_("Select at most %(n)d questions at once.", n=MAX_SELECTED))
    outcome = BulkOutcome(action)
    if action == "move":
        outcome.target = _target_bank(actor, bank, target_bank_id)
    if action in ("add_tag", "remove_tag"):
        outcome.tag = clean_tag(tag)
    found = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}
    selected: list[Question] = []
    for qid in ids:
        question = found.get(qid)
        if question is None or question.bank_id != bank.id:
            outcome.refused.append((f"#{qid}", _("Not a question of this bank.")))
        else:
            selected.append(question)
    _APPLY[action](actor, selected, outcome)
    db.session.commit()
    return outcome


def _target_bank(actor: User, bank: Bank, target_bank_id: int | None) -> Bank:
    """The bank to move to: another bank the actor may edit."""
    target = db.session.get(Bank, target_bank_id) if target_bank_id else None
    if target is None:
        raise InvalidInput(_("Choose the bank to move the questions to."))
    if target.id == bank.id:
        raise InvalidInput(_("The questions are already in this bank."))
    if not may_edit_bank(actor, target):
        raise PermissionDenied(_("You may not edit the bank %(code)s.", code=target.code))
    return target


def _workflow(action: str, actor: User, selected: list[Question], outcome: BulkOutcome) -> None:
    """Send for review or retire each question whose state allows it."""
    changes = []
    for question in selected:
        before = state_of(question)
        if action not in rules.actions(before):
            outcome.refused.append((question.key, _workflow_refusal(action, question)))
            continue
        changes.append((question.id, before, rules.after_action(before, action, actor.id)))
        outcome.done.append(question.key)
    write_states(changes)  # one statement; Conflict (nothing written) if one moved meanwhile
    for qid, before, after in changes:
        audit.record(
            actor,
            f"question.{action}",
            "question",
            qid,
            status_was=before.status,
            status=after.status,
            bulk=True,
        )


def _workflow_refusal(action: str, question: Question) -> str:
    """Why the action is not open to the question in its state."""
    status = label(question.status)
    if action == "submit":
        return _("Only a draft can be sent for review; this one is: %(status)s.", status=status)
    return _(
        "Only a draft or a published question can be retired; this one is: %(status)s.",
        status=status,
    )


def _move(actor: User, selected: list[Question], outcome: BulkOutcome) -> None:
    """Move each question that uses no case text of its bank."""
    assert outcome.target is not None
    with_cases = set(
        db.session.scalars(
            select(QuestionVersion.question_id).where(
                QuestionVersion.question_id.in_([q.id for q in selected]),
                QuestionVersion.id.in_(
                    [v for q in selected for v in (q.current_version_id, q.live_version_id) if v]
                ),
                QuestionVersion.scenario_id.is_not(None),
            )
        )
    )
    for question in selected:
        if question.id in with_cases:
            outcome.refused.append(
                (question.key, _("It uses a case text of this bank; move the case text first."))
            )
            continue
        source = question.bank_id
        question.bank_id = outcome.target.id
        outcome.done.append(question.key)
        audit.record(
            actor, "question.moved", "question", question.id, bank_was=source, bank=question.bank_id
        )
    db.session.flush()


def _retag(actor: User, selected: list[Question], outcome: BulkOutcome) -> None:
    """Give each question a new version with the tag added (or removed)."""
    adding = outcome.action == "add_tag"
    changes = []
    for question in selected:
        record = question_views.current_record(question)
        has = outcome.tag in record.tags
        if has == adding:
            reason = _("It already has this tag.") if adding else _("It does not have this tag.")
            outcome.refused.append((question.key, reason))
            continue
        tags = (
            [*record.tags, outcome.tag] if adding else [t for t in record.tags if t != outcome.tag]
        )
        number = next_number(question.id)
        version_id = add_version(actor, question, replace(record, tags=tags), number)
        before = state_of(question)
        changes.append((question.id, before, rules.with_new_version(before, version_id, "draft")))
        outcome.done.append(question.key)
        audit.record(
            actor,
            "question.edited",
            "question",
            question.id,
            version=number,
            status_was=before.status,
            tag_added=outcome.tag if adding else None,
            tag_removed=None if adding else outcome.tag,
            bulk=True,
        )
    write_states(changes)


def _submit(actor: User, selected: list[Question], outcome: BulkOutcome) -> None:
    """Send each draft for review."""
    _workflow("submit", actor, selected, outcome)


def _retire(actor: User, selected: list[Question], outcome: BulkOutcome) -> None:
    """Retire each draft or published question."""
    _workflow("retire", actor, selected, outcome)


_APPLY: dict[str, Callable[[User, list[Question], BulkOutcome], None]] = {
    "submit": _submit,
    "retire": _retire,
    "move": _move,
    "add_tag": _retag,
    "remove_tag": _retag,
}
