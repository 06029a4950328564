"""Exam readiness: the probability that a learner would pass a blueprint's exam today.

Input: one row per graded answer, with columns `learner_id`, `item_id`, `clauses` (a list
of clause numbers such as "8.5.1"), `level`, `difficulty` (1 easy, 2 medium, 3 hard),
`score`, `max_score` and `answered_at` (UTC; naive times are read as UTC). An optional
`type` column (question type key) lets sections that name `types` take only those types.
Rows with no score (awaiting a trainer) are ignored. `clauses` and `type` describe the
item, so they are read once per `item_id` (from its first row).

Pre-aggregated rows are accepted too (the database path uses them for speed): with
columns `weight` (Σ recency weight, as of `now`), `right` (Σ weight × score fraction) and
`answers` (how many answers the row stands for), `score`, `max_score` and the half-life
are not read, and `answered_at` is the row's latest answer.

The model, per learner l and blueprint section s (a section is a set of clause prefixes):

1. Evidence. An answer counts in every section one of its clauses falls under (8.5.1 is
   under "8" and "8.5"), if its level is one the blueprint draws from (`levels`, else
   `level`). It adds a weight w = 0.5 ** (age in days / half-life) and w·y right answers,
   where y = score / max_score clipped to 0–1 (partial credit is a partial success).
   W_ls = Σ w is the learner's *effective number of answers* in the section.
2. Posterior. The chance p_ls of answering an average exam item of the section right has
   a Beta(κ·m_s + Σ w·y, κ·(1 − m_s) + Σ w·(1 − y)) posterior: a prior worth κ answers
   (PRIOR_STRENGTH = 2) centred on the population's pooled rate m_s in that section,
   updated by the weighted answers. The prior is weak on purpose: after a handful of
   answers the learner's own record dominates, and until then the section looks like
   an average learner's rather than a coin toss.
3. Difficulty. Practice items need not be as hard as exam items. Following the Rasch
   model, P(right) = σ(θ − b), an item of difficulty d is taken to sit at
   b = DIFFICULTY_STEP · (d − 2) logits, so success on hard items means more ability.
   Every posterior draw of p is moved on the logit scale by δ_ls = step · Σ w·(d − d̄) /
   (W_ls + κ), where d̄ is the exam's average difficulty (2 unless told): someone who
   practised on hard items gets a higher exam-scale p, someone on easy items a lower one.
   The prior's κ pseudo-answers sit at d̄ and so dilute δ when evidence is thin.
4. Passing. Each exam item is worth one mark. The exam's n_s items of section s are split
   evenly over difficulties 1–3; given the exam-scale p_s, an item of difficulty d is
   right with σ(logit p_s − step·(d − 2)), so the section's count is a sum of three
   binomials (less spread than one binomial at p_s, as on a real exam of mixed items).
   The learner passes when the total reaches ⌈pass_mark · N⌉ and every section with
   `min_score` reaches ⌈min_score · n_s⌉. That probability is computed exactly by
   convolving the sections' count distributions and dropping counts below a minimum.
5. Uncertainty. logit p_ls of a Beta(α, β) posterior has mean ψ(α) − ψ(β) and variance
   ψ′(α) + ψ′(β); it is taken as normal with those moments (plus the shift δ) and
   integrated by Gauss–Hermite quadrature with NODES points. p_pass is the posterior
   predictive probability: each section's count distribution is averaged over its
   posterior, then the sections are convolved (they are independent a posteriori, so
   this is exact up to the quadrature). p_low and p_high approximate the 10th and 90th
   percentiles of the pass chance itself: the pass chance where the expected exam score
   is at its own 10th / 90th posterior percentile, each section moved by its share of
   that score's spread (a first-order approximation; against 4,000 Monte Carlo draws it
   is off by 0.005 on average for Foundation and 0.02 for the auditor scheme, whose
   section minimums make the chance less linear in the score). No random numbers: the
   same answers always give the same figures.

Why this and not a fitted Elo or Rasch ability: the blueprint reports by section, a Beta
per section is transparent (a trainer can recount it) and needs no item calibration, which
small banks cannot supply; it also carries its own uncertainty into the interval, where an
Elo rating is a point. Difficulty enters through the Rasch shift of step 3 only, with a
fixed step instead of fitted item parameters. Recency weighting lets old mistakes fade and
makes a long-idle record count for less (forgetting); with stable ability it costs some
precision, which the interval shows.

Not enough evidence: a section is *decisive* when it carries at least MIN_SHARE (a
quarter) of the blueprint's items, has its own minimum, or is the largest section, since
any of these can decide the result. A learner whose effective answers W_ls fall below
MIN_ANSWERS (5) in a decisive section, or whose effective answers over the whole
blueprint fall below MIN_TOTAL_SHARE (half) of the exam's item count, gets status
"insufficient", NaN probabilities, `needed` (section id, or "overall", → fresh answers
still required; a fresh answer weighs 1) and `missing`, the same as a tuple of `Message`s
(`app.messages` renders them: "Operation of the SMS: 3 more answers"). Smaller
sections lean on the prior, widen the interval and never block a forecast on their own.

Output, one row per learner (sorted by learner_id): learner_id, status, p_pass, p_low,
p_high, mastery_<section id> (posterior mean of p_ls after the difficulty shift, on every
row), evidence_<section id> (W_ls), answers (answers in scope), last_answered, needed,
missing. docs/readiness.md gives the validation by simulation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import NormalDist

import numpy as np
import pandas as pd

from app.domain.blueprint import Blueprint
from app.domain.messages import Message

HALF_LIFE_DAYS = 30.0
PRIOR_STRENGTH = 2.0
DIFFICULTY_STEP = 0.5  # logits per difficulty level
EXAM_DIFFICULTY = 2.0
MIN_ANSWERS = 5.0
MIN_SHARE = 0.25
MIN_TOTAL_SHARE = 0.5
OVERALL = "overall"
NODES = 16  # Gauss–Hermite points per section
INTERVAL = (10.0, 90.0)
_ROWS_PER_CHUNK = 1 << 16  # learner × node rows held at once in the pass computation
_TOLERANCE = 1e-9
REQUIRED: tuple[str, ...] = (
    "learner_id",
    "item_id",
    "clauses",
    "level",
    "difficulty",
    "score",
    "max_score",
)
AGGREGATED = ("weight", "right", "answers")
REQUIRED += ("answered_at",)


@dataclass(frozen=True)
class Section:
    """A blueprint section as the model needs it: prefixes, item count, minimum right."""

    id: str
    title: str
    prefixes: tuple[str, ...]
    types: frozenset[str] | None
    items: int
    minimum: int  # right answers required in the section (0 without `min_score`)


def sections_of(blueprint: Blueprint) -> list[Section]:
    """The blueprint's sections with their minimums turned into counts of right answers."""
    found = [
        Section(
            id=s.id,
            title=s.title,
            prefixes=s.clauses,
            types=s.types,
            items=s.items,
            minimum=_count_for(s.min_score, s.items),
        )
        for s in blueprint.sections
    ]
    if not found:
        raise ValueError("the blueprint has no sections")
    return found


