"""Keep the readiness sums (app/models/readiness_sums.py) equal to the final answers.

- `rebuild` learns the calibration, then writes a new basis, the answer class of every
  question version and every learner's sums from the answers, in one transaction
  (`flask readiness rebuild`; `make run`'s setup and an hourly cron in production).
- Between rebuilds, every flush that changes a response's score, its repeat flag or its
  time adds the difference to its learner's row, in the same transaction as the answer
  (a session event, so no scoring path can forget it: checking a practice answer,
  submitting or expiring an attempt, a trainer's mark, a rescore).

Concurrency: `rebuild` learns the calibration first, then takes the write locks before it
reads the answers (SQLite: its first statement writes; PostgreSQL: exclusive locks on the
basis, then the sums), so an answer is either committed before the rebuild reads or added
after it, under the new basis, which the flush reads (FOR SHARE) before it writes. Flushes
take the basis, then the sums' rows in key order, so neither a rebuild nor another
transaction of the same learner can deadlock with them. Deletes done by the database's
cascades are not seen (no code path deletes answers); a rebuild corrects any drift.

Readers (`app.analytics.answers.grouped_answers`) use the sums only while the basis still
matches the platform's answer classes (a new question version, a changed blueprint or
clause mapping makes them fall back to summing the answers until the next rebuild).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, cast

import numpy as np
import pandas as pd
from flask_babel import gettext as _
from sqlalchemy import delete, event, func, insert, inspect, select, text, update
from sqlalchemy.orm import Session, UOWTransaction

from app.analytics import answers as answer_sums
from app.analytics import calibration
from app.errors import PermissionDenied
from app.extensions import db
from app.models import (
    Actor,
    ReadinessBasis,
    ReadinessClass,
    ReadinessRevision,
    ReadinessSum,
    Response,
    Role,
    Scheme,
)
from app.models.base import upsert_insert, utcnow

_CHUNK = 10_000  # rows inserted per statement
EPOCH = pd.Timestamp(0, tz="UTC")


def rebuild(actor: Actor, now: datetime | None = None) -> ReadinessBasis:
    """Learn the calibration and rebuild the basis, the classes and every sum (commits)."""
    if not actor.has_any_role(Role.ADMIN):
        raise PermissionDenied(_("Only an administrator rebuilds the readiness sums."))
    now = now or utcnow()
    fits = calibration.learn(now)  # before the locks: learning reads for seconds
    settings = calibration.learnt_summing(now, fits)
    _lock()
    schemes = [s for s in db.session.scalars(select(Scheme)) if s.exam_blueprint.sections]
    classes = answer_sums.answer_classes(schemes, settings["difficulties"])
    weeks = answer_sums.KEPT_WEEKS
    summed = answer_sums.grouped_answers(None, schemes, now, weeks=weeks, kept=False, **settings)
    half_life = settings["half_life_days"]
    moment = answer_sums.day_of(summed.now)  # the end of today: the sums' weights are as of it
    current = answer_sums.week_index(moment)
    basis = ReadinessBasis(
        oldest_week=current - weeks,  # its row holds every answer before it too
        half_life_days=half_life if math.isfinite(half_life) else None,
        repeat_weight=float(settings["repeat_weight"]),
        base_day=moment,
        difficulties={str(k): float(v) for k, v in settings["difficulties"].items()},
        classes_hash=answer_sums.classes_hash(classes),
        built_at=now,
        calibration={code: calibration.encode(fit) for code, fit in fits.items()},
    )
    db.session.add(basis)
    pairs = zip(classes["version_id"].tolist(), classes["class_id"].tolist(), strict=True)
    _insert(ReadinessClass, [{"version_id": v, "class_id": c} for v, c in pairs])
    rows = summed.rows
    # As of the base moment the weights are the basis's own: Σ w·age is Σ w₀·(base − t).
    records = {
        "learner_id": rows["learner_id"].tolist(),
        "class_id": rows["item_id"].tolist(),
        # weeks back from now (the last holds everything older) → calendar weeks
        "week": (current - rows["week"]).tolist(),
        "answers": rows["answers"].tolist(),
        "weight": rows["weight"].tolist(),
        "right": rows["right"].tolist(),
        "aged": rows["weighted_age"].tolist(),
        "latest_day": ((rows["answered_at"] - EPOCH).dt.total_seconds() / 86400.0).tolist(),
    }
    _insert(
        ReadinessSum,
        [dict(zip(records, values, strict=True)) for values in zip(*records.values(), strict=True)],
    )
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":  # fresh statistics for the plans
        db.session.execute(text("ANALYZE readiness_sums, readiness_classes"))
        db.session.commit()
    return basis


def _lock() -> None:
    """Take the write locks first (module docstring), then empty the tables."""
    if db.session.get_bind().dialect.name == "postgresql":
        # The basis first, then the sums: the order a scoring flush takes them in.
        db.session.execute(text("LOCK TABLE readiness_basis, readiness_sums IN EXCLUSIVE MODE"))
    db.session.execute(delete(ReadinessBasis))
    db.session.execute(delete(ReadinessSum))
    db.session.execute(delete(ReadinessClass))


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _CHUNK):
        db.session.execute(insert(model), rows[start : start + _CHUNK])


# --- kept up to date ------------------------------------------------------------------


_TRACKED = ("score", "seen_before", "answered_at")


def register() -> None:
    """Listen to every session's flushes (once per process)."""
    if not event.contains(Session, "after_flush", _track):
        event.listen(Session, "after_flush", _track)


