"""Trainers write the translations of questions and case texts in the side-by-side editor.

A translation saved here is made from the source texts as they stand, so it is stored
with their hash and is *current* (app.domain.translation). It must fit its source as an
imported current translation must: every text the source has, under the source's ids,
none empty (`translation.problems`); anything else is refused whole, writing nothing.
A save is one transaction with its audit event, and saving what is stored already
writes nothing unless the translation was stale (saving it then confirms it current).

Two checks keep a save from silently undoing someone else's work: `made_from` is the
source hash the trainer translated from (the source changed since: Conflict, so nobody
marks current a translation of texts they did not see), and `base` is the digest of the
stored translation the page showed (another trainer saved since: Conflict).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.analytics import questions as question_views
from app.domain import translation
from app.domain.records import ScenarioRecord, TranslationRecord
from app.domain.translation import Finding
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.languages import OFFERED
from app.messages import render
from app.models import (
    Bank,
    QuestionTranslation,
    Scenario,
    ScenarioTranslation,
    User,
    current_scenarios,
)
from app.models.base import utcnow
from app.services import audit
from app.services.authoring import get_bank, get_question
from app.services.bulk_actions import may_edit_bank

MAX_TEXT = 20_000  # characters in one translated text, as in a case text
MAX_TITLE = 200  # characters in a case text's translated title, as in its source


class TranslationInvalid(InvalidInput):
    """The translation does not fit its source; `problems` lists where and why."""

    def __init__(self, problems: list[Finding]) -> None:
        self.problems = problems
        super().__init__("; ".join(render(message) for _place, message in problems))


def fields_digest(fields: dict[str, Any] | None) -> str:
    """What the editor remembers of the stored translation it showed ("" for none)."""
    return translation.digest(fields) if fields is not None else ""


def languages_for(bank: Bank, existing: set[str]) -> list[str]:
    """The languages a bank's items may be translated into here: the offered interface
    languages but the bank's own, and any language a translation already has."""
    offered = {language.tag for language in OFFERED} - {bank.language}
    return sorted(offered | (existing - {bank.language}))


def _check_editor(actor: User, bank: Bank) -> None:
    """Trainers and admins who may edit the bank write its translations."""
    if not may_edit_bank(actor, bank):
        raise PermissionDenied(_("Only trainers and administrators may edit question banks."))


def _check_language(bank: Bank, language: str, existing: set[str]) -> None:
    """The language must be one the bank's items may be translated into."""
    if language not in languages_for(bank, existing):
        raise InvalidInput(
            _(
                "%(language)s is not a language this bank's items can be translated into.",
                language=language,
            )
        )


def _check_lengths(fields: dict[str, Any]) -> None:
    """No translated text may be longer than MAX_TEXT characters."""
    texts: list[Any] = list(fields.values())
    while texts:
        value = texts.pop()
        if isinstance(value, dict):
            texts += value.values()
        elif isinstance(value, list):
            texts += value
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            raise InvalidInput(
                _("A translated text may have at most %(n)d characters.", n=MAX_TEXT)
            )


def _check_seen(now: str, made_from: str | None, stored: str, base: str | None) -> None:
    """Refuse a save made from other source texts, or over a translation saved since."""
    if made_from is not None and made_from != now:
        raise Conflict(
            _(
                "The source texts changed while you were translating, so the translation "
                "was not saved. Your texts are still in the form: compare them with the "
                "source as it is now, then save again."
            )
        )
    if base is not None and base != stored:
        raise _saved_meanwhile()


def _saved_meanwhile() -> Conflict:
    """The refusal of a save over a translation someone else saved meanwhile."""
    return Conflict(
        _(
            "Someone else saved this translation while you were editing it, so yours "
            "was not saved. Your texts are still in the form: compare them with the "
            "stored translation, then save again to replace it."
        )
    )


