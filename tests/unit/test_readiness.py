"""Readiness: small cases worked by hand, and a calibration check against a simulated cohort."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from app.analytics.readiness import _digamma, _trigamma, pass_cut, pass_probability, readiness
from app.domain.blueprint import parse_blueprint
from app.messages import render

SCHEMES = Path(__file__).resolve().parents[2] / "question_banks" / "schemes"
NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def scheme(name: str) -> dict:
    """A bundled blueprint, as the app loads it."""
    return yaml.safe_load((SCHEMES / f"{name}.yaml").read_text(encoding="utf-8"))


FOUNDATION = scheme("foundation")
PREFIXES = {s["id"]: s["clauses"][0] for s in FOUNDATION["sections"]}


def answers(learner: str, right: dict[str, list[int]], days_ago: float = 1, difficulty: int = 2):
    """Rows for one learner: per section id, a list of 1 (right) and 0 (wrong)."""
    return [
        {
            "learner_id": learner,
            "item_id": f"{sid}-{n}",
            "clauses": [f"{PREFIXES[sid]}.1"],
            "level": "foundation",
            "difficulty": difficulty,
            "score": float(score),
            "max_score": 1.0,
            "answered_at": NOW - timedelta(days=days_ago),
        }
        for sid, scores in right.items()
        for n, score in enumerate(scores)
    ]


def everywhere(scores: list[int]) -> dict[str, list[int]]:
    """The same answers in every foundation section."""
    return {sid: scores for sid in PREFIXES}


def test_pass_probability_matches_the_binomial_tail():
    # One section of 40 items at p = 0.5, cut 26: P = Σ_{k≥26} C(40, k) / 2^40.
    exact = sum(math.comb(40, k) for k in range(26, 41)) / 2**40
    assert pass_probability(np.array([0.5]), [40], [0], 26) == pytest.approx(exact, abs=1e-12)
    # Two sections of 2 items, cut 3, at least 1 right in each: only 1+2, 2+1 and 2+2 pass.
    p, q = 0.6, 0.3
    bin_p = [(1 - p) ** 2, 2 * p * (1 - p), p**2]
    bin_q = [(1 - q) ** 2, 2 * q * (1 - q), q**2]
    want = bin_p[1] * bin_q[2] + bin_p[2] * bin_q[1] + bin_p[2] * bin_q[2]
    assert pass_probability(np.array([p, q]), [2, 2], [1, 1], 3) == pytest.approx(want)
    # A section minimum binds on its own: 0 right in section two fails whatever the total.
    assert pass_probability(np.array([1.0, 0.0]), [3, 1], [0, 1], 3) == pytest.approx(0.0)
    assert pass_probability(np.array([1.0, 1.0]), [3, 1], [0, 1], 3) == pytest.approx(1.0)


def test_cut_scores_follow_the_scheme_files():
    assert pass_cut(parse_blueprint(FOUNDATION)) == 26  # 0.65 × 40
    assert pass_cut(parse_blueprint(scheme("auditor"))) == 31  # ⌈0.70 × 44⌉


def test_a_perfect_learner_is_ready_and_a_guesser_is_not():
    rows = answers("perfect", everywhere([1] * 10)) + answers(
        "guesser", everywhere([1, 0, 0, 0] * 3)
    )
    table = readiness(pd.DataFrame(rows), parse_blueprint(FOUNDATION), NOW).set_index("learner_id")
    assert (table["status"] == "ok").all()
    assert table.loc["perfect", "p_pass"] > 0.99
    assert table.loc["guesser", "p_pass"] < 0.01
    assert (table["p_low"] <= table["p_high"]).all()
    assert table.loc["perfect", "p_low"] > 0.95
    assert table.loc["perfect", "answers"] == 60
    assert table.loc["perfect", "last_answered"] == pd.Timestamp(NOW - timedelta(days=1))


def test_mastery_is_the_beta_posterior_mean():
    # Two learners, each 8 right of 10 one day ago in operation; nothing elsewhere.
    rows = answers("a", {"operation": [1] * 8 + [0] * 2}) + answers(
        "b", {"operation": [1] * 8 + [0] * 2}
    )
    table = readiness(pd.DataFrame(rows), parse_blueprint(FOUNDATION), NOW)
    w = 0.5 ** (1 / 30)  # one day old, half-life 30 days
    pooled = (2 * 8 * w + 1) / (2 * 10 * w + 2)  # the prior's centre: both learners pooled
    want = (2 * pooled + 8 * w) / (2 + 10 * w)  # Beta(2·m + Σwy, 2·(1 − m) + Σw(1 − y))
    assert table["mastery_operation"].tolist() == pytest.approx([want, want])
    assert table["evidence_operation"].tolist() == pytest.approx([10 * w, 10 * w])
    assert table["mastery_improvement"].tolist() == pytest.approx([0.5, 0.5])  # no data: Beta(1, 1)


def test_thin_evidence_in_a_large_section_is_reported_not_forecast():
    right = everywhere([1] * 6)
    right["operation"] = [1, 1]  # 16 of 40 items: needs 5 effective answers
    right["planning-support"] = [1]  # 7 of 40: below the share that blocks a forecast
    row = readiness(
        pd.DataFrame(answers("thin", right, days_ago=0)), parse_blueprint(FOUNDATION), NOW
    ).iloc[0]
    assert row["status"] == "insufficient"
    assert math.isnan(row["p_pass"]) and math.isnan(row["p_low"])
    assert row["needed"] == {"operation": 3}
    assert render(row["missing"]) == "Operation of the SMS: 3 more answers"


def test_old_answers_count_for_less_than_recent_ones():
    old_right = answers("old-right", everywhere([1] * 6), days_ago=90)
    old_right += answers("old-right", everywhere([0] * 6), days_ago=0)
    new_right = answers("new-right", everywhere([0] * 6), days_ago=90)
    new_right += answers("new-right", everywhere([1] * 6), days_ago=0)
    table = readiness(pd.DataFrame(old_right + new_right), parse_blueprint(FOUNDATION), NOW)
    table = table.set_index("learner_id")
    assert table.loc["new-right", "mastery_operation"] > 0.75
    assert table.loc["old-right", "mastery_operation"] < 0.25
    assert table.loc["new-right", "p_pass"] > 0.9 > 0.1 > table.loc["old-right", "p_pass"]
    # 90 days is three half-lives: six old answers weigh 6/8.
    assert table.loc["old-right", "evidence_operation"] == pytest.approx(6 + 6 / 8)


def test_success_on_hard_items_means_more_than_on_easy_ones():
    rows = answers("hard", everywhere([1, 1, 1, 0] * 2), difficulty=3)
    rows += answers("easy", everywhere([1, 1, 1, 0] * 2), difficulty=1)
    table = readiness(pd.DataFrame(rows), parse_blueprint(FOUNDATION), NOW).set_index("learner_id")
    assert table.loc["hard", "mastery_operation"] > table.loc["easy", "mastery_operation"]
    assert table.loc["hard", "p_pass"] > table.loc["easy", "p_pass"]


def test_answers_outside_the_blueprint_level_or_clauses_are_ignored():
    rows = answers("a", everywhere([1] * 6))
    stray = answers("a", {"operation": [0] * 20})
    for row in stray:
        row["level"] = "practitioner"
    unmapped = answers("a", {"operation": [0] * 20})
    for row in unmapped:
        row["clauses"], row["item_id"] = ["A.1"], "annex-" + row["item_id"]
    both = readiness(pd.DataFrame(rows + stray + unmapped), parse_blueprint(FOUNDATION), NOW)
    alone = readiness(pd.DataFrame(rows), parse_blueprint(FOUNDATION), NOW)
    assert both["answers"].tolist() == [36]
    assert both["p_pass"].tolist() == alone["p_pass"].tolist()


# --- Validation by simulation ---------------------------------------------------------

BANK_PER_LEVEL = 30  # items of each difficulty level in each section's bank


def simulate(learners: int = 2000, seed: int = 11):
    """Practice answers, one real exam and one mock per learner, under a Rasch model."""
    rng = np.random.default_rng(seed)
    counts = np.array([s["items"] for s in FOUNDATION["sections"]])
    ids = list(PREFIXES)
    n_sec = len(ids)
    # Item difficulty b in logits: 0.5 per level around medium, plus item-specific noise.
    b = 0.5 * (np.arange(3) - 1)[None, :, None] + rng.normal(0, 0.3, (n_sec, 3, BANK_PER_LEVEL))
    theta = rng.normal(0.8, 0.9, learners)[:, None] + rng.normal(0, 0.4, (learners, n_sec))
    # Practice: 20–80 answers, sections in blueprint proportions, each learner with a
    # preferred mix of difficulty levels, timestamps over the last 60 days.
    sizes = rng.integers(20, 81, learners)
    who = np.repeat(np.arange(learners), sizes)
    sec = rng.choice(n_sec, who.size, p=counts / counts.sum())
    mix = np.cumsum(rng.dirichlet(np.ones(3), learners), axis=1)
    lvl = np.minimum((rng.random(who.size)[:, None] > mix[who]).sum(axis=1), 2)
    item = rng.integers(0, BANK_PER_LEVEL, who.size)
    chance = 1 / (1 + np.exp(-(theta[who, sec] - b[sec, lvl, item])))
    clause_of = np.empty(n_sec, dtype=object)
    for s, sid in enumerate(ids):
        clause_of[s] = [f"{PREFIXES[sid]}.1"]
    responses = pd.DataFrame(
        {
            "learner_id": who,
            "item_id": (sec * 3 + lvl) * BANK_PER_LEVEL + item,
            "clauses": clause_of[sec],
            "level": "foundation",
            "difficulty": lvl + 1,
            "score": (rng.random(who.size) < chance).astype(float),
            "max_score": 1.0,
            "answered_at": pd.Timestamp(NOW) - pd.to_timedelta(rng.uniform(0, 60, who.size), "D"),
        }
    )
    return responses, exam(rng, theta, b, counts), exam(rng, theta, b, counts)


def exam(rng: np.random.Generator, theta: np.ndarray, b: np.ndarray, counts: np.ndarray):
    """Whether each learner passes one exam drawn by the blueprint from the section banks."""
    flat_b = b.reshape(len(counts), -1)
    right = np.zeros(len(theta))
    for s, n in enumerate(counts):
        drawn = rng.random((len(theta), flat_b.shape[1])).argsort(axis=1)[:, :n]
        chance = 1 / (1 + np.exp(-(theta[:, s, None] - flat_b[s][drawn])))
        right += (rng.random(chance.shape) < chance).sum(axis=1)
    return right >= pass_cut(parse_blueprint(FOUNDATION))


def decile_table(predicted: np.ndarray, passed: np.ndarray) -> pd.DataFrame:
    """Learners, mean prediction and observed pass rate in each tenth of 0–1."""
    band = np.minimum((predicted * 10).astype(int), 9)
    frame = pd.DataFrame({"band": band, "predicted": predicted, "passed": passed})
    table = frame.groupby("band").agg(
        learners=("passed", "size"), predicted=("predicted", "mean"), observed=("passed", "mean")
    )
    table.index = [f"{b / 10:.1f}-{(b + 1) / 10:.1f}" for b in table.index]
    return table.assign(gap=table["observed"] - table["predicted"])


def test_predictions_are_calibrated_and_beat_the_last_mock_rule():
    responses, passed, mock = simulate()
    table = (
        readiness(responses, parse_blueprint(FOUNDATION), NOW).set_index("learner_id").sort_index()
    )
    ok = (table["status"] == "ok").to_numpy()
    predicted = table["p_pass"].to_numpy()[ok]
    truth = passed[table.index.to_numpy()][ok]
    naive = mock[table.index.to_numpy()][ok].astype(float)
    deciles = decile_table(predicted, truth)
    brier = float(np.mean((predicted - truth) ** 2))
    brier_naive = float(np.mean((naive - truth) ** 2))
    report = (
        f"\n{ok.sum()} of {len(ok)} learners forecast; pass rate {truth.mean():.3f}\n"
        f"{deciles.round(3).to_string()}\n"
        f"Brier: model {brier:.4f}, last mock ≥ pass mark {brier_naive:.4f}"
    )
    print(report)
    judged = deciles[deciles["learners"] >= 50]
    assert (judged["gap"].abs() <= 0.1).all(), report
    assert len(judged) >= 5, report
    assert brier < brier_naive, report


def test_a_section_minimum_needs_its_own_evidence_and_types_choose_the_section():
    auditor = scheme("auditor")
    rows = answers("a", {"operation": [1] * 12})
    for row in rows:
        row.update(level="auditor", type="single_choice")
    essays = [dict(row, item_id=f"e{n}", type="essay") for n, row in enumerate(rows[:2])]
    table = readiness(pd.DataFrame(rows + essays), parse_blueprint(auditor), NOW)
    row = table.iloc[0]
    # Every auditor section has a 50 % minimum, so each is decisive; the essays count only
    # in nonconformity statements, the single-choice answers in the two choice sections.
    assert row["status"] == "insufficient"
    assert row["needed"] == {"short-answers": 5, "nonconformity-statements": 4, "overall": 9}
    assert row["evidence_multiple-choice"] == pytest.approx(12 * 0.5 ** (1 / 30))
    assert row["evidence_nonconformity-statements"] == pytest.approx(2 * 0.5 ** (1 / 30))


def test_no_answers_give_an_empty_table():
    empty = pd.DataFrame(answers("a", {})).reindex(
        columns=list(answers("a", {"operation": [1]})[0])
    )
    table = readiness(empty, parse_blueprint(FOUNDATION), NOW)
    assert table.empty
    assert {"learner_id", "status", "p_pass", "p_low", "p_high", "missing"} <= set(table.columns)


def test_quadrature_forecast_matches_monte_carlo():
    # The forecast integrates each section's posterior by quadrature; 4,000 posterior draws
    # per learner, each scored exactly, must give the same pass probability and a close range.
    from app.analytics.readiness import (
        _forecast,
        _logit,
        _pass_from_pmfs,
        _section_pmfs,
        _sigmoid,
        sections_of,
    )

    rng = np.random.default_rng(4)
    sections = sections_of(parse_blueprint(FOUNDATION))
    cut, n = pass_cut(parse_blueprint(FOUNDATION)), 150
    alpha = rng.uniform(3, 40, (n, len(sections)))
    beta = rng.uniform(2, 20, (n, len(sections)))
    shift = rng.normal(0, 0.1, (n, len(sections)))
    fast = _forecast(alpha, beta, shift, sections, cut, 16, 0.5)
    p = rng.beta(alpha[:, None, :], beta[:, None, :], size=(n, 4000, len(sections)))
    p = _sigmoid(_logit(p) + shift[:, None, :])
    minima = [s.minimum for s in sections]
    chance = _pass_from_pmfs(
        _section_pmfs(p.reshape(-1, len(sections)), sections, 0.5), minima, cut
    )
    chance = chance.reshape(n, 4000)
    assert np.abs(fast[:, 0] - chance.mean(axis=1)).max() < 0.02
    low, high = np.percentile(chance, [10, 90], axis=1)
    assert np.abs(fast[:, 1] - low).mean() < 0.01 and np.abs(fast[:, 2] - high).mean() < 0.01


EULER_GAMMA = 0.5772156649015329
CATALAN = 0.915965594177219
# ψ and ψ′ at points with closed forms: ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2,
# ψ(1/4) = −γ − π/2 − 3 ln 2; ψ′(1) = π²/6, ψ′(1/2) = π²/2, ψ′(1/4) = π² + 8G.
DIGAMMA = {
    0.25: -EULER_GAMMA - math.pi / 2 - 3 * math.log(2),
    0.5: -1.9635100260214235,
    1.0: -EULER_GAMMA,
    10.0: 2.251752589066721,
}
TRIGAMMA = {
    0.25: math.pi**2 + 8 * CATALAN,
    0.5: math.pi**2 / 2,
    1.0: math.pi**2 / 6,
    10.0: 0.10516633568168575,
}


@pytest.mark.parametrize(("x", "expected"), DIGAMMA.items())
def test_digamma_matches_reference_values(x, expected):
    # The error is just under the first series term left out, 1/(240 y⁸) at y = x + 6:
    # 7e-10 at x = 1 (1.2e-9 relative), 2.5e-9 at most as x → 0, 1e-12 at x = 10.
    got = float(_digamma(np.array([x]))[0])
    assert abs(got - expected) <= 1 / (240 * (x + 6) ** 8)
    assert got == pytest.approx(expected, rel=1.5e-9, abs=2e-9)


@pytest.mark.parametrize(("x", "expected"), TRIGAMMA.items())
def test_trigamma_matches_reference_values(x, expected):
    # The error is just under the first series term left out, 1/(30 y⁹) at y = x + 6:
    # 2.2e-9 at x = 1/4 (1.3e-10 relative), 5e-13 at x = 10; under 5e-10 relative here.
    got = float(_trigamma(np.array([x]))[0])
    assert abs(got - expected) <= 1 / (30 * (x + 6) ** 9)
    assert got == pytest.approx(expected, rel=1e-9)


def test_digamma_and_trigamma_work_elementwise_and_keep_the_recurrence():
    x = np.array([0.3, 1.7, 42.0])
    assert _digamma(x).shape == _trigamma(x).shape == (3,)
    np.testing.assert_allclose(_digamma(x + 1) - _digamma(x), 1 / x, rtol=0, atol=5e-9)
    np.testing.assert_allclose(_trigamma(x) - _trigamma(x + 1), 1 / x**2, rtol=0, atol=5e-9)
