"""Tasks that send an attempt's xAPI statements to the configured LRS.

Each reads what is stored (the attempt, its items and answers) when it runs, so a retry
an hour later sends exactly the statements the first try meant to send.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app

from app.extensions import db
from app.integrations import xapi
from app.integrations.xapi_interactions import definition, response
from app.models import Attempt, AttemptStatus
from app.queries import attempts as attempt_views
from app.services.jobs import task


def _settings() -> xapi.Settings:
    found = xapi.settings(current_app.config)
    if found is None:
        raise RuntimeError("XAPI_ENDPOINT is no longer configured; run this job again once it is")
    return found


def _ids(attempt: Attempt) -> tuple[str, str]:
    """The attempt's registration and its learner's opaque name, made for rows older
    than those columns (kept, so every later statement carries the same ones)."""
    if attempt.registration is None:
        attempt.registration = str(uuid.uuid4())
    if attempt.user.xapi_id is None:
        attempt.user.xapi_id = str(uuid.uuid4())
    if db.session.dirty:
        db.session.commit()
    return str(attempt.registration), str(attempt.user.xapi_id)


def _assessment(config: xapi.Settings, attempt: Attempt) -> dict[str, Any]:
    """The activity the attempt is a sitting of: a scheme's mock exam, practice, …"""
    scheme = attempt.scheme
    code = scheme.code if scheme else "no-scheme"
    title = scheme.title if scheme else code
    return {
        "id": xapi.activity_id(config.home_page, "schemes", code, str(attempt.mode)),
        "definition": {
            "type": xapi.ASSESSMENT,
            "name": {"en-US": f"{title} ({attempt.mode})"},
        },
    }


def _attempt(attempt_id: int) -> Attempt | None:
    return db.session.get(Attempt, attempt_id)


@task("xapi.attempt_started")
def attempt_started(attempt_id: int) -> None:
    """Send `launched` for a started attempt."""
    config = _settings()
    attempt = _attempt(attempt_id)
    if attempt is None:
        return  # deleted since: nothing to say
    registration, name = _ids(attempt)
    actor = xapi.agent(config, name, attempt.user.email, attempt.user.display_name)
    launched = xapi.statement(
        key=("launched",),
        actor=actor,
        verb="launched",
        target=_assessment(config, attempt),
        at=attempt.started_at,
        registration=registration,
    )
    xapi.send(config, [launched])


@task("xapi.attempt_closed")
def attempt_closed(attempt_id: int) -> None:
    """Send `answered` for each answer, then `completed` and `passed` or `failed`."""
    config = _settings()
    attempt = _attempt(attempt_id)
    if attempt is None or attempt.status not in (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED):
        return
    registration, name = _ids(attempt)
    actor = xapi.agent(config, name, attempt.user.email, attempt.user.display_name)
    parent = _assessment(config, attempt)
    statements = _answered(config, attempt, actor, registration, parent)
    assert attempt.submitted_at is not None
    seconds = (attempt.submitted_at - attempt.started_at).total_seconds()
    result: dict[str, Any] = {"completion": True, "duration": xapi.duration(seconds)}
    scored = xapi.score(attempt.score, attempt.max_score)
    if scored:
        result["score"] = scored
    common: dict[str, Any] = {
        "actor": actor,
        "target": parent,
        "at": attempt.submitted_at,
        "registration": registration,
    }
    statements.append(xapi.statement(key=("completed",), verb="completed", result=result, **common))
    if attempt.passed is not None:
        verb = "passed" if attempt.passed else "failed"
        outcome = {**result, "success": bool(attempt.passed)}
        statements.append(xapi.statement(key=(verb,), verb=verb, result=outcome, **common))
    xapi.send(config, statements)


def _answered(
    config: xapi.Settings,
    attempt: Attempt,
    actor: dict[str, Any],
    registration: str,
    parent: dict[str, Any],
) -> list[dict[str, Any]]:
    """One `answered` statement per answered item, with its interaction and result."""
    items = attempt_views.attempt_items(attempt)
    records = attempt_views.item_records(items)
    statements = []
    for item in items:
        if item.response is None or item.response.value is None:
            continue
        record = records[item.version_id]
        result: dict[str, Any] = {"response": response(record, item.response.value)}
        if item.response.score is not None:
            result["score"] = xapi.score(item.response.score * record.marks, record.marks)
            result["success"] = item.response.score >= 0.999
        target = {
            "id": xapi.activity_id(config.home_page, "questions", record.id),
            "definition": definition(record, "en-US", record.title or record.id),
        }
        statements.append(
            xapi.statement(
                key=("answered", str(item.position)),
                actor=actor,
                verb="answered",
                target=target,
                at=item.response.answered_at,
                registration=registration,
                result=result,
                parent=parent,
            )
        )
    return statements
