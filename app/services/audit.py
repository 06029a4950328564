"""Writing audit events alongside the change they describe."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models import Actor, AuditEvent


def record(
    actor: Actor, action: str, object_type: str, object_id: object, **detail: Any
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(
        actor_id=actor.id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )
    db.session.add(event)
    return event
