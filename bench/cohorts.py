"""Simulated cohorts for validating the readiness model (issue 16).

Each cohort is a function of a seeded `numpy.random.Generator` (and a number of learners)
that returns a `Cohort`: the answers in the model's input columns, the blueprint, `now`,
and per learner what the model cannot see — the TRUE chance of passing the exam today,
one simulated sitting of that exam today, and the predictions of naive rules.

The generating assumptions are deliberately not the model's (a logit model with normal
general ability, normal section deviations and difficulty labels 0.5 logits apart):

- Items have a continuous Rasch difficulty b (logits), spread uniformly or with heavy
  tails around a section centre; the author's label 1–3 is a noisy tercile of b (30 / 40 /
  30 % of each section's bank), so labels say only roughly how hard an item is.
- Abilities come from bimodal, skewed, uniform or logistic distributions, and a learner's
  section deviations from t, Laplace, logistic or skewed (centred gamma) distributions.
- A learner answers 10–400 items (log-uniform) over about 60 days, in sessions of 8–30
  answers at random days of the learner's own practice window; an answer is right with
  σ(θ_ls(t) − b_i), θ_ls(t) the learner's ability in the item's section at that moment.
- The exam today is one fixed form per cohort: for each section, items at the quantiles
  (i + ½) / n of the section bank's difficulties (fresh items of the same kind as the bank,
  not items learners practised). Marks are 0/1, one per item.

The TRUE pass chance uses the learners' abilities at `now`: each exam item is right with
σ(θ_ls − b_i), a section's count is Poisson-binomial, the sections are convolved, and the
learner passes iff the total reaches ⌈pass_mark · N⌉ and each section its minimum
(`exam_pass_chance`, exact). The observed outcome is one such sitting, drawn.

Naive rules (columns of `Cohort.learners`):

- `share_rule`: 1 if the learner's share right over all answers reaches the pass mark,
  else 0;
- `share_chance`: the exact pass chance of the blueprint's exam if every item were right
  with the learner's raw share right (the overall share "passed through the cut");
- `last_mock`: 1 if the learner's latest mock form passed (pass mark and section minima),
  else 0; NaN for learners without a mock (only the mocks-and-practice cohort has mocks).

Use `generate(name, learners, seed)` for a cohort by name: its generator is seeded with
(seed, crc32 of the name), so one cohort alone is the same as within a full run.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from app.analytics.readiness import REQUIRED
from app.domain.blueprint import Blueprint, BlueprintSection

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
DAYS = 60.0  # the cohort's practice period ends at `now`
LEVEL = "foundation"
MIN_ANSWERS, MAX_ANSWERS = 10, 400
SESSION_ANSWERS = (8, 30)  # answers per practice session, drawn per learner
SESSION_HOURS = 1.0  # a session's answers fall within this many hours
LAST_MINUTE = 1.0 / (24 * 60)  # no answer is later than a minute before `now`
COLUMNS = REQUIRED  # the model's input columns
RULES = ("share_rule", "share_chance", "last_mock")


@dataclass(frozen=True)
class Bank:
    """The practice bank (one row per item) and the exam form, with the TRUE difficulties."""

    section: np.ndarray  # item → section index
    b: np.ndarray  # true Rasch difficulty, logits
    label: np.ndarray  # the author's difficulty label, 1–3
    item_id: np.ndarray  # object array of str
    clauses: np.ndarray  # object array of one-clause lists
    exam: tuple[np.ndarray, ...]  # per section: the exam form's item difficulties

    def of(self, section: int) -> np.ndarray:
        """Bank indices of one section's items."""
        return np.flatnonzero(self.section == section)


Density = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Prior:
    """The generating distribution of a cohort whose abilities do not change:
    θ_ls = g_l + d_ls, g with density `general`, d_ls independent with density
    `deviation[s]` (unnormalised densities, evaluated on grids by `bench/ideal.py`)."""

    general: Density
    deviation: tuple[Density, ...]


@dataclass(frozen=True)
class Cohort:
    """One simulated cohort: the model's input and the truth it is judged against.

    `learners` is indexed by learner_id (0 … L − 1) with columns `answers` (answers in the
    frame), `right` (share right), `true_pass` (exact pass chance today), `outcome` (one
    sitting today, 0/1), `mocks` (mock forms sat), `idle_days` (days since the last answer)
    and the naive rules `share_rule`, `share_chance`, `last_mock` (NaN where undefined).
    `theta_now` is the true ability per learner × section today (logits). `prior` is
    the generating distribution of abilities where it is constant over time (else None).
    """

    name: str
    description: str
    answers: pd.DataFrame
    blueprint: Blueprint
    now: datetime
    learners: pd.DataFrame
    theta_now: np.ndarray
    bank: Bank
    prior: Prior | None = None

    @property
    def cut(self) -> int:
        return cut_of(self.blueprint)

    @property
    def minima(self) -> list[int]:
        return minima_of(self.blueprint)

    @property
    def rules(self) -> list[str]:
        """The naive rules defined for at least one learner of this cohort."""
        return [r for r in RULES if self.learners[r].notna().any()]


# --- The exam ------------------------------------------------------------------------


