"""gunicorn settings, read from the working directory: each worker warms its caches before
it takes requests, so a burst of learners starting exams does not pay for loading them."""

from __future__ import annotations

import os
from typing import Any

# One worker per core by default (WEB_CONCURRENCY overrides it). A start, a submit or a
# page is CPU work in Python; with the database on the same machine its backends need
# the same cores, and more workers than cores only make each request wait its turn
# longer: 50 mock starts at once on 2 cores with PostgreSQL reached p95 267 ms with 2
# workers, 336 ms with 3 and 366-386 ms with 4 (bench/bench_exam_load.py, docs/exams.md).
# With the database on its own machine, requests wait on it more: try 2 per core.
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)


def post_worker_init(worker: Any) -> None:
    """Warm the exam caches (published pool, prepared blueprints, question records)."""
    from app.services.attempts import warm_caches

    try:
        with worker.wsgi.app_context():
            warm_caches()
    except Exception:  # a cold cache is only slower: serve anyway, and say why
        worker.log.exception("warming the exam caches failed; they will load on first use")
