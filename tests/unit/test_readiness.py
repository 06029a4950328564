"""Readiness: small cases worked by hand, and a calibration check against a simulated cohort."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from app.analytics.readiness import (
    REPEAT_WEIGHT,
    calibrate,
    fit_forgetting,
    pass_cut,
    pass_probability,
    readiness,
)
from app.domain.blueprint import parse_blueprint
from app.messages import render

SCHEMES = Path(__file__).resolve().parents[2] / "question_banks" / "schemes"
NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def scheme(name: str) -> dict:
    """A bundled blueprint, as the app loads it."""
    return yaml.safe_load((SCHEMES / f"{name}.yaml").read_text(encoding="utf-8"))


FOUNDATION = scheme("foundation")
PREFIXES = {s["id"]: s["clauses"][0] for s in FOUNDATION["sections"]}


def answers(
    learner: str,
    right: dict[str, list[int]],
    days_ago: float = 1,
    difficulty: int = 2,
    batch: str = "",
):
    """Rows for one learner: per section id, a list of 1 (right) and 0 (wrong). Items are
    named by section, difficulty and place; another `batch` gives other items (the same
    items again would be repeats, which count for less)."""
    return [
        {
            "learner_id": learner,
            "item_id": f"{sid}-{difficulty}-{batch}{n}",  # an item keeps one difficulty label
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


def test_a_thin_section_borrows_from_the_learners_own_record():
    # Both learners have one right and one wrong answer in improvement; one is strong
    # everywhere else, the other weak. The strong one's improvement mastery is higher,
    # and with plenty of evidence a section's mastery follows its own answers.
    strong = everywhere([1] * 9 + [0])
    weak = everywhere([1, 0, 0, 0, 0] * 2)
    strong["improvement"] = weak["improvement"] = [1, 0]
    rows = answers("strong", strong) + answers("weak", weak)
    table = readiness(pd.DataFrame(rows), parse_blueprint(FOUNDATION), NOW).set_index("learner_id")
    assert (
        table.loc["strong", "mastery_improvement"] > table.loc["weak", "mastery_improvement"] + 0.2
    )
    assert table.loc["strong", "mastery_operation"] == pytest.approx(0.85, abs=0.07)
    assert table.loc["weak", "mastery_operation"] == pytest.approx(0.25, abs=0.07)
    w = 0.5 ** (1 / 30)  # one day old, half-life 30 days (too few learners to fit one)
    assert table["evidence_improvement"].tolist() == pytest.approx([2 * w, 2 * w])


def test_thin_evidence_in_a_large_section_is_reported_not_forecast():
    right = everywhere([1] * 6)
    right["operation"] = [1]  # 16 of 40 items: needs 2 effective answers
    right["planning-support"] = []  # 7 of 40: below the share that blocks a forecast
    row = readiness(
        pd.DataFrame(answers("thin", right, days_ago=0)), parse_blueprint(FOUNDATION), NOW
    ).iloc[0]
    assert row["status"] == "insufficient"
    assert math.isnan(row["p_pass"]) and math.isnan(row["p_low"])
    assert row["needed"] == {"operation": 1}
    assert render(row["missing"]) == "Operation of the SMS: 1 more answer"


def test_old_answers_count_for_less_than_recent_ones():
    old_right = answers("old-right", everywhere([1] * 6), days_ago=90)
    old_right += answers("old-right", everywhere([0] * 6), days_ago=0, batch="new")
    new_right = answers("new-right", everywhere([0] * 6), days_ago=90)
    new_right += answers("new-right", everywhere([1] * 6), days_ago=0, batch="new")
    table = readiness(pd.DataFrame(old_right + new_right), parse_blueprint(FOUNDATION), NOW)
    table = table.set_index("learner_id")
    assert table.loc["new-right", "mastery_operation"] > 0.75
    assert table.loc["old-right", "mastery_operation"] < 0.25
    assert table.loc["new-right", "p_pass"] > 0.9 > 0.1 > table.loc["old-right", "p_pass"]
    # 90 days is three half-lives: six old answers weigh 6/8.
    assert table.loc["old-right", "evidence_operation"] == pytest.approx(6 + 6 / 8)


def test_a_repeated_question_counts_for_less_than_a_first_answer():
    rows = answers("again", everywhere([1] * 6), days_ago=0)
    rows += answers("again", everywhere([1] * 6), days_ago=0)  # the same items once more
    rows += answers("fresh", everywhere([1] * 6), days_ago=0)
    rows += answers("fresh", everywhere([1] * 6), days_ago=0, batch="other")
    table = readiness(pd.DataFrame(rows), parse_blueprint(FOUNDATION), NOW).set_index("learner_id")
    assert table.loc["fresh", "evidence_operation"] == pytest.approx(12)
    assert table.loc["again", "evidence_operation"] == pytest.approx(6 + 6 * REPEAT_WEIGHT)
    assert table.loc["again", "answers"] == table.loc["fresh", "answers"] == 12 * len(PREFIXES)
    # A `seen` column, as the database keeps it, is taken as given.
    given = pd.DataFrame(rows).assign(seen=False)
    table = readiness(given, parse_blueprint(FOUNDATION), NOW, repeat_weight=0.0)
    assert table.set_index("learner_id").loc["again", "evidence_operation"] == pytest.approx(12)
    discounted = readiness(pd.DataFrame(rows), parse_blueprint(FOUNDATION), NOW, repeat_weight=0.0)
    assert discounted.set_index("learner_id").loc["again", "evidence_operation"] == pytest.approx(6)


def test_repeats_are_discounted_where_learners_remember_the_keys_and_not_elsewhere():
    from bench.cohorts import generate

    remembering = generate("repeaters", 400, seed=4)
    found = fit_forgetting(remembering.answers, remembering.blueprint, remembering.now)
    assert found.repeat_weight == 0.0
    # Remembered keys are not mistaken for learners improving.
    assert found.trend_per_day <= 0.01
    steady = generate("stable", 400, seed=4)
    assert fit_forgetting(steady.answers, steady.blueprint, steady.now).repeat_weight == 1.0


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
    assert row["needed"] == {"short-answers": 2, "nonconformity-statements": 1}
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
    # The forecast integrates the hierarchy's posterior on a grid; weighted draws from the
    # continuous posterior (importance sampling, every draw scored exactly) must give the
    # same pass probability and a close 10–90 range.
    from app.analytics import readiness as model

    rng = np.random.default_rng(4)
    blueprint = parse_blueprint(FOUNDATION)
    sections = model.sections_of(blueprint)
    cut, n, draws = pass_cut(blueprint), 40, 20_000
    rows = []
    for learner in range(n):
        level = rng.uniform(0.35, 0.95)
        for sid in PREFIXES:
            size = int(rng.integers(2, 12))
            rows += answers(f"l{learner:02d}", {sid: list(rng.random(size) < level)}, days_ago=0)
    responses = pd.DataFrame(rows).astype({"score": float})
    learners = pd.Index(sorted(responses["learner_id"].unique()))
    now = pd.Timestamp(NOW)
    ev = model._evidence(responses, blueprint, sections, learners, now, model.HALF_LIFE_DAYS)
    items = np.array([s.items for s in sections], dtype=float)
    post, pop = model.fit(ev, items, 0.5, 2.0)
    fast = model._forecast(post, sections, cut, 0.5)
    offsets = pop.offset_array(len(sections))
    minima = [s.minimum for s in sections]
    centre, sd = post.theta_moments()
    for i in range(n):
        theta = centre[i] + 2 * sd[i] * rng.standard_normal(draws)
        logits = (
            theta[:, None]
            + offsets
            + math.sqrt(pop.section_spread) * rng.standard_normal((draws, len(sections)))
        )
        right, weight = ev.right[i], ev.weight[i]
        log_lik = -(right * np.logaddexp(0, -logits) + (weight - right) * np.logaddexp(0, logits))
        log_w = log_lik.sum(axis=1) - 0.5 * (theta - pop.mean) ** 2 / pop.spread
        log_w += 0.5 * ((theta - centre[i]) / (2 * sd[i])) ** 2  # divided by the proposal
        w = np.exp(log_w - log_w.max())
        w /= w.sum()
        p = model._sigmoid(logits)
        chance = model._pass_from_pmfs(model._section_pmfs(p, sections, 0.5), minima, cut)
        assert abs(fast[i, 0] - (w * chance).sum()) < 0.02, i
        order = np.argsort(chance)
        cumulative = np.cumsum(w[order])
        low, high = chance[order][np.searchsorted(cumulative, [0.1, 0.9])]
        assert abs(fast[i, 1] - low) < 0.06 and abs(fast[i, 2] - high) < 0.06, (i, low, high)


def test_calibration_learns_the_population_and_keeps_steady_learners_long_remembered():
    responses, _passed, _mock = simulate(learners=600, seed=5)
    blueprint = parse_blueprint(FOUNDATION)
    found = calibrate(responses, blueprint, NOW)
    # The simulation's learners are steady, so old answers are as good as new ones.
    assert found.half_life_days >= 60
    assert found.learners == 600
    population = found.population
    assert population is not None
    # Simulated: general ability N(0.8, 0.9²) around medium items, section deviations 0.4².
    assert abs(population.mean - 0.8) < 0.3
    assert abs(population.spread - 0.81) < 0.3
    assert population.section_spread < 0.4


def test_with_the_platforms_population_a_learner_seen_alone_gets_the_same_forecast():
    responses, _passed, _mock = simulate(learners=300, seed=6)
    blueprint = parse_blueprint(FOUNDATION)
    population = calibrate(responses, blueprint, NOW, half_life_days=30.0).population
    everyone = readiness(
        responses, blueprint, NOW, half_life_days=30.0, population=population, item_difficulty=False
    )
    for learner in (3, 150):
        alone = readiness(
            responses[responses["learner_id"] == learner],
            blueprint,
            NOW,
            half_life_days=30.0,
            population=population,
            item_difficulty=False,  # estimated from whoever is given, like the population
        )
        row = everyone[everyone["learner_id"] == learner]
        for name in ("p_pass", "p_low", "p_high"):
            assert np.allclose(alone[name].to_numpy(), row[name].to_numpy(), atol=1e-9), name


def test_item_difficulties_learnt_from_answers_keep_the_labels_order():
    responses, _passed, _mock = simulate(learners=600, seed=7)
    found = calibrate(responses, parse_blueprint(FOUNDATION), NOW)
    labels = responses.drop_duplicates("item_id").set_index("item_id")["difficulty"]
    learnt = pd.Series(dict(found.difficulties))
    assert len(learnt) == labels.size  # every answered item has an estimate
    by_label = learnt.groupby(labels.reindex(learnt.index)).mean()
    assert by_label[1] < by_label[2] < by_label[3]
    assert found.exam_shifts is not None
    for mix in found.exam_shifts:
        shifts = [shift for shift, _count in mix]
        assert shifts == sorted(shifts)  # easy, middle and hard thirds of the section's items


def test_a_known_difficulty_replaces_the_label():
    rows = pd.DataFrame(answers("ana", everywhere([1, 1, 1, 0] * 2), difficulty=2))
    blueprint = parse_blueprint(FOUNDATION)
    as_labelled = readiness(rows, blueprint, NOW, item_difficulty=False)
    harder = {item: 3.0 for item in rows["item_id"]}
    as_learnt = readiness(rows, blueprint, NOW, difficulties=harder)
    # The same record on items found to be harder means more ability.
    assert as_learnt["mastery_operation"].iloc[0] > as_labelled["mastery_operation"].iloc[0]
