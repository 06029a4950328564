"""Starting attempts: mock exams, practice sets, clause drills and reviews.

The form is drawn once, stored item by item with the exact question version and the
shuffled option order, so a resumed attempt looks exactly the same.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import Table, func, insert, select

from app.analytics import history, practice_filters
from app.domain import localized, question_types, translation
from app.domain.answer_ids import new_secret, secret_order
from app.domain.assembly import (
    Prepared,
    ShortBank,
    Slot,
    assemble_blueprint,
    assemble_practice,
    prepare_blueprint,
)
from app.domain.blueprint import Blueprint
from app.domain.records import QuestionRecord
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.messages import render
from app.models import Attempt, AttemptItem, AttemptMode, AttemptStatus, Role, Scheme, User
from app.models.base import utcnow
from app.queries import attempts as attempt_views
from app.queries import banks as bank_queries
from app.queries import translations as translation_queries
from app.queries.attempts import ItemView
from app.services import answering, audit, exam_languages, learning_records, tokens

MAX_OPEN_ATTEMPTS = 20
MAX_CLAUSES = 50
CLAUSE = re.compile(r"\d{1,2}(\.\d{1,2}){0,4}", re.ASCII)  # not Arabic-Indic or full-width digits
# Scheme code → the published pool prepared for its blueprint. An entry is used only while
# the pool object it was prepared from is still the cached pool and the blueprint is equal.
_PREPARED: dict[str, tuple[Blueprint, Prepared]] = {}


@dataclass
class StartOptions:
    """What a learner chose when starting an attempt."""

    mode: AttemptMode | str = AttemptMode.MOCK  # a plain string from a form or the API
    clauses: list[str] = field(default_factory=list)
    count: int = 20
    layout: str = "single"  # one item per page ("single") or all on one page ("all")
    cbm: bool = False  # certainty-based marking
    seed: int | None = None  # fixed in tests; random otherwise
    only: str = ""  # practice and drills: "" (any question), "unseen", "missed" or "flagged"
    retry_of: int | None = None  # practice of exactly the questions missed in this attempt
    feedback: str = "each"  # practice: the answer after each question ("each") or at the end
    # Started from an LMS link: {"link": LtiLink id, "account": LtiAccount id}; its score
    # goes back to the link's grade book column (app.services.lti_grades).
    lti: dict[str, int] | None = None
    # The exam language (BCP 47, such as "zh-Hans"): items show in it where they have a
    # usable translation, else in their source language; "" shows every item in its source.
    language: str = ""
    # The learner's interface language: in practice, items the exam language shows in
    # their source can be switched to it (and the other way round).
    interface: str = ""


def _scheme(code: str) -> Scheme:
    """An active scheme by code."""
    return _scheme_and_counts(code, None)[0]


def _scheme_and_counts(code: str, user_id: int | None) -> tuple[Scheme, int, int]:
    """An active scheme by code, and how many attempts the learner has open and in all:
    one query, as a start needs all three (a burst of starts pays for every round trip)."""
    mine = select(func.count()).where(Attempt.user_id == user_id)
    row = db.session.execute(
        select(
            Scheme,
            mine.where(Attempt.status == AttemptStatus.OPEN).scalar_subquery(),
            mine.scalar_subquery(),
        ).where(Scheme.code == code)
    ).first()
    if row is None or not row[0].active:
        raise NotFound(_("No such qualification scheme."))
    return row[0], row[1], row[2]


def _check_options(options: StartOptions) -> None:
    """Refuse options outside what the pages offer."""
    if options.mode not in set(AttemptMode):
        raise InvalidInput(_("Unknown mode; choose mock, practice, drill or review."))
    options.mode = AttemptMode(options.mode)  # a plain string from a form or the API
    if not 1 <= options.count <= 100:
        raise InvalidInput(_("Choose between 1 and 100 questions."))
    if options.layout not in ("single", "all"):
        raise InvalidInput(_("Unknown layout."))
    if options.only and options.only not in practice_filters.ONLY:
        raise InvalidInput(_("Unknown question filter; choose unseen, missed or flagged."))
    if options.feedback not in ("each", "end"):
        raise InvalidInput(_("Unknown feedback setting."))
    if len(options.clauses) > MAX_CLAUSES or not all(map(CLAUSE.fullmatch, options.clauses)):
        raise InvalidInput(_("Clauses are numbers such as 8.5 or 8.5.1, at most 50 of them."))
    special = options.only or options.retry_of is not None or options.feedback != "each"
    if special and options.mode not in (AttemptMode.PRACTICE, AttemptMode.DRILL):
        raise InvalidInput(_("Question filters and feedback settings are for practice sets."))
    if options.retry_of is not None and (options.mode != AttemptMode.PRACTICE or options.only):
        raise InvalidInput(_("A retry is a practice set of the questions you missed."))
    for tag in (options.language, options.interface):
        if tag and not translation.LANGUAGE_TAG.match(tag):
            raise InvalidInput(_("Unknown language; choose one the page offers."))


def mistakes(actor: User, attempt_id: int) -> set[str]:
    """Keys of the questions of the learner's own closed attempt answered wrong or partly
    right or left unanswered (not essays awaiting a mark). Refused while the attempt's
    review is closed: the set would say which answers were wrong. A question also in a
    mock exam of theirs whose review is closed is left out, as its outcome is hidden on
    the result page: a practice set drawn before that exam would otherwise say whether
    the exam's answer, given again here, was right."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != actor.id:
        raise NotFound(_("No such attempt of yours."))
    if attempt.status not in AttemptStatus.closed() or not attempt_views.may_reveal(attempt):
        raise Conflict(
            _("You can retry the questions of an attempt once its answers can be reviewed.")
        )
    return attempt_views.missed_questions(attempt) - attempt_views.embargoed_questions(actor.id)


