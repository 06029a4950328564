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
the few people on the page. A rebuild of the kept readiness sums stores the calibration
with their basis (`learn`, `encode`), and while a basis holds one every process uses it.
Otherwise the result is kept per process. After TTL_SECONDS, or
sooner when the answers have grown by a quarter (the fingerprint is the database and the
highest response id, on a logarithmic scale), it is learnt again in a background thread
while the kept one still serves. With fewer than `readiness.MIN_FIT_LEARNERS` learners in
the sample the defaults stand: HALF_LIFE_DAYS, and each call learns the population from
the people it is given.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from flask import Flask, current_app
from sqlalchemy import func, select

from app.analytics.answers import answer_frame
from app.analytics.readiness import (
    FIT_LEARNERS,
    HOLDOUT_DAYS,
    REPEAT_WEIGHT,
    Calibration,
    Population,
    calibrate,
    fit_forgetting,
    membership,
    sections_of,
)
from app.domain.blueprint import Blueprint, parse_blueprint
from app.extensions import db
from app.models import ReadinessBasis, Response, Scheme

TTL_SECONDS = 3600
GROWTH = 1.25  # answers grown by this factor make a new fingerprint
log = logging.getLogger(__name__)


@dataclass
class _Kept:
    """The calibration last learnt on one database, and whether a newer one is coming."""

    fingerprint: Hashable
    learnt: float  # time.monotonic() when it was learnt
    fits: dict[str, Calibration]
    refreshing: bool = False


_KEPT: dict[str, _Kept] = {}  # database URL → what was learnt there
_LOCK = threading.Lock()


def calibrations(now: datetime) -> dict[str, Calibration]:
    """Scheme code → the calibration its forecasts use (module docstring).

    While the kept readiness sums have a basis, it is the calibration learnt with the
    basis (every process then forecasts alike, until the next rebuild). Otherwise the
    first call on a database learns it while the caller waits. Later, once it is
    older than TTL_SECONDS or the answers have grown by GROWTH, the kept one is still
    returned while a background thread learns the next (`READINESS_CALIBRATE_IN_BACKGROUND`,
    on unless testing; off, the caller waits for it).
    """
    return _for_blueprints(_calibrations(now))


def blueprint_hash(blueprint: dict[str, Any]) -> str:
    """A fingerprint of a scheme's stored blueprint."""
    return hashlib.sha256(json.dumps(blueprint, sort_keys=True).encode()).hexdigest()


def _for_blueprints(fits: dict[str, Calibration]) -> dict[str, Calibration]:
    """`fits` without the population and exam mix of a scheme whose blueprint changed
    since they were learnt (they are per section of the old one): its pages then learn
    the population from their own people, and nothing of it is kept, until the
    calibration is learnt again."""
    current: dict[str, dict[str, Any]] = {
        code: blueprint
        for code, blueprint in db.session.execute(select(Scheme.code, Scheme.blueprint))
    }
    found: dict[str, Calibration] = {}
    for code, fit in fits.items():
        blueprint = current.get(code)
        changed = blueprint is not None and fit.blueprint not in ("", blueprint_hash(blueprint))
        if blueprint is not None and fit.population is not None and fit.population.offsets:
            changed |= len(fit.population.offsets) != len(sections_of(parse_blueprint(blueprint)))
        found[code] = replace(fit, population=None, exam_shifts=None) if changed else fit
    return fits if all(found[code] is fit for code, fit in fits.items()) else found


def _calibrations(now: datetime) -> dict[str, Calibration]:
    url = db.engine.url.render_as_string(hide_password=True)
    kept_with_basis = _of_basis(url)
    if kept_with_basis is not None:
        return kept_with_basis
    top = db.session.scalar(select(func.max(Response.id))) or 0
    fingerprint = int(math.log(top + 1) / math.log(GROWTH))
    with _LOCK:
        kept = _KEPT.get(url)
        stale = kept is not None and (
            kept.fingerprint != fingerprint or time.monotonic() - kept.learnt > TTL_SECONDS
        )
        background = bool(current_app.config.get("READINESS_CALIBRATE_IN_BACKGROUND"))
        if kept is not None and stale and background and not kept.refreshing:
            kept.refreshing = True
            app = current_app._get_current_object()  # type: ignore[attr-defined]
            threading.Thread(
                target=_refresh, args=(app, url, fingerprint, now), daemon=True
            ).start()
        if kept is not None and (not stale or background):
            return kept.fits
    fits = _learn(now)
    with _LOCK:
        _KEPT[url] = _Kept(fingerprint, time.monotonic(), fits)
    return fits


_BASIS_FITS: dict[str, tuple[Hashable, dict[str, Calibration]]] = {}  # URL → (basis, fits)


def _of_basis(url: str) -> dict[str, Calibration] | None:
    """The calibration kept with the basis, decoded once per basis and process."""
    row = db.session.execute(select(ReadinessBasis.id, ReadinessBasis.built_at)).first()
    if row is None:
        return None
    with _LOCK:
        found = _BASIS_FITS.get(url)
    if found is not None and found[0] == tuple(row):
        return found[1]
    stored = db.session.execute(
        select(ReadinessBasis.calibration, ReadinessBasis.difficulties).where(
            ReadinessBasis.id == row.id
        )
    ).first()
    if stored is None or stored.calibration is None:
        return None
    difficulties: dict[Hashable, float] = {int(k): float(v) for k, v in stored.difficulties.items()}
    fits = {code: decode(value, difficulties) for code, value in stored.calibration.items()}
    with _LOCK:
        _BASIS_FITS[url] = (tuple(row), fits)
    return fits


