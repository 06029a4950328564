"""Readiness validation: the model against the truth on simulated cohorts (issue 16).

For each cohort of `bench/cohorts.py` (different generating assumptions: stable,
improving and forgetting learners, heterogeneous sections, uneven practice, mocks with
practice, mislabelled difficulty, many small and a few large sections) this runs
`readiness(answers, blueprint, now)` as the app does (the half-life fitted on held-out
answers unless --half-life is given) and reports:

- coverage: the share of learners with at least 40 answers who get a forecast
  (status not "insufficient"). Target ≥ 0.80.
- Brier: expected Brier score against the TRUE pass chance t, E[(p − Y)²] with
  Y ~ Bernoulli(t), i.e. the mean of (p − t)² + t(1 − t); the same against one
  simulated sitting is shown too (noisier). Each naive rule is scored on the learners the
  model forecasts (and the rule covers: "last mock" only where a mock was sat), the model
  on the same learners; the ratio is model / rule for the rule that comes closest (the
  largest ratio). Target ≤ 0.80. `floor` is the oracle's Brier (p = t), the part no
  forecast can remove, and `oracle` its ratio to the same rule.
- calibration: forecast learners in ten equal groups by p_pass (quantile deciles), mean
  prediction against mean TRUE pass chance in each; the worst gap. Target ≤ 0.08.
- interval: the share of forecast learners whose true pass chance lies in
  [p_low, p_high] (the model's 10–90 % range), with the shares below and above. Target
  0.80 ± 0.05. The ends are not widened (beyond float noise): many learners' chances lie
  within 0.001 of 0 or 1, and a tolerance of 0.001 would count nearly all of them in
  whatever their range, which lifted even a correct posterior's coverage to 0.85.
- seconds: the `readiness` call (half-life fit included).
- ideal (with --ideal, for the cohorts whose abilities do not change): the Brier ratio of
  the Bayes forecast that knows the true ability distribution and item difficulties
  (`bench/ideal.py`), scored like the model: how low the ratio can go on these answers;
  and how often its own posterior 10–90 % range holds the truth (0.80 up to noise, as
  a check of the harness).

    PYTHONPATH=. .venv/bin/python bench/readiness_validation.py [--cohort NAME ...]
        [--learners 1200] [--seed 1] [--half-life DAYS] [--ideal] [--json] [--check]

--check exits 1 when any cohort misses any target. --json prints the figures as JSON
instead of the tables.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.analytics.readiness import Forgetting, fit_forgetting, readiness  # noqa: E402
from bench.cohorts import COHORTS, Cohort, generate  # noqa: E402
from bench.ideal import ideal_forecast  # noqa: E402

COVERAGE_ANSWERS = 40
TARGET_COVERAGE = 0.80
TARGET_RATIO = 0.80
TARGET_DECILE = 0.08
TARGET_INTERVAL = (0.75, 0.85)
INTERVAL_TOLERANCE = 1e-9  # float noise only (module docstring)
GROUPS = 10
IDEAL_DRAWS = 200  # posterior draws per learner for the ideal forecaster's range
RULE_NAMES = {
    "share_rule": "share right ≥ pass mark",
    "share_chance": "binomial at share right",
    "last_mock": "last mock passed",
}


# --- Metrics -------------------------------------------------------------------------


def expected_brier(predicted: np.ndarray, truth: np.ndarray) -> float:
    """Mean over learners of E[(p − Y)²], Y ~ Bernoulli(t): (p − t)² + t(1 − t)."""
    p, t = np.asarray(predicted, float), np.asarray(truth, float)
    if not len(p):
        return math.nan
    return float(np.mean((p - t) ** 2 + t * (1 - t)))


def brier(predicted: np.ndarray, outcome: np.ndarray) -> float:
    """Mean of (p − y)² against observed 0/1 outcomes."""
    p, y = np.asarray(predicted, float), np.asarray(outcome, float)
    return float(np.mean((p - y) ** 2)) if len(p) else math.nan


def quantile_deciles(
    predicted: np.ndarray, truth: np.ndarray, groups: int = GROUPS
) -> pd.DataFrame:
    """Learners in `groups` equal-sized groups by prediction (ties kept in input order):
    per group the count, the range and mean of the predictions, the mean truth, and
    gap = truth − predicted."""
    p, t = np.asarray(predicted, float), np.asarray(truth, float)
    order = np.argsort(p, kind="stable")
    rows = []
    for number, part in enumerate(np.array_split(order, groups), start=1):
        if not len(part):
            continue
        rows.append(
            {
                "decile": number,
                "learners": len(part),
                "low": float(p[part].min()),
                "high": float(p[part].max()),
                "predicted": float(p[part].mean()),
                "truth": float(t[part].mean()),
            }
        )
    table = pd.DataFrame(rows, columns=["decile", "learners", "low", "high", "predicted", "truth"])
    return table.assign(gap=table["truth"] - table["predicted"])


def worst_gap(deciles: pd.DataFrame) -> float:
    """The largest |truth − predicted| over the groups (NaN without any)."""
    return float(deciles["gap"].abs().max()) if len(deciles) else math.nan


def interval_coverage(
    low: np.ndarray, high: np.ndarray, truth: np.ndarray, tolerance: float = INTERVAL_TOLERANCE
) -> dict[str, float]:
    """Shares of learners whose truth lies inside [low − tol, high + tol], below, above."""
    lo, hi, t = (np.asarray(a, float) for a in (low, high, truth))
    if not len(t):
        return {"inside": math.nan, "below": math.nan, "above": math.nan}
    below = t < lo - tolerance
    above = t > hi + tolerance
    return {
        "inside": float(np.mean(~below & ~above)),
        "below": float(np.mean(below)),
        "above": float(np.mean(above)),
    }


def coverage(forecast: np.ndarray, answers: np.ndarray, minimum: int = COVERAGE_ANSWERS) -> float:
    """Share of learners with at least `minimum` answers who get a forecast."""
    eligible = np.asarray(answers) >= minimum
    return float(np.asarray(forecast)[eligible].mean()) if eligible.any() else math.nan


# --- One cohort ----------------------------------------------------------------------


def evaluate(
    cohort: Cohort, half_life_days: float | None = None, ideal: bool = False
) -> dict[str, Any]:
    """Run the model on `cohort` and compute every figure (module docstring); with
    `ideal`, the ideal forecaster's too where the cohort has a constant-ability prior."""
    started = time.perf_counter()
    table = readiness(cohort.answers, cohort.blueprint, cohort.now, half_life_days=half_life_days)
    seconds = time.perf_counter() - started
    chosen, trend, repeat_weight = (
        fit_forgetting(cohort.answers, cohort.blueprint, cohort.now)
        if half_life_days is None
        else Forgetting(half_life_days, 0.0)
    )
    table = table.set_index("learner_id").reindex(cohort.learners.index)
    people = cohort.learners
    forecast = ((table["status"] != "insufficient") & table["p_pass"].notna()).to_numpy()
    f = people[forecast]
    p = table["p_pass"].to_numpy(float)[forecast]
    low = table["p_low"].to_numpy(float)[forecast]
    high = table["p_high"].to_numpy(float)[forecast]
    t = f["true_pass"].to_numpy(float)
    y = f["outcome"].to_numpy(float)
    model = expected_brier(p, t)
    best = low_best = high_best = None
    if ideal and cohort.prior is not None:
        found = ideal_forecast(cohort, draws=IDEAL_DRAWS)
        assert found.p_low is not None and found.p_high is not None
        best = found.p_pass[forecast]
        low_best, high_best = found.p_low[forecast], found.p_high[forecast]
    rules = {}
    for rule in cohort.rules:
        values = f[rule].to_numpy(float)
        has = ~np.isnan(values)
        rule_brier = expected_brier(values[has], t[has])
        model_here = expected_brier(p[has], t[has])
        floor = expected_brier(t[has], t[has])
        rules[rule] = {
            "learners": int(has.sum()),
            "brier": rule_brier,
            "model_brier": model_here,
            "ratio": model_here / rule_brier if rule_brier > 0 else math.nan,
            "oracle_ratio": floor / rule_brier if rule_brier > 0 else math.nan,
            "observed_brier": brier(values[has], y[has]),
            "model_observed_brier": brier(p[has], y[has]),
        }
        if best is not None:
            rules[rule]["ideal_ratio"] = expected_brier(best[has], t[has]) / rule_brier
    binding = max(rules, key=lambda r: rules[r]["ratio"]) if rules and len(p) else None
    deciles = quantile_deciles(p, t)
    interval = interval_coverage(low, high, t)
    result: dict[str, Any] = {
        "cohort": cohort.name,
        "description": cohort.description,
        "learners": len(people),
        "answers": len(cohort.answers),
        "half_life_days": chosen,
        "trend_per_day": trend,
        "repeat_weight": repeat_weight,
        "seconds": seconds,
        "true_pass_rate": float(people["true_pass"].mean()),
        "forecast": int(forecast.sum()),
        "eligible": int((people["answers"] >= COVERAGE_ANSWERS).sum()),
        "coverage": coverage(forecast, people["answers"].to_numpy()),
        "brier": model,
        "observed_brier": brier(p, y),
        "floor": expected_brier(t, t),
        "mean_predicted": float(p.mean()) if len(p) else math.nan,
        "mean_truth": float(t.mean()) if len(t) else math.nan,
        "rules": rules,
        "best_rule": binding,
        "best_naive_brier": rules[binding]["brier"] if binding else math.nan,
        "ratio": rules[binding]["ratio"] if binding else math.nan,
        "deciles": deciles.to_dict("records"),
        "worst_gap": worst_gap(deciles),
        "interval": interval,
        "interval_width": float(np.median(high - low)) if len(p) else math.nan,
        "groups": breakdown(f, p, low, high),
        "ideal": None,
    }
    if best is not None and binding:
        result["ideal"] = {
            "brier": expected_brier(best, t),
            "ratio": rules[binding]["ideal_ratio"],
            "worst_gap": worst_gap(quantile_deciles(best, t)),
            "interval": interval_coverage(low_best, high_best, t),
        }
    result["targets"] = targets(result)
    return result


