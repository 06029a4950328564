"""Kept readiness results: one row per learner and scheme (app/models/readiness_sums.py,
`ReadinessResult`) holding what the model said at the end of a day and at the trend's
earlier week ends, so that a page reads a row instead of running the model.

A row is used only while it still says what the model would say now:
- `key`: the basis (its build, so its calibration, half-life and difficulties), the
  answer classes, the scheme's blueprint, and the model's code and settings are the same;
- `day`: the same UTC day (`answers.day_end`: pages take readiness at the end of it);
- `revision`: the learner's answers have not changed since (`ReadinessRevision`, counted
  by the scoring flush in `app.services.readiness_sums`).

Only schemes whose calibration has a population are kept: a learner's result then does
not depend on who else is on the page. `app.services.readiness_results` writes the rows;
`team_readiness.scheme_forecasts` reads them and runs the model for everyone else.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Text, cast, func, select

from app.analytics import readiness
from app.analytics.answers import WEEKS, day_end, day_of, kept_basis, plain_rows, week_moment
from app.analytics.calibration import calibrations
from app.analytics.readiness import NODES, more_answers, sections_of
from app.extensions import db
from app.models import ReadinessResult, ReadinessRevision, Scheme

FORMAT = 1  # bump when the rows' meaning changes: older rows are then stale
TREND_NODES = 8  # the trend's earlier points (`team_readiness.TREND_NODES`)


@dataclass(frozen=True)
class Keys:
    """What kept rows must match today: per scheme id, its key; and the day."""

    keys: dict[int, str]
    day: int


def keys(schemes: Sequence[Scheme], now: datetime) -> Keys | None:
    """The keys of the schemes whose results can be kept, as of `now`; None when no
    result can be (no basis, a basis without its calibration, or answer classes that no
    longer match it)."""
    matched = kept_basis()
    if matched is None or not matched[0].calibrated:
        return None
    basis, _classes = matched
    fits = calibrations(now)
    found = {}
    for scheme in schemes:
        fit = fits.get(scheme.code)
        if fit is None or fit.population is None or not scheme.exam_blueprint.sections:
            continue
        text = "|".join(
            map(
                str,
                (
                    FORMAT,
                    basis.built_at.isoformat(),
                    basis.classes_hash,
                    scheme.id,
                    repr(scheme.blueprint),
                    NODES,
                    TREND_NODES,
                    WEEKS,
                    _model_settings(),
                ),
            )
        )
        found[scheme.id] = hashlib.sha256(text.encode()).hexdigest()
    return Keys(found, today(now))


# The model's code: a release that changes it makes every kept row stale.
_MODEL_SOURCE = hashlib.sha256(Path(readiness.__file__).read_bytes()).hexdigest()


def _model_settings() -> str:
    """A fingerprint of the model's code and of its settings as they stand now (the
    module's upper-case constants)."""
    settings = sorted(
        (name, repr(value))
        for name, value in vars(readiness).items()
        if name.isupper() and isinstance(value, int | float | str | tuple)
    )
    return hashlib.sha256(repr((_MODEL_SOURCE, settings)).encode()).hexdigest()


def today(now: datetime) -> int:
    """The day (days since 1970, UTC) whose end readiness is taken at for `now`."""
    return math.floor(day_of(day_end(now)))


def revisions(learners: Sequence[int] | None) -> dict[int, int]:
    """Learner id → revision of their answers (learners never changed since: absent, 0)."""
    stmt = select(ReadinessRevision.learner_id, ReadinessRevision.revision)
    if learners is not None:
        stmt = stmt.where(ReadinessRevision.learner_id.in_(list(learners)))
    return {int(i): int(r) for i, r in db.session.execute(stmt).all()}


def encode(
    scheme: Scheme, current: pd.DataFrame, trend: pd.DataFrame, now: datetime
) -> list[dict[str, Any]]:
    """Rows (without key, revision and day) for every learner in `current` (`readiness`
    as of `day_end(now)`) and `trend` (`weekly_trend`: week_end, learner_id, p_pass)."""
    ids = [s.id for s in sections_of(scheme.exam_blueprint)]
    ends = [pd.Timestamp(week_moment(day_end(now), k)) for k in range(WEEKS - 1, 0, -1)]
    earlier = (
        trend.pivot_table(index="learner_id", columns="week_end", values="p_pass", dropna=False)
        .reindex(index=current["learner_id"], columns=ends)
        .to_numpy(float)
    )
    mastery = current[[f"mastery_{i}" for i in ids]].to_numpy(float)
    evidence = current[[f"evidence_{i}" for i in ids]].to_numpy(float)
    last = current["last_answered"].map(lambda t: None if pd.isna(t) else day_of(t))
    rows = []
    for n, row in enumerate(current.itertuples(index=False)):
        rows.append(
            {
                "learner_id": int(row.learner_id),
                "scheme_id": scheme.id,
                "status": row.status,
                "p_pass": _number(row.p_pass),
                "p_low": _number(row.p_low),
                "p_high": _number(row.p_high),
                "answers": int(row.answers),
                "last_answered": last.iloc[n],
                "mastery": _text(mastery[n]),
                "evidence": _text(evidence[n]),
                "earlier": _text(earlier[n]),
                "needed": {str(k): int(v) for k, v in row.needed.items()} or None,
            }
        )
    return rows