def cut_of(blueprint: Blueprint) -> int:
    """Right answers needed overall, ⌈pass_mark · N⌉ (float noise forgiven)."""
    assert blueprint.pass_mark is not None
    return max(0, math.ceil(blueprint.pass_mark * blueprint.item_count - 1e-9))


def minima_of(blueprint: Blueprint) -> list[int]:
    """Per section, the right answers its minimum asks for (0 without one)."""
    return [
        0 if s.min_score is None else max(0, math.ceil(s.min_score * s.items - 1e-9))
        for s in blueprint.sections
    ]


def poisson_binomial(p: np.ndarray) -> np.ndarray:
    """Rows × (n + 1): the distribution of the number right when item j is right with
    p[:, j], the items independent (the exact recursion over items)."""
    rows, n = p.shape
    pmf = np.zeros((rows, n + 1))
    pmf[:, 0] = 1.0
    for j in range(n):
        q = p[:, j : j + 1]
        shifted = pmf[:, : j + 1] * q
        pmf[:, : j + 1] *= 1.0 - q
        pmf[:, 1 : j + 2] += shifted
    return pmf


def exam_pass_chance(p: Sequence[np.ndarray], minima: Sequence[int], cut: int) -> np.ndarray:
    """P(total ≥ cut and section s ≥ minima[s]) per row, when `p[s]` (rows × n_s) holds the
    chance of each of section s's exam items being right, all independent."""
    rows = p[0].shape[0]
    total = np.ones((rows, 1))
    for probs, minimum in zip(p, minima, strict=True):
        pmf = poisson_binomial(probs)
        pmf[:, :minimum] = 0.0  # below the section minimum the learner fails
        out = np.zeros((rows, total.shape[1] + pmf.shape[1] - 1))
        for k in range(pmf.shape[1]):
            out[:, k : k + total.shape[1]] += total * pmf[:, k : k + 1]
        total = out
    chance: np.ndarray = np.clip(total[:, cut:].sum(axis=1), 0.0, 1.0)
    return chance


def true_pass_chance(
    theta: np.ndarray, exam: Sequence[np.ndarray], minima: Sequence[int], cut: int
) -> np.ndarray:
    """Exact pass chance per learner for abilities `theta` (learners × sections) on the
    exam form whose section s has item difficulties exam[s]."""
    p = [sigmoid(theta[:, s, None] - b[None, :]) for s, b in enumerate(exam)]
    return exam_pass_chance(p, minima, cut)


def sit_exam(
    rng: np.random.Generator,
    theta: np.ndarray,
    exam: Sequence[np.ndarray],
    minima: Sequence[int],
    cut: int,
) -> np.ndarray:
    """One sitting per learner (bool): each item right with σ(θ_ls − b_i)."""
    total = np.zeros(theta.shape[0], dtype=int)
    ok = np.ones(theta.shape[0], dtype=bool)
    for s, b in enumerate(exam):
        right = (rng.random((theta.shape[0], len(b))) < sigmoid(theta[:, s, None] - b)).sum(1)
        total += right
        ok &= right >= minima[s]
    passed: np.ndarray = ok & (total >= cut)
    return passed


def sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out


# --- Building blocks -----------------------------------------------------------------


def blueprint_of(
    sections: Sequence[tuple[str, str, int, float | None]], pass_mark: float
) -> Blueprint:
    """A blueprint from (id, clause prefix, items, min_score) tuples, level LEVEL."""
    return Blueprint(
        sections=tuple(
            BlueprintSection(
                id=sid,
                title=sid.replace("-", " ").capitalize(),
                clauses=(prefix,),
                items=items,
                min_score=minimum,
            )
            for sid, prefix, items, minimum in sections
        ),
        levels=(LEVEL,),
        pass_mark=pass_mark,
    )


FOUNDATION_LIKE = (
    ("series-terms", "3", 4, None),
    ("context-leadership", "4", 5, None),
    ("planning-support", "6", 7, None),
    ("operation", "8", 16, None),
    ("performance-evaluation", "9", 5, None),
    ("improvement", "10", 3, None),
)


def make_bank(
    rng: np.random.Generator,
    blueprint: Blueprint,
    *,
    spread: float = 0.75,
    centre: float = 0.4,
    label_corr: float = 0.85,
    tails: str = "uniform",
    size: tuple[int, int] = (6, 12),
) -> Bank:
    """A practice bank of a·n + b items per section (`size` = (a, b)) and the exam form.

    b = c_s + spread · z, c_s ~ U(−centre, centre), z standardised (`tails`: "uniform" or
    "t" with 4 degrees of freedom). Labels: terciles-ish (30/40/30 %) of
    label_corr · z + √(1 − label_corr²) · ε within the section.
    """
    section, b, label, ids, clauses = [], [], [], [], []
    exam = []
    size_per, size_extra = size
    for s, sec in enumerate(blueprint.sections):
        size = size_per * sec.items + size_extra
        if tails == "t":
            z = rng.standard_t(4, size) / math.sqrt(2.0)
        else:
            z = rng.uniform(-math.sqrt(3.0), math.sqrt(3.0), size)
        bs = rng.uniform(-centre, centre) + spread * z
        noisy = label_corr * z + math.sqrt(1 - label_corr**2) * rng.standard_normal(size)
        low, high = np.quantile(noisy, [0.3, 0.7])
        section.append(np.full(size, s))
        b.append(bs)
        label.append(1 + (noisy > low).astype(int) + (noisy > high).astype(int))
        ids += [f"{sec.id}-{k:03d}" for k in range(size)]
        prefix = sec.clauses[0]
        sub = rng.integers(1, 4, size)
        clauses += [[f"{prefix}.{int(k)}"] for k in sub]
        exam.append(np.quantile(bs, (np.arange(sec.items) + 0.5) / sec.items))
    as_object = np.empty(len(clauses), dtype=object)
    as_object[:] = clauses
    return Bank(
        section=np.concatenate(section),
        b=np.concatenate(b),
        label=np.concatenate(label),
        item_id=np.array(ids, dtype=object),
        clauses=as_object,
        exam=tuple(exam),
    )


