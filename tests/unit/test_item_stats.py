"""Item analysis: figures worked by hand, an independent numpy version, random forms, flags."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from app.analytics import items as item_stats
from app.analytics.items import item_analysis
from app.messages import render

# Five attempts of four one-mark items; q2 is single choice with key a (d never chosen).
#         q1 q2 q3 q4   T   q2 option
#    A     1  1  1  1   4   a
#    B     1  1  1  0   3   a
#    C     1  1  0  0   2   a
#    D     1  0  0  1   2   b
#    E     0  0  0  0   0   c
TINY = {"A": [1, 1, 1, 1], "B": [1, 1, 1, 0], "C": [1, 1, 0, 0], "D": [1, 0, 0, 1], "E": [0] * 4}
TINY_Q2 = {"A": "a", "B": "a", "C": "a", "D": "b", "E": "c"}
Q2_OPTIONS = pd.DataFrame({"item_id": "q2", "option_id": list("abcd"), "is_key": [1, 0, 0, 0]})


def tiny() -> pd.DataFrame:
    """The five attempts above, one row per response."""
    rows = [
        {
            "attempt_id": attempt,
            "item_id": f"q{n + 1}",
            "score": score,
            "max_score": 1,
            "option_id": TINY_Q2[attempt] if n == 1 else None,
        }
        for attempt, scores in TINY.items()
        for n, score in enumerate(scores)
    ]
    return pd.DataFrame(rows)


def test_item_figures_of_the_tiny_dataset_match_the_hand_calculation():
    items = item_analysis(tiny(), guess={"q2": 0.25}).items
    # Facility = mean score: q1 4/5, q2 3/5, q3 2/5, q4 2/5.
    assert items["facility"].tolist() == pytest.approx([0.8, 0.6, 0.4, 0.4])
    # q2: deviations of x from 0.6 are .4 .4 .4 −.6 −.6, so Σdx² = 1.2 and sd = √(1.2/4).
    assert items.loc["q2", "sd"] == pytest.approx(math.sqrt(0.3))
    # q2: R = T − x = 3 2 1 2 0 (mean 1.6), deviations 1.4 .4 −.6 .4 −1.6, ΣdR² = 5.2 and
    # Σdx·dR = .56 + .16 − .24 − .24 + .96 = 1.2: discrimination 1.2 / √(1.2 × 5.2) = 0.4804.
    assert items.loc["q2", "discrimination"] == pytest.approx(1.2 / math.sqrt(1.2 * 5.2))
    # q3: x = 1 1 0 0 0, R = 3 2 2 2 0: Σdx·dR = 1.4, Σdx² = 1.2, ΣdR² = 4.8 → 1.4/2.4.
    assert items.loc["q3", "discrimination"] == pytest.approx(0.58333, abs=1e-5)
    # q4: x = 1 0 0 1 0, R = 3 3 2 1 0: Σdx·dR = 0.4, ΣdR² = 6.8 → 0.4 / √8.16 = 0.1400.
    assert items.loc["q4", "discrimination"] == pytest.approx(0.4 / math.sqrt(1.2 * 6.8))
    # q2 sorted apart: x 0 0 1 1 1 against R 0 1 2 2 3 gives Σ = .96 + .36 + .16 + .16 + .56
    # = 2.2, so efficiency = 1.2 / 2.2; q4: x 0 0 0 1 1 against R 0 1 2 3 3 gives 2.4.
    assert items.loc["q2", "discriminative_efficiency"] == pytest.approx(1.2 / 2.2)
    assert items.loc["q4", "discriminative_efficiency"] == pytest.approx(0.4 / 2.4)
    # cov(x, T) = cov(x, R) + var(x): q1 .35+.2, q2 .3+.3, q3 .35+.3, q4 .1+.3 (Σ = var T).
    roots = np.sqrt([0.55, 0.6, 0.65, 0.4])
    assert items["effective_weight"].tolist() == pytest.approx((roots / roots.sum()).tolist())
    assert items["intended_weight"].tolist() == [0.25] * 4
    assert items.loc["q2", "random_guess"] == 0.25
    assert items["random_guess"].isna().sum() == 3
    assert items["attempts"].tolist() == [5] * 4


def test_test_summary_of_the_tiny_dataset_matches_the_hand_calculation():
    test = item_analysis(tiny()).test
    # T = 4 3 2 2 0: mean 2.2, median 2, deviations 1.8 .8 −.2 −.2 −2.2, Σd² = 8.8, var 2.2.
    assert (test.attempts, test.items, test.items_per_attempt) == (5, 4, 4.0)
    assert (test.mean, test.median) == (pytest.approx(2.2), 2.0)
    assert test.sd == pytest.approx(math.sqrt(2.2))
    # Item variances .2 .3 .3 .3 sum to 1.1: alpha = 4/3 × (1 − 1.1/2.2) = 2/3.
    assert test.alpha == pytest.approx(2 / 3)
    assert test.error_ratio == pytest.approx(math.sqrt(1 / 3))
    assert test.sem == pytest.approx(math.sqrt(2.2 / 3))  # 0.856
    # m2 = 1.76, m3 = −4.32/5, k3 = 25/12 × m3 = −1.8: skewness −1.8 / 2.2^1.5 = −0.5516.
    assert test.skewness == pytest.approx(-1.8 / 2.2**1.5)
    # m4 = 34.336/5, k4 = 25 × (6 m4 − 12 m2²) / 24 = 4.2: kurtosis 4.2 / 2.2² = 0.8678.
    assert test.kurtosis == pytest.approx(4.2 / 2.2**2)
    # Totals as % of 4 marks: 100, 75, 50, 50, 0.
    assert test.histogram_edges == tuple(float(n) for n in range(0, 101, 10))
    assert test.histogram_counts == (1, 0, 0, 0, 0, 2, 0, 1, 0, 1)


def test_distractors_of_the_tiny_dataset_match_the_hand_calculation():
    table = item_analysis(tiny(), options=Q2_OPTIONS).distractors
    assert table["item_id"].tolist() == ["q2"] * 4
    assert table["option_id"].tolist() == ["a", "b", "c", "d"]
    assert table["is_key"].tolist() == [True, False, False, False]
    assert table["count"].tolist() == [3, 1, 1, 0]
    assert table["share"].tolist() == pytest.approx([0.6, 0.2, 0.2, 0.0])
    # q2's rest scores: A 3, B 2, C 1 chose a (mean 2); D 2 chose b; E 0 chose c.
    assert table["mean_rest"].tolist()[:3] == pytest.approx([2.0, 2.0, 0.0])
    assert math.isnan(table["mean_rest"].iloc[3])
    # Median R is 2: A (3) is the upper half, C (1) and E (0) the lower; B and D tie.
    assert table["upper"].tolist() == [1, 0, 0, 0]
    assert table["lower"].tolist() == [1, 0, 1, 0]
    assert not table["beats_key"].any()


def test_without_an_option_list_the_key_is_inferred_and_only_chosen_options_appear():
    table = item_analysis(tiny()).distractors
    assert table["option_id"].tolist() == ["a", "b", "c"]
    assert table["is_key"].tolist() == [True, False, False]  # a: every chooser scored 1


def test_integer_option_ids_stay_integers_when_other_rows_have_none():
    frame = tiny().assign(option_id=lambda f: f["option_id"].map({"a": 11, "b": 12, "c": 13}))
    assert frame["option_id"].dtype == float  # the None rows turned the ids into floats
    options = Q2_OPTIONS.assign(option_id=[11, 12, 13, 14])
    table = item_analysis(frame, options=options).distractors
    assert table["option_id"].tolist() == [11, 12, 13, 14]
    assert table["count"].tolist() == [3, 1, 1, 0]


def long_form(scores: np.ndarray, max_scores: np.ndarray) -> pd.DataFrame:
    """Rows for a complete design: attempt a, item i, score scores[a, i]."""
    attempts, n_items = scores.shape
    return pd.DataFrame(
        {
            "attempt_id": np.repeat(np.arange(attempts), n_items),
            "item_id": np.tile([f"i{n:02d}" for n in range(n_items)], attempts),
            "score": scores.ravel(),
            "max_score": np.tile(max_scores, attempts),
        }
    )


def simulated_scores(rng: np.random.Generator, attempts: int, max_scores: np.ndarray):
    """Scores from a logistic ability model; an item worth m marks earns 0…m."""
    ability = rng.normal(size=(attempts, 1))
    difficulty = rng.normal(size=len(max_scores))
    chance = 1 / (1 + np.exp(-1.5 * (ability - difficulty)))
    return rng.binomial(max_scores.astype(int), chance).astype(float)


def kstat_shape(total: np.ndarray) -> tuple[float, float]:
    """Skewness and excess kurtosis from k-statistics, written out."""
    n = len(total)
    d = total - total.mean()
    m2, m3, m4 = (d**2).mean(), (d**3).mean(), (d**4).mean()
    k2 = n / (n - 1) * m2
    k3 = n**2 / ((n - 1) * (n - 2)) * m3
    k4 = n**2 * ((n + 1) * m4 - 3 * (n - 1) * m2**2) / ((n - 1) * (n - 2) * (n - 3))
    return k3 / k2**1.5, k4 / k2**2


def textbook(scores: np.ndarray, max_scores: np.ndarray) -> dict[str, object]:
    """The reference formulas on a complete attempts × items matrix, item by item."""
    total = scores.sum(axis=1)
    columns: dict[str, list[float]] = {"facility": [], "sd": [], "discrimination": []}
    columns |= {"efficiency": [], "cov_t": [], "var": []}
    for i in range(scores.shape[1]):
        x, rest = scores[:, i], total - scores[:, i]
        columns["facility"].append(x.mean() / max_scores[i])
        columns["sd"].append(x.std(ddof=1) / max_scores[i])
        columns["discrimination"].append(np.corrcoef(x, rest)[0, 1])
        best = np.cov(np.sort(x), np.sort(rest))[0, 1]
        columns["efficiency"].append(np.cov(x, rest)[0, 1] / best)
        columns["cov_t"].append(np.cov(x, total)[0, 1])
        columns["var"].append(np.var(x, ddof=1))
    p = scores.shape[1]
    alpha = p / (p - 1) * (1 - sum(columns["var"]) / np.var(total, ddof=1))
    roots = np.sqrt(columns["cov_t"])
    skewness, kurtosis = kstat_shape(total)
    return columns | {
        "effective_weight": list(roots / roots.sum()),
        "intended_weight": list(max_scores / max_scores.sum()),
        "alpha": alpha,
        "sem": math.sqrt(1 - alpha) * total.std(ddof=1),
        "skewness": skewness,
        "kurtosis": kurtosis,
        "median": float(np.median(total)),
        "percent": 100 * total / max_scores.sum(),
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_complete_designs_agree_with_the_textbook_formulas(seed):
    rng = np.random.default_rng(seed)
    max_scores = rng.choice([1.0, 1.0, 2.0, 3.0], size=12)
    scores = simulated_scores(rng, 150, max_scores)
    result = item_analysis(long_form(scores, max_scores))
    expected, items, test = textbook(scores, max_scores), result.items, result.test
    assert min(expected["cov_t"]) > 0  # so the effective weights are defined
    for ours, theirs in [
        ("facility", "facility"),
        ("sd", "sd"),
        ("discrimination", "discrimination"),
        ("discriminative_efficiency", "efficiency"),
        ("effective_weight", "effective_weight"),
        ("intended_weight", "intended_weight"),
    ]:
        assert items[ours].to_numpy() == pytest.approx(expected[theirs], rel=1e-9), ours
    assert test.alpha == pytest.approx(expected["alpha"], rel=1e-9)
    assert test.sem == pytest.approx(expected["sem"], rel=1e-9)
    assert test.skewness == pytest.approx(expected["skewness"], rel=1e-9)
    assert test.kurtosis == pytest.approx(expected["kurtosis"], rel=1e-9)
    assert test.median == expected["median"]
    counts, _ = np.histogram(expected["percent"], np.linspace(0, 100, 11))
    assert list(test.histogram_counts) == counts.tolist()


def test_a_negative_covariance_with_the_total_leaves_every_effective_weight_undefined():
    rng = np.random.default_rng(7)
    max_scores = np.ones(6)
    scores = simulated_scores(rng, 200, max_scores)
    scores[:, 0] = 1 - scores[:, 1]  # the mirror image of another item
    items = item_analysis(long_form(scores, max_scores)).items
    assert items["discrimination"].iloc[0] < 0
    assert items["effective_weight"].isna().all()
    assert items["intended_weight"].tolist() == pytest.approx([1 / 6] * 6)


def random_forms(seed: int, attempts: int = 300, pool: int = 20, length: int = 8):
    """Each attempt draws `length` of `pool` items; scores from the ability model."""
    rng = np.random.default_rng(seed)
    max_scores = rng.choice([1.0, 2.0], size=pool)
    scores = simulated_scores(rng, attempts, max_scores)
    drawn = np.argsort(rng.random((attempts, pool)), axis=1)[:, :length]
    held = np.zeros((attempts, pool), dtype=bool)
    np.put_along_axis(held, drawn, True, axis=1)
    frame = long_form(scores, max_scores)[held.ravel()].reset_index(drop=True)
    return frame, scores, held, max_scores


@pytest.mark.parametrize("seed", [4, 5])
def test_with_random_forms_each_item_is_judged_on_its_own_attempts(seed):
    frame, scores, held, max_scores = random_forms(seed)
    items = item_analysis(frame).items
    total = (scores * held).sum(axis=1)
    cov_t, form_marks = [], []
    for i, item_id in enumerate(items.index):
        mine = held[:, i]
        x, rest = scores[mine, i], total[mine] - scores[mine, i]
        row = items.loc[item_id]
        assert row["attempts"] == mine.sum()
        assert row["facility"] == pytest.approx(x.mean() / max_scores[i])
        assert row["sd"] == pytest.approx(x.std(ddof=1) / max_scores[i])
        assert row["discrimination"] == pytest.approx(np.corrcoef(x, rest)[0, 1])
        best = np.cov(np.sort(x), np.sort(rest))[0, 1]
        assert row["discriminative_efficiency"] == pytest.approx(np.cov(x, rest)[0, 1] / best)
        cov_t.append(np.cov(x, total[mine])[0, 1])
        form_marks.append((held[mine] * max_scores).sum(axis=1).mean())
    assert items["intended_weight"].to_numpy() == pytest.approx(max_scores / form_marks)
    roots = np.sqrt(cov_t)
    per_attempt = np.array([roots[row].sum() for row in held])
    expected = [roots[i] / per_attempt[held[:, i]].mean() for i in range(len(roots))]
    assert items["effective_weight"].to_numpy() == pytest.approx(expected)


def test_a_negative_covariance_only_voids_the_weights_of_items_sharing_its_attempts():
    rng = np.random.default_rng(8)
    max_scores = np.ones(3)
    first, second = simulated_scores(rng, 100, max_scores), simulated_scores(rng, 100, max_scores)
    first[:, 0] = 1 - first[:, 1]  # i00 mirrors i01, in the first set of forms only
    frame = pd.concat(
        [
            long_form(first, max_scores),
            long_form(second, max_scores).assign(
                attempt_id=lambda f: f["attempt_id"] + 100, item_id=lambda f: "j" + f["item_id"]
            ),
        ]
    )
    weights = item_analysis(frame).items["effective_weight"]
    assert weights[["i00", "i01", "i02"]].isna().all()
    expected = textbook(second, max_scores)["effective_weight"]
    assert weights[["ji00", "ji01", "ji02"]].to_numpy() == pytest.approx(expected)


def test_with_random_forms_alpha_is_taken_over_deviations_from_each_items_mean():
    frame, scores, held, _ = random_forms(6)
    test = item_analysis(frame).test
    total = (scores * held).sum(axis=1)
    # Written out on the attempts × items matrix: each held score minus its item's mean
    # over the attempts holding it, summed per attempt.
    means = np.array([scores[held[:, i], i].mean() for i in range(held.shape[1])])
    deviations = np.where(held, scores - means, 0.0)
    adjusted = deviations.sum(axis=1)
    p = 8  # every form has 8 items
    v = (deviations**2).sum() / (len(scores) - 1)
    assert (test.items, test.items_per_attempt, test.attempts) == (20, 8.0, 300)
    assert test.alpha == pytest.approx(p / (p - 1) * (1 - v / adjusted.var(ddof=1)))
    assert test.sem == pytest.approx(math.sqrt(1 - test.alpha) * adjusted.std(ddof=1))
    assert test.sd == pytest.approx(total.std(ddof=1))


def test_attempts_of_different_lengths_get_no_alpha():
    frame, *_ = random_forms(6)
    shorter = frame[~((frame["attempt_id"] < 50) & (frame.groupby("attempt_id").cumcount() > 3))]
    test = item_analysis(shorter).test
    assert math.isnan(test.alpha) and math.isnan(test.sem) and not math.isnan(test.sd)


def flags(*args: Any, **kwargs: Any) -> dict[Any, list[str]]:
    """The flags' reasons as the web renders them (in English)."""
    found = item_stats.flags(*args, **kwargs)
    return {item: [render(reason) for reason in reasons] for item, reasons in found.items()}