def _number(value: Any) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)


def _text(values: np.ndarray) -> str:
    """Numbers as comma-separated text that reads back exactly ("nan" for none)."""
    return ",".join(repr(float(v)) for v in values)


def _numbers(texts: Sequence[str], width: int) -> np.ndarray:
    """`_text` of many rows back as a rows × width array (ValueError when misshapen)."""
    if not texts:
        return np.empty((0, width))
    flat = np.array(",".join(texts).split(","), dtype=float)
    return flat.reshape(len(texts), width)


@dataclass
class Kept:
    """The kept results found for one scheme: `readiness`'s frame for the learners who
    have one (sorted by id), and the trend's long frame (week_end, learner_id, p_pass)."""

    current: pd.DataFrame
    trend: pd.DataFrame
    learners: set[int]


def read(
    learners: Sequence[int], schemes: Sequence[Scheme], now: datetime, *, details: bool = True
) -> dict[int, Kept]:
    """Scheme id → the kept results of `learners` that still hold (module docstring).

    `details=False` leaves out what only a member table shows (section mastery and
    evidence, what is missing: NaN and nothing), as the organization page needs none."""
    wanted = keys(schemes, now)
    if wanted is None or not wanted.keys or not learners:
        return {}
    revision = func.coalesce(ReadinessRevision.revision, 0)
    more = (
        [ReadinessResult.mastery, ReadinessResult.evidence, cast(ReadinessResult.needed, Text)]
        if details
        else []
    )
    stmt = (
        select(
            ReadinessResult.scheme_id,
            ReadinessResult.key,
            ReadinessResult.learner_id,
            ReadinessResult.status,
            ReadinessResult.p_pass,
            ReadinessResult.p_low,
            ReadinessResult.p_high,
            ReadinessResult.answers,
            ReadinessResult.last_answered,
            ReadinessResult.earlier,
            *more,
        )
        .outerjoin(ReadinessRevision, ReadinessRevision.learner_id == ReadinessResult.learner_id)
        .where(
            ReadinessResult.scheme_id.in_(list(wanted.keys)),
            ReadinessResult.learner_id.in_(list(learners)),
            ReadinessResult.day == wanted.day,
            ReadinessResult.revision == revision,
        )
        .order_by(ReadinessResult.scheme_id, ReadinessResult.learner_id)
    )
    rows = plain_rows(stmt)
    by_scheme: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        if wanted.keys.get(row[0]) == row[1]:
            by_scheme.setdefault(row[0], []).append(row[2:])
    found = {}
    for scheme in schemes:
        if scheme.id in by_scheme:
            try:
                found[scheme.id] = _decode(scheme, by_scheme[scheme.id], now, details)
            except ValueError:  # not the blueprint's shape: computed instead
                continue
    return found


def _decode(scheme: Scheme, rows: list[tuple[Any, ...]], now: datetime, details: bool) -> Kept:
    sections = sections_of(scheme.exam_blueprint)
    columns = list(zip(*rows, strict=True))
    learner, status, p_pass, p_low, p_high, answers, last, earlier = columns[:8]
    ids = np.array(learner, dtype=np.int64)
    chance = np.array(p_pass, dtype=float)
    if details:
        mastery = _numbers(columns[8], len(sections))
        evidence = _numbers(columns[9], len(sections))
        needed = [{} if n is None else (json.loads(n) or {}) for n in columns[10]]
    else:
        mastery = evidence = np.full((len(ids), len(sections)), np.nan)
        needed = [{}] * len(ids)
    titles = {s.id: s.title for s in sections}
    data: dict[str, Any] = {
        "learner_id": ids,
        "status": list(status),
        "p_pass": chance,
        "p_low": np.array(p_low, dtype=float),
        "p_high": np.array(p_high, dtype=float),
    }
    data |= {f"mastery_{s.id}": mastery[:, j] for j, s in enumerate(sections)}
    data |= {f"evidence_{s.id}": evidence[:, j] for j, s in enumerate(sections)}
    data["answers"] = np.array(answers, dtype=np.int64)
    data["last_answered"] = pd.to_datetime(
        np.array(last, dtype=float) * 86400.0, unit="s", utc=True
    )
    data["needed"] = needed
    data["missing"] = [
        tuple(more_answers(titles, sid, n) for sid, n in want.items()) if want else ()
        for want in needed
    ]
    # The trend: earlier points without a forecast are left out, as the model leaves out
    # learners who had not answered yet (readers take both alike); then now.
    end = day_end(now)
    past = np.column_stack([_numbers(earlier, WEEKS - 1), chance])  # oldest first, then now
    moments = [pd.Timestamp(week_moment(end, k)) for k in range(WEEKS - 1, -1, -1)]
    has = ~np.isnan(past)
    has[:, -1] = True  # now: everyone, as `weekly_trend` takes it from `readiness`
    point, person = np.nonzero(has.T)
    trend = pd.DataFrame(
        {
            "week_end": pd.DatetimeIndex(moments).tz_convert("UTC")[point],
            "learner_id": ids[person],
            "p_pass": past.T[point, person],
        }
    )
    return Kept(pd.DataFrame(data), trend, set(ids.tolist()))
