"""Answering, flagging, submitting and expiring attempts.

Rules: only the owner touches an attempt (anyone else gets NotFound); nothing is
accepted after the deadline, which the server enforces; submitting twice never scores
twice — the first submit wins through a conditional UPDATE of the attempt's status.

An answer is stored and scored, or refused: never acknowledged and then left out. The
write is conditional on the attempt being open and in time and the item unchecked, in
the same statement; on PostgreSQL that statement share-locks the attempt and item rows,
so finalising (which updates the attempt) and checking (which updates the item) wait
for a save in flight, and a save waits for them and then sees them. SQLite has one
writer at a time, and each of these starts its transaction with its write.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn, cast

from flask_babel import gettext as _
from sqlalchemy import Exists, Row, bindparam, exists, func, literal, or_, select, update
from sqlalchemy.orm import joinedload

if TYPE_CHECKING:
    from sqlalchemy import CursorResult, Table

from app.domain import localized, question_types
from app.domain.question_types.base import ResponseError
from app.domain.records import QuestionRecord
from app.domain.scoring import ItemScore, certainty_based, score_attempt
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.messages import render
from app.models import (
    SYSTEM,
    Attempt,
    AttemptItem,
    AttemptMode,
    AttemptStatus,
    QuestionVersion,
    Response,
    Scheme,
    User,
)
from app.models.base import UTCDateTime, upsert_insert, utcnow
from app.queries import attempts as attempt_views
from app.queries import banks as bank_queries
from app.queries import translations as translation_queries
from app.services import audit, learning_records, lti_grades


def own_attempt(actor: User, attempt_id: int) -> Attempt:
    """The actor's attempt as stored (writes nothing); NotFound for anyone else's."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != actor.id:
        raise NotFound(_("No such attempt."))
    return attempt


def expire_if_overdue(attempt: Attempt) -> bool:
    """Finalise an open attempt past its deadline as expired; True if this call closed it.

    Called whenever the learner touches an attempt, so an overdue one is closed and
    scored then, without waiting for `flask attempts expire`.
    """
    if attempt.status != AttemptStatus.OPEN or not _overdue(attempt, utcnow()):
        return False
    closed = finalise(attempt.id, AttemptStatus.EXPIRED)
    db.session.refresh(attempt)
    return closed


def _overdue(attempt: Attempt | Row, now: datetime) -> bool:
    """True when a timed attempt's deadline has passed."""
    return attempt.deadline_at is not None and now > attempt.deadline_at


def _open_item(actor: User, attempt_id: int, position: int) -> tuple[Attempt, AttemptItem]:
    """An item of the actor's attempt that still accepts answers (an overdue one expires)."""
    attempt = own_attempt(actor, attempt_id)
    expire_if_overdue(attempt)
    if attempt.status != AttemptStatus.OPEN:
        raise Conflict(_("Time is up: this attempt is closed and no longer accepts answers."))
    item = db.session.scalars(
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
        .options(joinedload(AttemptItem.version).load_only(QuestionVersion.content_hash))
    ).first()
    if item is None:
        raise NotFound(_("This attempt has no question %(n)d.", n=position))
    return attempt, item


def _record(item: AttemptItem):
    """The question record an attempt item showed (cached: versions never change)."""
    return bank_queries.record_for_version(item.version_id, item.version.content_hash)


def _open_for_answers() -> Exists:
    """True while the item's attempt is open and in time and the item is unchecked.

    FOR SHARE (PostgreSQL; SQLite ignores it) makes a concurrent submit or check wait
    for this transaction, and makes this one see theirs once they commit.
    """
    now = bindparam("answered_at", type_=UTCDateTime())
    return exists(
        select(AttemptItem.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            AttemptItem.id == bindparam("item_id"),
            AttemptItem.checked_at.is_(None),
            Attempt.status == AttemptStatus.OPEN,
            or_(Attempt.deadline_at.is_(None), Attempt.deadline_at > now),
        )
        .with_for_update(read=True)
    )


def _conditional_upsert(dialect: str):
    """INSERT … SELECT the new response WHERE the item takes answers, ON CONFLICT replace."""
    insert = upsert_insert(dialect)
    table = cast("Table", Response.__table__)
    names = ("item_id", "user_id", "version_id", "value", "confidence", "answered_at", "language")
    row = select(*(bindparam(name, type_=table.c[name].type) for name in names), literal("")).where(
        _open_for_answers()
    )
    stmt = insert(table).from_select([*names, "grader_comment"], row)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.item_id],
        set_={
            name: stmt.excluded[name] for name in ("value", "confidence", "answered_at", "language")
        },
    )
    return stmt.returning(table.c.id)