def _slots(
    actor: User, scheme: Scheme, options: StartOptions, seed: int, items: list, first: bool
) -> list[Slot]:
    """Draw the items of a new attempt (`first`: the learner's first attempt), or explain
    which clause groups are short."""
    # Questions of the learner's mocks that are open or not yet reviewed are never drawn:
    # the key or the score of another attempt would tell how those mocks went.
    seen, embargoed = ({}, set()) if first else history.seen_and_embargoed(actor.id)
    blueprint = scheme.exam_blueprint
    levels = scheme.practice_levels
    if options.mode == AttemptMode.MOCK:
        prepared = _prepared(scheme, items)
        return assemble_blueprint(items, blueprint, seed, seen, prepared, embargoed)
    items = [i for i in items if i.id not in embargoed]
    if options.retry_of is not None or options.only:
        items = _restricted(actor, options, items)
    if options.mode == AttemptMode.REVIEW:
        due = set(history.due_for_review(actor.id))
        items = [i for i in items if i.id in due]
        if not items:
            raise InvalidInput(
                _(
                    "Nothing is due for review today: the Your reviews page shows when "
                    "each question comes back."
                )
            )
    weights = history.weakness_weights(actor.id) if options.mode == AttemptMode.DRILL else None
    return assemble_practice(
        items, options.clauses or None, levels, options.count, seed, seen, weights
    )


def _restricted(actor: User, options: StartOptions, items: list) -> list:
    """The pool cut down to the questions a retry or a question filter allows."""
    if options.retry_of is not None:
        allowed = mistakes(actor, options.retry_of)
        if not allowed:
            raise InvalidInput(_("You missed no question there: nothing to retry."))
    else:
        allowed = practice_filters.filter_keys(actor.id, options.only, {i.id for i in items})
    items = [i for i in items if i.id in allowed]
    if not items:
        raise InvalidInput(_("No question of this scheme you may practise now fits that filter."))
    return items


def _prepared(scheme: Scheme, items: list) -> Prepared:
    """The pool prepared for the scheme's blueprint, reused until either changes."""
    blueprint = scheme.exam_blueprint
    cached = _PREPARED.get(scheme.code)
    if cached is None or cached[1].items is not items or cached[0] != blueprint:
        cached = _PREPARED[scheme.code] = (blueprint, prepare_blueprint(items, blueprint))
    return cached[1]


def warm_caches() -> None:
    """Load the published pool, prepare each active scheme's blueprint and cache the live
    versions' records, so that a new worker's first starts pay for none of them (reads
    only; a server calls it as each worker starts)."""
    pool = bank_queries.live_pool()
    for scheme in db.session.scalars(select(Scheme).where(Scheme.active)):
        _prepared(scheme, pool.items)
    bank_queries.warm_live_records(pool)
    # SQLAlchemy compiles each statement on first use: run the start path's reads once
    # for no one (they find nothing), so that the compiling does not land on first starts.
    tokens.user_for_token("")
    for code in db.session.scalars(select(Scheme.code).where(Scheme.active)).all()[:1]:
        _scheme_and_counts(code, 0)
    history.seen_and_embargoed(0)
    attempt_views.attempt_items(Attempt(id=0))
    db.session.rollback()  # end the read transaction: the worker starts with none open