def kinds(reasons: list[str]) -> list[str]:
    """The kind of each reason: its words before the first colon or parenthesis."""
    return [reason.split(":")[0].split(" (")[0] for reason in reasons]


def flagged_bank(seed: int = 11, learners: int = 400) -> pd.DataFrame:
    """Four sound items and five with a known fault, all single choice (key a)."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=learners)
    strong = ability > 0

    def answer(chance: np.ndarray, wrong: list[str]) -> np.ndarray:
        right = rng.random(learners) < chance
        return np.where(right, "a", rng.choice(wrong, size=learners))

    def logistic(shift: float) -> np.ndarray:
        return 1 / (1 + np.exp(-2.0 * (ability - shift)))

    picks = {f"sound{n}": answer(logistic(b), ["b", "c", "d"]) for n, b in enumerate([-1, 0, 1])}
    picks["sound3"] = answer(logistic(-0.5), ["b", "c", "d"])
    picks["too_easy"] = answer(logistic(-2.0), ["b"])  # options a and b only
    # The bank's key is a, but the right answer is b: strong learners pick b.
    picks["miskeyed"] = np.where(rng.random(learners) < logistic(0.0), "b", answer(0.6, ["c", "d"]))
    picks["unpicked"] = answer(logistic(0.0), ["b", "c"])  # d is listed, never chosen
    # Strong learners split between the key and c; weak ones pick a, b or d.
    picks["attractive"] = np.where(
        strong,
        rng.choice(["a", "c"], size=learners, p=[0.4, 0.6]),
        rng.choice(["a", "b", "d"], size=learners, p=[0.1, 0.45, 0.45]),
    )
    picks["rare"] = answer(np.ones(learners), ["b"])  # seen by 10 learners only
    frame = pd.DataFrame(picks).rename_axis("attempt_id").reset_index()
    frame = frame.melt(id_vars="attempt_id", var_name="item_id", value_name="option_id")
    frame = frame[(frame["item_id"] != "rare") | (frame["attempt_id"] < 10)]
    return frame.assign(score=(frame["option_id"] == "a").astype(float), max_score=1.0)


def bank_options() -> pd.DataFrame:
    """Every item offers a, b, c and d (too_easy and rare only a and b); a is the key."""
    rows = [
        (item, option)
        for item in ["sound0", "sound1", "sound2", "sound3", "miskeyed", "unpicked", "attractive"]
        for option in "abcd"
    ]
    rows += [(item, option) for item in ["too_easy", "rare"] for option in "ab"]
    frame = pd.DataFrame(rows, columns=["item_id", "option_id"])
    return frame.assign(is_key=frame["option_id"] == "a")


def test_flags_name_each_fault_and_leave_sound_items_alone():
    result = item_analysis(flagged_bank(), options=bank_options())
    found = flags(result.items, result.distractors)
    assert {item: kinds(reasons) for item, reasons in found.items()} == {
        "attractive": ["option c attracts more high scorers"],
        "miskeyed": ["negative discrimination", "option b attracts more high scorers"],
        "rare": ["too few attempts to judge"],
        "too_easy": ["very easy"],
        "unpicked": ["option d was chosen by nobody"],
    }
    items, table = result.items, result.distractors
    facility = items.loc["too_easy", "facility"]
    assert found["too_easy"] == [f"very easy: facility {facility:.2f} is above 0.90"]
    d = items.loc["miskeyed", "discrimination"]
    assert d < -0.2
    assert found["miskeyed"][0] == f"negative discrimination ({d:.2f}): is the key right?"
    c = table[(table["item_id"] == "attractive") & (table["option_id"] == "c")].iloc[0]
    assert c["upper"] > c["key_upper"] > 0
    assert found["attractive"] == [
        f"option c attracts more high scorers ({c['upper']}) than the key ({c['key_upper']:.0f})"
    ]
    assert found["rare"] == ["too few attempts to judge (10; at least 30)"]


def test_flags_follow_the_thresholds_and_the_minimum_number_of_attempts():
    items = pd.DataFrame(
        {
            "attempts": [40, 40, 40, 40, 40, 29],
            "facility": [0.95, 0.1, 0.5, 0.5, 0.5, 0.99],
            "discrimination": [0.3, 0.3, 0.1, 0.15, float("nan"), -0.5],
        },
        index=pd.Index(["easy", "hard", "weak", "fine", "flat", "few"], name="item_id"),
    )
    assert flags(items, None) == {
        "easy": ["very easy: facility 0.95 is above 0.90"],
        "hard": ["very hard: facility 0.10 is below 0.20"],
        "weak": ["weak discrimination: 0.10 is below 0.15"],
        "flat": ["discrimination undefined: the item's or the rest scores do not vary"],
        "few": ["too few attempts to judge (29; at least 30)"],
    }
    assert flags(items, None, min_attempts=20)["few"] == [
        "very easy: facility 0.99 is above 0.90",
        "negative discrimination (-0.50): is the key right?",
    ]


def test_constant_scores_give_nan_without_a_warning():
    frame = long_form(np.array([[1.0, 0.0, 0.1, 1.0]] * 6), np.ones(4))
    frame.loc[frame["item_id"] == "i03", "score"] = [1.0, 0.0] * 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = item_analysis(frame)
        found = flags(result.items, None, min_attempts=1)
    items = result.items
    # i00 always right, i01 always wrong, i02 always 0.1: nothing to correlate with.
    assert items["facility"].tolist() == pytest.approx([1.0, 0.0, 0.1, 0.5])
    assert items["sd"].tolist()[:3] == [0.0, 0.0, 0.0]
    assert items["discrimination"].isna().all()  # i03's rest score is a constant 1.1
    assert items["discriminative_efficiency"].isna().all()
    assert items["effective_weight"].tolist()[:3] == [0.0, 0.0, 0.0]
    assert result.test.sd == pytest.approx(math.sqrt(0.3))  # totals 3.1 and 2.1 alternate
    assert found["i00"][0] == "very easy: facility 1.00 is above 0.90"


def test_identical_totals_leave_alpha_and_the_shape_undefined_without_a_warning():
    frame = long_form(np.array([[1.0, 0.0], [0.0, 1.0]] * 3), np.ones(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        test = item_analysis(frame).test
    assert test.sd == 0.0
    assert all(math.isnan(v) for v in (test.alpha, test.sem, test.skewness, test.kurtosis))


def test_an_item_seen_once_and_an_empty_set_do_not_crash():
    frame = pd.DataFrame(
        {"attempt_id": [1, 1, 2], "item_id": ["p", "q", "p"], "score": [1, 0, 0], "max_score": 1}
    )
    items = item_analysis(frame).items
    assert items.loc["q", "attempts"] == 1
    assert math.isnan(items.loc["q", "sd"]) and math.isnan(items.loc["q", "effective_weight"])
    empty = item_analysis(frame.iloc[:0])
    assert empty.items.empty and empty.test.attempts == 0 and math.isnan(empty.test.alpha)


def test_item_ids_may_be_any_hashable_such_as_question_versions():
    frame = tiny().assign(item_id=lambda f: [(7, i) for i in f["item_id"]])
    result = item_analysis(frame, guess={(7, "q2"): 0.25})
    assert result.items.loc[[(7, "q2")], "random_guess"].tolist() == [0.25]
    assert set(result.distractors["item_id"]) == {(7, "q2")}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="max_score"), "lack the columns"),
        (lambda f: pd.concat([f, f.iloc[:1]]), "more than once"),
        (lambda f: f.assign(max_score=[1] * 19 + [2]), "different max_score"),
        (lambda f: f.assign(score=[None] + [1] * 19), "needs an attempt_id"),
    ],
)
def test_malformed_responses_are_refused_with_a_reason(change, message):
    with pytest.raises(ValueError, match=message):
        item_analysis(change(tiny()))
