"""Item and test statistics of classical test theory, as pure pandas/numpy maths.

Input: one row per response, with columns `attempt_id`, `item_id`, `score` (x, the marks
earned), `max_score` (m, the item's marks) and optionally `option_id` (the option chosen
in a single-choice item; NaN/None otherwise). Ids may be any hashable; the app passes
question-version ids so that each version is analysed on its own.

Forms are drawn at random, so an attempt holds only some items. The attempt total is
T = Σ x over the attempt's rows; for item i the rest score is R_i = T − x_i, and every
item statistic uses only the attempts that contain item i (s_i of them). Variances and
covariances divide by s_i − 1. When every attempt holds every item these are exactly
the textbook figures:

- facility F = mean(x) / m; item sd = sd(x) / m;
- random guess score: the expected fraction earned by answering at random (given);
- intended weight = m_i / mean of M over the attempts holding i, where M is the
  attempt's maximum (Σ m_j of its items); with one fixed form this is m_i / Σ_j m_j;
- effective weight = √cov(x_i, T) / mean of D over the attempts holding i, where
  D = Σ_j √cov(x_j, T) over the attempt's items; with one fixed form this is
  √cov(x_i, T) / Σ_j √cov(x_j, T). A negative covariance leaves D undefined for the
  attempts holding that item, so the effective weight is NaN for every item sharing an
  attempt with it (with one fixed form: for all items);
- discrimination index = corr(x_i, R_i);
- discriminative efficiency = cov(x_i, R_i) / cov_max, where cov_max is the covariance
  of x_i and R_i after sorting each independently (the largest reachable).

Test figures over all s attempts: mean, median and sd of T; skewness k3/k2^1.5 and
excess kurtosis k4/k2² from k-statistics (what pandas' skew() and kurt() compute);
Cronbach's alpha (KR-20 for 0/1 items) = P/(P−1) · (1 − Σ var(x_i) / var(T)); error
ratio √(1 − alpha); standard error of measurement = error ratio × sd(T). Alpha is only
given when every attempt holds the same number of items P (one form); with random forms
it is taken over scores as deviations from their item's mean, which makes it at most 1
(`app.analytics.reliability`, which also gives alpha form by form). The
histogram counts T as a percentage of the attempt's maximum M in HISTOGRAM_BINS equal
bins over 0–100 %, widened when negative marks or bonuses fall outside.

Distractors (when `option_id` is given), one row per item and option: count of the
item's attempts choosing it, share = count / s_i (unanswered attempts stay in s_i),
mean_rest = mean R_i of its choosers, is_key, upper / lower = choosers whose R_i is above
/ below the median R_i of the item's attempts (ties with the median are in neither half),
key_upper = upper of the item's key, and beats_key: a non-key option with more upper
choosers than the key. The key comes from the `options` frame when it has `is_key`;
otherwise it is inferred as an option chosen at least once whose every chooser earned
the item's full marks.

`flags` turns the tables into readable reasons; its docstring gives the thresholds.

A score, rest or total whose values do not vary gives NaN for every figure that would
divide by its variance — never an error and never a warning.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from app.analytics.reliability import coefficient_alpha
from app.domain.messages import Message

EASY_ABOVE = 0.90
HARD_BELOW = 0.20
WEAK_BELOW = 0.15
HISTOGRAM_BINS = 10
# Below this share of Σx², a sum of squared deviations is rounding noise: the values are flat.
_FLAT = 1e-12
REQUIRED = ("attempt_id", "item_id", "score", "max_score")


@dataclass(frozen=True)
class TestSummary:
    """Figures for the whole set of attempts (see the module docstring for definitions)."""

    __test__: ClassVar[bool] = False  # a result, not a pytest class

    attempts: int
    items: int
    items_per_attempt: float
    mean: float
    median: float
    sd: float
    skewness: float
    kurtosis: float
    alpha: float
    error_ratio: float
    sem: float
    histogram_edges: tuple[float, ...]  # HISTOGRAM_BINS + 1 edges, % of the attempt's maximum
    histogram_counts: tuple[int, ...]  # attempts per bin; the last bin includes its right edge


@dataclass(frozen=True)
class ItemAnalysis:
    """Per-item table, distractor table (None without `option_id`) and test summary."""

    items: pd.DataFrame
    distractors: pd.DataFrame | None
    test: TestSummary


@dataclass(frozen=True)
class _Coded:
    """Responses as integer codes and float arrays; per-row, per-item and per-attempt."""

    item_ids: pd.Index
    item: np.ndarray  # row → item code
    attempt: np.ndarray  # row → attempt code
    x: np.ndarray  # row → score
    rest: np.ndarray  # row → T − x
    max_score: np.ndarray  # item → m
    count: np.ndarray  # item → attempts holding it
    total: np.ndarray  # attempt → T
    attempt_max: np.ndarray  # attempt → Σ m of its items
    length: np.ndarray  # attempt → number of items


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and unique values, sorted when the values can be ordered."""
    codes: tuple[np.ndarray, np.ndarray]
    try:
        codes = pd.factorize(values, sort=True)
    except TypeError:
        codes = pd.factorize(values)
    return codes


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """top / bottom where bottom > 0, else NaN (no warning)."""
    out = np.full(np.shape(top), np.nan)
    ratio: np.ndarray = np.divide(top, bottom, out=out, where=np.asarray(bottom) > 0)
    return ratio