_UPSERTS = {dialect: _conditional_upsert(dialect) for dialect in ("postgresql", "sqlite")}


def _write_response(
    item: AttemptItem | Row, user_id: int, value: object, confidence: int | None, at: datetime
) -> bool:
    """Insert or replace the item's one response if the item still takes answers; it
    records the language the item shows in."""
    params = {
        "item_id": item.id,
        "user_id": user_id,
        "version_id": item.version_id,
        "value": value,
        "confidence": confidence,
        "answered_at": at,
        "language": item.language,
    }
    dialect = db.session.get_bind().dialect.name
    return db.session.execute(_UPSERTS[dialect], params).first() is not None


# Autosave is the hottest path: one statement, built once, finds the item, its attempt's
# owner, status, deadline and secret, and the version's content hash.
_ANSWERABLE = (
    select(
        Attempt.status,
        Attempt.deadline_at,
        Attempt.answer_secret,
        AttemptItem.id,
        AttemptItem.checked_at,
        AttemptItem.version_id,
        AttemptItem.language,
        QuestionVersion.content_hash,
    )
    .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
    .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
    .where(
        Attempt.id == bindparam("attempt_id"),
        Attempt.user_id == bindparam("user_id"),
        AttemptItem.position == bindparam("position"),
    )
)


def record_answer(
    actor: User, attempt_id: int, position: int, raw: object, confidence: int | None = None
) -> datetime:
    """Save the learner's answer (in the attempt's public ids) to one item; 409 if closed."""
    if confidence is not None and confidence not in (1, 2, 3):
        raise InvalidInput(_("Confidence must be 1, 2 or 3."))
    params = {"attempt_id": attempt_id, "user_id": actor.id, "position": position}
    row = db.session.execute(_ANSWERABLE, params).first()
    if row is None or row.status != AttemptStatus.OPEN or _overdue(row, utcnow()):
        _refuse(actor, attempt_id, position)
    if row.checked_at is not None:
        raise Conflict(_("This answer was already checked and can no longer change."))
    record = bank_queries.record_for_version(row.version_id, row.content_hash)
    ids = question_types.answer_ids(row.answer_secret, position, record)
    try:
        value = question_types.get(record.type).parse_response(record, raw, ids)
    except ResponseError as err:
        raise InvalidInput(render(err.message)) from err
    now = utcnow()
    if not _write_response(row, actor.id, value, confidence, now):
        db.session.rollback()
        _refuse(actor, attempt_id, position)
    db.session.commit()
    return now


def _refuse(actor: User, attempt_id: int, position: int) -> NoReturn:
    """Raise the error that says why an item no longer takes answers."""
    _attempt, item = _open_item(actor, attempt_id, position)
    if item.checked_at is not None:
        raise Conflict(_("This answer was already checked and can no longer change."))
    raise Conflict(_("Time is up: this attempt is closed and no longer accepts answers."))


def set_flag(actor: User, attempt_id: int, position: int, flagged: bool) -> None:
    """Mark or unmark an item for review."""
    _attempt, item = _open_item(actor, attempt_id, position)
    item.flagged = flagged
    db.session.commit()


def check_practice_answer(actor: User, attempt_id: int, position: int) -> AttemptItem:
    """Practice only: lock the answer and grade it so the key can be shown at once.

    The lock is taken first, by a conditional update of the item: a save in flight
    either lands before it (and is graded) or is refused after it.
    """
    attempt, item = _open_item(actor, attempt_id, position)
    if attempt.mode == AttemptMode.MOCK:
        raise Conflict(_("Answers in a mock exam are shown after you submit."))
    if (attempt.settings or {}).get("feedback") == "end":
        raise Conflict(_("This set shows its answers after you submit it."))
    if _record(item).id in attempt_views.embargoed_questions(actor.id):
        raise Conflict(
            _(
                "This question is also in a mock exam of yours that is open or not yet "
                "reviewed: its answer is shown once that exam's review opens."
            )
        )
    now = utcnow()
    locked = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(AttemptItem)
            .where(AttemptItem.id == item.id, AttemptItem.checked_at.is_(None))
            .values(checked_at=now)
        ),
    ).rowcount
    if not locked:
        db.session.rollback()
        db.session.refresh(item)
        return item
    record = _record(item)
    response = db.session.scalars(
        select(Response)
        .where(Response.item_id == item.id)
        .execution_options(populate_existing=True)
    ).first()
    if response is None:
        response = Response(
            item_id=item.id, user_id=attempt.user_id, version_id=item.version_id, value=None
        )
        db.session.add(response)
    value = response.value
    if _blank(value):  # nothing to check: unlock (the update above) and say so
        db.session.rollback()
        raise InvalidInput(_("Choose or type an answer before you check it."))
    graded = _as_answered({item.version_id: record}, [(item.version_id, response.language)])
    response.score = question_types.get(record.type).grade(graded[item.version_id], value)
    _mark_repeats(attempt.user_id, [response])
    db.session.commit()
    db.session.refresh(item)
    return item


