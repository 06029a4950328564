"""Background work: named tasks, queued on Redis when a queue is configured, else run
at once in the calling process.

A task is a plain function of JSON-able keyword arguments, registered under a stable
name with `@task("mail.send")`; callers never import a worker. `enqueue` is the one way
to start work that may wait: sending e-mail, xAPI statements, long imports and exports.
Without `JOB_QUEUE_URL` (the default, so `make run` needs nothing but Python) the task
runs inline, and its failure is logged and kept from the caller, as a queued task's
would be.

With a queue, nothing is lost (a transactional outbox):
- `enqueue` writes a `jobs` row in the caller's transaction, so the work exists exactly
  when the change that asks for it commits (enqueued by a service before its commit).
  A caller whose transaction has written nothing gets the row committed at once.
- After the commit the row's id goes to Redis (RQ); a worker (`flask --app wsgi jobs
  worker`) claims the row, runs the task and marks it done.
- A failed try is retried after the delays of JOB_RETRY_DELAYS (about 30 minutes in
  all, by default), then the job is `failed`, with its last error, until an admin runs
  it again. The database row, not Redis, is the truth: the workers' sweeper sends again
  whatever is due and was lost on the way (Redis down, a worker killed mid-task).
Tasks may therefore run more than once: each must be safe to run twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app, has_app_context, has_request_context
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from app.extensions import db
from app.models import Job, JobFile, User
from app.models.base import utcnow

log = logging.getLogger(__name__)

Task = Callable[..., Any]
_TASKS: dict[str, Task] = {}
_PENDING = "clausewise.jobs.pending"  # session.info: ids of jobs to send after the commit
_WROTE = "clausewise.jobs.wrote"  # session.info: this transaction has written something


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


def queue_configured() -> bool:
    """Whether tasks go to the queue (JOB_QUEUE_URL set) rather than run inline."""
    return has_app_context() and bool(current_app.config.get("JOB_QUEUE_URL"))


def enqueue(name: str, **kwargs: Any) -> None:
    """Start the task `name` with these arguments: queued when a queue is configured
    (committed with the caller's transaction), else run now, its failure logged, never
    raised to the caller."""
    function = registered(name)
    if queue_configured():
        store(name, kwargs)
        return
    try:
        function(**kwargs)
    except Exception:
        log.exception("task %s failed", name)


def store(
    name: str,
    kwargs: dict[str, Any],
    owner: User | None = None,
    files: Iterable[tuple[str, bytes]] = (),
) -> Job:
    """Write the job row (with its input files) in the caller's transaction, or commit
    it at once when that transaction has written nothing; Redis gets it after the commit.
    `owner` is the person who waits for the outcome (their language writes its report)."""
    registered(name)
    try:
        json.dumps(kwargs)
    except TypeError as err:
        raise ValueError(f"the arguments of task {name!r} must be JSON-able: {err}") from err
    session = db.session
    joins_caller = _has_written(session)
    job = Job(
        name=name,
        kwargs=kwargs,
        max_tries=len(current_app.config["JOB_RETRY_DELAYS"]) + 1,
        owner_id=owner.id if owner else None,
        locale=_job_locale(owner),
        dispatched_at=utcnow(),  # sent right after the commit; the sweeper resends if not
        result={},
        last_error="",
    )
    job.files = [JobFile(role="input", name=n, data=data) for n, data in files]
    session.add(job)
    session.flush()
    session.info.setdefault(_PENDING, []).append(job.id)
    if not joins_caller:
        session.commit()
    return job


def _has_written(session: Any) -> bool:
    """Whether the session's transaction holds changes of the caller's (the job joins
    them) rather than nothing or reads only (the job commits by itself)."""
    return bool(session.new or session.dirty or session.deleted or session.info.get(_WROTE))


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: Any) -> None:
    """A flush writes: a job enqueued later in this transaction commits with it."""
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    """An INSERT, UPDATE or DELETE run through the session writes, like a flush."""
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    """The jobs of the committed transaction go to Redis now (no SQL may run here)."""
    pending = session.info.pop(_PENDING, [])
    session.info.pop(_WROTE, None)
    if pending:
        from app.services import job_queue

        job_queue.send(pending)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    """Jobs of a rolled-back transaction were never written: nothing to send."""
    session.info.pop(_PENDING, None)
    session.info.pop(_WROTE, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_at_end(session: Session, transaction: SessionTransaction) -> None:
    """A transaction closed without a commit took its jobs with it: say so."""
    if transaction.parent is not None:
        return
    dropped = session.info.pop(_PENDING, None)
    session.info.pop(_WROTE, None)
    if dropped:
        log.warning("jobs %s were enqueued in a transaction that was never committed", dropped)


def _job_locale(owner: User | None) -> str:
    """The language a job speaks in: its owner's choice, else the page's that asked for it
    (the browser's), else the default."""
    if owner is not None and owner.language:
        return owner.language
    if has_request_context():
        return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])
