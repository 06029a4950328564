"""Readiness backtest: how well did the pass probability predict the mock exams people sat?

For every closed mock exam of a scheme, the readiness model (`app.analytics.readiness`)
is given the learner's final answers from strictly before the mock started (never the
mock's own answers, nor anything later) and asked, as of that moment, how likely a pass
was; the prediction is then set against what happened. Pure functions over DataFrames;
`app.analytics.backtest_report` reads them from the database.

Inputs:
- `answers`: raw graded answers as `readiness` reads them (learner_id, item_id, clauses,
  level, difficulty, score, max_score, answered_at, optionally type and attempt_id);
- `mocks`: one row per closed mock exam of the scheme: attempt_id, learner_id,
  started_at (UTC), passed (True, False, or missing while marking is pending).

One batch, not one model call per mock: each mock becomes a *pseudo-learner* (its
learner_id is the mock's attempt_id) whose rows are its learner's earlier answers, with
recency weights w = 0.5 ** (age at the mock's start / half-life), in the aggregated
form `readiness` accepts (weight = w, right = w × score fraction, answers = 1). One
`readiness` call then forecasts thousands of mocks. Only the most recent `limit`
(MAX_MOCKS) mocks with a result are predicted; mocks whose learner had too little
evidence are counted as insufficient, not predicted.

Output (`Backtest`): the predictions (attempt_id, learner_id, started_at, status, p_pass,
passed, previous_passed, answers), a reliability table in BANDS equal-width bands of
p_pass (mocks, mean predicted, observed pass rate with its Wilson interval at
CONFIDENCE), Brier scores of the model and of two naive rules, and the counts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from app.analytics.readiness import (
    FRESH,
    REPEAT_WEIGHT,
    Population,
    membership,
    readiness,
    sections_of,
    with_repeats,
)
from app.domain.blueprint import Blueprint

MAX_MOCKS = 5_000  # the most recent mocks of a scheme that are predicted
BANDS = 10  # equal-width bands of predicted probability: 0–10%, …, 90–100%
CONFIDENCE = 0.90  # of the Wilson interval around each band's observed pass rate
MOCK_COLUMNS = ("attempt_id", "learner_id", "started_at", "passed")
# The raw answer columns `readiness` reads; the rest are not copied for each mock.
_READ = (
    "learner_id",
    "item_id",
    "clauses",
    "level",
    "difficulty",
    "type",
    "score",
    "max_score",
    "answered_at",
    FRESH,
)
PREDICTION_COLUMNS = [
    "attempt_id",
    "learner_id",
    "started_at",
    "status",
    "p_pass",
    "passed",
    "previous_passed",
    "answers",
]


@dataclass(frozen=True)
class BrierScores:
    """Mean squared error of the forecasts (lower is better) and of naive rules.

    `model` and `base_rate` are over every predicted mock; `base_rate` predicts each one
    with the observed pass rate of them all (`rate`). `previous` predicts a pass exactly
    when the learner passed their previous mock of the scheme, and is comparable with
    `model_on_previous`: the model over the same `with_previous` mocks.
    """

    model: float
    base_rate: float
    rate: float
    previous: float
    model_on_previous: float
    with_previous: int


@dataclass(frozen=True)
class Counts:
    """How many mocks the backtest saw and what became of them."""

    mocks: int  # closed mocks of the scheme with a result
    considered: int  # the most recent of them, at most the limit
    predicted: int
    insufficient: int  # the learner's earlier answers were too few for a forecast
    unscored: int  # closed mocks without a result yet (an essay awaiting its mark)
    limit: int

    @property
    def capped(self) -> bool:
        """True when older mocks were left out to keep to the limit."""
        return self.considered < self.mocks


@dataclass(frozen=True)
class Backtest:
    """A scheme's backtest: per-mock predictions, reliability bands, scores and counts."""

    predictions: pd.DataFrame  # PREDICTION_COLUMNS, most recent mock first
    bands: pd.DataFrame  # band, low, high, mocks, mean_predicted, observed, observed_low, …
    brier: BrierScores
    counts: Counts
    half_life_days: float