def save_question_translation(
    actor: User,
    question_id: int,
    language: str,
    fields: dict[str, Any],
    made_from: str | None = None,
    base: str | None = None,
) -> tuple[QuestionTranslation, bool]:
    """Store a question's translation into `language`, made from its current version's
    texts; the row, and whether anything was written."""
    question = get_question(question_id)
    bank = question.bank
    _check_editor(actor, bank)
    stored = db.session.scalars(
        select(QuestionTranslation).where(QuestionTranslation.question_id == question.id)
    ).all()
    by_language = {row.language: row for row in stored}
    _check_language(bank, language, set(by_language))
    record = question_views.current_record(question)
    now = translation.source_hash(record)
    row = by_language.get(language)
    _check_seen(now, made_from, fields_digest(row.fields if row else None), base)
    _check_lengths(fields)
    made = TranslationRecord(language, bank.language, now, fields)
    problems = translation.problems(record, made)
    if problems:
        raise TranslationInvalid(problems)
    if row is not None and row.source_hash == now and dict(row.fields or {}) == fields:
        return row, False
    status_was = "missing" if row is None else translation.status_of(_record_of(row), now)
    values = {"source_language": bank.language, "source_hash": now, "fields": dict(fields)}
    if row is None:
        row = QuestionTranslation(question_id=question.id, language=language)
        db.session.add(row)
        _fill(row, values, actor)
    else:
        _write_over(row, values, actor)
    audit.record(
        actor,
        "question.translated",
        "question",
        question.id,
        language=language,
        status_was=status_was,
        source_hash=now,
    )
    _commit()
    return row, True


def _record_of(row: QuestionTranslation | ScenarioTranslation) -> TranslationRecord:
    """A stored row as a record, for its status."""
    return TranslationRecord(row.language, row.source_language, row.source_hash)


def _fill(
    row: QuestionTranslation | ScenarioTranslation, values: dict[str, Any], actor: User
) -> None:
    """Set a new row's values."""
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by_id = actor.id


def _write_over(
    row: QuestionTranslation | ScenarioTranslation, values: dict[str, Any], actor: User
) -> None:
    """Write a stored row's new values unless another save wrote it after this one read
    it (then Conflict): the row is updated only where its `updated_at` is still the one
    read, so of two saves checked against the same stored texts the second finds it
    changed, on PostgreSQL (which makes it wait for the first's commit) and SQLite."""
    model = type(row)
    done = db.session.execute(
        update(model)
        .where(model.id == row.id, model.updated_at == row.updated_at)
        .values(**values, updated_by_id=actor.id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise _saved_meanwhile()
    db.session.expire(row)


def _commit() -> None:
    """Commit; two first saves of the same translation at once: the second is refused."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _saved_meanwhile() from None


def current_scenario(bank_id: int, key: str) -> Scenario:
    """The current revision of one of a bank's case texts."""
    found = db.session.scalars(
        current_scenarios().where(Scenario.bank_id == bank_id, Scenario.key == key)
    ).first()
    if found is None:
        raise NotFound(_("No such scenario in this bank."))
    return found


def save_scenario_translation(
    actor: User,
    bank_id: int,
    key: str,
    language: str,
    title: str,
    text: str,
    made_from: str | None = None,
    base: str | None = None,
) -> tuple[ScenarioTranslation, bool]:
    """Store a case text's translation into `language`, made from its current title and
    text; the row, and whether anything was written."""
    bank = get_bank(bank_id)
    _check_editor(actor, bank)
    scenario = current_scenario(bank.id, key)
    stored = db.session.scalars(
        select(ScenarioTranslation).where(
            ScenarioTranslation.bank_id == bank.id, ScenarioTranslation.scenario_key == key
        )
    ).all()
    by_language = {row.language: row for row in stored}
    _check_language(bank, language, set(by_language))
    now = translation.scenario_hash(ScenarioRecord(key, scenario.title, scenario.text))
    row = by_language.get(language)
    shown = {"title": row.title, "text": row.text} if row is not None else None
    _check_seen(now, made_from, fields_digest(shown), base)
    fields = {"title": title.strip(), "text": text.strip()}
    _check_lengths(fields)
    if len(fields["title"]) > MAX_TITLE:
        raise InvalidInput(_("A title may have at most %(n)d characters.", n=MAX_TITLE))
    made = TranslationRecord(language, bank.language, now, fields)
    problems = translation.scenario_problems(
        ScenarioRecord(key, scenario.title, scenario.text), made
    )
    if problems:
        raise TranslationInvalid(problems)
    if row is not None and row.source_hash == now and shown == fields:
        return row, False
    status_was = "missing" if row is None else translation.status_of(_record_of(row), now)
    values = {"source_language": bank.language, "source_hash": now, **fields}
    if row is None:
        row = ScenarioTranslation(bank_id=bank.id, scenario_key=key, language=language)
        db.session.add(row)
        _fill(row, values, actor)
    else:
        _write_over(row, values, actor)
    audit.record(
        actor,
        "scenario.translated",
        "scenario",
        scenario.id,
        key=key,
        language=language,
        status_was=status_was,
        source_hash=now,
    )
    _commit()
    return row, True