def _code(responses: pd.DataFrame) -> _Coded:
    """Check the columns and turn the responses into codes and per-attempt totals."""
    missing = [name for name in REQUIRED if name not in responses.columns]
    if missing:
        raise ValueError(f"responses lack the columns {missing}")
    item, item_ids = _factorize(responses["item_id"].to_numpy())
    attempt, _ = pd.factorize(responses["attempt_id"].to_numpy())
    x = responses["score"].to_numpy(dtype=float)
    row_max = responses["max_score"].to_numpy(dtype=float)
    if (item < 0).any() or (attempt < 0).any() or np.isnan(x).any() or np.isnan(row_max).any():
        raise ValueError("every response needs an attempt_id, item_id, score and max_score")
    n_items, n_attempts = len(item_ids), int(attempt.max(initial=-1)) + 1
    if pd.Index(attempt.astype(np.int64) * n_items + item).has_duplicates:
        raise ValueError("an attempt holds the same item more than once")
    count = np.bincount(item, minlength=n_items)
    max_score = np.bincount(item, row_max, n_items) / np.maximum(count, 1)
    if not np.allclose(row_max, max_score[item]):
        raise ValueError("an item has different max_score values; analyse versions apart")
    total = np.bincount(attempt, x, n_attempts)
    return _Coded(
        item_ids=pd.Index(item_ids, name="item_id", tupleize_cols=False),
        item=item,
        attempt=attempt,
        x=x,
        rest=total[attempt] - x,
        max_score=max_score,
        count=count,
        total=total,
        attempt_max=np.bincount(attempt, max_score[item], n_attempts),
        length=np.bincount(attempt, minlength=n_attempts),
    )


def item_analysis(
    responses: pd.DataFrame,
    guess: Mapping[Hashable, float] | None = None,
    options: pd.DataFrame | None = None,
) -> ItemAnalysis:
    """Item table, distractor table and test summary of a set of responses.

    `responses`: columns `attempt_id`, `item_id`, `score`, `max_score`, optional
    `option_id`; one row per item of an attempt (unanswered items score 0). Raises
    ValueError on a missing column or value, on an item twice in one attempt, and on an
    item whose rows disagree on max_score.
    `guess`: item id → random guess score (a fraction of the marks); NaN where unknown.
    `options`: columns `item_id`, `option_id` and optional `is_key`, listing every option
    of the single-choice items, so that options nobody chose appear in the distractor
    table; with `is_key` the keys are taken from it, otherwise the key is inferred.

    `items`, indexed by item_id: attempts, max_score, facility, sd, random_guess,
    intended_weight, effective_weight, discrimination, discriminative_efficiency.
    See the module docstring for the definitions and `distractor_table` for `distractors`.
    """
    coded = _code(responses)
    items, median_rest = _item_table(coded, guess or {})
    distractors = None
    if "option_id" in responses.columns:
        chosen = responses["option_id"].to_numpy()
        distractors = _distractor_table(coded, chosen, median_rest, options)
    return ItemAnalysis(items, distractors, _test_summary(coded))


