"""The organization page on a kept bench database (`bench_readiness.py --load-child URL`).

Times `organization_report` for every scheme, for one scheme, and for five teams, after
the calibration (timed apart: it is kept per process), each run computed afresh; then the
page (computed), the page again and an XLSX export (both from the kept report) through
the test client as an admin (an admin account is added to the database).

    .venv/bin/python bench/bench_organization.py URL [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import select


def main() -> None:
    """Print the timings."""
    from app import create_app
    from app.analytics import organization as org
    from app.analytics.calibration import calibrations
    from app.extensions import db
    from app.models import SYSTEM, Role, Team, User
    from app.models.base import utcnow
    from app.services import users

    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.url is None:  # `make bench` runs every script without arguments
        print("bench_organization: skipped, it needs the URL of a database kept by")
        print("  bench/bench_readiness.py --load-child URL (see docs/readiness.md)")
        return
    config = {"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    app = create_app(config)
    with app.app_context():
        started = time.perf_counter()
        calibrations(utcnow())
        print(f"calibration (first run, then kept) {time.perf_counter() - started:.2f} s")
        teams = db.session.scalars(select(Team.id).order_by(Team.id)).all()[:5]
        cases = {
            "every team, every scheme": {},
            "every team, foundation": {"scheme_code": "foundation"},
            "five teams, every scheme": {"team_ids": teams},
        }
        for label, filters in cases.items():
            runs = []
            for _ in range(args.repeat):
                org.forget()  # each run computes (the page keeps its reports for a while)
                started = time.perf_counter()
                report = org.organization_report(utcnow(), **filters)
                runs.append(time.perf_counter() - started)
            people = max((s.people for s in report.schemes), default=0)
            print(
                f"{label:28s} median {statistics.median(runs):6.2f} s "
                f"(runs {', '.join(f'{r:.2f}' for r in runs)}; {people:,} people, "
                f"{len(report.teams)} rows)"
            )
        email = "bench-admin@clausewise.example"
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            users.create_user(SYSTEM, email, "Bench Admin", "bench-password-42!", {Role.ADMIN})
        org.forget()
    client = app.test_client()
    client.post("/login", data={"email": email, "password": "bench-password-42!"})
    # The page computes; a reload and the export reuse the kept report.
    for path in ("/admin/organization", "/admin/organization", "/admin/organization/all.xlsx"):
        started = time.perf_counter()
        response = client.get(path)
        took = time.perf_counter() - started
        print(f"GET {path:30s} {response.status_code} {took:6.2f} s {len(response.data):,} bytes")


if __name__ == "__main__":
    main()