@dataclass(frozen=True)
class Started:
    """A new attempt as the reply to its start shows it, from what the start worked out."""

    attempt_id: int
    scheme: str
    mode: AttemptMode
    started_at: datetime
    deadline_at: datetime | None
    items: list[ItemView]


def start_attempt(
    actor: User, scheme_code: str, options: StartOptions, replacing: int | None = None
) -> Attempt:
    """Draw and store a new attempt for the learner; one transaction. With `replacing`,
    that open practice set, drill or review of theirs is discarded in the same
    transaction, so a start refused for its options leaves it open."""
    stored = _start(actor, scheme_code, options, replacing)[0]
    attempt = db.session.get(Attempt, stored.attempt_id)
    assert attempt is not None
    return attempt


def start_and_show(actor: User, scheme_code: str, options: StartOptions) -> Started:
    """Start an attempt as `start_attempt` does, and return it with its items as the
    learner sees them, built from what the start drew: no second read of what it wrote."""
    stored, pool = _start(actor, scheme_code, options, None)
    return Started(
        attempt_id=stored.attempt_id,
        scheme=scheme_code,
        mode=AttemptMode(options.mode),
        started_at=stored.started_at,
        deadline_at=stored.deadline_at,
        items=attempt_views.new_item_views(
            stored.secret, stored.rows, stored.records, pool.cases, stored.shown
        ),
    )


def _start(
    actor: User, scheme_code: str, options: StartOptions, replacing: int | None
) -> tuple[_Stored, bank_queries.LivePool]:
    """Check, draw and store a new attempt (see `start_attempt`)."""
    if not actor.has_any_role(Role.LEARNER):
        raise PermissionDenied(_("Only learners sit exams."))
    _check_options(options)
    scheme, open_count, attempt_count = _scheme_and_counts(scheme_code, actor.id)
    if open_count - (replacing is not None) >= MAX_OPEN_ATTEMPTS:
        raise Conflict(_("You have too many unfinished attempts; finish or submit some first."))
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**31)
    pool = bank_queries.live_pool()
    exam_languages.check_language(options.language, pool)
    try:
        slots = _slots(actor, scheme, options, seed, pool.items, attempt_count == 0)
    except ShortBank as short:
        if attempt_views.embargoed_questions(actor.id):
            raise InvalidInput(
                _(
                    "%(reason)s The questions of your mock exams that are open or not yet "
                    "reviewed are kept out of other attempts until their review opens.",
                    reason=render(short.message),
                )
            ) from short
        raise InvalidInput(render(short.message)) from short
    settings: dict[str, object] = {}
    if options.mode != AttemptMode.MOCK:
        # A set the pool cannot fill is drawn short: the attempt's page says so.
        settings["asked"] = len(slots) if options.retry_of is not None else options.count
        if len(slots) < options.count and options.mode != AttemptMode.REVIEW:
            settings["held_back"] = bool(attempt_views.embargoed_questions(actor.id))
    drawn = [(s, pool.versions[s.item_id]) for s in slots]
    if replacing is not None:
        answering.mark_discarded(actor, replacing)  # committed with the new attempt
    return _store(actor, scheme, options, seed, drawn, settings, pool), pool


_ATTEMPTS = cast(Table, Attempt.__table__)
_INSERT_ATTEMPT = insert(_ATTEMPTS).returning(_ATTEMPTS.c.id)
_ITEM_COLUMNS = ("attempt_id", "position", "version_id", "section", "flagged", "language")


def _insert_items(items: list[dict[str, Any]]) -> None:
    """Write a new attempt's item rows in one go, in the current transaction.

    PostgreSQL takes them with one COPY: a third of the time of the 40 INSERTs an
    executemany sends, on the client and on the server, and a burst of starts is bound by
    both. Elsewhere one INSERT run (executemany), not an ORM object per item; cheaper than
    one multi-VALUES statement, whose 200-odd parameters cost more to build.
    """
    if not items:  # every mode draws at least one; an empty list would insert one bare row
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        db.session.execute(insert(AttemptItem), items)
        return
    raw = connection.connection.driver_connection
    assert raw is not None  # the connection is checked out: it has its driver's
    with (
        raw.cursor() as cursor,
        cursor.copy(
            f"COPY {AttemptItem.__tablename__} ({', '.join(_ITEM_COLUMNS)}, display_order) "
            "FROM STDIN"
        ) as copy,
    ):
        for item in items:  # display_order is a JSON column: COPY takes its text
            copy.write_row([*(item[c] for c in _ITEM_COLUMNS), json.dumps(item["display_order"])])