def _per_item(c: _Coded, weights: np.ndarray) -> np.ndarray:
    """Sum of per-row `weights` for each item."""
    return np.bincount(c.item, weights, len(c.item_ids))


def _item_table(c: _Coded, guess: Mapping[Hashable, float]) -> tuple[pd.DataFrame, np.ndarray]:
    """The per-item table and each item's median rest score."""
    n = c.count.astype(float)
    mean_x, mean_r = _per_item(c, c.x) / n, _per_item(c, c.rest) / n
    dx, dr = c.x - mean_x[c.item], c.rest - mean_r[c.item]
    sxx, srr, sxr = _per_item(c, dx * dx), _per_item(c, dr * dr), _per_item(c, dx * dr)
    flat_x = sxx <= _FLAT * _per_item(c, c.x * c.x)
    flat_r = srr <= _FLAT * _per_item(c, c.rest * c.rest)
    varies = ~(flat_x | flat_r)
    var_x = _ratio(np.where(flat_x, 0.0, sxx), n - 1)
    top_pairs, median_rest = _sorted_pairs(c, mean_x, mean_r)
    table = pd.DataFrame(
        {
            "attempts": c.count,
            "max_score": c.max_score,
            "facility": _ratio(mean_x, c.max_score),
            "sd": _ratio(np.sqrt(var_x), c.max_score),
            "random_guess": c.item_ids.map(lambda key: guess.get(key, np.nan)).to_numpy(float),
            "intended_weight": _ratio(c.max_score, _mean_over_attempts(c, c.attempt_max)),
            "effective_weight": _effective_weight(c, np.where(flat_x, 0.0, sxx + sxr), n),
            "discrimination": np.clip(_ratio(sxr, np.sqrt(sxx * srr) * varies), -1.0, 1.0),
            "discriminative_efficiency": _ratio(sxr, top_pairs * varies),
        },
        index=c.item_ids,
    )
    return table, median_rest