def backtest(
    answers: pd.DataFrame,
    mocks: pd.DataFrame,
    blueprint: Blueprint,
    *,
    half_life_days: float,
    population: Population | None = None,
    model: Mapping[str, Any] | None = None,
    limit: int = MAX_MOCKS,
) -> Backtest:
    """Predict each of the most recent `limit` mocks from the answers before it (module
    docstring) and score the predictions. `model` holds further `readiness` settings from
    the calibration (trend, item difficulties, exam mix)."""
    scored = mocks[mocks["passed"].notna()]
    considered = most_recent(scored, limit)
    considered = considered.assign(previous_passed=previous_results(scored, considered))
    forecast = predict(answers, considered, blueprint, half_life_days, population, model)
    predictions = considered.merge(forecast, on="attempt_id", how="left")
    predictions = predictions[PREDICTION_COLUMNS].reset_index(drop=True)
    done = predictions[predictions["status"] == "ok"]
    counts = Counts(
        mocks=len(scored),
        considered=len(considered),
        predicted=len(done),
        insufficient=int((predictions["status"] != "ok").sum()),
        unscored=len(mocks) - len(scored),
        limit=limit,
    )
    return Backtest(
        predictions=predictions,
        bands=reliability(done["p_pass"], done["passed"]),
        brier=brier_scores(done),
        counts=counts,
        half_life_days=half_life_days,
    )


