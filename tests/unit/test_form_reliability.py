"""Reliability per form: the textbook alpha on a fixed form, one alpha per form when
practice sets and mocks are pooled, and never above 1 on cohorts simulated on other
assumptions than the ones the other statistics tests use."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from app.analytics.items import item_analysis
from app.analytics.reliability import form_reliability


def rows(scores: np.ndarray, held: np.ndarray, first_attempt: int = 0) -> pd.DataFrame:
    """One row per held cell of an attempts × items matrix."""
    attempt, item = np.nonzero(held)
    return pd.DataFrame(
        {
            "attempt_id": attempt + first_attempt,
            "item_id": item,
            "score": scores[attempt, item],
            "max_score": 1.0,
        }
    )


def three_parameter_cohort(rng: np.random.Generator, learners: int, pool: int) -> np.ndarray:
    """0/1 answers of every learner to every item: 3PL with a 1-in-4 guess and slopes
    from 0.5 to 2 (the other tests use a one-slope logistic model without guessing)."""
    ability = rng.standard_t(df=5, size=(learners, 1))  # heavier tails than a normal
    difficulty = rng.uniform(-2.5, 2.5, size=pool)
    slope = rng.uniform(0.5, 2.0, size=pool)
    chance = 0.25 + 0.75 / (1 + np.exp(-slope * (ability - difficulty)))
    return (rng.random((learners, pool)) < chance).astype(float)


def random_draws(rng: np.random.Generator, learners: int, pool: int, length: int) -> np.ndarray:
    """Which items each attempt drew: `length` of `pool` at random."""
    order = np.argsort(rng.random((learners, pool)), axis=1)[:, :length]
    held = np.zeros((learners, pool), dtype=bool)
    np.put_along_axis(held, order, True, axis=1)
    return held


def textbook_alpha(scores: np.ndarray) -> float:
    """KR-20 on a complete matrix, written out."""
    p = scores.shape[1]
    return p / (p - 1) * (1 - scores.var(axis=0, ddof=1).sum() / scores.sum(axis=1).var(ddof=1))


def test_a_fixed_form_gets_the_textbook_alpha_and_sem():
    rng = np.random.default_rng(20)
    scores = three_parameter_cohort(rng, 120, 12)
    everyone = np.ones_like(scores, bool)
    table = form_reliability(rows(scores, everyone), dict.fromkeys(range(120), "f"))
    row = table.loc["f"]
    alpha = textbook_alpha(scores)
    assert (row["attempts"], row["length"], row["items"]) == (120, 12, 12)
    assert row["alpha"] == pytest.approx(alpha)
    assert row["sem"] == pytest.approx(math.sqrt(1 - alpha) * scores.sum(axis=1).std(ddof=1))
    assert row["mean"] == pytest.approx(scores.sum(axis=1).mean())


def test_pooling_8_item_practice_sets_with_40_item_mocks_no_longer_passes_1():
    rng = np.random.default_rng(3)
    cohort = three_parameter_cohort(rng, 400, 300)
    mocks = random_draws(rng, 200, 300, 40)
    practice = random_draws(rng, 200, 300, 8)
    frame = pd.concat([rows(cohort[:200], mocks), rows(cohort[200:], practice, 200)])
    # The old pooled figure: P = mean length 24, V = mean Σ var(x_i) of the attempt's items.
    var = frame.groupby("item_id")["score"].var().fillna(0)
    total = frame.groupby("attempt_id")["score"].sum()
    v = frame.assign(v=frame["item_id"].map(var)).groupby("attempt_id")["v"].sum().mean()
    pooled = 24 / 23 * (1 - v / total.var())
    assert pooled > 1  # what the page showed before

    forms = {a: "mock" if a < 200 else "practice" for a in range(400)}
    table = form_reliability(frame, forms)
    assert table["length"].to_dict() == {"mock": 40, "practice": 8}
    assert 0.7 < table.loc["mock", "alpha"] < 1 and 0 < table.loc["practice", "alpha"] < 1
    assert table.loc["mock", "alpha"] > table.loc["practice", "alpha"]  # longer, more reliable
    assert math.isnan(item_analysis(frame).test.alpha)  # mixed lengths: no pooled alpha


def test_random_forms_come_close_to_the_alpha_of_fixed_forms_of_that_length():
    rng = np.random.default_rng(8)
    cohort = three_parameter_cohort(rng, 600, 120)
    held = random_draws(rng, 600, 120, 30)
    estimate = form_reliability(rows(cohort, held), dict.fromkeys(range(600), 1)).loc[1, "alpha"]
    # The same learners on fixed 30-item forms drawn from the same pool.
    fixed = [textbook_alpha(cohort[:, rng.choice(120, 30, replace=False)]) for _ in range(40)]
    assert estimate == pytest.approx(np.mean(fixed), abs=0.03)


@pytest.mark.parametrize("seed", range(12))
def test_alpha_never_exceeds_1(seed):
    rng = np.random.default_rng(seed)
    learners, pool = int(rng.integers(3, 60)), int(rng.integers(2, 50))
    length = int(rng.integers(2, pool + 1))
    kind = seed % 4
    if kind == 0:  # a perfect Guttman scale: right exactly when ability passes difficulty
        scores = (rng.normal(size=(learners, 1)) > rng.normal(size=pool)).astype(float)
    elif kind == 1:  # items everyone gets right or wrong: all the spread is the form drawn
        scores = np.tile(rng.integers(0, 2, size=pool).astype(float), (learners, 1))
    elif kind == 2:  # partial credit on items worth up to 3 marks
        scores = rng.integers(0, 4, size=(learners, pool)).astype(float)
    else:
        scores = three_parameter_cohort(rng, learners, pool)
    held = random_draws(rng, learners, pool, length)
    held[0, np.nonzero(held[0])[0][0]] = length < 3  # one attempt misses an item (an essay)
    table = form_reliability(rows(scores, held), dict.fromkeys(range(learners), "f"))
    alpha = table.loc["f", "alpha"]
    assert math.isnan(alpha) or alpha <= 1 + 1e-12


def test_items_everyone_gets_right_or_wrong_give_no_reliability_whatever_the_form():
    # Half the pool is always right, half always wrong: totals vary only with the draw,
    # which says nothing about the learners (the old figure was P/(P−1) = 2 here).
    scores = np.tile([1.0, 0.0, 1.0, 0.0], (40, 1))
    held = random_draws(np.random.default_rng(1), 40, 4, 2)
    table = form_reliability(rows(scores, held), dict.fromkeys(range(40), "f"))
    assert math.isnan(table.loc["f", "alpha"])


def test_a_form_below_the_minimum_is_counted_but_not_judged():
    scores = three_parameter_cohort(np.random.default_rng(2), 9, 5)
    frame = rows(scores, np.ones_like(scores, bool))
    forms = {a: ("mock", 5) for a in range(9)}
    table = form_reliability(frame, forms, min_attempts=10)
    row = table.loc[[("mock", 5)]].iloc[0]
    assert row["attempts"] == 9 and row["length"] == 5 and math.isnan(row["alpha"])
    assert form_reliability(frame, {}).empty  # attempts in no form are left out