@dataclass(frozen=True)
class Schedule:
    """Who answered which bank item when (day 0 … DAYS, `now` is DAYS)."""

    who: np.ndarray
    day: np.ndarray
    item: np.ndarray
    section: np.ndarray
    mock: np.ndarray  # mock sitting index, −1 for topic practice
    progress: np.ndarray  # share of the learner's answers given up to this one (inclusive)
    mock_owner: np.ndarray  # per mock sitting: its learner
    mock_day: np.ndarray  # per mock sitting: its day


def answer_counts(rng: np.random.Generator, learners: int) -> np.ndarray:
    """Answers per learner, log-uniform between MIN_ANSWERS and MAX_ANSWERS."""
    counts = np.exp(rng.uniform(math.log(MIN_ANSWERS), math.log(MAX_ANSWERS), learners))
    return np.rint(counts).astype(int)


def windows(
    rng: np.random.Generator, learners: int, active: float = 0.6, latest_start: float = 40.0
) -> tuple[np.ndarray, np.ndarray]:
    """Practice windows (start, stop days): a share `active` still practises today, the
    others stopped somewhere after starting."""
    start = rng.uniform(0, latest_start, learners)
    stop = start + (DAYS - start) * rng.uniform(0.3, 1.0, learners)
    still = rng.random(learners) < active
    stop = np.where(still, DAYS - rng.uniform(0, 2, learners), stop)
    return start, np.maximum(stop, start + 1.0)