@dataclass(frozen=True)
class _Stored:
    """What `_store` wrote, read before the commit expires the attempt's attributes."""

    attempt_id: int
    secret: str
    started_at: datetime
    deadline_at: datetime | None
    rows: list[dict[str, Any]]
    records: dict[int, QuestionRecord]
    shown: dict[int, translation_queries.Shown]  # translations read for the exam language


def _item_rows(
    secret: str, drawn: list[tuple[Slot, int]], pool: bank_queries.LivePool, language: str
) -> tuple[list[dict[str, Any]], dict[int, QuestionRecord], dict[int, translation_queries.Shown]]:
    """The attempt's item rows in order, each with its options in the secret's order (the
    same in every language) and the language it shows in; the records of their versions,
    and the translations read."""
    pairs = [(vid, pool.hashes[vid]) for _slot, vid in drawn]
    records = bank_queries.records_for_versions(pairs)
    shown = exam_languages.drawn_translations(language, [vid for vid, _hash in pairs], pool)
    rows: list[dict[str, Any]] = []
    for position, (slot, vid) in enumerate(drawn, start=1):
        record = records[vid]
        ids = question_types.get(record.type).shuffle_ids(record)
        order = secret_order(secret, str(position), ids)
        source = pool.languages.get(vid, "")
        info = shown.get(vid)
        in_use = source
        if info is not None:
            _shown, in_use = localized.present(record, source, language, info.translations)
        rows.append(
            {
                "position": position,
                "version_id": vid,
                "section": slot.section,
                "display_order": order,
                "flagged": False,
                "language": in_use or None,
            }
        )
    return rows, records, shown


def _store(
    actor: User,
    scheme: Scheme,
    options: StartOptions,
    seed: int,
    drawn: list[tuple[Slot, int]],
    settings: dict[str, object],
    pool: bank_queries.LivePool,
) -> _Stored:
    """Write the attempt and its items (slot and version id) with their shuffled options.

    Everything is worked out before the first write, and the items go in as one
    executemany INSERT, so the write transaction (SQLite's one writer lock) stays short.
    """
    now = utcnow()
    secret = new_secret()
    deadline = (
        now + timedelta(minutes=scheme.duration_minutes)
        if options.mode == AttemptMode.MOCK
        else None
    )
    rows, records, shown = _item_rows(secret, drawn, pool, options.language)
    other = exam_languages.other_language(
        options.mode, options.language, options.interface, rows, pool
    )
    values = {
        "user_id": actor.id,
        "answer_secret": secret,
        "scheme_id": scheme.id,
        "mode": options.mode,
        "seed": seed,
        "started_at": now,
        "deadline_at": deadline,
        "settings": {
            "layout": options.layout,
            "cbm": options.cbm,
            "clauses": options.clauses,
            **({"only": options.only} if options.only else {}),
            **({"retry_of": options.retry_of} if options.retry_of is not None else {}),
            **({"feedback": "end"} if options.feedback == "end" else {}),
            **({"lti": options.lti} if options.lti else {}),
            **({"toggle": other} if other else {}),
            **settings,
        },
        "language": options.language or None,
    }
    # A plain INSERT … RETURNING, not an object the unit of work flushes: a burst of
    # starts is bound by the CPU each one takes, and the caller reads what it needs.
    attempt_id = db.session.connection().execute(_INSERT_ATTEMPT, values).scalar()
    assert attempt_id is not None
    _insert_items([{"attempt_id": attempt_id, **row} for row in rows])
    audit.record_now(
        actor,
        "attempt.started",
        "attempt",
        attempt_id,
        mode=options.mode,
        scheme=scheme.code,
        items=len(drawn),
    )
    learning_records.attempt_started(attempt_id)
    stored = _Stored(attempt_id, secret, now, deadline, rows, records, shown)
    db.session.commit()
    return stored
