"""Time zones of people and of the organization: who may set which, and the checks.

The organization's zone is a site setting that administrators change; a new account
starts with it (UTC until an administrator sets one). Each person may then choose their
own on their profile, and administrators may set anyone's.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.domain import time_zones
from app.errors import InvalidInput, PermissionDenied
from app.extensions import db
from app.models import Actor, Role, Setting, User
from app.services import audit

ORGANIZATION_ZONE = "organization_time_zone"


class UnknownZone(InvalidInput):
    """A time zone name Clausewise does not offer; nothing was changed."""


def checked_zone(name: str | None) -> str:
    """`name` stripped, if it is a zone a person may choose; else UnknownZone."""
    name = (name or "").strip()
    if not time_zones.is_zone(name):
        raise UnknownZone(
            _(
                "Time zone: “%(zone)s” is not a time zone Clausewise knows. Choose one from "
                "the list, for example Asia/Shanghai or Europe/London.",
                zone=name[:64],
            )
        )
    return name


def organization_zone() -> str:
    """The organization's default zone: what new accounts start with (UTC when unset)."""
    setting = db.session.get(Setting, ORGANIZATION_ZONE)
    value = setting.value if setting is not None else None
    return value if time_zones.is_zone(value) else time_zones.DEFAULT


def set_organization_zone(actor: Actor, name: str) -> str:
    """Administrators: set the organization's default zone (existing accounts keep theirs)."""
    if not actor.has_any_role(Role.ADMIN):
        raise PermissionDenied(_("Only administrators change the organization's settings."))
    zone = checked_zone(name)
    setting = db.session.get(Setting, ORGANIZATION_ZONE)
    before = setting.value if setting is not None else None
    if setting is None:
        setting = Setting(key=ORGANIZATION_ZONE, value=zone)
        db.session.add(setting)
    setting.value = zone
    setting.updated_by_id = actor.id
    audit.record(actor, "settings.changed", "setting", ORGANIZATION_ZONE, before=before, value=zone)
    db.session.commit()
    return zone


def set_own_zone(user: User, name: str) -> str:
    """Set one's own time zone."""
    zone = checked_zone(name)
    user.time_zone = zone
    db.session.commit()
    return zone
