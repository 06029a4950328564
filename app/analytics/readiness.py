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
are not read, and `answered_at` is the row's latest answer; an optional `weighted_age`
(Σ weight × age in days) places the evidence in time for the trend (without it, each
row's answers are taken to be as old as its latest).

The model, per learner l and blueprint section s (a section is a set of clause prefixes):

1. Evidence. An answer counts in every section one of its clauses falls under (8.5.1 is
   under "8" and "8.5"), if its level is one the blueprint draws from. It adds a weight
   w = 0.5 ** (age in days / half-life) and w·y right answers, where y = score / max_score
   clipped to 0–1 (partial credit is a partial success). The sums are kept per learner,
   section and difficulty level; W_ls = Σ w is the *effective number of answers*.
2. A hierarchy on the logit scale. The chance of answering an item of difficulty d in
   section s right is σ(θ_l + o_s + δ_ls − b_d): θ_l is the learner's general ability,
   N(μ, σ²) over learners; o_s the section's offset (the population's, weighted to sum
   to 0 over the exam's items); δ_ls the learner's own deviation in the section, N(0, τ²);
   b_d = DIFFICULTY_STEP · (d − exam difficulty) the item's place (Rasch). Because δ is
   pooled towards 0, a thin section borrows from the learner's other sections (through θ)
   before it borrows from the population: a strong learner with two answers on
   "Support" is expected to do well there. The weighted answers enter as a binomial
   likelihood with fractional counts.
3. The population (μ, σ², o, τ²) is learnt by EM on up to EM_SAMPLE learners, each
   parameter blended with a default worth PRIOR_LEARNERS learners so a handful of people
   cannot set it alone; or it is given (`population`), as the platform's calibration does
   for a team page (`app.analytics.calibration`).
4. Posterior. A few linearised rounds place each learner's ability; the posterior is
   then computed on a grid (adaptive Gauss–Hermite: NODES ability points, and for each
   of them INNER_NODES points for each section's deviation) with the exact likelihood.
5. Item difficulties. With raw answers (`item_difficulty`), after a first fit each item's
   difficulty is estimated from its answers (Rasch, given each learner's posterior ability
   in the section, recency-weighted, with a normal prior at the label worth ITEM_PRIOR
   answers) and the model is fitted again; `difficulties` gives them instead (the
   platform's calibration). The exam's items of a section are then taken to spread like
   the section's items: three equal groups at the mean difficulty of its easiest, middle
   and hardest thirds (`exam_shifts`); without that, at the labels' places.
6. Passing. Each exam item is worth one mark. Given θ, the sections are independent:
   each section's count distribution is mixed over its deviation, the sections are
   convolved, a learner
   passes when the total reaches ⌈pass_mark · N⌉ and every section with `min_score`
   reaches ⌈min_score · n_s⌉, and that chance is averaged over θ's posterior. p_pass is
   this posterior predictive probability. p_low and p_high approximate the 10th and 90th
   percentiles of the pass chance itself: the pass chance where the expected exam score
   is at its own 10th / 90th posterior percentile, each section moved by its regression
   on that score. No random numbers: the same answers always give the same figures.
7. Forgetting and learning. The half-life and a trend are fitted, not fixed
   (`fit_forgetting`): the answers of the last HOLDOUT_DAYS are held out, and the
   candidates (7 days to never; TRENDS in logits per day of practice) whose fit on the
   earlier answers predicts them best win. Ability is moved by the trend times the days
   from the evidence's weighted mean time to the latest answer, fading with idle time at
   the half-life. Steady learners favour a long half-life and no trend, so no one is
   pulled to the middle for having practised early. Without raw answers or with fewer
   than MIN_FIT_LEARNERS learners, HALF_LIFE_DAYS and no trend.

Not enough evidence: a section is *decisive* when it carries at least MIN_SHARE (a
quarter) of the blueprint's items, has its own minimum, or is the largest section. A
learner whose effective answers fall below MIN_ANSWERS in a decisive section, or over
the whole blueprint below MIN_TOTAL_SHARE of the exam's item count, gets status
"insufficient", NaN probabilities, `needed` (section id, or "overall", → fresh answers
still required; a fresh answer weighs 1) and `missing`, the same as a tuple of `Message`s
(`app.messages` renders them: "Operation of the SMS: 1 more answer"). Other sections
borrow through the hierarchy and widen the range.

Output, one row per learner (sorted by learner_id): learner_id, status, p_pass, p_low,
p_high, mastery_<section id> (posterior mean chance on an average exam item of the
section, on every row), evidence_<section id> (W_ls), answers (answers in scope),
last_answered, needed, missing. docs/readiness.md gives the validation by simulation.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from statistics import NormalDist
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pandas as pd

from app.domain.blueprint import Blueprint
from app.domain.messages import Message

HALF_LIFE_DAYS = 30.0
DIFFICULTY_STEP = 0.5  # logits per difficulty level
EXAM_DIFFICULTY = 2.0
MIN_ANSWERS = 2.0
MIN_SHARE = 0.25
MIN_TOTAL_SHARE = 0.25
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
SEEN = "seen"  # optional input column: the learner had answered this question before
FRESH = "fresh"  # per answer, its weight as evidence (1, or the repeat weight)
REPEAT_WEIGHT = 0.5  # a repeated question's answer, as a share of a first one, unfitted
REPEAT_WEIGHTS = (0.0, 0.25, 0.5)  # the discounts `fit_forgetting` tries against 1


def with_repeats(responses: pd.DataFrame, repeat_weight: float) -> pd.DataFrame:
    """`responses` with SEEN (given, or worked out: every answer of a learner to an item
    after their first, in time order, since the key is shown after each answer) and FRESH
    (1 for a first answer, `repeat_weight` for a repeat, whose key the learner may
    remember rather than know)."""
    if SEEN in responses.columns:
        seen = responses[SEEN].to_numpy(bool)
    else:
        order = pd.to_datetime(responses["answered_at"], utc=True).argsort(kind="stable")
        ordered = responses[["learner_id", "item_id"]].iloc[order]
        seen = np.empty(len(responses), dtype=bool)
        seen[order] = ordered.duplicated().to_numpy()
    return responses.assign(**{SEEN: seen, FRESH: np.where(seen, repeat_weight, 1.0)})


def _fresh(graded: pd.DataFrame) -> np.ndarray:
    """Per answer, its weight as evidence (FRESH; 1 where the column is absent)."""
    if FRESH not in graded.columns:
        return np.ones(len(graded))
    fresh: np.ndarray = graded[FRESH].to_numpy(float)
    return fresh


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
    half_life_days: float | None = None,
    difficulty_step: float = DIFFICULTY_STEP,
    exam_difficulty: float = EXAM_DIFFICULTY,
    min_answers: float = MIN_ANSWERS,
    min_share: float = MIN_SHARE,
    nodes: int = NODES,
    population: Population | None = None,
    trend_per_day: float | None = None,
    item_difficulty: bool = True,
    difficulties: Mapping[Hashable, float] | None = None,
    exam_shifts: Sequence[Mix] | None = None,
    repeat_weight: float | None = None,
) -> pd.DataFrame:
    """One row per learner: pass probability with interval, section mastery, what is missing.

    See the module docstring for the model and the columns. `nodes=0` skips the forecast
    (p_pass stays NaN): mastery and evidence alone, as the clause heatmap needs them.
    `population` fixes the population parameters instead of estimating them from
    `responses` (a learner seen alone borrows the platform's). `half_life_days=None`
    fits the half-life, the trend and the repeat weight (`fit_forgetting`);
    `trend_per_day` and `repeat_weight` set them (the repeat weight is REPEAT_WEIGHT when
    neither fitted nor given; aggregated rows carry it in their weights already).
    With raw answers, `item_difficulty` learns the items' difficulties from them;
    `difficulties` (item id → difficulty) and `exam_shifts` (per section, the exam's
    difficulty groups) give them instead, as the platform's calibration does.
    Raises ValueError on a missing column or a blueprint without sections or pass_mark.
    """
    aggregated = set(AGGREGATED) <= set(responses.columns)
    needed = [*REQUIRED[:5], *AGGREGATED] if aggregated else REQUIRED
    missing = [name for name in needed if name not in responses.columns]
    if missing:
        raise ValueError(f"responses lack the columns {missing}")
    sections = sections_of(blueprint)
    cut = pass_cut(blueprint)
    now_ts = _utc(now)
    if half_life_days is None:
        fitted = fit_forgetting(
            responses,
            blueprint,
            now_ts,
            difficulty_step=difficulty_step,
            exam_difficulty=exam_difficulty,
        )
        half_life_days = fitted.half_life_days
        trend_per_day = fitted.trend_per_day if trend_per_day is None else trend_per_day
        repeat_weight = fitted.repeat_weight if repeat_weight is None else repeat_weight
    if aggregated:
        graded = responses
    else:
        graded = responses[responses["score"].notna()]
        graded = with_repeats(graded, REPEAT_WEIGHT if repeat_weight is None else repeat_weight)
    if difficulties:
        known = graded["item_id"].map(difficulties)
        graded = graded.assign(difficulty=known.fillna(graded["difficulty"]).astype(float))
    learners = pd.Index(pd.unique(responses["learner_id"]), name="learner_id").sort_values()
    ev = _evidence(graded, blueprint, sections, learners, now_ts, half_life_days)
    items = np.array([s.items for s in sections], dtype=float)
    post, _fitted = fit(ev, items, difficulty_step, exam_difficulty, population, nodes)
    if item_difficulty and not aggregated and not difficulties:
        graded, exam_shifts = _data_difficulty(
            graded,
            blueprint,
            sections,
            learners,
            post,
            now_ts,
            half_life_days,
            difficulty_step,
            exam_difficulty,
        )
        ev = _evidence(graded, blueprint, sections, learners, now_ts, half_life_days)
        post, _fitted = fit(ev, items, difficulty_step, exam_difficulty, population, nodes)
    fading = 0.5 ** (np.nan_to_num(ev.idle) / half_life_days)
    drift = _drift(ev.age - ev.idle, trend_per_day or 0.0) * fading
    # Each learner's own rate is not known: it is taken to vary as much as the shared trend.
    post = post.moved(drift, spread=TREND_SPREAD * np.abs(drift))
    mastery = post.mastery()
    shares = items / items.sum()
    decisive = (shares >= min_share - _TOLERANCE) | np.array([s.minimum > 0 for s in sections])
    decisive |= shares >= shares.max() - _TOLERANCE
    short = (ev.weight < min_answers) & decisive
    overall_needed = np.maximum(MIN_TOTAL_SHARE * items.sum() - ev.total, 0)
    ok = ~short.any(axis=1) & (overall_needed <= _TOLERANCE)
    p_pass = np.full((len(learners), 3), np.nan)
    if ok.any() and nodes > 0:
        p_pass[ok] = _forecast(post.subset(ok), sections, cut, difficulty_step, exam_shifts)
    return _table(learners, sections, ev, mastery, p_pass, short, overall_needed, min_answers)


ITEM_PRIOR = 20.0  # an author's label weighs as much as this many answers on the item
ITEM_ROUND = 1.0  # estimated difficulties are kept to whole labels
ITEM_ROUNDS = 4  # Newton steps


def _data_difficulty(
    graded: pd.DataFrame,
    blueprint: Blueprint,
    sections: list[Section],
    learners: pd.Index,
    post: _Posterior,
    now: pd.Timestamp,
    half_life_days: float,
    step: float,
    exam_difficulty: float,
) -> tuple[pd.DataFrame, list[Mix]]:
    """Item difficulties from the answers (Rasch, with the author's label as the prior),
    and each section's exam mix from the items' estimated difficulties.

    Given each learner's posterior mean logit in the item's section, an item's difficulty
    maximises the recency-weighted likelihood of its answers plus a normal prior centred
    on its label's place, worth ITEM_PRIOR answers. The new difficulty replaces the label
    (on the label scale, to ITEM_ROUND: whole labels keep the database's answer classes
    few); the exam's items of a section are taken to spread
    like the section's items, in three equal groups at their mean difficulty.
    """
    if blueprint.levels is not None:
        graded = graded[graded["level"].isin(blueprint.levels)]
    member = membership(graded, sections)
    graded, member = graded[member.any(axis=1)], member[member.any(axis=1)]
    section = member.argmax(axis=1)
    row = learners.get_indexer(graded["learner_id"])
    given = (post.logits * post.weight).sum(axis=3)  # L × K × S
    eta = np.einsum("lks,lk->ls", given, post.theta_weight)[row, section]
    when = pd.to_datetime(graded["answered_at"], utc=True)
    age = np.maximum((now - when).dt.total_seconds().to_numpy() / 86400.0, 0.0)
    w = 0.5 ** (age / half_life_days) * _fresh(graded)
    y = np.clip(graded["score"].to_numpy(float) / graded["max_score"].to_numpy(float), 0, 1)
    code, ids = pd.factorize(graded["item_id"])
    first = np.unique(code, return_index=True)[1]
    label = step * (graded["difficulty"].to_numpy(float)[first] - exam_difficulty)
    prior = ITEM_PRIOR * 0.25  # information of ITEM_PRIOR answers at p = 1/2
    b = label.copy()
    for _ in range(ITEM_ROUNDS):
        p = _sigmoid(eta - b[code])
        gradient = -np.bincount(code, w * (y - p), len(ids)) - prior * (b - label)
        information = np.bincount(code, w * p * (1 - p), len(ids)) + prior
        b = b + gradient / information
    difficulty = exam_difficulty + np.round(b / step / ITEM_ROUND) * ITEM_ROUND
    moved = graded.assign(difficulty=difficulty[code])
    item_section = section[first]
    mixes: list[Mix] = []
    for j, sec in enumerate(sections):
        mine = np.sort(b[item_section == j])
        split = _thirds(sec.items)
        if len(mine) < 3:
            mixes.append(exam_mix([sec], step)[0])
            continue
        thirds = np.array_split(mine, 3)
        mixes.append(tuple((float(part.mean()), k) for part, k in zip(thirds, split, strict=True)))
    return moved, mixes


HALF_LIVES = (7.0, 14.0, 30.0, 60.0, 120.0, 365.0, math.inf)  # days; inf: no forgetting
HOLDOUT_DAYS = 14.0
FIT_LEARNERS = 400  # learners the half-life is chosen on, at most
MIN_FIT_LEARNERS = 30


# Logits per day; + 0.0 turns the -0.0 of rounding into 0.0.
TRENDS = tuple(float(t) + 0.0 for t in np.round(np.arange(-0.04, 0.0401, 0.005), 3))
MAX_DRIFT = 1.5  # logits: the most a trend may move anyone
TREND_SPREAD = 1.0  # a learner's own rate: sd as a multiple of the shared trend


def _drift(span: np.ndarray, trend_per_day: float) -> np.ndarray:
    """Per learner, how far ability moved while they practised: the trend times the days
    from the evidence's weighted mean time to their latest answer, within ±MAX_DRIFT."""
    drift: np.ndarray = np.clip(trend_per_day * np.nan_to_num(span), -MAX_DRIFT, MAX_DRIFT)
    return drift


class Forgetting(NamedTuple):
    """What `fit_forgetting` finds."""

    half_life_days: float = HALF_LIFE_DAYS
    trend_per_day: float = 0.0
    repeat_weight: float = REPEAT_WEIGHT


def fit_forgetting(
    responses: pd.DataFrame,
    blueprint: Blueprint,
    now: datetime | None = None,
    *,
    candidates: Sequence[float] = HALF_LIVES,
    trends: Sequence[float] = TRENDS,
    repeat_weights: Sequence[float] = REPEAT_WEIGHTS,
    difficulty_step: float = DIFFICULTY_STEP,
    exam_difficulty: float = EXAM_DIFFICULTY,
) -> Forgetting:
    """The half-life, trend (logits per day) and repeat weight that best predict learners'
    latest answers to questions new to them from their earlier answers.

    The answers of the last HOLDOUT_DAYS are held out; for each candidate the model is
    fitted on the answers before (weighted as of the cut) and scored by the log-likelihood
    of the held-out answers. Steady learners favour a long half-life (no one is pulled to
    the middle for practising early), learners who forget or improve a short one. Without
    raw answers, or with fewer than MIN_FIT_LEARNERS learners on both sides of the cut,
    HALF_LIFE_DAYS.

    The trend is how fast ability moves while a learner practises: a held-out answer at
    time t is predicted at ability moved by trend × (days of practice from the weighted
    mean time of the evidence to t, a break before the held-out answers not counted), and
    the trend (of TRENDS; 0 unless it predicts better) is chosen with the half-life. It is
    not extended over idle time: a learner who stopped is not assumed to have gone on
    improving, nor (for want of evidence) to have forgotten.

    The repeat weight (how much an answer to a question the learner had answered before
    counts) is then chosen, given that half-life and trend (found with repeats counted in
    full), by the held-out answers to questions new to the learner alone: the exam's
    questions are new to the candidate, and a repeat may be answered from a remembered
    key. 1 or one of `repeat_weights`, whichever evidence predicts those best; with a
    discount, the half-life and trend are chosen again with it (held-out repeats scored at
    the same weight), so that remembered keys are not taken for a learning trend. Near 0
    where learners remember keys, 1 where a repeat says as much as a first answer.
    """
    if set(AGGREGATED) <= set(responses.columns):
        return Forgetting()
    graded = with_repeats(responses[responses["score"].notna()], REPEAT_WEIGHT)
    if blueprint.levels is not None:
        graded = graded[graded["level"].isin(blueprint.levels)]
    sections = sections_of(blueprint)
    member = membership(graded, sections)
    graded, member = graded[member.any(axis=1)], member[member.any(axis=1)]
    now_ts = _utc(now)
    cut = now_ts - pd.Timedelta(days=HOLDOUT_DAYS)
    late = (pd.to_datetime(graded["answered_at"], utc=True) >= cut).to_numpy()
    early_counts = graded.loc[~late, "learner_id"].value_counts()
    late_counts = graded.loc[late, "learner_id"].value_counts()
    both = early_counts.index[early_counts >= 10].intersection(late_counts.index[late_counts >= 5])
    if len(both) < MIN_FIT_LEARNERS:
        return Forgetting()
    chosen = pd.Index(sorted(both))
    chosen = chosen[np.linspace(0, len(chosen) - 1, min(len(chosen), FIT_LEARNERS)).astype(int)]
    keep = graded["learner_id"].isin(chosen).to_numpy()
    early = graded[keep & ~late]
    held = graded[keep & late]
    row = chosen.get_indexer(held["learner_id"])
    section = member[keep & late].argmax(axis=1)
    y = np.clip(held["score"].to_numpy(float) / held["max_score"].to_numpy(float), 0, 1)
    first = ~held[SEEN].to_numpy(bool)
    shift = difficulty_step * (held["difficulty"].to_numpy(float) - exam_difficulty)
    held_at = pd.to_datetime(held["answered_at"], utc=True)
    later = (held_at - cut).dt.total_seconds().to_numpy()
    # A break between the last early answer and the first held-out one is not practice.
    resumed = held_at.groupby(row).min()
    stopped = (
        pd.to_datetime(early["answered_at"], utc=True)
        .groupby(chosen.get_indexer(early["learner_id"]))
        .max()
    )
    gap = ((resumed - stopped.reindex(resumed.index)).dt.total_seconds() / 86400.0).clip(lower=0)
    gap = gap.reindex(row).to_numpy()
    items = np.array([s.items for s in sections], dtype=float)

    def scores(
        answers: pd.DataFrame, half_life: float, tried: Sequence[float], scored: np.ndarray
    ) -> list[float]:
        """Log-likelihood of the held-out answers (times `scored`) for each trend tried."""
        ev = _evidence(answers, blueprint, sections, chosen, cut, half_life)
        post, _pop = fit(ev, items, difficulty_step, exam_difficulty, None, FIT_NODES)
        logits = post.logits[row, :, section, :] - shift[:, None, None]  # answers × K × J
        mix = post.weight[row, :, section, :] * post.theta_weight[row][:, :, None]
        span = np.nan_to_num(ev.age - ev.idle)[row] + later / 86400.0 - gap
        found = []
        for trend in tried:
            moved = _drift(span, trend)[:, None, None]
            p = np.clip((_sigmoid(logits + moved) * mix).sum(axis=(1, 2)), 1e-6, 1 - 1e-6)
            found.append(float((scored * (y * np.log(p) + (1 - y) * np.log1p(-p))).sum()))
        return found

    def search(answers: pd.DataFrame, scored: np.ndarray) -> tuple[float, float]:
        """The half-life and trend whose fit on `answers` predicts the held-out best."""
        best, best_score = (HALF_LIFE_DAYS, 0.0), -math.inf
        for half_life in candidates:
            for trend, score in zip(
                trends, scores(answers, half_life, trends, scored), strict=True
            ):
                # Ties (within rounding) go to the smaller trend: no drift unless it helps.
                tie = math.isclose(score, best_score, rel_tol=1e-9)
                if (score > best_score and not tie) or (tie and abs(trend) < abs(best[1])):
                    best, best_score = (half_life, trend), score
        return best

    def weighted(weight: float) -> pd.DataFrame:
        return early.assign(**{FRESH: np.where(early[SEEN].to_numpy(bool), weight, 1.0)})

    half_life, trend = search(weighted(1.0), np.ones(len(y)))
    chosen_weight = 1.0
    if early[SEEN].any() and first.any():
        best_score = scores(weighted(1.0), half_life, [trend], first)[0]
        for weight in repeat_weights:
            score = scores(weighted(weight), half_life, [trend], first)[0]
            # Ties keep a full weight: no discount unless it predicts better.
            if score > best_score and not math.isclose(score, best_score, rel_tol=1e-9):
                chosen_weight, best_score = weight, score
        if chosen_weight != 1.0:  # held-out repeats count as much as they do as evidence
            half_life, trend = search(weighted(chosen_weight), np.where(first, 1.0, chosen_weight))
    return Forgetting(half_life, trend, chosen_weight)


@dataclass(frozen=True)
class Calibration:
    """What a platform's answers teach the model: the half-life of recency weighting and
    the population (None when too few learners: each call then learns its own)."""

    half_life_days: float = HALF_LIFE_DAYS
    population: Population | None = None
    learners: int = 0  # learners it was learnt from
    trend_per_day: float = 0.0  # `fit_forgetting`
    # item → estimated difficulty; left out of comparisons and hashes (the rest say enough)
    difficulties: Mapping[Hashable, float] = field(default_factory=dict, compare=False, hash=False)
    exam_shifts: tuple[Mix, ...] | None = None  # per section, from the items' difficulties
    repeat_weight: float = REPEAT_WEIGHT  # `fit_forgetting`
    # a fingerprint of the blueprint it was learnt for (its offsets and exam mix are per
    # section of that blueprint); "" when not known
    blueprint: str = field(default="", compare=False, hash=False)


def calibrate(
    responses: pd.DataFrame,
    blueprint: Blueprint,
    now: datetime | None = None,
    *,
    difficulty_step: float = DIFFICULTY_STEP,
    exam_difficulty: float = EXAM_DIFFICULTY,
    half_life_days: float | None = None,
    repeat_weight: float = REPEAT_WEIGHT,
) -> Calibration:
    """The half-life, trend and repeat weight (`fit_forgetting`, unless the half-life is
    given: then no trend and `repeat_weight`), the items' difficulties and each section's
    exam mix (`_data_difficulty`) and the population (fitted with those difficulties),
    from raw answers.

    Meant for a sample of the platform's learners (a few hundred say as much as all of
    them): a team, or one learner, is then forecast with the platform's population instead
    of the few people on the page, and the database can sum the recency weights with the
    fitted half-life.
    """
    now_ts = _utc(now)
    trend = 0.0
    if half_life_days is None:
        half_life_days, trend, repeat_weight = fit_forgetting(
            responses,
            blueprint,
            now_ts,
            difficulty_step=difficulty_step,
            exam_difficulty=exam_difficulty,
        )
    graded = with_repeats(responses[responses["score"].notna()], repeat_weight)
    sections = sections_of(blueprint)
    learners = pd.Index(pd.unique(graded["learner_id"]), name="learner_id").sort_values()
    ev = _evidence(graded, blueprint, sections, learners, now_ts, half_life_days)
    seen = int((ev.weight.sum(axis=1) > _TOLERANCE).sum())
    if seen < MIN_FIT_LEARNERS:
        return Calibration(half_life_days, None, seen, trend, repeat_weight=repeat_weight)
    items = np.array([s.items for s in sections], dtype=float)
    post, _population = fit(ev, items, difficulty_step, exam_difficulty, None, FIT_NODES)
    args = (sections, learners, post, now_ts, half_life_days, difficulty_step, exam_difficulty)
    moved, shifts = _data_difficulty(graded, blueprint, *args)
    ev = _evidence(moved, blueprint, sections, learners, now_ts, half_life_days)
    _post, population = fit(ev, items, difficulty_step, exam_difficulty, None, FIT_NODES)
    first = moved.drop_duplicates("item_id")
    difficulties = dict(zip(first["item_id"], first["difficulty"].astype(float), strict=True))
    return Calibration(
        half_life_days,
        population,
        seen,
        trend,
        MappingProxyType(difficulties),
        tuple(shifts),
        repeat_weight,
    )


def _utc(now: datetime | pd.Timestamp | None) -> pd.Timestamp:
    """`now` (the current time when None) as a UTC timestamp; naive times are UTC."""
    stamp = pd.Timestamp(now or datetime.now(UTC))
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


@dataclass(frozen=True)
class Population:
    """What the hierarchy learns from everyone: the mean and spread of general ability
    (logits), each section's offset from it, and how far a learner's sections stray."""

    mean: float = 0.5
    spread: float = 1.0  # variance of general ability
    offsets: tuple[float, ...] | None = None  # per section; None: all 0
    section_spread: float = 0.25  # τ², variance of a section's deviation

    def offset_array(self, sections: int) -> np.ndarray:
        """The offsets as an array (zeros when not estimated)."""
        return np.array(self.offsets if self.offsets is not None else [0.0] * sections)


PRIOR_LEARNERS = 20.0  # the defaults weigh as much as this many learners with data


@dataclass(frozen=True)
class _Evidence:
    """Per learner × section sums of the weighted answers, and per-learner counts."""

    weight: np.ndarray  # Σ w
    right: np.ndarray  # Σ w·y
    by_level: np.ndarray  # Σ w per learner × section × difficulty level
    right_by_level: np.ndarray  # Σ w·y the same way
    levels: np.ndarray  # the difficulty levels of the last axis
    answers: np.ndarray  # answers in scope, per learner
    total: np.ndarray  # Σ w over the answers in scope, per learner
    age: np.ndarray  # Σ w·age / Σ w in days, per learner (NaN without evidence)
    idle: np.ndarray  # days since the latest answer in scope, per learner (NaN without)
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
        if "weighted_age" in graded.columns:
            w_age = graded["weighted_age"].to_numpy(float)
        else:
            w_age = w * np.maximum((now - when).dt.total_seconds().to_numpy() / 86400.0, 0.0)
    else:
        age = np.maximum((now - when).dt.total_seconds().to_numpy() / 86400.0, 0.0)
        w = 0.5 ** (age / half_life_days) * _fresh(graded)
        w_age = w * age
        y = graded["score"].to_numpy(float) / graded["max_score"].to_numpy(float)
        wy = w * np.clip(y, 0, 1)
        counts = np.ones(len(graded))
    difficulty = np.round(graded["difficulty"].to_numpy(float), 1)
    levels, level = np.unique(difficulty, return_inverse=True)
    n_sec, n_lev = len(sections), max(len(levels), 1)
    cell = ((learner * n_sec)[:, None] + np.arange(n_sec)) * n_lev + level[:, None]

    def total(values: np.ndarray) -> np.ndarray:
        weights = (values[:, None] * member).ravel()
        size = len(learners) * n_sec * n_lev
        return np.bincount(cell.ravel(), weights, size).reshape(-1, n_sec, n_lev)

    last = when.groupby(learner).max()
    by_level, right_by_level = total(w), total(wy)
    total_w = np.bincount(learner, w, minlength=len(learners))
    return _Evidence(
        weight=by_level.sum(axis=2),
        right=right_by_level.sum(axis=2),
        by_level=by_level,
        right_by_level=right_by_level,
        levels=levels if len(levels) else np.array([EXAM_DIFFICULTY]),
        answers=np.bincount(learner, counts, minlength=len(learners)).astype(int),
        total=total_w,
        age=np.divide(
            np.bincount(learner, w_age, minlength=len(learners)),
            total_w,
            out=np.full(len(learners), np.nan),
            where=total_w > 0,
        ),
        last=last.reindex(range(len(learners))),
        idle=(now - last.reindex(range(len(learners)))).dt.total_seconds().to_numpy() / 86400.0,
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


START_ROUNDS = 12  # linearised rounds that find where each learner's ability lies
EM_ROUNDS = 12  # quadrature EM rounds when the population is estimated too
INNER_NODES = 5  # Gauss–Hermite points for a section's own deviation, per ability node
EM_SAMPLE = 1000  # learners the population is estimated from, at most
FIT_NODES = 8  # ability nodes while the population is estimated
WIDEN = 1.25  # the ability nodes cover a little more than the linearised spread


@dataclass(frozen=True)
class _Posterior:
    """The posterior on a grid: ability nodes θ_k per learner with weights π (rows sum to
    1), and for each node and section the exam-scale logit at INNER_NODES deviations with
    their weights ω given that node (sum 1 over the last axis)."""

    theta: np.ndarray  # L × K
    theta_weight: np.ndarray  # L × K
    logits: np.ndarray  # L × K × S × J
    weight: np.ndarray  # L × K × S × J

    def subset(self, rows: np.ndarray | slice) -> _Posterior:
        return _Posterior(
            self.theta[rows], self.theta_weight[rows], self.logits[rows], self.weight[rows]
        )

    def moved(self, shift: np.ndarray, spread: np.ndarray | None = None) -> _Posterior:
        """The posterior with each learner's ability moved by `shift` logits and, with
        `spread`, its variance grown by spread² (the nodes stretched about their mean,
        exact for a normal posterior)."""
        if not np.any(shift) and (spread is None or not np.any(spread)):
            return self
        change = np.broadcast_to(shift[:, None], self.theta.shape)
        if spread is not None:
            mean, sd = self.theta_moments()
            stretch = np.sqrt(1 + (spread / sd) ** 2)
            change = change + (self.theta - mean[:, None]) * (stretch[:, None] - 1)
        return _Posterior(
            self.theta + change,
            self.theta_weight,
            self.logits + change[:, :, None, None],
            self.weight,
        )

    def mastery(self) -> np.ndarray:
        """Posterior mean of the chance on an average exam item, per learner × section."""
        given = (_sigmoid(self.logits) * self.weight).sum(axis=3)
        mastery: np.ndarray = np.einsum("lks,lk->ls", given, self.theta_weight)
        return mastery

    def theta_moments(self) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and standard deviation of general ability."""
        mean = (self.theta * self.theta_weight).sum(axis=1)
        var = (((self.theta - mean[:, None]) ** 2) * self.theta_weight).sum(axis=1)
        return mean, np.sqrt(np.maximum(var, 1e-6))


@dataclass(frozen=True)
class _Data:
    """The evidence as the likelihood reads it, per learner × section."""

    weight: np.ndarray  # Σ w, learner × section × difficulty level
    right: np.ndarray  # Σ w·y, the same way
    shift: np.ndarray  # per level: how much harder than an average exam item, in logits
    has: np.ndarray  # learner × section: any evidence

    def rows(self, rows: np.ndarray | slice) -> _Data:
        return _Data(self.weight[rows], self.right[rows], self.shift, self.has[rows])


def fit(
    ev: _Evidence,
    items: np.ndarray,
    step: float,
    exam_difficulty: float,
    population: Population | None = None,
    nodes: int = NODES,
) -> tuple[_Posterior, Population]:
    """The hierarchy fitted to the evidence, and the population it used (module docstring).

    A few linearised rounds (penalised quasi-likelihood) find each learner's ability
    roughly; the posterior is then computed on a grid of ability nodes placed there, with
    the exact weighted binomial likelihood, by adaptive Gauss–Hermite quadrature. When
    `population` is None, EM rounds on the same grid estimate it first.
    """
    has = ev.weight > _TOLERANCE
    shift = step * (ev.levels - exam_difficulty)
    data = _Data(ev.by_level, ev.right_by_level, shift, has)
    pop = population or Population()
    if population is None:
        # The population is learnt from at most EM_SAMPLE learners with evidence, spread
        # evenly over the table: the parameters are averages, and thousands more add
        # nothing but time.
        sample = np.flatnonzero(has.any(axis=1))
        sample = sample[np.linspace(0, len(sample) - 1, min(len(sample), EM_SAMPLE)).astype(int)]
        some = data.rows(sample)
        centre, sd = _start(some, pop)
        for _ in range(EM_ROUNDS):
            post = _grid(some, pop, centre, sd, FIT_NODES)
            pop = _em_step(post, some, pop, items)
            centre, sd = post.theta_moments()
    centre, sd = _start(data, pop)
    return _grid(data, pop, centre, sd, max(nodes, FIT_NODES)), pop


def _start(data: _Data, pop: Population) -> tuple[np.ndarray, np.ndarray]:
    """Where each learner's ability lies, roughly: linearised rounds of the normal model."""
    offsets = pop.offset_array(data.has.shape[1])
    eta = np.full(data.has.shape, pop.mean)
    theta, info = np.full(len(eta), pop.mean), np.full(len(eta), 1 / pop.spread)
    for _ in range(START_ROUNDS):
        p0 = _sigmoid(eta[..., None] - data.shift)
        fisher = np.maximum((data.weight * p0 * (1 - p0)).sum(axis=2), 1e-9)
        score = (data.right - data.weight * p0).sum(axis=2)
        working = np.where(data.has, eta + score / fisher, 0.0)
        precision = np.where(data.has, fisher, 0.0)
        weight = precision / (1 + precision * pop.section_spread)
        info = 1 / pop.spread + weight.sum(axis=1)
        theta = (pop.mean / pop.spread + (weight * (working - offsets)).sum(axis=1)) / info
        gain = 1 / (1 + precision * pop.section_spread)  # the weight on θ + offset
        eta = (1 - gain) * working + gain * (theta[:, None] + offsets)
    return theta, WIDEN / np.sqrt(info)


def _grid(data: _Data, pop: Population, centre: np.ndarray, sd: np.ndarray, k: int) -> _Posterior:
    """The posterior on ability nodes centre ± sd·x (adaptive Gauss–Hermite)."""
    x, w = _hermite(k)
    dx, dw = _hermite(INNER_NODES)
    theta = centre[:, None] + sd[:, None] * x  # L × K
    offsets = pop.offset_array(data.has.shape[1])
    deviation = math.sqrt(pop.section_spread) * dx
    logits = theta[:, :, None, None] + offsets[None, None, :, None] + deviation  # L×K×S×J
    log_lik = np.zeros(logits.shape) + np.log(dw)
    for d, shift in enumerate(data.shift):
        z = logits - shift
        right = data.right[:, None, :, None, d]
        seen = data.weight[:, None, :, None, d]
        softplus = np.logaddexp(0, z)  # −log(1 − σ(z)); −log σ(z) is softplus − z
        log_lik -= seen * softplus - right * z
    top = log_lik.max(axis=3, keepdims=True)
    scaled = np.exp(log_lik - top)
    per_node = scaled.sum(axis=3, keepdims=True)
    weight = scaled / per_node  # ω: the deviation's posterior given the ability node
    section_log = (np.log(per_node) + top)[..., 0].sum(axis=2)  # L × K
    prior = -0.5 * (theta - pop.mean) ** 2 / pop.spread
    proposal = -0.5 * x**2  # the nodes' own density, up to the constant sd
    log_post = np.log(w) + prior + section_log - proposal
    log_post -= log_post.max(axis=1, keepdims=True)
    theta_weight = np.exp(log_post)
    theta_weight /= theta_weight.sum(axis=1, keepdims=True)
    return _Posterior(theta, theta_weight, logits, weight)


def _em_step(post: _Posterior, data: _Data, pop: Population, items: np.ndarray) -> Population:
    """One EM step for the population, each parameter blended with the defaults as if
    PRIOR_LEARNERS more learners had shown them (a team of three cannot talk the model
    into extreme values)."""
    base = Population()
    learners = data.has.any(axis=1)
    n = float(learners.sum())
    if n == 0:
        return pop
    theta, pi = post.theta[learners], post.theta_weight[learners]
    mean = ((theta * pi).sum() + PRIOR_LEARNERS * base.mean) / (n + PRIOR_LEARNERS)
    spread = (((theta - mean) ** 2 * pi).sum() + PRIOR_LEARNERS * base.spread) / (
        n + PRIOR_LEARNERS
    )
    deviation = math.sqrt(pop.section_spread) * _hermite(INNER_NODES)[0]
    given = post.weight[learners]  # L × K × S × J
    first = np.einsum("lksj,j,lk->ls", given, deviation, pi)  # E[δ] per cell
    second = np.einsum("lksj,j,lk->ls", given, deviation**2, pi)  # E[δ²]
    has = data.has[learners]
    cells = has.sum(axis=0)
    moved = np.divide((first * has).sum(axis=0), cells, out=np.zeros(len(cells)), where=cells > 0)
    offsets = pop.offset_array(len(cells)) + moved * cells / (cells + PRIOR_LEARNERS)
    offsets -= (offsets * items).sum() / items.sum()
    spread_cells = (second - first**2 + (first - moved) ** 2)[has].sum()
    tau2 = (spread_cells + PRIOR_LEARNERS * base.section_spread) / (
        float(has.sum()) + PRIOR_LEARNERS
    )
    return Population(float(mean), float(spread), tuple(float(o) for o in offsets), float(tau2))


def _forecast(
    post: _Posterior,
    sections: list[Section],
    cut: int,
    step: float,
    shifts: Sequence[Mix] | None = None,
) -> np.ndarray:
    """Per learner: pass probability and the INTERVAL range (module docstring, step 5)."""
    counts = np.array([s.items for s in sections], dtype=float)
    minima = [s.minimum for s in sections]
    z = [NormalDist().inv_cdf(share / 100) for share in INTERVAL]
    rows_total, k = post.theta.shape
    out = np.empty((rows_total, 3))
    chunk = max(1, _ROWS_PER_CHUNK // (k * INNER_NODES))
    for start in range(0, rows_total, chunk):
        part = post.subset(slice(start, start + chunk))
        p = _sigmoid(part.logits)  # L × K × S × J
        rows = p.shape[0]
        # Given ability the sections are independent: mix each one's count distribution
        # over its own deviation, convolve the sections, then mix over ability.
        flat = p.transpose(0, 1, 3, 2).reshape(-1, len(sections))
        mix = part.weight.transpose(0, 1, 3, 2).reshape(-1, len(sections))
        pmfs = [
            (pmf * mix[:, j]).reshape(pmf.shape[0], rows * k, INNER_NODES).sum(axis=2)
            for j, pmf in enumerate(_section_pmfs(flat, sections, step, shifts))
        ]
        given = _pass_from_pmfs(pmfs, minima, cut).reshape(rows, k)
        out[start : start + rows, 0] = (given * part.theta_weight).sum(axis=1)
        # Range: the pass chance where the expected exam score sits at its own INTERVAL
        # quantiles, each section moved by its regression on that score.
        pi = part.theta_weight
        cond_mean = (p * part.weight).sum(axis=3)  # L × K × S
        cond_var = (((p - cond_mean[..., None]) ** 2) * part.weight).sum(axis=3)
        mean = np.einsum("lks,lk->ls", cond_mean, pi)
        dev = cond_mean - mean[:, None, :]
        score_dev = dev @ counts  # L × K
        within = np.einsum("lks,lk->ls", cond_var, pi)
        lever = np.einsum("lks,lk,lk->ls", dev, score_dev, pi) + counts * within
        total = (score_dev**2 * pi).sum(axis=1) + (within * counts**2).sum(axis=1)
        sd = np.sqrt(total)[:, None]
        unit = np.divide(lever, sd, out=np.zeros_like(lever), where=sd > 0)
        for col, q in ((1, z[0]), (2, z[1])):
            moved = np.clip(mean + q * unit, 0.0, 1.0)
            chance = _pass_from_pmfs(_section_pmfs(moved, sections, step, shifts), minima, cut)
            out[start : start + rows, col] = chance
    return out


@functools.cache
def _hermite(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Points and weights integrating against the standard normal density (read-only:
    kept for every later call)."""
    x, w = np.polynomial.hermite.hermgauss(nodes)
    points, weights = math.sqrt(2) * x, w / math.sqrt(math.pi)
    points.flags.writeable = weights.flags.writeable = False
    return points, weights


def _section_pmfs(
    p: np.ndarray, sections: list[Section], step: float, shifts: Sequence[Mix] | None = None
) -> list[np.ndarray]:
    """Per section, the distribution of right answers on an exam of mixed difficulty.

    `p` (rows × sections) is the chance on an average exam item. The exam's items are
    split evenly over difficulties 1–3 (one left over goes to the middle, two to the ends), an
    item of difficulty d answered right with σ(logit p − step·(d − 2)); the section's
    count is the sum of the three binomials — less spread than one binomial at p.
    """
    found = []
    logit = _logit(p)
    for j, mix in enumerate(exam_mix(sections, step, shifts)):
        total = np.ones((1, p.shape[0]))
        for shift, items in mix:
            if items:
                total = _convolve(total, _binomial(_sigmoid(logit[:, j] - shift), items))
        found.append(total)
    return found


Mix = tuple[tuple[float, int], ...]  # (logits harder than an average exam item, items)


def _thirds(items: int) -> tuple[int, int, int]:
    """`items` split over easy, middle and hard thirds symmetrically: one left over goes to
    the middle, two to the ends."""
    base, left = divmod(items, 3)
    return (base + (left == 2), base + (left == 1), base + (left == 2))


def exam_mix(
    sections: list[Section], step: float, shifts: Sequence[Mix] | None = None
) -> list[Mix]:
    """Per section, the exam's items as (difficulty shift, count) groups: `shifts` when
    known from the bank, else split evenly over the three labels, step logits apart."""
    if shifts is not None:
        return list(shifts)
    found = []
    for section in sections:
        split = _thirds(section.items)
        found.append(
            tuple((step * (level - 2), k) for level, k in zip((1, 2, 3), split, strict=True))
        )
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
        tuple(more_answers(titles, sid, n) for sid, n in want.items()) for want in needed
    ]
    return table


def more_answers(titles: dict[str, str], section_id: str, count: int) -> Message:
    """What one section (or the whole exam) still needs: `count` more answers."""
    if section_id == OVERALL:
        return Message("readiness.more_answers_overall", count=count)
    return Message("readiness.more_answers", {"section": titles[section_id]}, count=count)
