"""The ideal forecaster: what the best possible forecast achieves on a cohort's data.

For a cohort whose abilities do not change (`Cohort.prior` is set), the Bayes posterior
predictive pass chance given each learner's answers, computed with everything the model
cannot know: the true generating distribution of abilities (θ_ls = g_l + d_ls, `Prior`),
the true Rasch difficulty of every practised item and of every exam item. No forecast
from the same answers has a lower expected Brier score on average, so its score is the
floor the Brier target has to be judged against (the oracle p = t is not reachable: a
learner with 15 answers cannot be known exactly).

Computation: on a lattice of step STEP, g on G, d on D and θ = g + d on T, each learner's
log-likelihood per section is summed over their answers for every θ in T (answers are
scored with the true b); for every g node the section's deviation is integrated out
(its posterior given g kept); the sections' exact count distributions on the exam form
(Poisson-binomial at the true exam difficulties, mixed over the deviation's posterior)
are convolved with the minima and the cut; and the pass chance is averaged over the
posterior of g. Exact up to the lattice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bench.cohorts import Cohort, poisson_binomial, sigmoid, true_pass_chance

STEP = 0.05
G_RANGE = (-4.0, 5.0)
D_RANGE = (-6.0, 6.0)
CHUNK = 64  # learners at a time


def lattice() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The g, d and θ = g + d nodes (θ index = g index + d index)."""
    g = G_RANGE[0] + STEP * np.arange(round((G_RANGE[1] - G_RANGE[0]) / STEP) + 1)
    d = D_RANGE[0] + STEP * np.arange(round((D_RANGE[1] - D_RANGE[0]) / STEP) + 1)
    t = G_RANGE[0] + D_RANGE[0] + STEP * np.arange(len(g) + len(d) - 1)
    return g, d, t


@dataclass(frozen=True)
class Ideal:
    """Per learner (index order of `cohort.learners`): the Bayes pass chance, and with
    draws the 10th and 90th percentiles of the posterior of the true pass chance."""

    p_pass: np.ndarray
    p_low: np.ndarray | None = None
    p_high: np.ndarray | None = None


def ideal_forecast(cohort: Cohort, draws: int = 0, seed: int = 0) -> Ideal:
    """The Bayes forecast of the module docstring. With `draws`, also the posterior
    10–90 % range of the pass chance, from that many posterior draws of each learner's
    abilities (g from its lattice posterior, then each d_s given g), each scored exactly."""
    if cohort.prior is None:
        raise ValueError(f"cohort {cohort.name} has no constant-ability prior")
    g, d, t = lattice()
    learners, sections = cohort.theta_now.shape
    answers = cohort.answers
    index = {item: k for k, item in enumerate(cohort.bank.item_id)}
    item = answers["item_id"].map(index).to_numpy(int)
    section = cohort.bank.section[item]
    b = cohort.bank.b[item]
    y = answers["score"].to_numpy(float) / answers["max_score"].to_numpy(float)
    cell = answers["learner_id"].to_numpy(int) * sections + section
    order = np.argsort(cell, kind="stable")
    log_lik = np.zeros((learners * sections, len(t)))
    cells, first = np.unique(cell[order], return_index=True)
    chunk_rows = 4096
    bounds = np.append(first, len(order))
    # Sum the per-answer log-likelihoods cell by cell, a block of cells at a time.
    for start in range(0, len(cells), chunk_rows):
        stop = min(start + chunk_rows, len(cells))
        rows = order[bounds[start] : bounds[stop]]
        z = t[None, :] - b[rows, None]
        ll = y[rows, None] * z - np.logaddexp(0, z)
        log_lik[cells[start:stop]] = np.add.reduceat(ll, bounds[start:stop] - bounds[start])
    log_lik = log_lik.reshape(learners, sections, len(t))
    pair = np.arange(len(g))[:, None] + np.arange(len(d))[None, :]  # θ index of (g, d)
    log_g = np.log(np.maximum(cohort.prior.general(g), 1e-300))
    log_g -= np.logaddexp.reduce(log_g)
    log_d = []
    for density in cohort.prior.deviation:
        ld = np.log(np.maximum(density(d), 1e-300))
        log_d.append(ld - np.logaddexp.reduce(ld))
    exam = [poisson_binomial(sigmoid(t[:, None] - eb[None, :]))[pair] for eb in cohort.bank.exam]
    minima, cut = cohort.minima, cohort.cut
    out = np.empty(learners)
    low, high = np.full(learners, np.nan), np.full(learners, np.nan)
    rng = np.random.default_rng(seed)
    for start in range(0, learners, CHUNK):
        part = log_lik[start : start + CHUNK]
        n = part.shape[0]
        total = np.ones((n * len(g), 1))
        log_post = np.tile(log_g, (n, 1))
        for s in range(sections):
            joint = part[:, s][:, pair] + log_d[s]  # n × g × d
            marginal = np.logaddexp.reduce(joint, axis=2)
            log_post += marginal
            given = np.exp(joint - marginal[..., None])
            pmf = np.einsum("lij,ijk->lik", given, exam[s]).reshape(n * len(g), -1)
            pmf[:, : minima[s]] = 0.0
            conv = np.zeros((total.shape[0], total.shape[1] + pmf.shape[1] - 1))
            for k in range(pmf.shape[1]):
                conv[:, k : k + total.shape[1]] += total * pmf[:, k : k + 1]
            total = conv
        chance = total[:, cut:].sum(axis=1).reshape(n, len(g))
        weight = np.exp(log_post - log_post.max(axis=1, keepdims=True))
        weight /= weight.sum(axis=1, keepdims=True)
        out[start : start + n] = (chance * weight).sum(axis=1)
        if draws:
            low[start : start + n], high[start : start + n] = _range(
                rng, cohort, part, pair, log_d, weight, draws
            )
    if not draws:
        return Ideal(np.clip(out, 0.0, 1.0))
    return Ideal(np.clip(out, 0.0, 1.0), low, high)


def _range(
    rng: np.random.Generator,
    cohort: Cohort,
    log_lik: np.ndarray,
    pair: np.ndarray,
    log_d: list[np.ndarray],
    weight: np.ndarray,
    draws: int,
) -> tuple[np.ndarray, np.ndarray]:
    """10th and 90th percentiles of the true pass chance over posterior draws."""
    g, d, _t = lattice()
    n, sections = log_lik.shape[:2]
    gi = _categorical(rng, np.repeat(weight, draws, axis=0))  # (n · draws)
    learner = np.repeat(np.arange(n), draws)
    theta = np.empty((n * draws, sections))
    for s in range(sections):
        joint = log_lik[learner, s][np.arange(n * draws)[:, None], pair[gi]] + log_d[s]
        given = np.exp(joint - joint.max(axis=1, keepdims=True))
        di = _categorical(rng, given / given.sum(axis=1, keepdims=True))
        theta[:, s] = g[gi] + d[di]
    chance = true_pass_chance(theta, cohort.bank.exam, cohort.minima, cohort.cut)
    low, high = np.percentile(chance.reshape(n, draws), [10, 90], axis=1)
    return low, high


def _categorical(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One index per row, drawn with that row's probabilities."""
    cumulative = np.cumsum(probabilities, axis=1)
    u = rng.random(len(probabilities))[:, None] * cumulative[:, -1:]
    picked: np.ndarray = np.minimum((cumulative < u).sum(axis=1), probabilities.shape[1] - 1)
    return picked