def schedule(
    rng: np.random.Generator,
    bank: Bank,
    blueprint: Blueprint,
    sizes: np.ndarray,
    start: np.ndarray,
    stop: np.ndarray,
    weights: np.ndarray,
    label_mix: np.ndarray,
    mocks: np.ndarray | None = None,
) -> Schedule:
    """Topic practice (section by `weights`, label by `label_mix`, item uniform within the
    section and label) in sessions, plus `mocks[l]` full forms drawn from the bank."""
    learners = len(sizes)
    form = blueprint.item_count
    mocks = np.zeros(learners, dtype=int) if mocks is None else np.minimum(mocks, sizes // form)
    practice = (sizes - mocks * form).astype(int)
    # Topic practice.
    who = np.repeat(np.arange(learners), practice)
    cum_w = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    sec = np.minimum((rng.random(len(who))[:, None] > cum_w[who]).sum(axis=1), len(cum_w[0]) - 1)
    cum_l = np.cumsum(label_mix / label_mix.sum(axis=1, keepdims=True), axis=1)
    lab = np.minimum((rng.random(len(who))[:, None] > cum_l[who]).sum(axis=1), 2)
    order = np.lexsort((bank.label, bank.section))  # bank sorted by section, then label
    n_sec = len(blueprint.sections)
    group = bank.section[order] * 3 + bank.label[order] - 1
    count = np.bincount(group, minlength=n_sec * 3)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    g = sec * 3 + lab
    item = order[first[g] + np.floor(rng.random(len(who)) * count[g]).astype(int)]
    per_session = rng.integers(SESSION_ANSWERS[0], SESSION_ANSWERS[1] + 1, learners)
    sessions = np.maximum(np.ceil(practice / per_session), 1).astype(int)
    offset = np.concatenate([[0], np.cumsum(sessions)[:-1]])
    owner = np.repeat(np.arange(learners), sessions)
    session_day = start[owner] + (stop[owner] - start[owner]) * rng.random(len(owner))
    pick = np.floor(rng.random(len(who)) * sessions[who]).astype(int)
    day = session_day[offset[who] + pick] + rng.random(len(who)) * SESSION_HOURS / 24
    # Mock forms: the blueprint's count from each section, without replacement, at one
    # sitting late in the learner's window.
    mock_owner = np.repeat(np.arange(learners), mocks)
    m = len(mock_owner)
    mock_day = start[mock_owner] + (stop[mock_owner] - start[mock_owner]) * rng.beta(2.5, 1, m)
    parts = []
    for s, spec in enumerate(blueprint.sections):
        pool = bank.of(s)
        drawn = rng.random((m, len(pool))).argsort(axis=1)[:, : spec.items]
        parts.append(pool[drawn])
    mock_items = np.concatenate(parts, axis=1) if m else np.zeros((0, form), dtype=int)
    mock_who = np.repeat(mock_owner, form)
    mock_when = np.repeat(mock_day, form) + np.tile(np.arange(form) / form, m) * (1 / 24)
    all_who = np.concatenate([who, mock_who])
    all_item = np.concatenate([item, mock_items.ravel()])
    all_day = np.minimum(np.concatenate([day, mock_when]), DAYS - LAST_MINUTE)
    all_mock = np.concatenate([np.full(len(who), -1), np.repeat(np.arange(m), form)])
    order = np.lexsort((all_day, all_who))
    all_who, all_item, all_day, all_mock = (
        all_who[order],
        all_item[order],
        all_day[order],
        all_mock[order],
    )
    first_row = np.searchsorted(all_who, np.arange(learners))
    rank = np.arange(len(all_who)) - first_row[all_who]
    progress = (rank + 1) / sizes[all_who]
    return Schedule(
        who=all_who,
        day=all_day,
        item=all_item,
        section=bank.section[all_item],
        mock=all_mock,
        progress=progress,
        mock_owner=mock_owner,
        mock_day=mock_day,
    )


def finish(
    rng: np.random.Generator,
    name: str,
    description: str,
    blueprint: Blueprint,
    bank: Bank,
    plan: Schedule,
    theta_answer: np.ndarray,
    theta_now: np.ndarray,
    prior: Prior | None = None,
    memory: tuple[float, float] | None = None,
) -> Cohort:
    """Score the answers, build the frame, the truth, one sitting today and the rules.

    `memory` (recall, half-life in days): a learner who answers an item again remembers
    its key (shown after each answer) with chance recall · 0.5^(days since they last
    answered it / half-life), and is then right whatever their ability."""
    learners = theta_now.shape[0]
    chance = sigmoid(theta_answer - bank.b[plan.item])
    if memory is not None:
        recall, half_life = memory
        since = pd.DataFrame({"who": plan.who, "item": plan.item, "day": plan.day})
        gap = since.groupby(["who", "item"])["day"].diff().to_numpy()  # NaN: first answer
        remembered = np.where(np.isnan(gap), 0.0, recall * 0.5 ** (np.nan_to_num(gap) / half_life))
        chance = 1 - (1 - chance) * (1 - remembered)
    right = rng.random(len(plan.who)) < chance
    now = pd.Timestamp(NOW)
    answers = pd.DataFrame(
        {
            "learner_id": plan.who,
            "item_id": bank.item_id[plan.item],
            "clauses": bank.clauses[plan.item],
            "level": LEVEL,
            "difficulty": bank.label[plan.item],
            "score": right.astype(float),
            "max_score": 1.0,
            "answered_at": now - pd.to_timedelta((DAYS - plan.day) * 86400.0, unit="s"),
        }
    )
    cut, minima = cut_of(blueprint), minima_of(blueprint)
    truth = true_pass_chance(theta_now, bank.exam, minima, cut)
    outcome = sit_exam(rng, theta_now, bank.exam, minima, cut)
    count = np.bincount(plan.who, minlength=learners)
    share = np.bincount(plan.who, right, minlength=learners) / np.maximum(count, 1)
    pass_mark = float(blueprint.pass_mark or 0.0)
    flat = [np.repeat(share[:, None], len(b), axis=1) for b in bank.exam]
    last_mock = np.full(learners, np.nan)
    n_mocks = np.bincount(plan.mock_owner, minlength=learners)
    if len(plan.mock_owner):
        taken = plan.mock >= 0
        m = len(plan.mock_owner)
        cells = plan.mock[taken] * len(minima) + plan.section[taken]
        by_section = np.bincount(cells, right[taken], m * len(minima)).reshape(m, -1)
        passed = (by_section.sum(axis=1) >= cut) & (by_section >= np.array(minima)).all(axis=1)
        latest = pd.Series(plan.mock_day).groupby(plan.mock_owner).idxmax()
        last_mock[latest.index.to_numpy()] = passed[latest.to_numpy()].astype(float)
    last_day = pd.Series(plan.day).groupby(plan.who).max().reindex(range(learners)).to_numpy()
    table = pd.DataFrame(
        {
            "answers": count,
            "right": share,
            "true_pass": truth,
            "outcome": outcome.astype(float),
            "mocks": n_mocks,
            "idle_days": DAYS - last_day,
            "share_rule": (share >= pass_mark - 1e-12).astype(float),
            "share_chance": exam_pass_chance(flat, minima, cut),
            "last_mock": last_mock,
        },
        index=pd.Index(np.arange(learners), name="learner_id"),
    )
    return Cohort(name, description, answers, blueprint, NOW, table, theta_now, bank, prior)


def blueprint_weights(blueprint: Blueprint) -> np.ndarray:
    items = np.array([s.items for s in blueprint.sections], dtype=float)
    return items / items.sum()


def proportional(rng: np.random.Generator, blueprint: Blueprint, learners: int) -> np.ndarray:
    """Section weights near the blueprint's shares (Dirichlet with 30 pseudo-counts)."""
    return rng.dirichlet(30 * blueprint_weights(blueprint), learners) + 1e-6


def mild_labels(rng: np.random.Generator, learners: int) -> np.ndarray:
    """Each learner's mix of difficulty labels, moderate preferences (Dirichlet(2, 2, 2))."""
    return rng.dirichlet([2.0, 2.0, 2.0], learners)


def constant(theta: np.ndarray, plan: Schedule) -> tuple[np.ndarray, np.ndarray]:
    """Ability that does not change: per answer and today."""
    return theta[plan.who, plan.section], theta


def normal_pdf(x: np.ndarray, mean: float | np.ndarray, sd: float) -> np.ndarray:
    out: np.ndarray = np.exp(-0.5 * ((x - mean) / sd) ** 2) / sd
    return out


def mixture_pdf(parts: Sequence[tuple[float, float, float]]) -> Density:
    """Density of a normal mixture, from (weight, mean, sd) triples."""
    return lambda x: sum((w * normal_pdf(x, m, sd) for w, m, sd in parts), np.zeros_like(x))


def scaled_t_pdf(df: float, scale: float) -> Density:
    """Density (unnormalised) of scale · t(df)."""
    return lambda x: (1 + (x / scale) ** 2 / df) ** (-(df + 1) / 2)


def logistic_pdf(mean: float, scale: float) -> Density:
    def density(x: np.ndarray) -> np.ndarray:
        z = np.exp(-np.abs(x - mean) / scale)
        out: np.ndarray = z / (1 + z) ** 2
        return out

    return density


def beta_pdf(a: float, b: float, low: float, width: float) -> Density:
    """Density (unnormalised) of low + width · Beta(a, b)."""

    def density(x: np.ndarray) -> np.ndarray:
        u = np.clip((x - low) / width, 0.0, 1.0)
        return u ** (a - 1) * (1 - u) ** (b - 1)

    return density


def gamma_pdf(shape: float, scale: float, low: float, width: float) -> Density:
    """Density (unnormalised) of low + width · Gamma(shape, scale)."""

    def density(x: np.ndarray) -> np.ndarray:
        u = np.maximum((x - low) / width, 0.0)
        return u ** (shape - 1) * np.exp(-u / scale)

    return density


def skewed_pdf(sign: float, scale: float, noise: float) -> Density:
    """Density of sign · scale · (Exp(1) − 1) + N(0, noise²), by numerical convolution."""
    u = np.linspace(0.0, 20.0, 4001)
    weight = np.exp(-u) * (u[1] - u[0])

    def density(x: np.ndarray) -> np.ndarray:
        centres = sign * scale * (u - 1)
        flat = np.asarray(x, float).reshape(-1)
        out = np.empty(len(flat))
        for start in range(0, len(flat), 256):
            part = flat[start : start + 256, None]
            out[start : start + 256] = (normal_pdf(part, centres, noise) * weight).sum(axis=1)
        return out.reshape(np.shape(x))

    return density


def repeat(density: Density, sections: int) -> tuple[Density, ...]:
    return (density,) * sections


# --- The cohorts ---------------------------------------------------------------------


def stable(rng: np.random.Generator, learners: int = 1200) -> Cohort:
    """Ability constant over the 60 days; bimodal general ability (60 % experienced around
    1.1 logits, 40 % new around 0), section deviations 0.35 · t(4)."""
    bp = blueprint_of(FOUNDATION_LIKE, 0.65)
    bank = make_bank(rng, bp)
    s = len(bp.sections)
    experienced = rng.random(learners) < 0.6
    general = np.where(experienced, rng.normal(1.1, 0.55, learners), rng.normal(0.0, 0.6, learners))
    theta = general[:, None] + 0.35 * rng.standard_t(4, (learners, s))
    start, stop = windows(rng, learners)
    plan = schedule(
        rng,
        bank,
        bp,
        answer_counts(rng, learners),
        start,
        stop,
        proportional(rng, bp, learners),
        mild_labels(rng, learners),
    )
    prior = Prior(
        mixture_pdf([(0.6, 1.1, 0.55), (0.4, 0.0, 0.6)]), repeat(scaled_t_pdf(4, 0.35), s)
    )
    return finish(rng, "stable", _doc(stable), bp, bank, plan, *constant(theta, plan), prior=prior)


def improving(rng: np.random.Generator, learners: int = 1200) -> Cohort:
    """Ability rises with practice over the 60 days: θ = θ₀ + gain_ls · progress^0.7, the
    progress the share of the learner's answers given so far (1 today); θ₀ left-skewed
    (0.8 − Gamma(2, 0.45)), gain Gamma(3, 0.35) per learner (mean 1.05 logits) times
    U(0.6, 1.4) per section, section deviations logistic (scale 0.22). Everyone practises
    until the last few days."""
    bp = blueprint_of(FOUNDATION_LIKE, 0.65)
    bank = make_bank(rng, bp)
    s = len(bp.sections)
    base = (0.8 - rng.gamma(2.0, 0.45, learners))[:, None] + rng.logistic(0, 0.22, (learners, s))
    gain = rng.gamma(3.0, 0.35, learners)[:, None] * rng.uniform(0.6, 1.4, (learners, s))
    start = rng.uniform(0, 30, learners)
    stop = DAYS - rng.uniform(0, 4, learners)
    plan = schedule(
        rng,
        bank,
        bp,
        answer_counts(rng, learners),
        start,
        stop,
        proportional(rng, bp, learners),
        mild_labels(rng, learners),
    )
    now_theta = base + gain
    at = base[plan.who, plan.section] + gain[plan.who, plan.section] * plan.progress**0.7
    return finish(rng, "improving", _doc(improving), bp, bank, plan, at, now_theta)


PRACTITIONER_LIKE = (
    ("context-leadership-planning", "4", 5, None),
    ("support", "7", 3, None),
    ("portfolio-relationships", "8.2", 6, None),
    ("supply-design-transition", "8.5", 7, None),
    ("resolution-assurance", "8.7", 5, None),
    ("evaluation-improvement", "9", 4, None),
)


def forgetting(rng: np.random.Generator, learners: int = 1200) -> Cohort:
    """Learning then idle, with forgetting: θ_ls(t) = base_l + dev_ls + gain_l · (1 −
    exp(−M_ls(t) / 10)), the memory M_ls(t) = Σ over earlier answers in the section of
    exp(−(t − t_j) / τ_l), τ_l ~ U(8, 40) days. Base U(−0.6, 1.3) (kept without practice),
    gain U(0.4, 2.0), deviations 0.3 · t(5). Practice windows start in the first 35 days
    and end anywhere after (15–100 % of the rest), so many learners have been idle for
    weeks and have lost part of what they learnt."""
    bp = blueprint_of(PRACTITIONER_LIKE, 0.65)
    bank = make_bank(rng, bp)
    s = len(bp.sections)
    base = rng.uniform(-0.6, 1.3, learners)[:, None] + 0.3 * rng.standard_t(5, (learners, s))
    gain = rng.uniform(0.4, 2.0, learners)
    tau = rng.uniform(8, 40, learners)
    start = rng.uniform(0, 35, learners)
    stop = start + (DAYS - start) * rng.uniform(0.15, 1.0, learners)
    plan = schedule(
        rng,
        bank,
        bp,
        answer_counts(rng, learners),
        start,
        stop,
        proportional(rng, bp, learners),
        mild_labels(rng, learners),
    )
    # Memory before each answer: within a (learner, section), answers sorted by time,
    # M(t_i) = e^(−t_i/τ) Σ_{j<i} e^(t_j/τ).
    cell = plan.who * s + plan.section
    order = np.lexsort((plan.day, cell))
    t, c, rate = plan.day[order], cell[order], 1 / tau[plan.who[order]]
    grown = np.exp(t * rate)
    running = pd.Series(grown).groupby(c).cumsum().to_numpy() - grown
    memory = np.empty(len(t))
    memory[order] = running * np.exp(-t * rate)
    total = np.bincount(c, grown, learners * s).reshape(learners, s)
    memory_now = total * np.exp(-DAYS / tau)[:, None]
    learnt = gain[:, None] * (1 - np.exp(-memory_now / 10.0))
    at = base[plan.who, plan.section] + gain[plan.who] * (1 - np.exp(-memory / 10.0))
    return finish(rng, "forgetting", _doc(forgetting), bp, bank, plan, at, base + learnt)


def heterogeneous_sections(rng: np.random.Generator, learners: int = 1200) -> Cohort:
    """Large per-section spread: general ability U(−0.6, 2.0); each learner's section
    deviations 0.8 · (Exp(1) − 1) (skewed, sd 0.8) with a per-section sign, plus
    N(0, 0.3²); section centres of difficulty U(−0.8, 0.8). Operation needs half its
    items (min_score 0.5). Ability constant."""
    spec = tuple(
        (sid, prefix, items, 0.5 if sid == "operation" else None)
        for sid, prefix, items, _m in FOUNDATION_LIKE
    )
    bp = blueprint_of(spec, 0.65)
    bank = make_bank(rng, bp, centre=0.8)
    s = len(bp.sections)
    sign = rng.choice([-1.0, 1.0], s)
    dev = sign * 0.8 * (rng.exponential(1.0, (learners, s)) - 1) + rng.normal(0, 0.3, (learners, s))
    theta = rng.uniform(-0.6, 2.0, learners)[:, None] + dev
    start, stop = windows(rng, learners)
    plan = schedule(
        rng,
        bank,
        bp,
        answer_counts(rng, learners),
        start,
        stop,
        proportional(rng, bp, learners),
        mild_labels(rng, learners),
    )
    return finish(
        rng,
        "heterogeneous-sections",
        _doc(heterogeneous_sections),
        bp,
        bank,
        plan,
        *constant(theta, plan),
        prior=Prior(
            lambda x: ((x > -0.6) & (x < 2.0)).astype(float),
            tuple(skewed_pdf(float(sign[j]), 0.8, 0.3) for j in range(s)),
        ),
    )


def uneven_practice(rng: np.random.Generator, learners: int = 1200) -> Cohort:
    """Some sections practised far more: section weights are the blueprint's shares times
    exp(1.3 · N(0, 1)) per learner and section, and a quarter of the learners all but skip
    one section (weight × 0.02). General ability logistic(0.7, 0.45), deviations
    0.4 · t(5); ability constant."""
    bp = blueprint_of(FOUNDATION_LIKE, 0.65)
    bank = make_bank(rng, bp)
    s = len(bp.sections)
    theta = rng.logistic(0.7, 0.45, learners)[:, None] + 0.4 * rng.standard_t(5, (learners, s))
    weights = blueprint_weights(bp) * np.exp(1.3 * rng.standard_normal((learners, s)))
    skip = rng.random(learners) < 0.25
    weights[np.flatnonzero(skip), rng.integers(0, s, int(skip.sum()))] *= 0.02
    start, stop = windows(rng, learners)
    plan = schedule(
        rng,
        bank,
        bp,
        answer_counts(rng, learners),
        start,
        stop,
        weights,
        mild_labels(rng, learners),
    )
    prior = Prior(logistic_pdf(0.7, 0.45), repeat(scaled_t_pdf(5, 0.4), s))
    return finish(
        rng,
        "uneven-practice",
        _doc(uneven_practice),
        bp,
        bank,
        plan,
        *constant(theta, plan),
        prior=prior,
    )


AUDITOR_LIKE = (
    ("requirements", "4", 25, 0.5),
    ("operation-audit", "8", 10, 0.5),
    ("evaluation", "9", 6, 0.5),
    ("improvement", "10", 3, 0.5),
)


def mocks_and_practice(rng: np.random.Generator, learners: int = 1200) -> Cohort:
    """Full mock forms mixed with topic practice, on an auditor-like blueprint (44 items,
    pass mark 0.70, every section at least half). 65 % of the learners with room for one
    sit 1 + Poisson(1.2) mocks (each a fresh 44-item draw from the bank, late in their
    window); the rest of their answers are topic practice. General ability a mixture
    (55 % N(1.3, 0.5²), 45 % N(0.3, 0.7²)), deviations 0.35 · t(4), and a mild rise with
    practice (gain U(0, 0.7) · progress)."""
    bp = blueprint_of(AUDITOR_LIKE, 0.70)
    bank = make_bank(rng, bp)
    s = len(bp.sections)
    strong = rng.random(learners) < 0.55
    general = np.where(strong, rng.normal(1.3, 0.5, learners), rng.normal(0.3, 0.7, learners))
    base = general[:, None] + 0.35 * rng.standard_t(4, (learners, s))
    gain = rng.uniform(0, 0.7, learners)
    sizes = answer_counts(rng, learners)
    sits = rng.random(learners) < 0.65
    mocks = np.where(sits, 1 + rng.poisson(1.2, learners), 0)
    start, stop = windows(rng, learners)
    plan = schedule(
        rng,
        bank,
        bp,
        sizes,
        start,
        stop,
        proportional(rng, bp, learners),
        mild_labels(rng, learners),
        mocks,
    )
    at = base[plan.who, plan.section] + gain[plan.who] * plan.progress
    now_theta = base + gain[:, None]
    return finish(
        rng, "mocks-and-practice", _doc(mocks_and_practice), bp, bank, plan, at, now_theta
    )


def mislabelled_difficulty(rng: np.random.Generator, learners: int = 1200) -> Cohort:
    """Author labels correlate only loosely with true difficulty (label_corr 0.3 instead of
    0.85), items spread wider (0.9 logits, t(4) tails), and learners keep strongly to
    their own labels (Dirichlet(0.35, 0.35, 0.35)), so what a label says about a
    learner's practice is often wrong. General ability 3 · Beta(2, 2.5) − 0.6, deviations
    0.3 · t(3); ability constant."""
    bp = blueprint_of(FOUNDATION_LIKE, 0.65)
    bank = make_bank(rng, bp, spread=0.9, label_corr=0.3, tails="t")
    s = len(bp.sections)
    theta = (3 * rng.beta(2.0, 2.5, learners) - 0.6)[:, None] + 0.3 * rng.standard_t(
        3, (learners, s)
    )
    start, stop = windows(rng, learners)
    plan = schedule(
        rng,
        bank,
        bp,
        answer_counts(rng, learners),
        start,
        stop,
        proportional(rng, bp, learners),
        rng.dirichlet([0.35, 0.35, 0.35], learners),
    )
    return finish(
        rng,
        "mislabelled-difficulty",
        _doc(mislabelled_difficulty),
        bp,
        bank,
        plan,
        *constant(theta, plan),
        prior=Prior(beta_pdf(2.0, 2.5, -0.6, 3.0), repeat(scaled_t_pdf(3, 0.3), s)),
    )


SMALL_ITEMS = (3, 2, 4, 1, 5, 3, 2, 4, 5, 3, 2, 1, 5)  # 40 items
SMALL_PREFIXES = (
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "5.1",
    "5.2",
    "5.3",
    "6.1",
    "6.2",
    "7.1",
    "7.5",
    "9.1",
    "10.2",
)


def small_sections(rng: np.random.Generator, learners: int = 1200) -> Cohort:
    """Thirteen sections of 1–5 items (40 in all, pass mark 0.65), the fifth and ninth
    (5 items each) with min_score 0.5. General ability N mixture (50 % N(1.0, 0.5²),
    50 % N(0.2, 0.8²)), deviations Laplace with sd 0.5; ability constant."""
    spec = tuple(
        (f"s{j + 1:02d}", prefix, items, 0.5 if j in (4, 8) else None)
        for j, (prefix, items) in enumerate(zip(SMALL_PREFIXES, SMALL_ITEMS, strict=True))
    )
    bp = blueprint_of(spec, 0.65)
    bank = make_bank(rng, bp)
    s = len(bp.sections)
    half = rng.random(learners) < 0.5
    general = np.where(half, rng.normal(1.0, 0.5, learners), rng.normal(0.2, 0.8, learners))
    theta = general[:, None] + rng.laplace(0, 0.5 / math.sqrt(2), (learners, s))
    start, stop = windows(rng, learners)
    plan = schedule(
        rng,
        bank,
        bp,
        answer_counts(rng, learners),
        start,
        stop,
        proportional(rng, bp, learners),
        mild_labels(rng, learners),
    )
    prior = Prior(
        mixture_pdf([(0.5, 1.0, 0.5), (0.5, 0.2, 0.8)]),
        repeat(lambda x: np.exp(-np.abs(x) * math.sqrt(2) / 0.5), s),
    )
    return finish(
        rng,
        "small-sections",
        _doc(small_sections),
        bp,
        bank,
        plan,
        *constant(theta, plan),
        prior=prior,
    )


LARGE_SECTIONS = (
    ("operation", "8", 20, None),
    ("evaluation", "9", 25, None),
    ("improvement", "10", 15, None),
)


def large_sections(rng: np.random.Generator, learners: int = 1200) -> Cohort:
    """Three sections of 20, 25 and 15 items (pass mark 0.65). General ability right-skewed
    (0.6 + 0.8 · (Gamma(4, 0.5) − 2)), deviations 0.4 · t(4); ability constant."""
    bp = blueprint_of(LARGE_SECTIONS, 0.65)
    bank = make_bank(rng, bp, tails="t")
    s = len(bp.sections)
    general = 0.6 + 0.8 * (rng.gamma(4.0, 0.5, learners) - 2.0)
    theta = general[:, None] + 0.4 * rng.standard_t(4, (learners, s))
    start, stop = windows(rng, learners)
    plan = schedule(
        rng,
        bank,
        bp,
        answer_counts(rng, learners),
        start,
        stop,
        proportional(rng, bp, learners),
        mild_labels(rng, learners),
    )
    prior = Prior(gamma_pdf(4.0, 0.5, 0.6 - 1.6, 0.8), repeat(scaled_t_pdf(4, 0.4), s))
    return finish(
        rng,
        "large-sections",
        _doc(large_sections),
        bp,
        bank,
        plan,
        *constant(theta, plan),
        prior=prior,
    )


def repeaters(rng: np.random.Generator, learners: int = 1200) -> Cohort:
    """Learners who go over the same questions again and remember the keys: a bank of
    3·n + 6 items per section (half the others'), so the busy repeat most of it; a repeat
    is right when the key is recalled, with chance 0.9 · 0.5^(days since / 20), else with
    the learner's ability. General ability N(0.4, 0.8²), deviations 0.3 · t(4); ability
    constant (what was learnt is the key, not the subject)."""
    bp = blueprint_of(FOUNDATION_LIKE, 0.65)
    bank = make_bank(rng, bp, size=(3, 6))
    s = len(bp.sections)
    general = rng.normal(0.4, 0.8, learners)
    theta = general[:, None] + 0.3 * rng.standard_t(4, (learners, s))
    start, stop = windows(rng, learners)
    plan = schedule(
        rng,
        bank,
        bp,
        answer_counts(rng, learners),
        start,
        stop,
        proportional(rng, bp, learners),
        mild_labels(rng, learners),
    )
    # No prior: the ideal forecaster assumes answers follow ability alone, as these do not.
    return finish(
        rng,
        "repeaters",
        _doc(repeaters),
        bp,
        bank,
        plan,
        *constant(theta, plan),
        memory=(0.9, 20.0),
    )


def _doc(function: Callable[..., Cohort]) -> str:
    """A cohort's description: its docstring on one line."""
    return " ".join((function.__doc__ or "").split())


COHORTS: dict[str, Callable[[np.random.Generator, int], Cohort]] = {
    "stable": stable,
    "improving": improving,
    "forgetting": forgetting,
    "heterogeneous-sections": heterogeneous_sections,
    "uneven-practice": uneven_practice,
    "mocks-and-practice": mocks_and_practice,
    "mislabelled-difficulty": mislabelled_difficulty,
    "small-sections": small_sections,
    "large-sections": large_sections,
    "repeaters": repeaters,
}


def generator(name: str, seed: int) -> np.random.Generator:
    """The generator of cohort `name` under `seed` (independent of the other cohorts)."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def generate(name: str, learners: int = 1200, seed: int = 1) -> Cohort:
    """Cohort `name` with `learners` learners, reproducible from `seed`."""
    return COHORTS[name](generator(name, seed), learners)