def _blank(value: Any) -> bool:
    """True for an answer with nothing in it: none, blank text, or only empty parts."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict):
        return all(_blank(part) for part in value.values())
    if isinstance(value, list | tuple):
        return all(_blank(part) for part in value)
    return False


def discard_attempt(actor: User, attempt_id: int) -> Attempt:
    """Close an open practice set, drill or review without scoring it: the answers
    already checked stay (they counted once checked); the others are left out of every
    figure. A mock exam cannot be discarded (its result would be chosen by dropping it)."""
    attempt = mark_discarded(actor, attempt_id)
    db.session.commit()
    db.session.refresh(attempt)
    return attempt


def mark_discarded(actor: User, attempt_id: int) -> Attempt:
    """`discard_attempt` without the commit, for a service that discards an attempt in
    its own transaction (the caller commits); rolls back and raises when refused."""
    attempt = own_attempt(actor, attempt_id)
    if attempt.mode == AttemptMode.MOCK:
        raise Conflict(_("A mock exam cannot be discarded: submit it, or let its time run out."))
    won = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.OPEN)
            .values(status=AttemptStatus.DISCARDED, submitted_at=utcnow())
        ),
    ).rowcount
    if not won:
        db.session.rollback()
        raise Conflict(_("This attempt is already closed."))
    audit.record(actor, "attempt.discarded", "attempt", attempt.id)
    return attempt


def open_attempt_like(actor: User, scheme_code: str, mode: str) -> Attempt | None:
    """The learner's open attempt of the same scheme and mode, if any (after closing it
    when it is past its deadline)."""
    stmt = (
        select(Attempt)
        .join(Scheme, Scheme.id == Attempt.scheme_id)
        .where(
            Attempt.user_id == actor.id,
            Attempt.status == AttemptStatus.OPEN,
            Attempt.mode == AttemptMode(mode),
            Scheme.code == scheme_code,
        )
        .order_by(Attempt.id.desc())
    )
    for attempt in db.session.scalars(stmt).all():
        if not expire_if_overdue(attempt):
            return attempt
    return None


def submit_attempt(actor: User, attempt_id: int) -> Attempt:
    """Finish an attempt and score it; a second submit returns the same result.

    An attempt submitted after its deadline is closed as expired, not submitted.
    """
    attempt = own_attempt(actor, attempt_id)
    expire_if_overdue(attempt)
    if attempt.status == AttemptStatus.OPEN:
        finalise(attempt.id, AttemptStatus.SUBMITTED)
        db.session.refresh(attempt)
    return attempt


def finalise(attempt_id: int, status: str) -> bool:
    """Close and score an open attempt; False if someone else closed it first."""
    now = utcnow()
    won = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt_id, Attempt.status == AttemptStatus.OPEN)
            .values(status=status, submitted_at=now)
        ),
    ).rowcount
    if not won:
        db.session.rollback()
        return False
    attempt = db.session.get_one(Attempt, attempt_id)
    db.session.refresh(attempt)
    items = _score(attempt)
    _mark_repeats(attempt.user_id, [item.response for item in items if item.response])
    audit.record(SYSTEM, f"attempt.{status}", "attempt", attempt.id, score=attempt.score)
    learning_records.attempt_closed(attempt.id)
    db.session.commit()
    lti_grades.scored(attempt)  # an attempt from an LMS link sends its score there
    return True


def rescore(attempt: Attempt) -> None:
    """Score a closed attempt again after a trainer's mark changed (the caller commits)."""
    if attempt.status == AttemptStatus.OPEN:
        raise Conflict(_("An open attempt is scored when it is submitted."))
    db.session.flush()  # the reload in _score must see marks changed in this transaction
    _score(attempt)


