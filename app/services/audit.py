"""Writing audit events alongside the change they describe."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert

from app.extensions import db
from app.models import Actor, AuditEvent


def record(
    actor: Actor, action: str, object_type: str, object_id: object, **detail: Any
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(**_values(actor, action, object_type, object_id, detail))
    db.session.add(event)
    return event


# Built once: the parameters travel apart from the statement, so it compiles once.
_INSERT_EVENT = insert(cast(Table, AuditEvent.__table__))


def record_now(
    actor: Actor, action: str, object_type: str, object_id: object, **detail: Any
) -> None:
    """Write an audit event in the current transaction at once, as a plain INSERT (the
    caller commits): for hot paths, where building an object to flush costs more."""
    values = _values(actor, action, object_type, object_id, detail)
    db.session.connection().execute(_INSERT_EVENT, values)


def _values(
    actor: Actor, action: str, object_type: str, object_id: object, detail: dict[str, Any]
) -> dict[str, Any]:
    """An audit event's columns."""
    return {
        "actor_id": actor.id,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "detail": detail,
    }