def breakdown(
    f: pd.DataFrame, p: np.ndarray, low: np.ndarray, high: np.ndarray
) -> list[dict[str, Any]]:
    """Bias, interval coverage and width by amount of evidence and by idleness."""
    answers = f["answers"].to_numpy()
    idle = f["idle_days"].to_numpy()
    t = f["true_pass"].to_numpy(float)
    masks = {
        "answers < 40": answers < 40,
        "answers 40–119": (answers >= 40) & (answers < 120),
        "answers ≥ 120": answers >= 120,
        "idle ≤ 7 days": idle <= 7,
        "idle 7–21 days": (idle > 7) & (idle <= 21),
        "idle > 21 days": idle > 21,
    }
    rows = []
    for name, mask in masks.items():
        if not mask.any():
            continue
        inside = interval_coverage(low[mask], high[mask], t[mask])
        rows.append(
            {
                "group": name,
                "learners": int(mask.sum()),
                "bias": float(np.mean(p[mask] - t[mask])),
                "rmse": float(np.sqrt(np.mean((p[mask] - t[mask]) ** 2))),
                "inside": inside["inside"],
                "below": inside["below"],
                "above": inside["above"],
                "width": float(np.median(high[mask] - low[mask])),
            }
        )
    return rows


def targets(result: dict[str, Any]) -> dict[str, bool]:
    """Each target met (NaN figures fail)."""
    low, high = TARGET_INTERVAL
    inside = result["interval"]["inside"]
    return {
        "coverage": bool(result["coverage"] >= TARGET_COVERAGE),
        "brier": bool(result["ratio"] <= TARGET_RATIO),
        "calibration": bool(result["worst_gap"] <= TARGET_DECILE),
        "interval": bool(low <= inside <= high),
    }


