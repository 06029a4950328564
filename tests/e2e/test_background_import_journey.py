"""A trainer imports a bank while a job queue is on: the browser shows the job waiting
for a worker with its progress bar, then (the page polls, static/job_progress.js)
the dry run's report as soon as a real worker process has run it; "Import now" runs the
import itself as a second job, followed the same way."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app import create_app
from app.models import Role
from tests.conftest import app_config, dispose_engines
from tests.e2e.conftest import EVERY_TYPE_BANK, screenshot, sign_in
from tests.jobs.conftest import REDIS_URL, ROOT, close_redis, queue_name, worker_env  # noqa: F401


@pytest.fixture
def queued_server(db_url: str, queue_name: str, tmp_path) -> Iterator[str]:  # noqa: F811
    """The app with CSRF and a job queue on, served on a free local port."""
    application = create_app(
        app_config(
            db_url,
            WTF_CSRF_ENABLED=True,
            INSTANCE_PATH=str(tmp_path),
            JOB_QUEUE_URL=REDIS_URL,
            JOB_QUEUE_NAME=queue_name,
        )
    )
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    close_redis(application)
    dispose_engines(application)


@pytest.fixture
def start_worker(db_url: str, queue_name: str) -> Iterator[object]:  # noqa: F811
    """Start `flask --app wsgi jobs worker` (it runs until the test ends)."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        started.append(
            subprocess.Popen(
                [*(sys.executable, "-m", "flask", "--app", "wsgi"), *("jobs", "worker", "-s", "1")],
                cwd=ROOT,
                env=worker_env(db_url, queue_name),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def test_an_import_is_followed_in_the_browser_while_a_worker_runs_it(
    page, queued_server, start_worker, make_user, reference, tmp_path
):
    trainer = make_user(role=Role.TRAINER)
    bank_file = tmp_path / "every-type.yaml"
    bank_file.write_text(EVERY_TYPE_BANK)
    sign_in(page, queued_server, trainer.email)
    page.goto(f"{queued_server}/train/import")
    page.get_by_label("Bank files").set_input_files(str(bank_file))
    page.get_by_role("button", name="Check files").click()
    page.wait_for_url(f"{queued_server}/train/jobs/*")
    expect(page.get_by_role("status")).to_have_text("Waiting for a worker to start it…")
    expect(page.get_by_label("Steps done")).to_be_visible()
    screenshot(page, "import-job-waiting")

    start_worker()  # the page notices the job finish and shows its report
    page.get_by_text("Checked: no errors").wait_for(timeout=60_000)
    assert "every-type.yaml → bank every-type: 8 new, 0 changed, 0 unchanged" in page.content()
    screenshot(page, "import-job-checked")

    page.get_by_role("button", name="Import now").click()
    page.get_by_text("Imported: 8 new and 0 changed questions.").wait_for(timeout=60_000)
    screenshot(page, "import-job-imported")
