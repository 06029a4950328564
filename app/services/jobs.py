"""Background work: named tasks, queued on Redis when a queue is configured, else run
at once in the calling process.

A task is a plain function of JSON-able keyword arguments, registered under a stable
name with `@task("mail.send")`; callers never import a worker. `enqueue` is the one way
to start work that may wait: sending e-mail, xAPI statements, long imports and exports.
Without `JOB_QUEUE_URL` (the default, so `make run` needs nothing but Python) the task
runs inline, and its failure is logged and kept from the caller, as a queued task's
would be.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Task = Callable[..., Any]
_TASKS: dict[str, Task] = {}


def task(name: str) -> Callable[[Task], Task]:
    """Register a function as the task `name` (once; a second registration is a bug)."""

    def register(function: Task) -> Task:
        if name in _TASKS and _TASKS[name] is not function:
            raise ValueError(f"task {name!r} is registered twice")
        _TASKS[name] = function
        return function

    return register


def registered(name: str) -> Task:
    """The function of a registered task."""
    try:
        return _TASKS[name]
    except KeyError:
        raise KeyError(f"no task is registered as {name!r}") from None


def enqueue(name: str, **kwargs: Any) -> None:
    """Start the task `name` with these arguments: queued when a queue is configured,
    else run now, its failure logged, never raised to the caller."""
    function = registered(name)
    try:
        function(**kwargs)
    except Exception:
        log.exception("task %s failed", name)
