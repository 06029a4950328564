"""Authoring: banks, questions with immutable versions, and the review workflow.

Versions: saving a question whose content changed adds a new version and makes it
current; attempts keep pointing at the version they showed. Saving unchanged content
changes nothing. Every save is kept, so the history shows who changed what and when.

Workflow (rules in `app.domain.review`): draft → in review → published → retired (and
back to draft from review or retirement). Under four eyes (the default), the trainer who
sent a question for review may not approve it; admins may switch on single-trainer mode
for small teams. Editing a published question adds a draft beside it: the published
version stays in exams until the change is approved (or discarded). Every transition is
written to the audit log.
"""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.analytics import questions as question_views
from app.domain import review as rules
from app.domain.records import BankRecord, Location, Problem, QuestionRecord, ScenarioRecord
from app.domain.validation import validate_bank
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.messages import render
from app.models import (
    Actor,
    Bank,
    Question,
    QuestionClause,
    QuestionStatus,
    QuestionVersion,
    Role,
    Scenario,
    Setting,
    User,
    current_scenarios,
)
from app.models.base import utcnow
from app.services import audit
from app.services.bank_import import known_clauses
from app.services.bank_store import content_hash, new_version
from app.services.bank_writer import clause_ids
from app.services.review import SINGLE_TRAINER, single_trainer_mode, state_of, write_states


class ValidationFailed(InvalidInput):
    """The question cannot be saved; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(render(p.message) for p in problems))


def _require_trainer(actor: Actor) -> Actor:
    """Trainers and admins (and the operator, SYSTEM) author; anyone else is refused."""
    if not actor.has_any_role(Role.TRAINER, Role.ADMIN):
        raise PermissionDenied(_("Only trainers and administrators may edit question banks."))
    return actor


# --- settings -------------------------------------------------------------------------------


def set_single_trainer_mode(actor: User, enabled: bool) -> None:
    """Admins only: allow or forbid approving one's own questions."""
    if not actor.has_any_role(Role.ADMIN):
        raise PermissionDenied(_("Only administrators change the review rule."))
    setting = db.session.get(Setting, SINGLE_TRAINER)
    if setting is None:
        setting = Setting(key=SINGLE_TRAINER, value=False)
        db.session.add(setting)
    setting.value = bool(enabled)
    setting.updated_by_id = actor.id
    audit.record(actor, "settings.changed", "setting", SINGLE_TRAINER, value=bool(enabled))
    db.session.commit()


# --- banks ----------------------------------------------------------------------------------


def save_bank(
    actor: User,
    code: str,
    title: str,
    description: str = "",
    licence: str = "",
    bank_id: int | None = None,
) -> Bank:
    """Create a bank, or change an existing bank's title, description and licence."""
    _require_trainer(actor)
    problems = validate_bank(BankRecord(id=code, title=title))
    if problems:
        raise InvalidInput(render(problems[0].message))
    if bank_id is None:
        if db.session.scalar(select(Bank.id).where(Bank.code == code)) is not None:
            raise InvalidInput(_("A bank with the code %(code)s already exists.", code=code))
        bank = Bank(code=code, title=title.strip(), created_by_id=actor.id)
        db.session.add(bank)
    else:
        bank = get_bank(bank_id)
    bank.title, bank.description, bank.licence = title.strip(), description.strip(), licence
    db.session.flush()
    audit.record(actor, "bank.saved", "bank", bank.id, code=bank.code)
    db.session.commit()
    return bank


def get_bank(bank_id: int) -> Bank:
    """A bank by id."""
    bank = db.session.get(Bank, bank_id)
    if bank is None:
        raise NotFound(_("No such question bank."))
    return bank