def pass_cut(blueprint: Blueprint) -> int:
    """Right answers needed overall: ⌈pass_mark × items in the sections⌉."""
    if blueprint.pass_mark is None:
        raise ValueError("the blueprint has no pass_mark")
    return _count_for(blueprint.pass_mark, blueprint.item_count)


def _count_for(fraction: float | None, items: int) -> int:
    """Smallest whole count reaching a fraction of `items`, forgiving float rounding."""
    return 0 if fraction is None else max(0, math.ceil(float(fraction) * items - _TOLERANCE))


def pass_probability(
    p: np.ndarray, counts: Sequence[int], minima: Sequence[int], cut: int
) -> np.ndarray:
    """P(total ≥ cut, section s ≥ minima[s]) when section s ~ Bin(counts[s], p[..., s])."""
    p = np.asarray(p, dtype=float)
    flat = p.reshape(-1, p.shape[-1]).T  # sections × rows: each slice below is contiguous
    pmfs = [_binomial(flat[s], n) for s, n in enumerate(counts)]
    return _pass_from_pmfs(pmfs, minima, cut).reshape(p.shape[:-1])


def _binomial(p: np.ndarray, n: int) -> np.ndarray:
    """(n + 1) × len(p) binomial probabilities, by running products (exact at 0 and 1)."""
    powers = np.ones((n + 1, len(p)))
    misses = np.ones((n + 1, len(p)))
    for k in range(1, n + 1):
        powers[k] = powers[k - 1] * p
        misses[k] = misses[k - 1] * (1 - p)
    ways = np.array([math.comb(n, k) for k in range(n + 1)], dtype=float)
    return ways[:, None] * powers * misses[::-1]


