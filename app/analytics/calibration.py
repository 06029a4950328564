"""The readiness model's platform-wide settings, learnt from the platform's own answers.

`readiness.calibrate` fits the half-life of recency weighting and the population (mean
and spread of ability, section offsets, how far a learner's sections stray) from raw
answers. Here that is done on a sample of up to FIT_LEARNERS learners who answered in
the last `readiness.HOLDOUT_DAYS` (the half-life is judged by how well earlier answers
predict those), for every scheme at once:

- one half-life and trend for the platform (`readiness.fit_forgetting`), fitted on the
  scheme with the most answers in the sample (forgetting and learning are the learners',
  not the scheme's), so that one database query can sum the recency weights for every
  scheme on a page;
- one population per scheme, fitted with that half-life.

A team page or one learner is then forecast with the platform's population instead of
the few people on the page. The result is kept per process for TTL_SECONDS and refitted
sooner when the answers have grown by a quarter (the fingerprint is the database and the
highest response id, on a logarithmic scale). With fewer than
`readiness.MIN_FIT_LEARNERS` learners in the sample the defaults stand: HALF_LIFE_DAYS,
and each call learns the population from the people it is given.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Hashable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from cachetools import TTLCache, cached
from sqlalchemy import func, select

from app.analytics.answers import answer_frame
from app.analytics.readiness import (
    FIT_LEARNERS,
    HOLDOUT_DAYS,
    Calibration,
    calibrate,
    fit_forgetting,
    membership,
    sections_of,
)
from app.domain.blueprint import Blueprint
from app.extensions import db
from app.models import Response, Scheme

TTL_SECONDS = 3600
GROWTH = 1.25  # answers grown by this factor make a new fingerprint

_FITS: TTLCache[Hashable, dict[str, Calibration]] = TTLCache(maxsize=8, ttl=TTL_SECONDS)
_LOCK = threading.Lock()


def calibrations(now: datetime) -> dict[str, Calibration]:
    """Scheme code → the calibration its forecasts use (module docstring)."""
    top = db.session.scalar(select(func.max(Response.id))) or 0
    key = (
        db.engine.url.render_as_string(hide_password=True),
        int(math.log(top + 1) / math.log(GROWTH)),
    )
    return _calibrations_at(key, now)


@cached(_FITS, key=lambda fingerprint, now: fingerprint, lock=_LOCK)
def _calibrations_at(fingerprint: Hashable, now: datetime) -> dict[str, Calibration]:
    schemes = [s for s in db.session.scalars(select(Scheme)) if s.exam_blueprint.sections]
    sample = _sample(now)
    if not schemes or not sample:
        return {s.code: Calibration() for s in schemes}
    raw = answer_frame(sample)
    blueprints = {s.code: s.exam_blueprint for s in schemes}
    in_scope = {
        code: int(membership(_levelled(raw, bp), sections_of(bp)).any(axis=1).sum())
        for code, bp in blueprints.items()
    }
    busiest = max(in_scope, key=lambda code: in_scope[code])
    half_life, trend = fit_forgetting(raw, blueprints[busiest], now)
    return {
        code: replace(calibrate(raw, bp, now, half_life_days=half_life), trend_per_day=trend)
        for code, bp in blueprints.items()
    }


def forget() -> None:
    """Drop every kept calibration (after the data was replaced wholesale, as tests do)."""
    with _LOCK:
        _FITS.clear()


def half_life(now: datetime) -> float:
    """The platform's fitted half-life in days (the same for every scheme)."""
    fits = calibrations(now)
    return next(iter(fits.values())).half_life_days if fits else Calibration().half_life_days


def summing(now: datetime) -> dict[str, Any]:
    """`grouped_answers` settings from the calibration: the half-life, and the question
    versions' estimated difficulties (of every scheme; a version serves one level)."""
    fits = calibrations(now)
    difficulties: dict[Hashable, float] = {}
    for fit in fits.values():
        for version, difficulty in fit.difficulties.items():
            difficulties.setdefault(version, difficulty)
    return {"half_life_days": half_life(now), "difficulties": difficulties}


def _levelled(raw: pd.DataFrame, blueprint: Blueprint) -> pd.DataFrame:
    return raw if blueprint.levels is None else raw[raw["level"].isin(blueprint.levels)]


def _sample(now: datetime) -> list[int]:
    """Up to FIT_LEARNERS learners with final answers in the held-out window, spread
    evenly over their ids."""
    cut = now - timedelta(days=HOLDOUT_DAYS)
    ids = sorted(
        db.session.scalars(
            select(Response.user_id)
            .where(Response.score.is_not(None), Response.answered_at >= cut)
            .distinct()
        )
    )
    if len(ids) <= FIT_LEARNERS:
        return ids
    picks = np.linspace(0, len(ids) - 1, FIT_LEARNERS).astype(int)
    return [ids[i] for i in picks]