def save_scenario(
    actor: User, bank_id: int, key: str, title: str, text: str
) -> tuple[Scenario, int]:
    """Create a case text in a bank, or change one.

    A changed case text is a new revision: the old one is kept for the question versions
    written with it, and each question whose newest version uses it gets a new version
    with the new text, which follows the review rule like any edit (a published question
    stays live with the old text until the change is approved). Returns the current
    revision and how many questions got a new version."""
    _require_trainer(actor)
    bank = get_bank(bank_id)
    title, text = title.strip(), text.strip()
    record = BankRecord(
        id=bank.code, title=bank.title, scenarios=[ScenarioRecord(key, title, text)]
    )
    problems = validate_bank(record)
    if problems:
        raise InvalidInput(render(problems[0].message))
    old = db.session.scalars(
        current_scenarios().where(Scenario.bank_id == bank.id, Scenario.key == key)
    ).first()
    if old is None and db.session.scalar(select(Scenario.id).where(Scenario.key == key)):
        raise InvalidInput(_("Another bank already has a scenario %(key)s.", key=key))
    if old is not None and (old.title, old.text) == (title, text):
        return old, 0
    scenario = Scenario(bank_id=bank.id, key=key, title=title, text=text)
    if old is not None:
        old.superseded_at = utcnow()
        db.session.flush()  # the old row stops being current before the new one is
    db.session.add(scenario)
    db.session.flush()
    revised = _revise_users_of(actor, old) if old is not None else 0
    audit.record(
        actor, "scenario.saved", "scenario", scenario.id, key=key, questions_revised=revised
    )
    db.session.commit()
    return scenario, revised


def _revise_users_of(actor: User, old: Scenario) -> int:
    """Give every question whose newest version uses the `old` case text a new version
    with the current one (a draft beside any live version); how many."""
    users = db.session.scalars(
        select(Question)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(QuestionVersion.scenario_id == old.id)
        .order_by(Question.id)
    ).all()
    changes = []
    for question in users:
        record = question_views.current_record(question)
        number = _next_number(question.id)
        version_id = _add_version(actor, question, record, number)
        before = state_of(question)
        changes.append((question.id, before, rules.with_new_version(before, version_id, "draft")))
        audit.record(
            actor, "question.edited", "question", question.id, version=number, case_text=old.key
        )
    write_states(changes)
    return len(changes)


# --- questions ------------------------------------------------------------------------------


def _validate(bank: Bank, record: QuestionRecord) -> None:
    """Every problem with the question as part of its bank, or nothing."""
    scenarios = [
        ScenarioRecord(s.key, s.title or s.key, s.text or s.key)
        for s in db.session.scalars(current_scenarios().where(Scenario.bank_id == bank.id))
    ]
    located = replace(record, location=Location(path=f"question {record.id}"))
    bank_record = BankRecord(id=bank.code, title=bank.title, questions=[located])
    bank_record.scenarios = scenarios
    problems = [p for p in validate_bank(bank_record, known_clauses()) if p.severity == "error"]
    if problems:
        raise ValidationFailed(problems)


def _add_version(actor: User, question: Question, record: QuestionRecord, number: int) -> int:
    """Store the record as a new version of the question, with its clause links; its id."""
    scenario_id = None
    if record.scenario:
        scenario_id = db.session.scalar(
            current_scenarios(Scenario.id).where(
                Scenario.key == record.scenario, Scenario.bank_id == question.bank_id
            )
        )
    version = new_version(record, number, scenario_id)
    version.question_id = question.id
    version.created_by_id = actor.id
    ids = clause_ids()
    missing = [c for c in record.clauses if (record.edition, c) not in ids]
    if missing:  # only when the clause trees were never loaded (`flask setup` loads them)
        raise InvalidInput(_("Clause %(c)s is not in the loaded clause trees.", c=missing[0]))
    version.clause_links = [
        QuestionClause(clause_id=ids[(record.edition, c)]) for c in dict.fromkeys(record.clauses)
    ]
    db.session.add(version)
    db.session.flush()
    return version.id


def check_question(actor: User, bank_id: int, record: QuestionRecord) -> list[Problem]:
    """The problems saving `record` in the bank would meet, writing nothing (the editor's
    live preview): trainers only, and only in a bank that exists."""
    _require_trainer(actor)
    bank = get_bank(bank_id)
    try:
        _validate(bank, record)
    except ValidationFailed as failed:
        return failed.problems
    return []