def _track(session: Session, _context: UOWTransaction) -> None:
    """Add the difference each flushed response makes to its learner's sums."""
    new, gone = set(session.new), set(session.deleted)
    changes = [
        change
        for obj in (*new, *session.dirty, *gone)
        if isinstance(obj, Response)
        and (change := _change(obj, obj in new, obj in gone)) is not None
    ]
    if not changes:
        return
    connection = session.connection()
    # The basis row first, then the sums: the order `rebuild` locks them in.
    basis = connection.execute(
        select(
            ReadinessBasis.half_life_days,
            ReadinessBasis.repeat_weight,
            ReadinessBasis.base_day,
            ReadinessBasis.oldest_week,
        ).with_for_update(read=True)
    ).first()
    if basis is None:
        return
    half_life, repeat_weight, base, oldest = basis
    class_of = dict(
        connection.execute(
            select(ReadinessClass.version_id, ReadinessClass.class_id).where(
                ReadinessClass.version_id.in_({version for _l, version, _o, _a in changes})
            )
        ).all()
    )
    deltas: dict[tuple[int, int, int], np.ndarray] = {}
    latest: dict[tuple[int, int, int], float] = {}
    emptied: set[tuple[int, int, int]] = set()
    for learner, version, old, after in changes:
        if version not in class_of:  # in no blueprint section: not summed
            continue
        for state, sign in ((old, -1.0), (after, 1.0)):
            week = _week(state, oldest)
            if week is None:
                continue
            key = (learner, class_of[version], week)
            part = sign * _contribution(state, half_life, repeat_weight, base)
            deltas[key] = deltas.get(key, np.zeros(4)) + part
            if sign > 0:
                latest[key] = max(latest.get(key, 0.0), _day(state[2]))
            else:  # the row may have lost its latest answer: read it again below
                emptied.add(key)
    # One statement per row, in key order, so two transactions of one learner take the
    # rows' locks in the same order.
    dialect = connection.dialect.name
    for key in sorted(deltas):
        if deltas[key].any() or key in latest:
            connection.execute(_upsert(dialect, key, deltas[key], latest.get(key, 0.0)))
    for key in sorted(emptied):
        connection.execute(_latest_again(key, oldest))
    # Then the learners' revisions (in id order), which make their kept results stale.
    for learner in sorted({learner for learner, _v, _o, _a in changes}):
        connection.execute(_next_revision(dialect, learner))


def _next_revision(dialect: str, learner: int) -> Any:
    """Count one more change to the learner's final answers."""
    make = upsert_insert(dialect)
    stmt = make(ReadinessRevision).values(learner_id=learner, revision=1)
    return stmt.on_conflict_do_update(
        index_elements=["learner_id"],
        set_={"revision": ReadinessRevision.__table__.c.revision + 1},
    )