def readiness(
    responses: pd.DataFrame,
    blueprint: Blueprint,
    now: datetime | None = None,
    *,
    half_life_days: float = HALF_LIFE_DAYS,
    prior_strength: float = PRIOR_STRENGTH,
    difficulty_step: float = DIFFICULTY_STEP,
    exam_difficulty: float = EXAM_DIFFICULTY,
    min_answers: float = MIN_ANSWERS,
    min_share: float = MIN_SHARE,
    nodes: int = NODES,
) -> pd.DataFrame:
    """One row per learner: pass probability with interval, section mastery, what is missing.

    See the module docstring for the model and the columns. `nodes=0` skips the forecast
    (p_pass stays NaN): mastery and evidence alone, as the clause heatmap needs them.
    Raises ValueError on a missing column or a blueprint without sections or pass_mark.
    """
    aggregated = set(AGGREGATED) <= set(responses.columns)
    needed = [*REQUIRED[:5], *AGGREGATED] if aggregated else REQUIRED
    missing = [name for name in needed if name not in responses.columns]
    if missing:
        raise ValueError(f"responses lack the columns {missing}")
    sections = sections_of(blueprint)
    cut = pass_cut(blueprint)
    now_ts = pd.Timestamp(now or datetime.now(UTC))
    now_ts = now_ts.tz_localize("UTC") if now_ts.tzinfo is None else now_ts.tz_convert("UTC")
    graded = responses if aggregated else responses[responses["score"].notna()]
    learners = pd.Index(pd.unique(responses["learner_id"]), name="learner_id").sort_values()
    ev = _evidence(graded, blueprint, sections, learners, now_ts, half_life_days)
    alpha, beta, shift = _posterior(ev, prior_strength, difficulty_step, exam_difficulty)
    mastery = _sigmoid(_logit(alpha / (alpha + beta)) + shift)
    shares = np.array([s.items for s in sections]) / sum(s.items for s in sections)
    decisive = (shares >= min_share - _TOLERANCE) | np.array([s.minimum > 0 for s in sections])
    decisive |= shares >= shares.max() - _TOLERANCE
    short = (ev.weight < min_answers) & decisive
    overall_needed = np.maximum(MIN_TOTAL_SHARE * sum(s.items for s in sections) - ev.total, 0)
    ok = ~short.any(axis=1) & (overall_needed <= _TOLERANCE)
    p_pass = np.full((len(learners), 3), np.nan)
    if ok.any() and nodes > 0:
        p_pass[ok] = _forecast(
            alpha[ok], beta[ok], shift[ok], sections, cut, nodes, difficulty_step
        )
    return _table(learners, sections, ev, mastery, p_pass, short, overall_needed, min_answers)


