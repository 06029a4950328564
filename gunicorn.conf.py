"""gunicorn settings, read from the working directory: each worker warms its caches before
it takes requests, so a burst of learners starting exams does not pay for loading them."""

from __future__ import annotations

from typing import Any


def post_worker_init(worker: Any) -> None:
    """Warm the exam caches (published pool, prepared blueprints, question records)."""
    from app.services.attempts import warm_caches

    try:
        with worker.wsgi.app_context():
            warm_caches()
    except Exception:  # a cold cache is only slower: serve anyway, and say why
        worker.log.exception("warming the exam caches failed; they will load on first use")
