"""A first launch waiting for its person to prove they own the account its e-mail names
(one with a password or a staff role: app.services.lti_identity.OwnerMustConfirm).

The launch's platform, `sub`, the roles it gives and what it opens travel in the signed
session (the web layer keeps them there), never trusted beyond their signature: they
last fifteen minutes, and a random nonce, spent when the link is made, makes them good
for one link only, even replayed from a copy of the cookie.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from app.errors import Conflict, PermissionDenied
from app.extensions import db
from app.models import LtiNonce, LtiPlatform, Role, User
from app.models.base import utcnow

LIFETIME = 15 * 60  # seconds a waiting link lasts


@dataclass(frozen=True)
class PendingLink:
    """What a first launch would have linked and opened, had its e-mail been a learner's."""

    platform_id: int
    subject: str
    user_id: int  # the account the e-mail names, whose owner must sign in
    roles: tuple[str, ...]  # the Clausewise roles the launch gives
    link_id: int | None
    context_id: int | None
    teaches: bool
    deep_link: dict[str, Any] | None
    nonce: str
    issued: int

    def as_session(self) -> dict[str, Any]:
        """The plain dictionary the session keeps."""
        return {**asdict(self), "roles": list(self.roles)}

    def wanted(self) -> set[Role]:
        """The roles the launch gives."""
        return {Role(role) for role in self.roles}


@dataclass(frozen=True)
class Waiting:
    """A waiting link as its page shows it: the platform and the account it names."""

    pending: PendingLink
    platform: LtiPlatform
    owner: User


def make(
    platform: LtiPlatform,
    subject: str,
    owner: User,
    roles: set[Role],
    opens: dict[str, Any],
) -> PendingLink:
    """A new waiting link; `opens` names the link_id, context_id, teaches and deep_link."""
    return PendingLink(
        platform_id=platform.id,
        subject=subject,
        user_id=owner.id,
        roles=tuple(sorted(role.value for role in roles)),
        nonce=secrets.token_urlsafe(24),
        issued=int(time.time()),
        **opens,
    )


def _gone() -> PermissionDenied:
    return PermissionDenied(
        _(
            "No link of a course account is waiting in this browser. Launch the activity "
            "again from your course."
        )
    )


def read(value: object) -> PendingLink:
    """The waiting link the session holds; PermissionDenied when there is none or it has
    expired."""
    if not isinstance(value, dict):
        raise _gone()
    try:
        pending = PendingLink(**{**value, "roles": tuple(value["roles"])})
        pending.wanted()
    except (TypeError, KeyError, ValueError):
        raise _gone() from None
    if not isinstance(pending.issued, int) or time.time() - pending.issued > LIFETIME:
        raise PermissionDenied(
            _(
                "The link of your course account has expired: nothing was linked. Launch "
                "the activity again from your course to link it."
            )
        )
    return pending


def waiting(value: object) -> Waiting:
    """The waiting link with its platform and account, for its page."""
    pending = read(value)
    platform = db.session.get(LtiPlatform, pending.platform_id)
    owner = db.session.get(User, pending.user_id)
    if platform is None or not platform.active or owner is None:
        raise _gone()
    return Waiting(pending, platform, owner)


def check_owner(actor: User, pending: PendingLink) -> None:
    """PermissionDenied unless the actor is the account the launch's e-mail names."""
    if actor.id != pending.user_id:
        raise PermissionDenied(
            _(
                "You signed in to a different account from the one with your course's "
                "e-mail address, so nothing was linked. To link it, launch the activity "
                "again from your course and sign in to that account."
            )
        )


def spend(pending: PendingLink) -> None:
    """Record the waiting link as used; Conflict when it was used before."""
    until = utcnow() + timedelta(seconds=LIFETIME)
    if not spend_once(f"link:{pending.platform_id}:{pending.nonce}", until):
        raise Conflict(
            _(
                "This link of your course account was used already: nothing more was "
                "linked. Launch the activity again from your course."
            )
        )


def spend_once(key: str, until: datetime) -> bool:
    """Record `key` (a launch's or a waiting link's nonce) as used until `until`, in a
    savepoint; False when it was used before. Expired records are dropped first."""
    now = utcnow()
    db.session.execute(delete(LtiNonce).where(LtiNonce.expires_at < now))
    digest = hashlib.sha256(key.encode()).hexdigest()
    try:
        with db.session.begin_nested():
            db.session.add(LtiNonce(digest=digest, expires_at=max(until, now)))
    except IntegrityError:
        return False
    return True
