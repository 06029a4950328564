"""Keep the readiness sums (app/models/readiness_sums.py) equal to the final answers.

- `rebuild` learns the calibration, then writes a new basis, the answer class of every
  question version and every learner's sums from the answers, in one transaction
  (`flask readiness rebuild`; `make run`'s setup and an hourly cron in production).
- Between rebuilds, every flush that changes a response's score, its repeat flag or its
  time adds the difference to its learner's row, in the same transaction as the answer
  (a session event, so no scoring path can forget it: checking a practice answer,
  submitting or expiring an attempt, a trainer's mark, a rescore).

Concurrency: `rebuild` takes the write locks before it reads the answers (SQLite: its
first statement writes; PostgreSQL: an exclusive lock on the sums and the basis row), so
an answer is either committed before the rebuild reads or added after it, under the new
basis, which the update reads in the statement that writes it.

Readers (`app.analytics.answers.grouped_answers`) use the sums only while the basis still
matches the platform's answer classes (a new question version, a changed blueprint or
clause mapping makes them fall back to summing the answers until the next rebuild).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, cast

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import delete, event, func, insert, inspect, literal, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, UOWTransaction

from app.analytics import answers as answer_sums
from app.analytics.calibration import learnt_summing
from app.errors import PermissionDenied
from app.extensions import db
from app.models import (
    Actor,
    ReadinessBasis,
    ReadinessClass,
    ReadinessSum,
    Response,
    Role,
    Scheme,
)
from app.models.base import utcnow

_CHUNK = 10_000  # rows inserted per statement


def rebuild(actor: Actor, now: datetime | None = None) -> ReadinessBasis:
    """Learn the calibration and rebuild the basis, the classes and every sum (commits)."""
    if not actor.has_any_role(Role.ADMIN):
        raise PermissionDenied(_("Only an administrator rebuilds the readiness sums."))
    now = now or utcnow()
    _lock()
    settings = learnt_summing(now)
    schemes = [s for s in db.session.scalars(select(Scheme)) if s.exam_blueprint.sections]
    classes = answer_sums.answer_classes(schemes, settings["difficulties"])
    weeks = answer_sums.KEPT_WEEKS
    summed = answer_sums.grouped_answers(None, schemes, now, weeks=weeks, kept=False, **settings)
    half_life = settings["half_life_days"]
    basis = ReadinessBasis(
        half_life_days=half_life if math.isfinite(half_life) else None,
        repeat_weight=float(settings["repeat_weight"]),
        base_day=answer_sums.day_of(now),
        difficulties={str(k): float(v) for k, v in settings["difficulties"].items()},
        classes_hash=answer_sums.classes_hash(classes),
        built_at=now,
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
        "week": (answer_sums.week_index(answer_sums.day_of(now)) - rows["week"]).tolist(),
        "answers": rows["answers"].tolist(),
        "weight": rows["weight"].tolist(),
        "right": rows["right"].tolist(),
        "aged": rows["weighted_age"].tolist(),
        "latest_day": [answer_sums.day_of(moment) for moment in rows["answered_at"]],
    }
    _insert(
        ReadinessSum,
        [dict(zip(records, values, strict=True)) for values in zip(*records.values(), strict=True)],
    )
    db.session.commit()
    return basis


def _lock() -> None:
    """Take the write locks first (module docstring), then empty the tables."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("LOCK TABLE readiness_sums, readiness_basis IN EXCLUSIVE MODE"))
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
    new = set(session.new)
    changes = [
        change
        for obj in (*new, *session.dirty)
        if isinstance(obj, Response) and (change := _change(obj, obj in new)) is not None
    ]
    if not changes:
        return
    connection = session.connection()
    basis = connection.execute(
        select(
            ReadinessBasis.half_life_days, ReadinessBasis.repeat_weight, ReadinessBasis.base_day
        ).with_for_update(read=True)
    ).first()
    if basis is None:
        return
    half_life, repeat_weight, base = basis
    dialect = connection.dialect.name
    for learner, version, old, after in changes:
        removed = _contribution(old, half_life, repeat_weight, base)
        added = _contribution(after, half_life, repeat_weight, base)
        week_before, week_after = _week(old), _week(after)
        if week_before == week_after:
            parts = [(week_after, added - removed)]
        else:  # moved to another calendar week: out of one row, into another
            parts = [(week_before, -removed), (week_after, added)]
        for week, delta in parts:
            if week is not None and delta.any():
                latest = _day(after[2]) if after[0] is not None else 0.0
                connection.execute(_upsert(dialect, learner, version, week, delta, latest))


_State = tuple[float | None, bool, datetime | None]  # score, seen_before, answered_at


def _change(response: Response, created: bool) -> tuple[int, int, _State, _State] | None:
    """(learner, version, state before, state after) of a response whose score, repeat
    flag or time this flush changes; None when none changes. (The three columns keep
    their previous value in the history: `active_history` on the model.)"""
    after: _State = (response.score, bool(response.seen_before), response.answered_at)
    if created:
        return response.user_id, response.version_id, (None, False, None), after
    state = inspect(response)
    histories = [state.attrs[name].history for name in _TRACKED]
    if not any(h.deleted or h.added for h in histories):
        return None
    old = [h.deleted[0] if h.deleted else value for h, value in zip(histories, after, strict=True)]
    before: _State = (cast(float | None, old[0]), bool(old[1]), cast(datetime | None, old[2]))
    return response.user_id, response.version_id, before, after


def _week(state: _State) -> int | None:
    """The calendar week a response's state counts in (None: it counts nowhere)."""
    score, _seen, when = state
    if score is None or when is None:
        return None
    return answer_sums.week_index(_day(when))


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


def _upsert(
    dialect: str, learner: int, version: int, week: int, delta: np.ndarray, latest: float
) -> Any:
    """Add `delta` to the learner's row of the version's class and the calendar week (no
    class: nothing to add)."""
    values = select(
        literal(learner),
        ReadinessClass.class_id,
        literal(week),
        literal(int(np.rint(delta[0]))),
        literal(float(delta[1])),
        literal(float(delta[2])),
        literal(float(delta[3])),
        literal(latest),
    ).where(ReadinessClass.version_id == version)
    columns = [
        "learner_id",
        "class_id",
        "week",
        "answers",
        "weight",
        "right",
        "aged",
        "latest_day",
    ]
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = make(ReadinessSum).from_select(columns, values)
    table = ReadinessSum.__table__
    return stmt.on_conflict_do_update(
        index_elements=["learner_id", "class_id", "week"],
        set_={
            "answers": table.c.answers + stmt.excluded.answers,
            "weight": table.c.weight + stmt.excluded.weight,
            "right": table.c.right + stmt.excluded.right,
            "aged": table.c.aged + stmt.excluded.aged,
            "latest_day": func.max(table.c.latest_day, stmt.excluded.latest_day)
            if dialect != "postgresql"
            else func.greatest(table.c.latest_day, stmt.excluded.latest_day),
        },
    )