def _sorted_pairs(
    c: _Coded, mean_x: np.ndarray, mean_r: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Σ of (x − x̄)(R − R̄) with x and R each sorted within the item, and the median R."""
    by_x = np.lexsort((c.x, c.item))
    by_rest = np.lexsort((c.rest, c.item))
    item = c.item[by_x]  # equal to c.item[by_rest]: both sort by item first
    rest = c.rest[by_rest]
    pairs = (c.x[by_x] - mean_x[item]) * (rest - mean_r[item])
    starts = np.cumsum(c.count) - c.count
    median = (rest[starts + (c.count - 1) // 2] + rest[starts + c.count // 2]) / 2
    return np.bincount(item, pairs, len(c.item_ids)), median


def _mean_over_attempts(c: _Coded, per_attempt: np.ndarray) -> np.ndarray:
    """For each item, the mean of a per-attempt figure over the attempts holding it."""
    mean: np.ndarray = _per_item(c, per_attempt[c.attempt]) / c.count
    return mean


def _effective_weight(c: _Coded, sum_xt: np.ndarray, n: np.ndarray) -> np.ndarray:
    """√cov(x_i, T) over the mean, across i's attempts, of Σ √cov(x_j, T) in the attempt."""
    cov_t = _ratio(sum_xt, n - 1)  # cov(x, T) = cov(x, R) + var(x); NaN when seen once
    root = np.sqrt(np.where(cov_t >= 0, cov_t, np.nan))
    share = np.where(np.isnan(cov_t), 0.0, root)  # negative → NaN, spreads to its attempts
    per_attempt = np.bincount(c.attempt, share[c.item], len(c.total))
    return _ratio(root, _mean_over_attempts(c, per_attempt))


def _test_summary(c: _Coded) -> TestSummary:
    """Distribution of totals, alpha, error ratio, SEM and histogram (module docstring)."""
    total = pd.Series(c.total)
    s = len(total)
    sum_sq = float(((total - total.mean()) ** 2).sum()) if s else 0.0
    flat = sum_sq <= _FLAT * float((total * total).sum())
    var_t = sum_sq / (s - 1) if s > 1 and not flat else np.nan
    length = float(c.length.mean()) if s else np.nan
    alpha, sd_adjusted = np.nan, np.nan
    if s and c.length.min() == c.length.max():  # one length: alpha means something
        alpha, sd_adjusted = coefficient_alpha(c.item, c.attempt, c.x, int(c.length[0]))
    error_ratio = float(np.sqrt(1 - alpha)) if alpha <= 1 else np.nan
    sd = float(np.sqrt(var_t)) if not np.isnan(var_t) else (0.0 if s > 1 else np.nan)
    edges, counts = _histogram(_ratio(100 * c.total, c.attempt_max))
    return TestSummary(
        attempts=s,
        items=len(c.item_ids),
        items_per_attempt=length,
        mean=float(total.mean()) if s else np.nan,
        median=float(total.median()) if s else np.nan,
        sd=sd,
        skewness=float(total.skew()) if not flat else np.nan,
        kurtosis=float(total.kurt()) if not flat else np.nan,
        alpha=alpha,
        error_ratio=error_ratio,
        sem=error_ratio * sd_adjusted,
        histogram_edges=edges,
        histogram_counts=counts,
    )


def _histogram(percent: np.ndarray) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """HISTOGRAM_BINS equal bins over 0–100 %, widened to take negative or bonus marks."""
    percent = percent[~np.isnan(percent)]
    low = min(0.0, float(percent.min(initial=0.0)))
    high = max(100.0, float(percent.max(initial=100.0)))
    edges = np.linspace(low, high, HISTOGRAM_BINS + 1)
    counts = np.histogram(percent, edges)[0]
    return tuple(edges.tolist()), tuple(counts.tolist())


def _distractor_table(
    c: _Coded, chosen: np.ndarray, median_rest: np.ndarray, options: pd.DataFrame | None
) -> pd.DataFrame:
    """The distractor table (module docstring): chosen options, and those `options` lists."""
    picked = ~pd.isna(chosen)
    item, rest = c.item[picked], c.rest[picked]
    values = chosen[picked]
    if values.dtype.kind == "f" and np.array_equal(values, np.round(values)):
        values = values.astype(np.int64)  # integer ids that NaN turned into floats
    option, option_ids = pd.factorize(values)
    group, keys = pd.factorize(item.astype(np.int64) * max(len(option_ids), 1) + option)
    sums = pd.DataFrame(
        {
            "item": keys // max(len(option_ids), 1),
            "option_id": np.asarray(option_ids, dtype=object)[keys % max(len(option_ids), 1)],
            "count": np.bincount(group),
            "rest_sum": np.bincount(group, rest),
            "upper": np.bincount(group, rest > median_rest[item]),
            "lower": np.bincount(group, rest < median_rest[item]),
            "full": np.bincount(group, c.x[picked] >= c.max_score[item]),
        }
    )
    table = _with_listed_options(sums, c, options)
    return _finish_distractors(table, c)


def _with_listed_options(
    sums: pd.DataFrame, c: _Coded, options: pd.DataFrame | None
) -> pd.DataFrame:
    """Add the options nobody chose from `options`, and its keys when it has `is_key`."""
    if options is None:
        return sums.assign(is_key=(sums["full"] == sums["count"]) & (sums["count"] > 0))
    listed = pd.DataFrame(
        {
            "item": c.item_ids.get_indexer(pd.Index(options["item_id"], tupleize_cols=False)),
            "option_id": options["option_id"].to_numpy(dtype=object),
        }
    )
    if "is_key" in options.columns:
        listed["is_key"] = options["is_key"].to_numpy(dtype=bool)
    listed = listed[listed["item"] >= 0]
    table = sums.merge(listed, on=["item", "option_id"], how="outer")
    counts = ["count", "rest_sum", "upper", "lower", "full"]
    table[counts] = table[counts].fillna(0)
    if "is_key" in options.columns:
        return table.assign(is_key=table["is_key"].eq(True))  # unlisted options: not keys
    return table.assign(is_key=(table["full"] == table["count"]) & (table["count"] > 0))


def _finish_distractors(table: pd.DataFrame, c: _Coded) -> pd.DataFrame:
    """Shares, mean rest scores and the key comparison; items and options in order."""
    counts = ["count", "upper", "lower"]
    table[counts] = table[counts].astype(np.int64)
    key_upper = table["upper"].where(table["is_key"]).groupby(table["item"]).transform("max")
    order, _ = _factorize(table["option_id"].to_numpy(dtype=object))
    table = table.assign(
        share=table["count"] / c.count[table["item"].to_numpy()],
        mean_rest=_ratio(table["rest_sum"].to_numpy(), table["count"].to_numpy()),
        key_upper=key_upper,
        beats_key=~table["is_key"] & (table["upper"] > key_upper),
        order=order,
    ).sort_values(["item", "order"], kind="stable")
    table.insert(0, "item_id", c.item_ids.take(table["item"].to_numpy()).to_numpy(dtype=object))
    columns = ["item_id", "option_id", "is_key", "count", "share", "mean_rest"]
    columns += ["upper", "lower", "key_upper", "beats_key"]
    return table[columns].reset_index(drop=True)


def flags(
    items: pd.DataFrame, distractors: pd.DataFrame | None, min_attempts: int = 30
) -> dict[Hashable, list[Message]]:
    """Reasons to look at an item, for the items that have any (in the items' order).

    An item with fewer than `min_attempts` attempts gets only "too few attempts to
    judge". Otherwise: facility above EASY_ABOVE (0.90) or below HARD_BELOW (0.20);
    discrimination negative (a suspect key), below WEAK_BELOW (0.15), or undefined (no
    spread in the item's or the rest scores); a non-key option chosen by more upper-half
    scorers than the key; a non-key option nobody chose. Reasons are `Message`s coded
    "items.<rule>" with the figures as parameters (`app.messages` holds the sentences).
    """
    judged = items["attempts"] >= min_attempts
    facility, discrimination = items["facility"], items["discrimination"]
    rules = [
        ("too_few", ~judged),
        ("very_easy", judged & (facility > EASY_ABOVE)),
        ("very_hard", judged & (facility < HARD_BELOW)),
        ("undefined", judged & discrimination.isna()),
        ("negative", judged & (discrimination < 0)),
        ("weak", judged & (discrimination >= 0) & (discrimination < WEAK_BELOW)),
    ]
    found: dict[Hashable, list[Message]] = {}
    for rule, mask in rules:
        for row in items.loc[mask].itertuples():
            found.setdefault(row.Index, []).append(_reason(rule, row, min_attempts))
    if distractors is not None:
        ok = distractors["item_id"].isin(list(items.index[judged]))
        unchosen = ~distractors["is_key"] & (distractors["count"] == 0)
        for rule, mask in [("beats_key", distractors["beats_key"]), ("unchosen", unchosen)]:
            for row in distractors.loc[ok & mask].itertuples():
                found.setdefault(row.item_id, []).append(_reason(rule, row, min_attempts))
    return {item_id: found[item_id] for item_id in items.index if item_id in found}


def _reason(rule: str, row: Any, minimum: int) -> Message:
    """The message of one rule for one row of the items or distractor table."""
    if rule == "too_few":
        return Message("items.too_few", {"attempts": row.attempts, "minimum": minimum})
    if rule == "very_easy":
        return Message("items.very_easy", {"facility": row.facility, "limit": EASY_ABOVE})
    if rule == "very_hard":
        return Message("items.very_hard", {"facility": row.facility, "limit": HARD_BELOW})
    if rule == "weak":
        return Message("items.weak", {"discrimination": row.discrimination, "limit": WEAK_BELOW})
    if rule == "negative":
        return Message("items.negative", {"discrimination": row.discrimination})
    if rule == "beats_key":
        return Message(
            "items.beats_key",
            {"option": row.option_id, "upper": row.upper, "key_upper": row.key_upper},
        )
    if rule == "unchosen":
        return Message("items.unchosen", {"option": row.option_id})
    return Message("items.undefined")
