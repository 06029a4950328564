"""The readiness backtest on a generated database of about 2,000 mock exams.

A child process loads a fresh SQLite file with `bench_readiness.py --load-child` (the
same generated bank, people and attempts, at a smaller size: 300 learners with 20 closed
attempts each, about 35% of them mocks, so about 2,100 mocks over the three bundled
schemes, and 240,000 graded answers). This process then times the backtest of every
scheme as the page runs it, `scheme_backtest` (the closed mocks, the learners' answers,
the platform calibration, one batched `readiness` call), split into its steps:

- calibration: `calibrations(now)`, kept per process (the pages share it), timed apart;
- mocks: `scheme_mocks`, the scheme's closed mocks;
- answers: `answer_frame` of the learners of the mocks considered;
- model: `backtest` (pseudo-learner rows, the readiness call, bands and scores).

Target: every scheme's backtest (after the calibration) under TARGET_S, median of
--repeat runs. It also prints each scheme's counts, Brier scores and the reliability
bands, and fails when no mock was predicted, so a fast but empty run cannot pass.

    .venv/bin/python bench/bench_backtest.py [--learners 300] [--attempts 20]
        [--length 40] [--questions 1500] [--repeat 3] [--keep PATH]

`--keep PATH` keeps the generated SQLite file (to look at the page on it).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S = 3.0  # per scheme, after the calibration: an admin page that may take a moment
SCHEMES = ("foundation", "practitioner", "auditor")


def load(url: str, args: argparse.Namespace) -> None:
    """Generate the database in a child process (bench_readiness's loader)."""
    sizes = ["--learners", str(args.learners), "--attempts", str(args.attempts)]
    sizes += ["--length", str(args.length), "--questions", str(args.questions)]
    sizes += ["--team-size", str(min(50, args.learners))]
    loader = ROOT / "bench" / "bench_readiness.py"
    child = subprocess.run([sys.executable, str(loader), "--load-child", url, *sizes], check=False)
    if child.returncode != 0:
        raise SystemExit(f"loading the database failed (exit {child.returncode})")


def measure(url: str, repeat: int) -> bool:
    """Time each scheme's backtest; print the figures; True when every target is met."""
    from sqlalchemy import select

    from app import create_app
    from app.analytics import backtest as maths
    from app.analytics import backtest_report
    from app.analytics.answers import answer_frame
    from app.analytics.calibration import calibrations
    from app.extensions import db
    from app.models import Scheme
    from app.models.base import utcnow

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    ok = True
    with app.app_context():
        now = utcnow()
        started = time.perf_counter()
        fits = calibrations(now)
        print(f"  calibration {time.perf_counter() - started:.2f} s (once per process)")
        for code in SCHEMES:
            scheme = db.session.scalars(select(Scheme).where(Scheme.code == code)).one()
            runs: list[dict[str, float]] = []
            for _ in range(repeat):
                steps: dict[str, float] = {}
                begun = time.perf_counter()
                mocks = backtest_report.scheme_mocks(scheme.id)
                steps["mocks"] = time.perf_counter() - begun
                chosen = maths.most_recent(mocks[mocks["passed"].notna()], maths.MAX_MOCKS)
                learners = sorted(int(i) for i in chosen["learner_id"].unique())
                latest = chosen["started_at"].max().to_pydatetime()
                answers = answer_frame(learners, before=latest)
                steps["answers"] = time.perf_counter() - begun - steps["mocks"]
                fit = fits[code]
                result = maths.backtest(
                    answers,
                    mocks,
                    scheme.exam_blueprint,
                    half_life_days=fit.half_life_days,
                    population=fit.population,
                )
                steps["total"] = time.perf_counter() - begun
                steps["model"] = steps["total"] - steps["mocks"] - steps["answers"]
                runs.append(steps)
            again = time.perf_counter()
            same = backtest_report.scheme_backtest(scheme, now)  # the page's own call
            page_s = time.perf_counter() - again
            ok = report(code, runs, result, len(answers), page_s) and ok
            ok = ok and same.counts == result.counts
    return ok


def report(
    code: str, runs: list[dict[str, float]], result: Any, answers: int, page_s: float
) -> bool:
    """Print one scheme's figures; True when it met the target and predicted something."""

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    counts, scores = result.counts, result.brier
    met = median("total") < TARGET_S and counts.predicted > 0
    print(
        f"  {code:<12} median {median('total'):5.2f} s  {'OK' if met else 'MISSED TARGET'} "
        f"(target < {TARGET_S:g} s; as the page calls it {page_s:.2f} s)\n"
        f"    mocks {median('mocks'):.3f} s, answers {median('answers'):.2f} s "
        f"({answers:,} rows), model {median('model'):.2f} s\n"
        f"    {counts.mocks:,} closed mocks with a result, {counts.considered:,} considered "
        f"(cap {counts.limit:,}), {counts.predicted:,} predicted, {counts.insufficient:,} "
        f"without enough evidence; half-life {result.half_life_days:g} days\n"
        f"    Brier: model {scores.model:.3f}, base rate {scores.base_rate:.3f} (rate "
        f"{scores.rate:.2f}); previous mock {scores.previous:.3f} against the model's "
        f"{scores.model_on_previous:.3f} on the {scores.with_previous:,} mocks with one"
    )
    for band in result.bands.itertuples():
        if band.mocks:
            print(
                f"      {band.low:4.0%}–{band.high:4.0%}: {band.mocks:5,} mocks, predicted "
                f"{band.mean_predicted:5.1%}, passed {band.observed:5.1%} "
                f"({band.observed_low:5.1%}–{band.observed_high:5.1%})"
            )
    return met


def main() -> None:
    """Load a database, time the backtest on it, exit 1 when a target is missed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--attempts", type=int, default=20, help="per learner")
    parser.add_argument("--length", type=int, default=40, help="items per attempt")
    parser.add_argument("--questions", type=int, default=1_500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="copy the generated SQLite file here")
    args = parser.parse_args()
    print(
        f"bench_backtest on SQLite: {args.learners:,} learners, "
        f"{args.learners * args.attempts:,} attempts (about 35% mocks), "
        f"{args.learners * args.attempts * args.length:,} answers",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "backtest.sqlite"
        load(f"sqlite:///{path}", args)
        ok = measure(f"sqlite:///{path}", args.repeat)
        if args.keep:
            shutil.copyfile(path, args.keep)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
