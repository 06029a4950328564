"""The readiness backtest on live data: a scheme's closed mock exams and its learners'
final answers, read from the database and handed to `app.analytics.backtest`.

A mock counts once it is closed (submitted or expired); its result is `Attempt.passed`,
which scoring sets against the scheme's blueprint and pass mark (None while an essay
awaits its mark). The forecasts use the platform's calibration (`calibrations`): its
fitted half-life and, when the platform has enough learners, its population.

A result is kept per process for up to TTL_SECONDS under a fingerprint of the data (the
scheme's blueprint and closed mocks: count and latest submission; the latest answer and
trainer mark; the calibration), so a page and its export share one computation and a new
mock or mark starts a fresh one. The kept frames are shared: callers read them and never
change them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Hashable
from datetime import datetime

import pandas as pd
from cachetools import TTLCache, cached
from sqlalchemy import ColumnElement, func, select

from app.analytics.answers import answer_frame
from app.analytics.backtest import MAX_MOCKS, Backtest, backtest, most_recent
from app.analytics.calibration import calibrations
from app.analytics.overview import schemes
from app.analytics.readiness import Calibration
from app.extensions import db
from app.models import Attempt, AttemptMode, AttemptStatus, Response, Scheme

TTL_SECONDS = 3600  # at most this old, whatever the fingerprint says
_KEPT: TTLCache[Hashable, Backtest] = TTLCache(maxsize=8, ttl=TTL_SECONDS)
_LOCK = threading.Lock()


def backtest_schemes() -> list[Scheme]:
    """Active schemes whose blueprint the readiness model can forecast (sections and a
    pass mark), in level order."""
    return [
        s for s in schemes() if s.exam_blueprint.sections and s.exam_blueprint.pass_mark is not None
    ]


def _closed_mocks(scheme_id: int) -> tuple[ColumnElement[bool], ...]:
    """Conditions on Attempt for the scheme's closed mock exams."""
    return (
        Attempt.scheme_id == scheme_id,
        Attempt.mode == AttemptMode.MOCK,
        Attempt.status.in_(AttemptStatus.closed()),
    )


def scheme_mocks(scheme_id: int) -> pd.DataFrame:
    """Closed mock exams of a scheme: attempt_id, learner_id, started_at (UTC), passed
    (a nullable boolean: missing while marking is pending)."""
    stmt = select(Attempt.id, Attempt.user_id, Attempt.started_at, Attempt.passed).where(
        *_closed_mocks(scheme_id)
    )
    table = pd.DataFrame(
        db.session.execute(stmt).all(), columns=["attempt_id", "learner_id", "started_at", "passed"]
    )
    return table.assign(
        started_at=pd.to_datetime(table["started_at"], utc=True),
        passed=table["passed"].astype("boolean"),
    )


def scheme_backtest(scheme: Scheme, now: datetime, limit: int = MAX_MOCKS) -> Backtest:
    """Predict each of the scheme's `limit` most recent closed mocks from its learner's
    answers before it (`app.analytics.backtest`), with the platform's calibration; kept
    per process while the data stay the same (module docstring)."""
    fit = calibrations(now).get(scheme.code) or Calibration()
    mocks = db.session.execute(
        select(func.count(Attempt.id), func.max(Attempt.submitted_at)).where(
            *_closed_mocks(scheme.id)
        )
    ).one()
    answers = db.session.execute(select(func.max(Response.id), func.max(Response.graded_at))).one()
    blueprint = json.dumps(scheme.blueprint, sort_keys=True, default=str)
    key = (str(db.engine.url), scheme.id, blueprint, limit, *mocks, *answers, fit)
    return _backtest_at(key, scheme, fit, limit)


@cached(_KEPT, key=lambda fingerprint, scheme, fit, limit: fingerprint, lock=_LOCK)
def _backtest_at(fingerprint: Hashable, scheme: Scheme, fit: Calibration, limit: int) -> Backtest:
    mocks = scheme_mocks(scheme.id)
    chosen = most_recent(mocks[mocks["passed"].notna()], limit)
    learners = sorted(int(i) for i in chosen["learner_id"].unique())
    latest = chosen["started_at"].max() if len(chosen) else None  # later answers never count
    answers = answer_frame(learners, before=None if latest is None else latest.to_pydatetime())
    return backtest(
        answers,
        mocks,
        scheme.exam_blueprint,
        half_life_days=fit.half_life_days,
        population=fit.population,
        model={
            "trend_per_day": fit.trend_per_day,
            "difficulties": fit.difficulties,
            "exam_shifts": fit.exam_shifts,
            "repeat_weight": fit.repeat_weight,
        },
        limit=limit,
    )


def forget() -> None:
    """Drop every kept backtest (after the data was replaced wholesale, as tests do)."""
    with _LOCK:
        _KEPT.clear()
