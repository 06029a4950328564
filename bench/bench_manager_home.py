"""The manager's home page with ten teams: how long it takes to build.

A fresh SQLite file gets the reference data and the bundled banks; a manager leads ten
teams of four learners, one of whom sat a Foundation mock, another a practice set, and in
every third team a third sat an Auditor mock. The page is fetched once to warm the process
caches (published pool, blueprints), then timed `--repeat` times through the test client.
Target: median under 2 s (it was a timed unit test; timings belong here, on a quiet
machine).

    .venv/bin/python bench/bench_manager_home.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_S = 2.0


def main() -> None:
    """Build the teams, time the page, print the figures; exit 1 on a missed target."""
    from flask_migrate import upgrade

    from app import create_app
    from app.cli.setup import _load_bundled_banks
    from app.extensions import db
    from app.models import Role
    from app.services.reference import load_reference_data
    from tests.factories import PASSWORD, make_team, make_user, sit_exam

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/manager-home.sqlite"
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
        )
        with app.app_context():
            upgrade()
            load_reference_data(ROOT / "question_banks")
            _load_bundled_banks()
            manager = make_user(role=Role.MANAGER)
            for k in range(10):
                people = [make_user(role=Role.LEARNER) for _ in range(4)]
                make_team(manager, f"Team {k}", people)
                sit_exam(people[0], right=True)
                sit_exam(people[1], right=True, mode="practice", count=10)
                if k % 3 == 0:
                    sit_exam(people[2], "auditor", right=True)
            email = manager.email
            db.session.remove()
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        page = client.get("/manage/")  # warms the caches
        assert page.status_code == 200 and page.get_data(as_text=True).count("cw-glance") == 10
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get("/manage/")
            runs.append(time.perf_counter() - started)
        with app.app_context():
            db.engine.dispose()
    median = statistics.median(runs)
    verdict = "pass" if median < TARGET_S else "FAIL"
    print(
        f"manager home, 10 teams: median {median:.2f} s "
        f"(runs {', '.join(f'{r:.2f}' for r in runs)}; target < {TARGET_S:.0f} s: {verdict})"
    )
    if median >= TARGET_S:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
