"""A real Redis (a database of its own) and real worker processes for the queue tests.

Without Redis the tests skip locally and fail in CI, as the browser tests do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import tests.jobs.tasks  # noqa: F401  (the test tasks exist in this process too)
from tests.jobs.lrs import PASSWORD, USERNAME, Ralph, free_port, require_ralph

REDIS_URL = os.environ.get("TEST_JOBS_REDIS_URL", "redis://127.0.0.1:6379/6")
ROOT = Path(__file__).resolve().parents[2]
HOME_PAGE = "https://clausewise.example"


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of this test's own in the test Redis database; its keys go afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as err:
        client.close()
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {err}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    name = f"cw-test-{uuid.uuid4().hex[:10]}"
    yield name
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)
    client.srem("rq:queues", f"rq:queue:{name}")  # RQ's list of the queues it has seen
    client.close()


@pytest.fixture
def queued_app(app, make_app, queue_name):
    """An app with the queue on (one retry a second later, so three tries in all), its
    context pushed over the test app's."""
    application = make_app(
        JOB_QUEUE_URL=REDIS_URL, JOB_QUEUE_NAME=queue_name, JOB_RETRY_DELAYS=[1, 1]
    )
    with application.app_context():
        yield application
    close_redis(application)


def close_redis(application) -> None:
    """Close the app's Redis client (its socket would be reported unclosed)."""
    client = application.extensions.get("clausewise.jobs", {}).pop("redis", None)
    if client is not None:
        client.close()


def worker_env(db_url: str, queue_name: str, **extra: str) -> dict[str, str]:
    """The environment of a worker process on the test database and queue."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOB_", "XAPI_"))}
    env.update(
        {
            "DATABASE_URL": db_url,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "JOB_QUEUE_URL": REDIS_URL,
            "JOB_QUEUE_NAME": queue_name,
            "JOB_RETRY_DELAYS": "1,1",
            "PYTHONPATH": str(ROOT),
            **extra,
        }
    )
    return env


@pytest.fixture
def run_worker(db_url: str, queue_name: str, tmp_path) -> Callable[..., str]:
    """Run `flask jobs worker --burst` in a process of its own; returns its output."""

    def run(**extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tests.jobs.worker", "jobs", "worker", "--burst"],
            cwd=tmp_path,
            env=worker_env(db_url, queue_name, **extra),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    return run


@pytest.fixture
def ralph(tmp_path) -> Iterator[Ralph]:
    """A Ralph LRS on a free port, not started yet (a test may start it late)."""
    require_ralph()
    lrs = Ralph(tmp_path / "ralph", free_port())
    yield lrs
    lrs.stop()


@pytest.fixture
def xapi_env(ralph: Ralph) -> dict[str, str]:
    """The worker settings that send statements to `ralph`."""
    return {
        "XAPI_ENDPOINT": ralph.endpoint,
        "XAPI_USERNAME": USERNAME,
        "XAPI_PASSWORD": PASSWORD,
        "XAPI_HOME_PAGE": HOME_PAGE,
    }


@pytest.fixture
def xapi_app(app, make_app, queue_name, xapi_env):
    """An app that queues xAPI statements (the worker sends them)."""
    application = make_app(
        JOB_QUEUE_URL=REDIS_URL,
        JOB_QUEUE_NAME=queue_name,
        JOB_RETRY_DELAYS=[1, 1],
        XAPI_ENDPOINT=xapi_env["XAPI_ENDPOINT"],
        XAPI_HOME_PAGE=HOME_PAGE,
    )
    with application.app_context():
        yield application
    close_redis(application)
