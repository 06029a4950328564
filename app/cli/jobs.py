"""`flask jobs worker` runs queued jobs; `flask jobs sweep` sends again what is due."""

from __future__ import annotations

import logging
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import SimpleWorker

from app.services import job_queue, job_runner

log = logging.getLogger(__name__)


@click.group("jobs")
def jobs_cli() -> None:
    """The background job queue (JOB_QUEUE_URL)."""


def _require_queue() -> None:
    if not current_app.config.get("JOB_QUEUE_URL"):
        raise click.ClickException(
            "JOB_QUEUE_URL is not set: without a queue, tasks run inline and no worker is "
            "needed. Set it to a Redis URL (redis://host:6379/0) to run jobs in workers."
        )


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued, then stop (tests, cron).")
@click.option("--sweep-every", "-s", default=5.0, show_default=True, help="Seconds between sweeps.")
@with_appcontext
def worker_command(burst: bool, sweep_every: float) -> None:
    """Run jobs from the queue; also sweeps: sends due retries and lost jobs again."""
    _require_queue()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    job_runner.bind(app)
    stop = threading.Event()

    def sweep_forever() -> None:
        while not stop.wait(sweep_every):
            try:
                with app.app_context():
                    job_queue.sweep()
            except Exception:  # a database or Redis outage: try again next round
                log.exception("job sweep failed")

    job_queue.sweep()
    if not burst:
        threading.Thread(target=sweep_forever, name="job-sweeper", daemon=True).start()
    # SimpleWorker runs each job in this process (no fork): the app, its engine and its
    # connection pool stay valid; run several workers for parallel jobs.
    worker = SimpleWorker([job_queue.queue()], connection=job_queue.redis())
    try:
        worker.work(burst=burst, logging_level="INFO")
    finally:
        stop.set()


@jobs_cli.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Send due retries and lost jobs to the queue once (the worker does this itself)."""
    _require_queue()
    counts = job_queue.sweep()
    click.echo(
        f"Sent {counts['sent']} jobs; {counts['stale']} stopped runs recorded as failed tries; "
        f"{counts['forgotten']} finished jobs forgotten."
    )