# --- Output --------------------------------------------------------------------------


def _mark(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(result: dict[str, Any]) -> str:
    """The tables of one cohort, as text."""
    r = result
    ok = r["targets"]
    lines = [
        f"== {r['cohort']} ==",
        r["description"],
        f"{r['learners']} learners, {r['answers']:,} answers, true pass rate "
        f"{r['true_pass_rate']:.3f}; half-life {r['half_life_days']:g} days, "
        f"trend {r['trend_per_day']:+.3f} logits/day; repeat weight "
        f"{r['repeat_weight']:g}; "
        f"{r['seconds']:.1f} s",
        f"coverage    {r['coverage']:.3f} ({r['eligible']} learners with ≥ "
        f"{COVERAGE_ANSWERS} answers; {r['forecast']} forecast in all)   "
        f"target ≥ {TARGET_COVERAGE:.2f} {_mark(ok['coverage'])}",
        f"bias        mean p_pass {r['mean_predicted']:.3f}, mean true chance "
        f"{r['mean_truth']:.3f}",
        "Brier (expected, against the true chance; observed: one sitting today)",
        f"  {'':26s} {'learners':>8s} {'rule':>7s} {'model':>7s} {'ratio':>6s} "
        f"{'oracle':>6s} {'rule obs':>8s} {'model obs':>9s}",
    ]
    for rule, x in r["rules"].items():
        lines.append(
            f"  {RULE_NAMES.get(rule, rule):26s} {x['learners']:8d} {x['brier']:7.4f} "
            f"{x['model_brier']:7.4f} {x['ratio']:6.3f} {x['oracle_ratio']:6.3f} "
            f"{x['observed_brier']:8.4f} {x['model_observed_brier']:9.4f}"
        )
    lines.append(
        f"  model {r['brier']:.4f} (floor {r['floor']:.4f}, observed {r['observed_brier']:.4f});"
        f" ratio to the closest rule {r['ratio']:.3f}   target ≤ {TARGET_RATIO:.2f} "
        f"{_mark(ok['brier'])}"
    )
    if r["ideal"]:
        x = r["ideal"]
        lines.append(
            f"  ideal forecaster (true prior and item difficulties): Brier {x['brier']:.4f},"
            f" ratio {x['ratio']:.3f}, worst decile {x['worst_gap']:.3f}, its own 10–90 "
            f"range holds the truth {x['interval']['inside']:.3f}"
        )
    lines.append("Calibration by quantile deciles of p_pass (truth: mean true pass chance)")
    lines.append(
        f"  {'decile':>6s} {'learners':>8s} {'p range':>13s} {'predicted':>9s} "
        f"{'truth':>7s} {'gap':>7s}"
    )
    for d in r["deciles"]:
        lines.append(
            f"  {d['decile']:6d} {d['learners']:8d} {d['low']:6.3f}–{d['high']:6.3f} "
            f"{d['predicted']:9.3f} {d['truth']:7.3f} {d['gap']:+7.3f}"
        )
    lines.append(
        f"  worst gap {r['worst_gap']:.3f}   target ≤ {TARGET_DECILE:.2f} "
        f"{_mark(ok['calibration'])}"
    )
    i = r["interval"]
    lines.append(
        f"interval    truth in [p_low, p_high] {i['inside']:.3f} (below {i['below']:.3f}, "
        f"above {i['above']:.3f}; median width {r['interval_width']:.3f})   target "
        f"{TARGET_INTERVAL[0]:.2f}–{TARGET_INTERVAL[1]:.2f} {_mark(ok['interval'])}"
    )
    lines.append("By group (bias = mean p_pass − truth)")
    lines.append(
        f"  {'group':16s} {'learners':>8s} {'bias':>7s} {'rmse':>6s} {'inside':>6s} "
        f"{'below':>6s} {'above':>6s} {'width':>6s}"
    )
    for g in r["groups"]:
        lines.append(
            f"  {g['group']:16s} {g['learners']:8d} {g['bias']:+7.3f} {g['rmse']:6.3f} "
            f"{g['inside']:6.3f} {g['below']:6.3f} {g['above']:6.3f} {g['width']:6.3f}"
        )
    return "\n".join(lines)


def summary(results: list[dict[str, Any]]) -> str:
    """One line per cohort with the four targets."""
    head = (
        f"{'cohort':24s} {'coverage':>8s} {'Brier':>7s} {'naive':>7s} {'ratio':>6s} "
        f"{'decile':>6s} {'inside':>6s} {'secs':>5s} {'ideal':>5s}  targets"
    )
    lines = ["== summary ==", head]
    for r in results:
        ok = r["targets"]
        verdict = " ".join(f"{k} {_mark(v)}" for k, v in ok.items())
        ideal = f"{r['ideal']['ratio']:5.3f}" if r["ideal"] else f"{'–':>5s}"
        lines.append(
            f"{r['cohort']:24s} {r['coverage']:8.3f} {r['brier']:7.4f} "
            f"{r['best_naive_brier']:7.4f} {r['ratio']:6.3f} {r['worst_gap']:6.3f} "
            f"{r['interval']['inside']:6.3f} {r['seconds']:5.1f} {ideal}  {verdict}"
        )
    failed = sum(not all(r["targets"].values()) for r in results)
    lines.append(
        f"{len(results) - failed} of {len(results)} cohorts meet every target "
        f"(coverage ≥ {TARGET_COVERAGE:.2f}, Brier ratio ≤ {TARGET_RATIO:.2f}, worst "
        f"decile ≤ {TARGET_DECILE:.2f}, interval {TARGET_INTERVAL[0]:.2f}–"
        f"{TARGET_INTERVAL[1]:.2f})"
    )
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    """JSON-ready: NaN as null, infinities as "inf" / "-inf"."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        return float(value) if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, np.integer):
        return int(value)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cohort",
        action="append",
        choices=list(COHORTS),
        metavar="NAME",
        help=f"run only these cohorts (repeatable): {', '.join(COHORTS)}",
    )
    parser.add_argument("--learners", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--half-life",
        type=float,
        default=None,
        metavar="DAYS",
        help="fix the half-life (inf: no decay) instead of fitting it",
    )
    parser.add_argument(
        "--ideal",
        action="store_true",
        help="also score the ideal forecaster (bench/ideal.py) where abilities are constant",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    results = []
    for name in args.cohort or list(COHORTS):
        cohort = generate(name, args.learners, args.seed)
        result = evaluate(cohort, args.half_life, args.ideal)
        results.append(result)
        if not args.json:
            print(report(result), end="\n\n", flush=True)
    if args.json:
        document = {
            "learners": args.learners,
            "seed": args.seed,
            "targets": {
                "coverage": TARGET_COVERAGE,
                "brier_ratio": TARGET_RATIO,
                "worst_decile": TARGET_DECILE,
                "interval": list(TARGET_INTERVAL),
            },
            "cohorts": results,
        }
        print(json.dumps(_plain(document), indent=2, ensure_ascii=False))
    else:
        print(summary(results))
    missed = any(not all(r["targets"].values()) for r in results)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
