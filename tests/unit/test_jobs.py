"""The task seam: registration and inline runs (the queue is tested with Redis)."""

import logging

import pytest

from app.services import jobs


def test_enqueue_runs_a_registered_task_inline_with_its_arguments():
    seen = []

    @jobs.task("test.record")
    def record(value: int) -> None:
        seen.append(value)

    jobs.enqueue("test.record", value=3)
    assert seen == [3]


def test_a_failing_inline_task_is_logged_not_raised(caplog):
    @jobs.task("test.fails")
    def fails() -> None:
        raise RuntimeError("mail server down")

    with caplog.at_level(logging.ERROR):
        jobs.enqueue("test.fails")
    assert "task test.fails failed" in caplog.text


def test_unknown_task_and_double_registration_are_errors():
    with pytest.raises(KeyError, match="no task"):
        jobs.enqueue("test.nobody")
    jobs.task("test.once")(print)
    with pytest.raises(ValueError, match="twice"):
        jobs.task("test.once")(len)