def save_question(
    actor: User,
    bank_id: int,
    record: QuestionRecord,
    question_id: int | None = None,
    base_version: int | None = None,
) -> tuple[Question, bool]:
    """Create a question (draft, version 1) or save a new version of an existing one.

    Returns the question and whether a new version was written (False when the content
    is unchanged). The whole save is one transaction; invalid content changes nothing.
    `base_version` is the version the editor was opened on: if another version was
    saved since, Conflict is raised and nothing is written (no silent overwrite).
    """
    _require_trainer(actor)
    bank = get_bank(bank_id)
    _validate(bank, record)
    if question_id is None:
        if db.session.scalar(select(Question.id).where(Question.key == record.id)) is not None:
            raise InvalidInput(
                _("The id %(id)s is already used by another question.", id=record.id)
            )
        question = Question(bank_id=bank.id, key=record.id, status=rules.DRAFT)
        db.session.add(question)
        db.session.flush()
        question.current_version_id = _add_version(actor, question, record, 1)
        audit.record(actor, "question.created", "question", question.id, key=record.id)
        db.session.commit()
        return question, True
    question = get_question(question_id)
    if question.bank_id != bank.id:
        raise NotFound(_("No such question in this bank."))
    if record.id != question.key:
        raise InvalidInput(_("A question's id cannot change; create a new question instead."))
    current = question.current_version
    if base_version is not None and current is not None and current.number != base_version:
        raise Conflict(
            _(
                "Version %(n)d of this question was saved while you were editing version "
                "%(base)d, so your changes were not saved. They are still in the form: "
                "compare them with version %(n)d, then save again to replace it.",
                n=current.number,
                base=base_version,
            )
        )
    if current is not None and current.content_hash == content_hash(record):
        return question, False
    number = _next_number(question.id)
    version_id = _add_version(actor, question, record, number)
    before = state_of(question)
    write_states([(question.id, before, rules.with_new_version(before, version_id, "draft"))])
    audit.record(
        actor,
        "question.edited",
        "question",
        question.id,
        version=number,
        status_was=before.status,
        live_version=_number_of(question.live_version_id),
    )
    db.session.commit()
    return question, True


def _next_number(question_id: int) -> int:
    """The number the question's next version gets."""
    stmt = select(func.max(QuestionVersion.number)).where(
        QuestionVersion.question_id == question_id
    )
    return (db.session.scalar(stmt) or 0) + 1


def get_question(question_id: int) -> Question:
    """A question by id."""
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound(_("No such question."))
    return question


def _number_of(version_id: int | None) -> int | None:
    """A version's number (None for no version)."""
    if version_id is None:
        return None
    return db.session.scalar(select(QuestionVersion.number).where(QuestionVersion.id == version_id))


def available_actions(question: Question, actor: User | None = None) -> dict[str, QuestionStatus]:
    """Workflow action → resulting status, for the actions open to the question now (to
    `actor`, when given: under four eyes nobody approves what they sent for review)."""
    actions = rules.actions(state_of(question))
    if actor is not None and _own_request(question, actor):
        actions.pop("approve", None)
    return actions


def _own_request(question: Question, actor: User) -> bool:
    """Whether `actor` sent the question for review, with a second trainer required."""
    return question.review_requested_by_id == actor.id and not single_trainer_mode()


def transition(
    actor: User,
    question_id: int,
    action: str,
    comment: str = "",
    seen_version: int | None = None,
) -> Question:
    """Move a question through the workflow: submit, approve, return, retire, restore,
    or discard a pending change (the live version becomes current again).

    `seen_version` is the version number the actor was shown: when the question has
    moved on since, the action is refused (Conflict), so nobody approves a change they
    did not read. The state is written only if nobody changed it meanwhile."""
    _require_trainer(actor)
    question = get_question(question_id)
    current_number = _number_of(question.current_version_id)
    if seen_version is not None and seen_version != current_number:
        raise Conflict(
            _(
                "This question changed while you were reading it: it is now at version "
                "%(n)d. Read that version, then choose again.",
                n=current_number,
            )
        )
    allowed = available_actions(question)
    if action not in allowed:
        raise Conflict(
            _(
                "A %(status)s question cannot be %(action)s.",
                status=question.status.replace("_", " "),
                action=_ACTION_WORDS.get(action, action),
            )
        )
    if action == "approve" and _own_request(question, actor):
        raise PermissionDenied(
            _("Four eyes: another trainer must approve a question you sent for review.")
        )
    if action == "return" and not comment.strip():
        raise InvalidInput(_("Say what needs to change when you return a question."))
    before = state_of(question)
    write_states([(question.id, before, rules.after_action(before, action, actor.id))])
    audit.record(
        actor,
        f"question.{action}",
        "question",
        question.id,
        status_was=before.status,
        status=question.status,
        version=_number_of(question.current_version_id),
        comment=comment.strip(),
    )
    db.session.commit()
    return question


_ACTION_WORDS = {
    "submit": "sent for review",
    "approve": "approved",
    "return": "returned to draft",
    "retire": "retired",
    "restore": "restored",
    "discard": "discarded",
}
