"""The readiness validation harness itself (bench/cohorts.py, bench/readiness_validation.py,
bench/ideal.py): the truth it judges by, the cohorts' shapes and the metrics. Whether the
model meets the issue's targets is the harness's report, not a test here."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest

from bench import readiness_validation as validation
from bench.cohorts import (
    COHORTS,
    COLUMNS,
    DAYS,
    LEVEL,
    MAX_ANSWERS,
    MIN_ANSWERS,
    NOW,
    exam_pass_chance,
    generate,
    poisson_binomial,
    sigmoid,
    true_pass_chance,
)
from bench.ideal import ideal_forecast, lattice

SMALL = 120  # learners per cohort in the shape tests


@pytest.fixture(scope="module")
def cohorts():
    return {name: generate(name, SMALL, seed=5) for name in COHORTS}


# --- The truth ------------------------------------------------------------------------


def test_poisson_binomial_matches_enumeration():
    p = np.array([[0.1, 0.5, 0.8, 0.35], [0.0, 1.0, 0.5, 0.25]])
    pmf = poisson_binomial(p)
    for row in range(2):
        want = np.zeros(5)
        for outcome in itertools.product([0, 1], repeat=4):
            chance = np.prod([q if o else 1 - q for q, o in zip(p[row], outcome, strict=True)])
            want[sum(outcome)] += chance
        assert pmf[row] == pytest.approx(want, abs=1e-12)


def test_pass_chance_on_hand_made_exams():
    # One section of two coin tosses, one right needed: 3/4.
    assert exam_pass_chance([np.array([[0.5, 0.5]])], [0], 1) == pytest.approx([0.75])
    # Two sections of two items at p and q, 3 right overall, at least 1 in each.
    p, q = 0.6, 0.3
    a = [(1 - p) ** 2, 2 * p * (1 - p), p**2]
    b = [(1 - q) ** 2, 2 * q * (1 - q), q**2]
    want = a[1] * b[2] + a[2] * b[1] + a[2] * b[2]
    got = exam_pass_chance([np.full((1, 2), p), np.full((1, 2), q)], [1, 1], 3)
    assert got == pytest.approx([want])
    # A minimum binds on its own: all right in section one, none in section two.
    assert exam_pass_chance([np.ones((1, 3)), np.zeros((1, 1))], [0, 1], 3) == pytest.approx(0)


def test_true_pass_chance_agrees_with_monte_carlo_of_the_exam(cohorts):
    # The mocks cohort has a minimum in every section (a 3-item one among them).
    cohort = cohorts["mocks-and-practice"]
    truth = cohort.learners["true_pass"].to_numpy()
    # Learners whose chances spread over the whole range (the nearest to 0.05 … 0.95).
    picked = np.unique([np.abs(truth - x).argmin() for x in np.linspace(0.05, 0.95, 12)])
    theta = cohort.theta_now[picked]
    exact = true_pass_chance(theta, cohort.bank.exam, cohort.minima, cohort.cut)
    assert exact == pytest.approx(truth[picked])
    rng = np.random.default_rng(0)
    draws = 40_000
    total = np.zeros((len(picked), draws), dtype=int)
    ok = np.ones((len(picked), draws), dtype=bool)
    for s, b in enumerate(cohort.bank.exam):
        chance = 1 / (1 + np.exp(-(theta[:, s, None] - b)))  # learners × items
        right = (rng.random((len(picked), draws, len(b))) < chance[:, None, :]).sum(axis=2)
        total += right
        ok &= right >= cohort.minima[s]
    simulated = (ok & (total >= cohort.cut)).mean(axis=1)
    assert exact.min() < 0.15 and exact.max() > 0.85 and len(picked) >= 10
    assert np.abs(simulated - exact).max() < 0.012  # 4.8 standard errors at p = 0.5


def test_the_observed_outcome_is_one_sitting_of_the_same_exam():
    cohort = generate("large-sections", 3000, seed=2)
    people = cohort.learners
    assert set(people["outcome"].unique()) <= {0.0, 1.0}
    # Binned by true chance, the sittings pass at that rate.
    bins = pd.cut(people["true_pass"], [0, 0.2, 0.4, 0.6, 0.8, 1.0], include_lowest=True)
    rates = people.groupby(bins, observed=True).agg(t=("true_pass", "mean"), y=("outcome", "mean"))
    assert (rates["t"] - rates["y"]).abs().max() < 0.08


# --- The cohorts ----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(COHORTS))
def test_each_cohort_has_the_documented_shape(cohorts, name):
    cohort = cohorts[name]
    a = cohort.answers
    assert tuple(a.columns) == COLUMNS
    assert cohort.name == name and cohort.description
    assert sorted(a["learner_id"].unique()) == list(range(SMALL))
    counts = a.groupby("learner_id").size()
    assert counts.min() >= MIN_ANSWERS and counts.max() <= MAX_ANSWERS
    assert (cohort.learners["answers"] == counts).all()
    assert str(a["answered_at"].dt.tz) == "UTC"
    now = pd.Timestamp(NOW)
    assert a["answered_at"].max() < now
    assert a["answered_at"].min() >= now - pd.Timedelta(days=DAYS)
    assert set(a["score"].unique()) <= {0.0, 1.0} and (a["max_score"] == 1.0).all()
    assert set(a["difficulty"].unique()) == {1, 2, 3}
    assert (a["level"] == LEVEL).all() and cohort.blueprint.levels == (LEVEL,)
    # Every answer falls under exactly one section of the blueprint.
    prefixes = [s.clauses[0] for s in cohort.blueprint.sections]
    clause = a["clauses"].str[0]
    under = np.array(
        [(clause == p) | clause.str.startswith(p + ".") for p in prefixes], dtype=int
    ).sum(axis=0)
    assert (under == 1).all()
    # The truth and the rules.
    people = cohort.learners
    assert people["true_pass"].between(0, 1).all()
    assert 0.1 < people["true_pass"].mean() < 0.9
    assert cohort.theta_now.shape == (SMALL, len(prefixes))
    assert [len(e) for e in cohort.bank.exam] == [s.items for s in cohort.blueprint.sections]
    pass_mark = cohort.blueprint.pass_mark
    assert (people["share_rule"] == (people["right"] >= pass_mark).astype(float)).all()
    assert people["share_chance"].between(0, 1).all()
    assert people["idle_days"].between(0, DAYS).all()


@pytest.mark.parametrize("name", ["stable", "forgetting", "mocks-and-practice"])
def test_a_seed_gives_the_same_cohort_and_another_seed_another(cohorts, name):
    again = generate(name, SMALL, seed=5)
    pd.testing.assert_frame_equal(again.answers, cohorts[name].answers)
    pd.testing.assert_frame_equal(again.learners, cohorts[name].learners)
    other = generate(name, SMALL, seed=6)
    assert not other.learners["true_pass"].equals(cohorts[name].learners["true_pass"])


def test_section_sizes_of_the_small_and_large_schemes(cohorts):
    small = [s.items for s in cohorts["small-sections"].blueprint.sections]
    assert len(small) == 13 and min(small) == 1 and max(small) == 5
    large = [s.items for s in cohorts["large-sections"].blueprint.sections]
    assert len(large) == 3 and all(15 <= n <= 25 for n in large)


def test_mock_forms_are_whole_and_the_last_mock_rule_follows_them(cohorts):
    cohort = cohorts["mocks-and-practice"]
    people = cohort.learners
    sat = people["mocks"] > 0
    assert sat.mean() > 0.3
    assert people.loc[sat, "last_mock"].isin([0.0, 1.0]).all()
    assert people.loc[~sat, "last_mock"].isna().all()
    form = cohort.blueprint.item_count
    assert (people.loc[sat, "answers"] >= people.loc[sat, "mocks"] * form).all()
    assert cohort.rules == ["share_rule", "share_chance", "last_mock"]
    assert cohorts["stable"].rules == ["share_rule", "share_chance"]


def _late_minus_early(cohort) -> float:
    """Mean over learners with 40+ answers of share right in the later half of their
    answers minus the earlier half."""
    a = cohort.answers.sort_values(["learner_id", "answered_at"])
    a = a[a.groupby("learner_id")["score"].transform("size") >= 40]
    rank = a.groupby("learner_id").cumcount() / a.groupby("learner_id")["score"].transform("size")
    late = a[rank >= 0.5].groupby("learner_id")["score"].mean()
    early = a[rank < 0.5].groupby("learner_id")["score"].mean()
    return float((late - early).mean())


def test_improving_learners_improve_and_stable_ones_do_not():
    improving = generate("improving", 600, seed=3)
    stable = generate("stable", 600, seed=3)
    assert _late_minus_early(improving) > 0.05
    assert abs(_late_minus_early(stable)) < 0.02


def test_idle_forgetting_learners_are_worse_today_than_their_record():
    people = generate("forgetting", 1200, seed=3).learners
    gap = people["share_chance"] - people["true_pass"]
    assert gap[people["idle_days"] > 21].mean() > gap[people["idle_days"] <= 7].mean() + 0.06


def test_repeaters_get_repeated_questions_right_more_often_than_first_ones():
    a = generate("repeaters", 600, seed=3).answers.sort_values("answered_at")
    repeat = a.duplicated(["learner_id", "item_id"])
    assert repeat.mean() > 0.3  # a small bank: the busy answer most of it again
    assert a.loc[repeat, "score"].mean() > a.loc[~repeat, "score"].mean() + 0.2
    # Without memory, a repeat is as likely right as a first answer.
    s = generate("stable", 600, seed=3).answers.sort_values("answered_at")
    again = s.duplicated(["learner_id", "item_id"])
    assert abs(s.loc[again, "score"].mean() - s.loc[~again, "score"].mean()) < 0.05


def test_mislabelled_difficulty_labels_say_little(cohorts):
    def correlation(cohort) -> float:
        return float(np.corrcoef(cohort.bank.label, cohort.bank.b)[0, 1])

    assert correlation(cohorts["stable"]) > 0.65
    assert correlation(cohorts["mislabelled-difficulty"]) < 0.45


def test_uneven_practice_is_uneven(cohorts):
    def spread(cohort) -> float:
        """Mean over learners of the sd of log(share of answers / blueprint share)."""
        a = cohort.answers
        sections = cohort.blueprint.sections
        section = np.select(
            [a["clauses"].str[0].str.startswith(s.clauses[0] + ".") for s in sections],
            list(range(len(sections))),
        )
        counts = pd.crosstab(a["learner_id"], section).to_numpy() + 0.5
        shares = counts / counts.sum(axis=1, keepdims=True)
        items = np.array([s.items for s in sections], dtype=float)
        return float(np.log(shares / (items / items.sum())).std(axis=1).mean())

    assert spread(cohorts["uneven-practice"]) > spread(cohorts["stable"]) + 0.3


@pytest.mark.parametrize("name", [n for n in COHORTS if generate(n, 2).prior is not None])
def test_the_ideal_forecasters_prior_is_the_generating_distribution(name):
    cohort = generate(name, 3000, seed=4)
    g, d, _t = lattice()
    pg = cohort.prior.general(g)
    pg = pg / pg.sum()
    for s, density in enumerate(cohort.prior.deviation):
        pd_ = density(d)
        pd_ = pd_ / pd_.sum()
        mean = (pg * g).sum() + (pd_ * d).sum()
        var = (pg * (g - (pg * g).sum()) ** 2).sum() + (pd_ * (d - (pd_ * d).sum()) ** 2).sum()
        sample = cohort.theta_now[:, s]
        assert mean == pytest.approx(sample.mean(), abs=0.06), s
        assert math.sqrt(var) == pytest.approx(sample.std(), rel=0.08), s


def test_the_ideal_forecast_finds_a_learner_known_well():
    cohort = generate("stable", 40, seed=8)
    rng = np.random.default_rng(1)
    bank = cohort.bank
    repeats = 100  # every bank item 100 times: thousands of answers per section
    items = np.tile(np.arange(len(bank.b)), repeats)
    theta = cohort.theta_now[0, bank.section[items]]
    extra = pd.DataFrame(
        {
            "learner_id": 0,
            "item_id": bank.item_id[items],
            "clauses": bank.clauses[items],
            "level": LEVEL,
            "difficulty": bank.label[items],
            "score": (rng.random(len(items)) < sigmoid(theta - bank.b[items])).astype(float),
            "max_score": 1.0,
            "answered_at": pd.Timestamp(NOW) - pd.Timedelta(days=1),
        }
    )
    known = dataclasses.replace(cohort, answers=pd.concat([cohort.answers, extra]))
    ideal = ideal_forecast(known, draws=100)
    truth = cohort.learners["true_pass"].to_numpy()
    assert ideal.p_pass[0] == pytest.approx(truth[0], abs=0.03)
    assert ideal.p_high[0] - ideal.p_low[0] < 0.1  # and is sure of it
    assert ((ideal.p_pass >= 0) & (ideal.p_pass <= 1)).all()
    assert (ideal.p_low <= ideal.p_high).all()
    # A learner with few answers is less certain.
    assert np.median(ideal.p_high[1:] - ideal.p_low[1:]) > 0.1


def test_a_correct_posterior_range_holds_the_truth_eight_times_in_ten():
    # The check of the interval metric and of the truth together: the ideal forecaster's
    # 10–90 % posterior range must hold the true chance 80 % of the time, up to noise
    # (300 learners: one standard error is 0.023).
    cohort = generate("heterogeneous-sections", 300, seed=9)
    ideal = ideal_forecast(cohort, draws=200)
    truth = cohort.learners["true_pass"].to_numpy()
    shares = validation.interval_coverage(ideal.p_low, ideal.p_high, truth)
    assert shares["inside"] == pytest.approx(0.8, abs=0.07)
    assert abs(shares["below"] - shares["above"]) < 0.08
    # and its forecasts are calibrated (30 learners a decile: gaps of 0.1 are noise).
    assert validation.worst_gap(validation.quantile_deciles(ideal.p_pass, truth)) < 0.12


# --- The metrics ----------------------------------------------------------------------


def test_quantile_deciles_on_hand_made_figures():
    predicted = np.arange(20) / 20
    table = validation.quantile_deciles(predicted[::-1], predicted[::-1] + 0.1)
    assert table["learners"].tolist() == [2] * 10
    assert table["predicted"].tolist() == pytest.approx([(2 * k + 0.5) / 20 for k in range(10)])
    assert table["gap"].tolist() == pytest.approx([0.1] * 10)
    assert validation.worst_gap(table) == pytest.approx(0.1)
    # 25 learners: groups of 3 then 2; one bad group decides the worst gap.
    p = np.linspace(0, 1, 25)
    t = p.copy()
    t[:3] += 0.3
    table = validation.quantile_deciles(p, t)
    assert table["learners"].tolist() == [3] * 5 + [2] * 5
    assert table["gap"].iloc[0] == pytest.approx(0.3)
    assert validation.worst_gap(table) == pytest.approx(0.3)
    assert validation.quantile_deciles(np.array([]), np.array([])).empty


def test_interval_coverage_on_hand_made_figures():
    low = np.array([0.1, 0.2, 0.5, 0.9, 0.0])
    high = np.array([0.3, 0.4, 0.6, 1.0, 0.1])
    truth = np.array([0.2, 0.45, 0.4, 0.9995, 0.1005])
    shares = validation.interval_coverage(low, high, truth, tolerance=1e-3)
    # inside: 0.2 ∈ [0.1, 0.3]; 0.9995 ∈ [0.9, 1]; 0.1005 within the tolerance of 0.1.
    assert shares == pytest.approx({"inside": 0.6, "below": 0.2, "above": 0.2})
    strict = validation.interval_coverage(low, high, truth, tolerance=0.0)
    assert strict["inside"] == pytest.approx(0.4)


def test_expected_brier_is_the_mean_over_the_outcome():
    p = np.array([0.5, 1.0, 0.0, 0.7])
    t = np.array([0.5, 1.0, 0.3, 0.2])
    by_hand = [0.25, 0.0, 0.3 * 1.0, 0.2 * 0.3**2 + 0.8 * 0.7**2]
    assert validation.expected_brier(p, t) == pytest.approx(np.mean(by_hand))
    assert validation.brier(p, np.array([1, 1, 0, 0])) == pytest.approx(
        np.mean([0.25, 0.0, 0.0, 0.49])
    )
    # The expected score is what the observed one averages to over many sittings.
    rng = np.random.default_rng(3)
    outcomes = rng.random((20_000, len(t))) < t
    observed = np.mean([validation.brier(p, y) for y in outcomes[:2000]])
    assert observed == pytest.approx(validation.expected_brier(p, t), abs=0.01)


def test_coverage_counts_learners_with_enough_answers():
    forecast = np.array([False, True, False, True, False])
    answers = np.array([10, 40, 50, 100, 39])
    assert validation.coverage(forecast, answers) == pytest.approx(2 / 3)
    assert math.isnan(validation.coverage(forecast, np.full(5, 5)))


# --- End to end -----------------------------------------------------------------------


def test_a_small_run_gives_finite_figures(cohorts):
    cohort = cohorts["stable"]
    result = validation.evaluate(cohort)
    for key in ("coverage", "brier", "best_naive_brier", "ratio", "worst_gap", "floor"):
        assert math.isfinite(result[key]), key
    assert 0 < result["forecast"] <= SMALL
    assert sum(d["learners"] for d in result["deciles"]) == result["forecast"]
    assert result["floor"] <= result["brier"]
    assert sum(result["interval"].values()) == pytest.approx(1.0)
    assert result["best_rule"] in {"share_rule", "share_chance"}
    assert set(result["targets"]) == {"coverage", "brier", "calibration", "interval"}
    assert result["seconds"] > 0 and result["half_life_days"] > 0
    assert "== stable ==" in validation.report(result)


def test_the_command_prints_json_and_checks(capsys):
    code = validation.main(
        ["--cohort", "large-sections", "--learners", "80", "--half-life", "30", "--json"]
    )
    document = json.loads(capsys.readouterr().out)
    (result,) = document["cohorts"]
    assert result["cohort"] == "large-sections" and result["half_life_days"] == 30
    assert code == 0
    checked = validation.main(["--cohort", "large-sections", "--learners", "80", "--check"])
    out = capsys.readouterr().out
    assert "== summary ==" in out
    missed = "FAIL" in out.split("== summary ==")[1]
    assert checked == (1 if missed else 0)