def _score(attempt: Attempt) -> list[AttemptItem]:
    """Grade every response and store the attempt's result; returns the items graded."""
    items = attempt_views.attempt_items(attempt)
    records = attempt_views.item_records(items)
    answered = [(i.version_id, i.response.language) for i in items if i.response is not None]
    graded = _as_answered(records, answered)
    clauses = bank_queries.mapped_clauses([item.version_id for item in items])
    cbm = bool(attempt.settings.get("cbm"))
    scores = []
    for item in items:
        record = records[item.version_id]
        fraction = _grade(graded.get(item.version_id, record), item.response)
        if item.response is not None and item.response.graded_by_id is None:
            item.response.score = fraction
        scores.append(
            ItemScore(
                str(item.position),
                item.section,
                tuple(clauses.get(item.version_id, ())),
                record.marks,
                fraction,
            )
        )
    scheme = attempt.scheme
    result = score_attempt(
        scores,
        scheme.exam_blueprint if scheme and attempt.mode == AttemptMode.MOCK else None,
        scheme.pass_mark if scheme and attempt.mode == AttemptMode.MOCK else None,
    )
    attempt.score, attempt.max_score, attempt.passed = result.score, result.max_score, result.passed
    attempt.result = result.to_dict()
    if cbm:
        attempt.result["cbm"] = sum(
            certainty_based(s.fraction, i.response.confidence if i.response else None) or 0
            for s, i in zip(scores, items, strict=True)
        )
    return items


def _mark_repeats(learner_id: int, responses: list[Response]) -> None:
    """Set `seen_before` on responses becoming final: whether the learner has a final
    answer to the same question (any version), from another attempt item, given before.
    Readiness weighs such an answer less, since the key was shown after the first."""
    if not responses:
        return
    db.session.flush()  # the responses have their times and ids
    mine = {r.id for r in responses}
    question_of: dict[int, int] = dict(
        db.session.execute(
            select(QuestionVersion.id, QuestionVersion.question_id).where(
                QuestionVersion.id.in_({r.version_id for r in responses})
            )
        ).all()
    )
    first: dict[int, datetime] = dict(
        db.session.execute(
            select(QuestionVersion.question_id, func.min(Response.answered_at))
            .join(QuestionVersion, QuestionVersion.id == Response.version_id)
            .where(
                Response.user_id == learner_id,
                Response.score.is_not(None),
                Response.id.not_in(mine),
                QuestionVersion.question_id.in_(set(question_of.values())),
            )
            .group_by(QuestionVersion.question_id)
        ).all()
    )
    for response in responses:
        earliest = first.get(question_of[response.version_id])
        response.seen_before = earliest is not None and earliest < response.answered_at


def _as_answered(
    records: dict[int, QuestionRecord], answered: list[tuple[int, str | None]]
) -> dict[int, QuestionRecord]:
    """The records to grade answers by, in the language each was given in: a short answer
    given to a translation accepts that language's answers as well as the source's (see
    `localized.for_answers`). The
    other types grade alike in every language, so only short answers are looked up (one
    query, none without them)."""
    wanted = [
        (vid, language)
        for vid, language in answered
        if language and records[vid].type == "short_answer"
    ]
    if not wanted:
        return records
    shown = translation_queries.for_versions([v for v, _l in wanted], {lang for _v, lang in wanted})
    graded = dict(records)
    for vid, language in wanted:
        info = shown.get(vid)
        if info is not None:
            graded[vid] = localized.for_answers(
                records[vid], info.source_language, language, info.translations
            )
    return graded


def switch_language(actor: User, attempt_id: int, position: int) -> str:
    """Practice: show an item in the attempt's other language (the source language of a
    translated item, or the translation of one in its source); the language it shows in
    now. Refused in mock exams, which keep one language."""
    attempt, item = _open_item(actor, attempt_id, position)
    if attempt.mode == AttemptMode.MOCK:
        raise Conflict(_("A mock exam keeps the language it was started in."))
    view = next(
        v for v in attempt_views.item_views(attempt, reveal=False) if v.position == position
    )
    if view.toggle is None:
        raise Conflict(_("This question is not available in another language."))
    item.language = view.toggle
    db.session.commit()
    return view.toggle


def _grade(record, response: Response | None) -> float | None:
    """The fraction earned: a trainer's mark wins; unanswered scores 0; essays wait."""
    if response is None or response.value is None:
        return 0.0
    if response.graded_by_id is not None:
        return response.score
    return question_types.get(record.type).grade(record, response.value)


def expire_overdue(now: datetime | None = None) -> int:
    """Finalise every open attempt whose deadline has passed; returns how many (cron-safe)."""
    now = now or utcnow()
    ids = list(
        db.session.scalars(
            select(Attempt.id).where(
                Attempt.status == AttemptStatus.OPEN, Attempt.deadline_at < now
            )
        )
    )
    return sum(finalise(attempt_id, AttemptStatus.EXPIRED) for attempt_id in ids)
