"""Readiness backtest: bands, Wilson intervals, Brier scores and which answers a mock's
forecast may see, on small frames made by hand."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from app.analytics.backtest import (
    backtest,
    brier,
    predict,
    prior_answers,
    reliability,
    wilson_interval,
)
from app.analytics.readiness import Population, readiness
from app.domain.blueprint import parse_blueprint
from tests.unit.test_readiness import FOUNDATION, PREFIXES

START = datetime(2025, 3, 1, 9, tzinfo=UTC)
BLUEPRINT = parse_blueprint(FOUNDATION)
POPULATION = Population()  # fixed, so a batch and single calls share it
Z90 = NormalDist().inv_cdf(0.95)


def answer(learner: int, when: datetime, score: float, n: int, attempt: int = 0) -> dict:
    """One raw answer in the section that `n` picks, as `answer_frame` gives it."""
    section = list(PREFIXES)[n % len(PREFIXES)]
    return {
        "learner_id": learner,
        "item_id": f"{section}-{n}",
        "clauses": (f"{PREFIXES[section]}.1",),
        "level": "foundation",
        "difficulty": 2,
        "score": score,
        "max_score": 1.0,
        "answered_at": when,
        "attempt_id": attempt,
    }


def practice(learner: int, when: datetime, share_right: float, count: int = 60) -> list[dict]:
    """`count` answers spread over every section, `share_right` of them right."""
    right = round(share_right * count)
    return [answer(learner, when, float(n < right), n) for n in range(count)]


def mock(attempt: int, learner: int, started: datetime, passed: bool | None) -> dict:
    return {"attempt_id": attempt, "learner_id": learner, "started_at": started, "passed": passed}


def test_wilson_interval_has_its_closed_forms_at_the_ends_and_is_symmetric_at_a_half():
    low, high = wilson_interval(np.array([0, 10, 5, 0]), np.array([10, 10, 10, 0]), 0.90)
    z2 = Z90**2
    assert low[0] == pytest.approx(0.0) and high[0] == pytest.approx(z2 / (10 + z2))
    assert high[1] == pytest.approx(1.0) and low[1] == pytest.approx(10 / (10 + z2))
    assert low[2] + high[2] == pytest.approx(1.0)
    assert high[2] - low[2] == pytest.approx(2 * Z90 / (1 + z2 / 10) * math.sqrt(0.025 + z2 / 400))
    assert math.isnan(low[3]) and math.isnan(high[3])


def test_ten_equal_bands_count_average_and_bound_their_mocks():
    p = pd.Series([0.0, 0.05, 0.1, 0.15, 0.95, 0.999, 1.0])
    passed = pd.Series([False, True, False, True, True, True, False])
    bands = reliability(p, passed)
    assert list(bands["mocks"]) == [2, 2, 0, 0, 0, 0, 0, 0, 0, 3]  # 0.1 opens band 1
    assert bands["low"].iloc[1] == pytest.approx(0.1) and bands["high"].iloc[9] == 1.0
    assert bands["mean_predicted"].iloc[0] == pytest.approx(0.025)
    assert bands["observed"].iloc[0] == 0.5 and bands["observed"].iloc[9] == pytest.approx(2 / 3)
    low, high = wilson_interval(np.array([2]), np.array([3]))
    assert bands["observed_low"].iloc[9] == pytest.approx(low[0])
    assert bands["observed_high"].iloc[9] == pytest.approx(high[0])
    assert bands.loc[2:8, ["mean_predicted", "observed", "observed_low"]].isna().all().all()


def test_brier_is_the_mean_squared_miss():
    assert brier(np.array([1.0, 0.0, 0.5]), np.array([1, 1, 0])) == pytest.approx(1.25 / 3)
    assert math.isnan(brier(np.array([]), np.array([])))


def test_only_answers_before_the_start_count_weighted_by_their_age_then():
    early, late = START - timedelta(days=20), START + timedelta(days=40)
    answers = pd.DataFrame(
        [
            answer(1, START - timedelta(days=10), 1.0, 0, attempt=5),  # before both mocks
            answer(1, START, 0.0, 1, attempt=5),  # at the first mock's start: too late for it
            answer(1, START + timedelta(minutes=5), 1.0, 2, attempt=100),  # the mock's own
            answer(1, START + timedelta(days=30), 0.5, 3, attempt=6),
            answer(2, early, 1.0, 4, attempt=7),  # another learner's
        ]
    )
    mocks = pd.DataFrame([mock(100, 1, START, True), mock(101, 1, late, False)])
    rows = prior_answers(answers, mocks, half_life_days=10.0)
    first = rows[rows["learner_id"] == 100]
    assert list(first["item_id"]) == [answers["item_id"][0]]
    assert first["weight"].iloc[0] == pytest.approx(0.5)  # ten days old at the start
    second = rows[rows["learner_id"] == 101].set_index("item_id")
    assert len(second) == 4 and set(rows["learner_id"]) == {100, 101}
    ages = np.array([50, 40, 40 - 5 / 1440, 10])  # days before the second mock
    assert second["weight"].to_numpy() == pytest.approx(0.5 ** (ages / 10))
    assert second["right"].to_numpy() == pytest.approx(0.5 ** (ages / 10) * [1, 0, 1, 0.5])
    assert (rows["answers"] == 1).all() and "attempt_id" not in rows.columns


def test_one_batch_gives_what_a_call_per_mock_as_of_its_start_gives():
    second = START + timedelta(days=21)
    answers = pd.DataFrame(
        practice(1, START - timedelta(days=30), 0.9)
        + practice(1, START - timedelta(days=2), 0.5)
        + practice(1, START + timedelta(days=7), 0.2)
        + practice(2, START - timedelta(days=5), 0.6)
    )
    mocks = pd.DataFrame(
        [mock(10, 1, START, True), mock(11, 1, second, False), mock(12, 2, START, True)]
    )
    batch = predict(answers, mocks, BLUEPRINT, 14.0, POPULATION).set_index("attempt_id")
    for attempt, learner, started in ((10, 1, START), (11, 1, second), (12, 2, START)):
        before = answers[(answers["learner_id"] == learner) & (answers["answered_at"] < started)]
        alone = readiness(
            before.drop(columns="attempt_id"),
            BLUEPRINT,
            started,
            half_life_days=14.0,
            population=POPULATION,
            item_difficulty=False,  # the batch reads summed rows, which keep the labels
        )
        assert batch.loc[attempt, "p_pass"] == pytest.approx(alone["p_pass"].iloc[0], abs=1e-9)
    assert batch.loc[10, "p_pass"] > batch.loc[11, "p_pass"]  # the later mock saw the slump


def test_a_mocks_own_answers_never_lift_its_forecast():
    answers = pd.DataFrame(practice(1, START - timedelta(days=3), 0.3))
    mocks = pd.DataFrame([mock(10, 1, START, False)])
    without = predict(answers, mocks, BLUEPRINT, 30.0, POPULATION)
    own = pd.DataFrame(practice(1, START + timedelta(minutes=10), 1.0)).assign(attempt_id=10)
    with_own = predict(pd.concat([answers, own]), mocks, BLUEPRINT, 30.0, POPULATION)
    assert with_own["p_pass"].iloc[0] == without["p_pass"].iloc[0]


def test_backtest_counts_caps_and_compares_with_naive_rules():
    day = timedelta(days=1)
    answers = pd.DataFrame(
        practice(1, START - 10 * day, 0.95)
        + practice(2, START - 10 * day, 0.2)
        + practice(3, START - 10 * day, 0.6, count=3)  # too little for a forecast
    )
    mocks = pd.DataFrame(
        [
            mock(1, 1, START - 30 * day, False),  # before any answer: insufficient
            mock(2, 1, START, True),
            mock(3, 2, START - 30 * day, True),
            mock(4, 2, START + day, False),
            mock(5, 3, START, True),
            mock(6, 3, START + 2 * day, None),  # an essay not yet marked
            mock(7, 4, START - 60 * day, False),  # the oldest: left out by the cap
        ]
    )
    result = backtest(
        answers, mocks, BLUEPRINT, half_life_days=30.0, population=POPULATION, limit=5
    )
    counts = result.counts
    assert (counts.mocks, counts.considered, counts.unscored, counts.limit) == (6, 5, 1, 5)
    assert counts.capped and (counts.predicted, counts.insufficient) == (2, 3)
    table = result.predictions.set_index("attempt_id")
    assert list(table.index) == [4, 5, 2, 3, 1]  # most recent first, ties by id
    assert table.loc[2, "p_pass"] > 0.9 and table.loc[4, "p_pass"] < 0.1
    assert table.loc[5, "status"] == "insufficient" and math.isnan(table.loc[5, "p_pass"])
    assert table.loc[4, "previous_passed"] and pd.isna(table.loc[3, "previous_passed"])
    scores = result.brier
    assert scores.rate == 0.5 and scores.base_rate == pytest.approx(0.25)
    assert scores.with_previous == 2 and scores.previous == pytest.approx(1.0)  # both wrong
    assert scores.model < 0.02 and scores.model_on_previous == pytest.approx(scores.model)
    assert result.bands["mocks"].sum() == 2
    assert result.bands["mocks"].iloc[0] == 1 and result.bands["mocks"].iloc[9] == 1


def test_a_scheme_without_answers_predicts_nothing():
    mocks = pd.DataFrame([mock(1, 1, START, True)])
    empty = pd.DataFrame(practice(1, START, 1.0)).iloc[0:0]
    result = backtest(empty, mocks, BLUEPRINT, half_life_days=30.0)
    assert (result.counts.predicted, result.counts.insufficient) == (0, 1)
    assert math.isnan(result.brier.model) and result.bands["mocks"].sum() == 0
