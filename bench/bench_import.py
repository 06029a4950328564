"""Import speed: 10,000-question GIFT and Moodle XML files into a fresh SQLite database.

Targets (issue 3): each import under 10 s and under 500 MB peak memory. Each import runs
in its own process so that its peak resident memory can be measured on its own.

    .venv/bin/python bench/bench_import.py [--questions N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLAUSES = ["4.1", "5.2.1", "6.1", "7.5.3", "8.2.6", "8.5.1.3", "8.6.1", "8.7.3.2", "9.2", "10.1"]


def make_bank(n: int):
    """A synthetic bank of n questions: single choice, multiple response, true/false, short."""
    from app.domain.records import BankRecord, OptionRecord, QuestionRecord

    questions = []
    for i in range(n):
        kind = ("single_choice", "multiple_response", "true_false", "short_answer")[i % 4]
        q = QuestionRecord(
            id=f"b-{i:05d}",
            type=kind,
            stem=f"Synthetic question {i} about clause {CLAUSES[i % 10]}?",
            level="foundation",
            clauses=[CLAUSES[i % 10]],
            difficulty=1 + i % 3,
            explanation=f"Clause {CLAUSES[i % 10]} explains why option a is right for item {i}.",
        )
        if kind == "single_choice":
            q.options = [OptionRecord(k, f"Option {k} of item {i}", k == "a") for k in "abcd"]
        elif kind == "multiple_response":
            q.options = [OptionRecord(k, f"Choice {k} of item {i}", k in "ab") for k in "abcde"]
        elif kind == "true_false":
            q.answer = i % 2 == 0
        else:
            q.answers = [f"answer {i}"]
        questions.append(q)
    return BankRecord(id="bench", title="Benchmark bank", questions=questions)


def child(path: str, db_url: str) -> None:
    """In a fresh process: migrate, load reference data, import the file, print figures."""
    from flask_migrate import upgrade

    from app import create_app
    from app.models import SYSTEM
    from app.services.bank_import import ImportOptions, import_files
    from app.services.reference import load_reference_data

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        load_reference_data(ROOT / "question_banks")
        data = Path(path).read_bytes()
        started = time.perf_counter()
        report = import_files(SYSTEM, [(path, data)], ImportOptions())
        elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    created = sum(f.created for f in report.files)
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "peak_mb": peak_mb,
                "created": created,
                "errors": len(report.errors),
            }
        )
    )


def run(fmt: str, n: int, workdir: Path) -> dict:
    """Write the file in `fmt` and import it in a child process."""
    from app import formats

    path = workdir / f"bench.{'gift' if fmt == 'gift' else 'xml'}"
    path.write_bytes(formats.write_bank(make_bank(n), fmt).data)
    db_url = f"sqlite:///{workdir / (fmt + '.sqlite')}"
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), db_url],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["size_mb"] = path.stat().st_size / 1e6
    return figures


def main() -> None:
    """Run both formats and print a table with the targets."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"bench_import: {args.questions} questions per file, fresh SQLite database each")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("gift", "moodlexml"):
            f = run(fmt, args.questions, Path(tmp))
            ok = f["seconds"] < 10 and f["peak_mb"] < 500 and f["created"] == args.questions
            failed |= not ok
            print(
                f"  {fmt:10} {f['size_mb']:6.1f} MB file  import {f['seconds']:5.2f} s  "
                f"peak {f['peak_mb']:6.0f} MB  created {f['created']}  errors {f['errors']}  "
                f"{'OK' if ok else 'MISSED TARGET'} (target < 10 s, < 500 MB)"
            )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
