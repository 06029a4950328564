"""Reliability of a test form: coefficient alpha per form, never above 1.

Alpha = P/(P−1) · (1 − Σ var(x_i) / var(T)) (Cronbach's alpha; KR-20 for 0/1 items) only
means something over attempts of one form: the same blueprint and the same number of
items P. Over attempts of different lengths var(T) holds the differences in length
(an 8-item practice set against a 40-item mock) and alpha can pass 1; so alpha is
computed per form, and a set of attempts of mixed lengths gets none.

Forms are drawn at random from a pool, so two attempts of a form rarely hold the same
items. Each score is taken as its deviation from the item's mean over the form's
attempts, d = x − mean(x_i), and the attempt's total as T' = Σ d over its items. Then

    V = Σ_attempts Σ_items d² / (s − 1)      var(T') = Σ_attempts T'² / (s − 1)
    alpha = P/(P−1) · (1 − V / var(T'))

with s attempts. When every attempt holds every item, V = Σ var(x_i) and var(T') =
var(T): the textbook formula exactly. With random forms, taking out the item means
removes the differences in difficulty between the drawn forms, which would otherwise
pass for differences between learners. And alpha can never exceed 1: by Cauchy–Schwarz
(Σ of at most P deviations)² ≤ P · Σ d², so var(T') ≤ P · V. Where items are met only a
few times, their means absorb a little of the learners' spread, so alpha leans low
(about 0.04 below the fixed-form value with 40 items from 300 and 40 attempts, in
simulation). SEM = √(1 − alpha) × sd(T') (for one fixed form sd(T') = sd(T)).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

# Below this share of Σ T², a sum of squared deviations is rounding noise: the totals are flat.
_FLAT = 1e-12
COLUMNS = ["attempts", "length", "items", "mean", "sd", "alpha", "error_ratio", "sem"]


def coefficient_alpha(
    item: np.ndarray, attempt: np.ndarray, x: np.ndarray, length: int
) -> tuple[float, float]:
    """Alpha over the attempts of one form, and sd(T') (module docstring).

    `item` and `attempt` are integer codes from 0 (one row per response), `x` the
    scores, `length` P, the number of items of the form (at least the rows of any
    attempt). NaN where undefined: fewer than two attempts, P below 2, or T' flat.
    """
    n_attempts = int(attempt.max(initial=-1)) + 1
    if n_attempts < 2 or length < 2:
        return np.nan, np.nan
    n_items = int(item.max()) + 1
    count = np.bincount(item, minlength=n_items)
    mean = np.bincount(item, x, n_items) / np.maximum(count, 1)
    d = x - mean[item]
    adjusted = np.bincount(attempt, d, n_attempts)
    adjusted -= adjusted.mean()  # zero up to rounding: each item's deviations add to 0
    sum_sq = float((adjusted * adjusted).sum())
    totals = np.bincount(attempt, x, n_attempts)
    if sum_sq <= _FLAT * max(float((totals * totals).sum()), 1.0):
        return np.nan, np.nan
    var_t = sum_sq / (n_attempts - 1)
    v = float((d * d).sum()) / (n_attempts - 1)
    alpha = length / (length - 1) * (1 - v / var_t)
    return alpha, float(np.sqrt(var_t))


def form_reliability(
    responses: pd.DataFrame, forms: Mapping[Any, Hashable], min_attempts: int = 2
) -> pd.DataFrame:
    """Reliability per form, one row per form (indexed by the form key, as first met).

    `responses`: columns `attempt_id`, `item_id`, `score` (as for `item_analysis`).
    `forms`: attempt id → form key; attempts not in it are left out. A form's length P
    is the most items any of its attempts holds (an attempt with fewer rows, such as an
    essay still awaiting marking, misses those items). Columns: attempts, length, items
    (distinct items met), mean and sd of the raw totals T, alpha, error_ratio and sem
    (module docstring); alpha and what follows are NaN below `min_attempts` attempts.
    """
    form = responses["attempt_id"].map(lambda a: forms.get(a))
    kept = responses.assign(form=form)[form.notna().to_numpy()]
    rows: dict[Hashable, dict[str, float]] = {}
    for key, group in kept.groupby("form", sort=False):
        rows[key] = _one_form(group, min_attempts)
    index = pd.Index(list(rows), name="form", tupleize_cols=False, dtype=object)
    table = pd.DataFrame(list(rows.values()), index=index, columns=COLUMNS)
    return table.astype({"attempts": np.int64, "length": np.int64, "items": np.int64})


def _one_form(group: pd.DataFrame, min_attempts: int) -> dict[str, float]:
    """The figures of one form's responses."""
    attempt, _ = pd.factorize(group["attempt_id"].to_numpy())
    item, _ = pd.factorize(group["item_id"].to_numpy())
    x = group["score"].to_numpy(dtype=float)
    lengths = np.bincount(attempt)
    totals = pd.Series(np.bincount(attempt, x))
    s, length = len(lengths), int(lengths.max(initial=0))
    alpha, sd_adjusted = (
        coefficient_alpha(item, attempt, x, length) if s >= min_attempts else (np.nan, np.nan)
    )
    error_ratio = float(np.sqrt(1 - alpha)) if alpha <= 1 else np.nan
    return {
        "attempts": s,
        "length": length,
        "items": int(item.max(initial=-1)) + 1,
        "mean": float(totals.mean()) if s else np.nan,
        "sd": float(totals.std(ddof=1)) if s > 1 else np.nan,
        "alpha": alpha,
        "error_ratio": error_ratio,
        "sem": error_ratio * sd_adjusted,
    }