def encode(fit: Calibration) -> dict[str, Any]:
    """A calibration as JSON (its difficulties are the basis's own)."""
    population = fit.population
    return {
        "half_life_days": fit.half_life_days if math.isfinite(fit.half_life_days) else None,
        "population": None
        if population is None
        else {
            "mean": population.mean,
            "spread": population.spread,
            "offsets": None if population.offsets is None else list(population.offsets),
            "section_spread": population.section_spread,
        },
        "learners": fit.learners,
        "trend_per_day": fit.trend_per_day,
        "exam_shifts": None
        if fit.exam_shifts is None
        else [[[float(shift), int(items)] for shift, items in mix] for mix in fit.exam_shifts],
        "repeat_weight": fit.repeat_weight,
        "blueprint": fit.blueprint,
    }


def decode(value: dict[str, Any], difficulties: dict[Hashable, float]) -> Calibration:
    """`encode`'s JSON back as a calibration, with the basis's difficulties."""
    kept = value.get("population")
    population = (
        None
        if kept is None
        else Population(
            mean=float(kept["mean"]),
            spread=float(kept["spread"]),
            offsets=None if kept["offsets"] is None else tuple(map(float, kept["offsets"])),
            section_spread=float(kept["section_spread"]),
        )
    )
    shifts = value.get("exam_shifts")
    half_life = value.get("half_life_days")
    return Calibration(
        half_life_days=math.inf if half_life is None else float(half_life),
        population=population,
        learners=int(value.get("learners", 0)),
        trend_per_day=float(value.get("trend_per_day", 0.0)),
        difficulties=MappingProxyType(difficulties),
        exam_shifts=None
        if shifts is None
        else tuple(tuple((float(s), int(n)) for s, n in mix) for mix in shifts),
        repeat_weight=float(value.get("repeat_weight", REPEAT_WEIGHT)),
        blueprint=str(value.get("blueprint", "")),
    )


def learn(now: datetime) -> dict[str, Calibration]:
    """Learn the calibration afresh (as a rebuild does) and keep it for this process."""
    fits = _learn(now)
    url = db.engine.url.render_as_string(hide_password=True)
    top = db.session.scalar(select(func.max(Response.id))) or 0
    with _LOCK:
        _KEPT[url] = _Kept(int(math.log(top + 1) / math.log(GROWTH)), time.monotonic(), fits)
    return fits


def _refresh(app: Flask, url: str, fingerprint: Hashable, now: datetime) -> None:
    """Learn the calibration again in a thread of its own, then keep it."""
    try:
        with app.app_context():
            try:
                fits = _learn(now)
            finally:
                db.session.remove()
    except Exception:  # the kept calibration stays; the next stale call tries again
        log.exception("the readiness calibration could not be learnt again")
        with _LOCK:
            if url in _KEPT:
                _KEPT[url].refreshing = False
        return
    with _LOCK:
        _KEPT[url] = _Kept(fingerprint, time.monotonic(), fits)


def _learn(now: datetime) -> dict[str, Calibration]:
    """Learn every scheme's calibration from a sample of the platform's learners."""
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
    found = fit_forgetting(raw, blueprints[busiest], now)
    stored = {s.code: blueprint_hash(s.blueprint) for s in schemes}
    return {
        code: replace(
            calibrate(
                raw,
                bp,
                now,
                half_life_days=found.half_life_days,
                repeat_weight=found.repeat_weight,
            ),
            trend_per_day=found.trend_per_day,
            blueprint=stored[code],
        )
        for code, bp in blueprints.items()
    }


def forget() -> None:
    """Drop every kept calibration (after the data was replaced wholesale, as tests do)."""
    with _LOCK:
        _KEPT.clear()
        _BASIS_FITS.clear()


def half_life(now: datetime) -> float:
    """The platform's fitted half-life in days (the same for every scheme)."""
    return _half_life(calibrations(now))


def _half_life(fits: dict[str, Calibration]) -> float:
    return next(iter(fits.values())).half_life_days if fits else Calibration().half_life_days


def summing(now: datetime) -> dict[str, Any]:
    """`grouped_answers` settings: those the kept readiness sums were built under, while
    there are any (app/models/readiness_sums.py: the platform's pages then read them and
    agree with each other), else the calibration's (`learnt_summing`)."""
    basis = db.session.scalars(select(ReadinessBasis)).first()
    if basis is None:
        return learnt_summing(now)
    return {
        "half_life_days": math.inf if basis.half_life_days is None else basis.half_life_days,
        "difficulties": {int(k): float(v) for k, v in basis.difficulties.items()},
        "repeat_weight": basis.repeat_weight,
    }


def learnt_summing(now: datetime, fits: dict[str, Calibration] | None = None) -> dict[str, Any]:
    """`grouped_answers` settings from the calibration (`fits`, else the one in use): the
    half-life, the question versions' estimated difficulties (of every scheme; a version
    serves one level) and the weight of a repeated question's answer."""
    fits = calibrations(now) if fits is None else fits
    difficulties: dict[Hashable, float] = {}
    for fit in fits.values():
        for version, difficulty in fit.difficulties.items():
            difficulties.setdefault(version, difficulty)
    first = next(iter(fits.values()), Calibration())
    return {
        "half_life_days": _half_life(fits),
        "difficulties": difficulties,
        "repeat_weight": first.repeat_weight,
    }


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