def _posterior(
    ev: _Evidence, strength: float, step: float, exam_difficulty: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Beta parameters and logit difficulty shift per learner × section (module docstring)."""
    pooled = (ev.right.sum(axis=0) + 1) / (ev.weight.sum(axis=0) + 2)
    alpha = strength * pooled + ev.right
    beta = strength * (1 - pooled) + ev.weight - ev.right
    shift = step * (ev.tilt - exam_difficulty * ev.weight) / (ev.weight + strength)
    return alpha, beta, shift


@dataclass(frozen=True)
class _Evidence:
    """Per learner × section sums of the weighted answers, and per-learner counts."""

    weight: np.ndarray  # Σ w
    right: np.ndarray  # Σ w·y
    tilt: np.ndarray  # Σ w·d
    answers: np.ndarray  # answers in scope, per learner
    total: np.ndarray  # Σ w over the answers in scope, per learner
    last: pd.Series  # latest answered_at in scope, per learner


def _evidence(
    graded: pd.DataFrame,
    blueprint: Blueprint,
    sections: list[Section],
    learners: pd.Index,
    now: pd.Timestamp,
    half_life_days: float,
) -> _Evidence:
    """Recency-weighted right answers, answers and difficulty sums per learner and section."""
    if blueprint.levels is not None:
        graded = graded[graded["level"].isin(blueprint.levels)]
    member = membership(graded, sections)
    graded, member = graded[member.any(axis=1)], member[member.any(axis=1)]
    learner = learners.get_indexer(graded["learner_id"])
    when = pd.to_datetime(graded["answered_at"], utc=True)
    if "weight" in graded.columns:  # pre-aggregated rows (module docstring)
        w = graded["weight"].to_numpy(float)
        wy = graded["right"].to_numpy(float)
        counts = graded["answers"].to_numpy(float)
    else:
        age = np.maximum((now - when).dt.total_seconds().to_numpy() / 86400.0, 0.0)
        w = 0.5 ** (age / half_life_days)
        y = graded["score"].to_numpy(float) / graded["max_score"].to_numpy(float)
        wy = w * np.clip(y, 0, 1)
        counts = np.ones(len(graded))
    d = graded["difficulty"].to_numpy(float)
    n_sec = len(sections)
    cell = (learner[:, None] * n_sec + np.arange(n_sec)).ravel()

    def total(values: np.ndarray) -> np.ndarray:
        weights = (values[:, None] * member).ravel()
        return np.bincount(cell, weights, len(learners) * n_sec).reshape(-1, n_sec)

    last = when.groupby(learner).max()
    return _Evidence(
        weight=total(w),
        right=total(wy),
        tilt=total(w * d),
        answers=np.bincount(learner, counts, minlength=len(learners)).astype(int),
        total=np.bincount(learner, w, minlength=len(learners)),
        last=last.reindex(range(len(learners))),
    )


def membership(graded: pd.DataFrame, sections: list[Section]) -> np.ndarray:
    """Rows × sections: whether the answer counts in the section (clause prefix and type).

    An item's clauses and type are read from its first row: membership is worked out once
    per distinct item and spread to its answers, so millions of rows cost one lookup each.
    """
    code, _items = pd.factorize(graded["item_id"])
    _codes, first = np.unique(code, return_index=True)
    items = graded.iloc[first]
    exploded = items["clauses"].reset_index(drop=True).explode().dropna().astype(str)
    clause_code, distinct = pd.factorize(exploded)
    clauses = pd.Series(distinct, dtype=object)
    row = exploded.index.to_numpy()
    hits = np.zeros((len(items), len(sections)), dtype=bool)
    for j, section in enumerate(sections):
        under = np.zeros(len(clauses), dtype=bool)
        for prefix in section.prefixes:
            under |= (clauses == prefix).to_numpy()
            under |= clauses.str.startswith(prefix + ".").to_numpy(dtype=bool)
        hits[row[under[clause_code]], j] = True
        if section.types is not None and "type" in items.columns:
            hits[:, j] &= items["type"].isin(section.types).to_numpy()
    return hits[code] if len(graded) else np.zeros((0, len(sections)), dtype=bool)


def _forecast(
    alpha: np.ndarray,
    beta: np.ndarray,
    shift: np.ndarray,
    sections: list[Section],
    cut: int,
    nodes: int,
    step: float,
) -> np.ndarray:
    """Per learner: pass probability and the INTERVAL range (module docstring, step 5)."""
    x, w = np.polynomial.hermite.hermgauss(nodes)
    w = w / math.sqrt(math.pi)
    centre = _digamma(alpha) - _digamma(beta) + shift  # logit p ~ N(centre, scale²)
    scale = np.sqrt(_trigamma(alpha) + _trigamma(beta))
    counts = np.array([s.items for s in sections], dtype=float)
    minima = [s.minimum for s in sections]
    z = [NormalDist().inv_cdf(share / 100) for share in INTERVAL]
    out = np.empty((len(alpha), 3))
    chunk = max(1, _ROWS_PER_CHUNK // nodes)
    for start in range(0, len(alpha), chunk):
        part = slice(start, start + chunk)
        logits = centre[part, None, :] + math.sqrt(2) * scale[part, None, :] * x[None, :, None]
        p = _sigmoid(logits)  # learners × nodes × sections
        rows = p.shape[0]
        # Predictive: each section's count of right answers, averaged over the posterior.
        pmfs = [
            (pmf.reshape(pmf.shape[0], rows, nodes) * w).sum(axis=2)
            for pmf in _section_pmfs(p.reshape(-1, p.shape[2]), sections, step)
        ]
        out[part, 0] = _pass_from_pmfs(pmfs, minima, cut)
        # Range: the pass chance at the INTERVAL quantiles of the expected score, moving
        # every section along its share of that score's posterior spread.
        mean = (p * w[:, None]).sum(axis=1)
        var = (((p - mean[:, None, :]) ** 2) * w[:, None]).sum(axis=1)
        lever = var * counts
        spread = np.sqrt((lever * counts).sum(axis=1, keepdims=True))
        unit = np.divide(lever, spread, out=np.zeros_like(lever), where=spread > 0)
        for col, q in ((1, z[0]), (2, z[1])):
            moved = np.clip(mean + q * unit, 0.0, 1.0)
            out[part, col] = _pass_from_pmfs(_section_pmfs(moved, sections, step), minima, cut)
    return out


def _digamma(x: np.ndarray) -> np.ndarray:
    """ψ(x) for x > 0: recurrence up to x + 6, then the asymptotic series."""
    x = np.asarray(x, dtype=float)
    acc = np.zeros_like(x)
    for i in range(6):
        acc -= 1.0 / (x + i)
    y = x + 6
    inv2 = 1.0 / (y * y)
    series = np.log(y) - 0.5 / y - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 / 252))
    result: np.ndarray = acc + series
    return result


def _trigamma(x: np.ndarray) -> np.ndarray:
    """ψ′(x) for x > 0: recurrence up to x + 6, then the asymptotic series."""
    x = np.asarray(x, dtype=float)
    acc = np.zeros_like(x)
    for i in range(6):
        acc += 1.0 / (x + i) ** 2
    y = x + 6
    inv = 1.0 / y
    inv2 = inv * inv
    series = inv + inv2 / 2 + inv * inv2 * (1 / 6 - inv2 * (1 / 30 - inv2 / 42))
    return acc + series


def _section_pmfs(p: np.ndarray, sections: list[Section], step: float) -> list[np.ndarray]:
    """Per section, the distribution of right answers on an exam of mixed difficulty.

    `p` (rows × sections) is the chance on an average exam item. The exam's items are
    split evenly over difficulties 1–3 (the middle level takes the remainder first), an
    item of difficulty d answered right with σ(logit p − step·(d − 2)); the section's
    count is the sum of the three binomials — less spread than one binomial at p.
    """
    found = []
    logit = _logit(p)
    for j, section in enumerate(sections):
        n = section.items
        split = (n // 3, n // 3 + (n % 3 > 0), n // 3 + (n % 3 > 1))
        total = np.ones((1, p.shape[0]))
        for level, items in zip((2, 1, 3), split, strict=True):
            if items:
                part = _binomial(_sigmoid(logit[:, j] - step * (level - 2)), items)
                total = _convolve(total, part)
        found.append(total)
    return found


def _convolve(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Column-wise convolution of two count distributions (values × rows)."""
    out = np.zeros((left.shape[0] + right.shape[0] - 1, left.shape[1]))
    for k in range(right.shape[0]):
        out[k : k + left.shape[0]] += left * right[k]
    return out


def _pass_from_pmfs(pmfs: list[np.ndarray], minima: Sequence[int], cut: int) -> np.ndarray:
    """P(total ≥ cut and each section ≥ its minimum) from per-section count distributions.

    `pmfs[s]` is (items + 1) × rows. The running total's distribution is capped: its row
    `cut` holds "cut or more"; below a section's minimum the learner fails, so those
    counts are dropped.
    """
    run = np.zeros((cut + 1, pmfs[0].shape[1]))
    run[0] = 1.0
    for pmf, minimum in zip(pmfs, minima, strict=True):
        tail = run.copy()  # tail[i] = P(running total ≥ i); row loops beat axis-0 cumsum
        for i in range(cut - 1, -1, -1):
            tail[i] += tail[i + 1]
        new = np.zeros_like(run)
        for k in range(minimum, pmf.shape[0]):
            if k < cut:
                new[k:cut] += run[: cut - k] * pmf[k]
            new[cut] += tail[max(0, cut - k)] * pmf[k]
        run = new
    clipped: np.ndarray = np.clip(run[cut], 0.0, 1.0)
    return clipped


def _logit(p: np.ndarray) -> np.ndarray:
    """log(p / (1 − p)), infinite at 0 and 1 without a warning."""
    with np.errstate(divide="ignore"):
        logit: np.ndarray = np.log(p) - np.log1p(-p)
        return logit


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^−x), exact at ±∞."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _table(
    learners: pd.Index,
    sections: list[Section],
    ev: _Evidence,
    mastery: np.ndarray,
    p_pass: np.ndarray,
    short: np.ndarray,
    overall_needed: np.ndarray,
    min_answers: float,
) -> pd.DataFrame:
    """Assemble the output frame (module docstring)."""
    table = pd.DataFrame({"learner_id": learners.to_numpy()})
    lacking = short.any(axis=1) | (overall_needed > _TOLERANCE)
    table["status"] = np.where(lacking, "insufficient", "ok")
    table["p_pass"], table["p_low"], table["p_high"] = p_pass.T
    for j, section in enumerate(sections):
        table[f"mastery_{section.id}"] = mastery[:, j]
    for j, section in enumerate(sections):
        table[f"evidence_{section.id}"] = ev.weight[:, j]
    table["answers"] = ev.answers
    table["last_answered"] = ev.last.reset_index(drop=True)
    needed = []
    for i in range(len(learners)):
        want = {
            s.id: max(1, math.ceil(min_answers - ev.weight[i, j] - _TOLERANCE))
            for j, s in enumerate(sections)
            if short[i, j]
        }
        if overall_needed[i] > _TOLERANCE:
            want[OVERALL] = max(1, math.ceil(overall_needed[i] - _TOLERANCE))
        needed.append(want)
    titles = {s.id: s.title for s in sections}
    table["needed"] = needed
    table["missing"] = [
        tuple(_more_answers(titles, sid, n) for sid, n in want.items()) for want in needed
    ]
    return table


def _more_answers(titles: dict[str, str], section_id: str, count: int) -> Message:
    """What one section (or the whole exam) still needs: `count` more answers."""
    if section_id == OVERALL:
        return Message("readiness.more_answers_overall", count=count)
    return Message("readiness.more_answers", {"section": titles[section_id]}, count=count)