_State = tuple[float | None, bool, datetime | None]  # score, seen_before, answered_at


def _change(
    response: Response, created: bool, deleted: bool
) -> tuple[int, int, _State, _State] | None:
    """(learner, version, state before, state after) of a response whose score, repeat
    flag or time this flush changes; None when none changes. (The three columns keep
    their previous value in the history: `active_history` on the model.)"""
    after: _State = (response.score, bool(response.seen_before), response.answered_at)
    nothing: _State = (None, False, None)
    if created:
        return response.user_id, response.version_id, nothing, after
    state = inspect(response)
    histories = [state.attrs[name].history for name in _TRACKED]
    if not deleted and not any(h.deleted or h.added for h in histories):
        return None
    old = [h.deleted[0] if h.deleted else value for h, value in zip(histories, after, strict=True)]
    before: _State = (cast(float | None, old[0]), bool(old[1]), cast(datetime | None, old[2]))
    return response.user_id, response.version_id, before, nothing if deleted else after


def _week(state: _State, oldest: int) -> int | None:
    """The row's calendar week of a response's state (None: it counts nowhere); weeks
    before the basis's oldest kept week share that week's row."""
    score, _seen, when = state
    if score is None or when is None:
        return None
    return max(answer_sums.week_index(_day(when)), oldest)


def _day(moment: datetime | None) -> float:
    return answer_sums.day_of(moment) if moment is not None else 0.0


def _contribution(
    state: _State, half_life: float | None, repeat_weight: float, base: float
) -> np.ndarray:
    """What one response adds to its row: answers, weight, right, aged."""
    score, seen, when = state
    if score is None or when is None:
        return np.zeros(4)
    day = _day(when)
    w = 1.0 if half_life is None else 2.0 ** ((day - base) / half_life)
    w *= repeat_weight if seen else 1.0
    return np.array([1.0, w, w * score, w * (base - day)])


def _upsert(dialect: str, key: tuple[int, int, int], delta: np.ndarray, latest: float) -> Any:
    """Add `delta` to the row of `key` (learner, class, week), creating it if need be."""
    learner, klass, week = key
    values = {
        "learner_id": learner,
        "class_id": klass,
        "week": week,
        "answers": int(np.rint(delta[0])),
        "weight": float(delta[1]),
        "right": float(delta[2]),
        "aged": float(delta[3]),
        "latest_day": latest,
    }
    make = upsert_insert(dialect)
    stmt = make(ReadinessSum).values(values)
    table = ReadinessSum.__table__
    biggest = func.greatest if dialect == "postgresql" else func.max
    return stmt.on_conflict_do_update(
        index_elements=["learner_id", "class_id", "week"],
        set_={
            "answers": table.c.answers + stmt.excluded.answers,
            "weight": table.c.weight + stmt.excluded.weight,
            "right": table.c.right + stmt.excluded.right,
            "aged": table.c.aged + stmt.excluded.aged,
            "latest_day": biggest(table.c.latest_day, stmt.excluded.latest_day),
        },
    )


def _latest_again(key: tuple[int, int, int], oldest: int) -> Any:
    """Set the row's latest answer time from the answers it still holds (after one left
    it or moved earlier)."""
    learner, klass, week = key
    day = answer_sums.days_since_epoch(Response.answered_at)
    weeks = func.floor((day - answer_sums.MONDAY) / 7.0)
    held = weeks <= week if week == oldest else weeks == week  # the oldest row holds all before
    latest = (
        select(func.coalesce(func.max(day), 0.0))
        .join(ReadinessClass, ReadinessClass.version_id == Response.version_id)
        .where(
            Response.user_id == learner,
            Response.score.is_not(None),
            ReadinessClass.class_id == klass,
            held,
        )
        .scalar_subquery()
    )
    return (
        update(ReadinessSum)
        .where(
            ReadinessSum.learner_id == learner,
            ReadinessSum.class_id == klass,
            ReadinessSum.week == week,
        )
        .values(latest_day=latest)
    )