def most_recent(mocks: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` most recent mocks by start (latest first; ties by attempt id)."""
    ordered = mocks.sort_values(["started_at", "attempt_id"], ascending=False, kind="stable")
    return ordered.head(limit).assign(passed=lambda t: t["passed"].astype(bool))


def previous_results(every: pd.DataFrame, chosen: pd.DataFrame) -> pd.Series:
    """For each mock in `chosen`, whether its learner passed the mock before it in `every`
    (the scheme's mocks with a result), as a nullable boolean aligned with `chosen`."""
    ordered = every.sort_values(["started_at", "attempt_id"], kind="stable")
    before = ordered.groupby("learner_id", sort=False)["passed"].shift(1)
    by_attempt = pd.Series(before.to_numpy(), index=ordered["attempt_id"].to_numpy())
    found = by_attempt.reindex(chosen["attempt_id"].to_numpy()).astype("boolean")
    return pd.Series(found.to_numpy(), index=chosen.index, dtype="boolean")


def prior_answers(
    answers: pd.DataFrame, mocks: pd.DataFrame, half_life_days: float
) -> pd.DataFrame:
    """The aggregated `readiness` input of every mock as a pseudo-learner (learner_id =
    the mock's attempt_id): its learner's answers from strictly before the mock started,
    never the mock's own, weighted by their age at the mock's start (times FRESH, the
    weight of a repeated question's answer, where given)."""
    when = pd.to_datetime(answers["answered_at"], utc=True)
    index = pd.DataFrame(
        {
            "learner_id": answers["learner_id"].to_numpy(),
            "row": np.arange(len(answers)),
        }
    ).assign(answered_at=when.reset_index(drop=True))
    starts = mocks[["attempt_id", "learner_id", "started_at"]].assign(
        started_at=pd.to_datetime(mocks["started_at"], utc=True)
    )
    pairs = starts.merge(index, on="learner_id")
    keep = (pairs["answered_at"] < pairs["started_at"]).to_numpy()
    if "attempt_id" in answers.columns:
        own = answers["attempt_id"].to_numpy()[pairs["row"].to_numpy()]
        keep = keep & (own != pairs["attempt_id"].to_numpy())
    pairs = pairs[keep]
    wanted = [c for c in answers.columns if c in _READ]
    rows = answers[wanted].iloc[pairs["row"].to_numpy()]
    age = (pairs["started_at"] - pairs["answered_at"]).dt.total_seconds().to_numpy() / 86400.0
    weight = 0.5 ** (age / half_life_days)
    if FRESH in rows.columns:
        weight = weight * rows[FRESH].to_numpy(float)
    fraction = rows["score"].to_numpy(float) / rows["max_score"].to_numpy(float)
    return rows.assign(
        learner_id=pairs["attempt_id"].to_numpy(),
        weight=weight,
        right=weight * np.clip(fraction, 0.0, 1.0),
        answers=1,
    ).reset_index(drop=True)


def predict(
    answers: pd.DataFrame,
    mocks: pd.DataFrame,
    blueprint: Blueprint,
    half_life_days: float,
    population: Population | None = None,
    model: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """attempt_id, status ("ok" or "insufficient"), p_pass and answers (earlier answers in
    the blueprint's scope) per mock, from one `readiness` call over all of them. A repeated
    question's answer weighs `model["repeat_weight"]` (REPEAT_WEIGHT when not given)."""
    repeat_weight = float((model or {}).get("repeat_weight", REPEAT_WEIGHT))
    graded = with_repeats(answers[answers["score"].notna()], repeat_weight)
    rows = prior_answers(in_scope(graded, blueprint), mocks, half_life_days)
    found = pd.DataFrame({"attempt_id": mocks["attempt_id"].to_numpy()})
    if len(rows):
        latest = pd.to_datetime(mocks["started_at"], utc=True).max()
        now: datetime = latest.to_pydatetime()
        table = readiness(
            rows,
            blueprint,
            now,
            half_life_days=half_life_days,
            population=population,
            **(model or {}),
        )
        table = table.rename(columns={"learner_id": "attempt_id"})
        found = found.merge(table[["attempt_id", "status", "p_pass", "answers"]], how="left")
    else:
        found = found.assign(status=None, p_pass=np.nan, answers=0)
    found["status"] = found["status"].where(found["status"] == "ok", "insufficient")
    found["answers"] = found["answers"].fillna(0).astype(int)
    return found


def in_scope(answers: pd.DataFrame, blueprint: Blueprint) -> pd.DataFrame:
    """The graded answers the blueprint's sections take (its levels, clauses and types):
    the only ones `readiness` would read, left out before they are copied for each mock."""
    graded = answers[answers["score"].notna()]
    if blueprint.levels is not None:
        graded = graded[graded["level"].isin(blueprint.levels)]
    return graded[membership(graded, sections_of(blueprint)).any(axis=1)]


def reliability(
    p_pass: pd.Series, passed: pd.Series, bands: int = BANDS, confidence: float = CONFIDENCE
) -> pd.DataFrame:
    """One row per equal-width band of predicted probability (band 0 is 0–10% with ten
    bands; 1.0 falls in the top band): band, low, high, mocks, mean_predicted, observed
    (pass rate) and observed_low/observed_high (Wilson interval at `confidence`). Empty
    bands have 0 mocks and NaN figures."""
    p = np.asarray(p_pass, dtype=float)
    y = np.asarray(passed, dtype=float)
    band = np.clip(np.floor(p * bands), 0, bands - 1).astype(int)
    mocks = np.bincount(band, minlength=bands)
    passes = np.bincount(band, y, minlength=bands)
    total_p = np.bincount(band, p, minlength=bands)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(mocks > 0, total_p / mocks, np.nan)
        observed = np.where(mocks > 0, passes / mocks, np.nan)
    low, high = wilson_interval(passes, mocks, confidence)
    edges = np.linspace(0.0, 1.0, bands + 1)
    return pd.DataFrame(
        {
            "band": np.arange(bands),
            "low": edges[:-1],
            "high": edges[1:],
            "mocks": mocks,
            "mean_predicted": mean,
            "observed": observed,
            "observed_low": low,
            "observed_high": high,
        }
    )


def wilson_interval(
    successes: np.ndarray, trials: np.ndarray, confidence: float = CONFIDENCE
) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of a binomial proportion, elementwise (NaN at 0 trials)."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = k / n
        scale = 1 + z**2 / n
        centre = (share + z**2 / (2 * n)) / scale
        half = z / scale * np.sqrt(share * (1 - share) / n + z**2 / (4 * n**2))
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def brier(p: pd.Series | np.ndarray, outcome: pd.Series | np.ndarray) -> float:
    """Mean of (prediction − outcome)²; NaN with no predictions."""
    predicted = np.asarray(p, dtype=float)
    happened = np.asarray(outcome, dtype=float)
    return float(np.mean((predicted - happened) ** 2)) if len(predicted) else math.nan


def brier_scores(done: pd.DataFrame) -> BrierScores:
    """The model's Brier score against the base rate and "passed the previous mock"
    (`BrierScores`), over predicted mocks (p_pass, passed, previous_passed)."""
    passed = done["passed"].astype(float)
    rate = float(passed.mean()) if len(done) else math.nan
    earlier = done[done["previous_passed"].notna()]
    return BrierScores(
        model=brier(done["p_pass"], passed),
        base_rate=brier(np.full(len(done), rate), passed),
        rate=rate,
        previous=brier(earlier["previous_passed"].astype(float), earlier["passed"]),
        model_on_previous=brier(earlier["p_pass"], earlier["passed"]),
        with_previous=len(earlier),
    )
