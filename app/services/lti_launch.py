"""Launches from a platform: the login initiation, then the launch itself, which signs
the person in and says what to open.

The login answers the platform's initiation with a redirect to its authorization
endpoint, carrying a fresh state and nonce; both travel in a signed state cookie (set by
the web layer), so any worker can check the launch another began. The launch checks the
ID token (app.integrations.lti), spends its nonce once (a replayed token is refused),
finds or creates the user and records the course and link, in one transaction. Launches
that add the same person, course or link at the same moment (a class opening a new
activity together) share the row the first one commits.

A first launch naming the e-mail of an account with a password or a staff role signs
nobody in: it records the course and link and waits (Unconfirmed, app.services.lti_pending)
until the account's owner signs in to it, then confirm_link makes the link and opens the
same.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from flask import current_app
from flask_babel import gettext as _
from joserfc.jwk import RSAKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.lti import ActivityError, from_custom
from app.errors import InvalidInput, PermissionDenied
from app.extensions import db
from app.integrations import lti, lti_http
from app.integrations.lti import Refused
from app.integrations.lti_claims import Launch, read_launch
from app.messages import render
from app.models import SYSTEM, LtiContext, LtiLink, LtiPlatform, User
from app.models.base import utcnow
from app.services import audit, lti_identity, lti_pending
from app.services.lti_platforms import as_protocol

MAX_DEEP_LINK_DATA = 1024  # characters of a deep linking request's data kept to send back
Row = TypeVar("Row", LtiContext, LtiLink)


@dataclass(frozen=True)
class LoginStart:
    """Where to send the browser, and the state cookie's name and sealed value."""

    redirect_url: str
    state: str
    sealed: str


@dataclass(frozen=True)
class Launched:
    """Who signed in and what to open: a link's page, or the deep linking picker."""

    user: User
    platform_id: int
    link_id: int | None
    context_id: int | None
    teaches: bool
    deep_link: dict[str, object] | None


@dataclass(frozen=True)
class Unconfirmed:
    """A first launch whose e-mail is a staff account's: nobody signs in until its owner
    proves it is theirs; `pending` waits in the session meanwhile."""

    owner: User
    pending: lti_pending.PendingLink


def _platform(issuer: str, client_id: str | None) -> LtiPlatform:
    """The active registration for an issuer (and client id, when the platform names it)."""
    stmt = select(LtiPlatform).where(LtiPlatform.issuer == issuer, LtiPlatform.active)
    if client_id:
        stmt = stmt.where(LtiPlatform.client_id == client_id)
    found = db.session.scalars(stmt).all()
    if len(found) != 1:  # none, or several registrations and no client_id to choose
        raise Refused("unknown_platform", issuer)
    return found[0]


def start_login(
    issuer: str,
    login_hint: str,
    target_link_uri: str,
    message_hint: str | None,
    client_id: str | None,
    deployment_id: str | None,
    redirect_uri: str,
) -> LoginStart:
    """Answer a third-party initiated login: the authorization request to redirect to."""
    if not issuer or not login_hint or not target_link_uri:
        raise Refused("login_request", "iss, login_hint and target_link_uri are required")
    platform = _platform(issuer, client_id)
    if deployment_id and deployment_id not in platform.deployment_ids:
        raise Refused("deployment", deployment_id)
    state = secrets.token_urlsafe(24)
    url, nonce = lti.authentication_request(
        as_protocol(platform), redirect_uri, login_hint, message_hint, state
    )
    sealed = lti.seal_state(current_app.config["SECRET_KEY"], {"n": nonce, "p": platform.id})
    return LoginStart(url, state, sealed)


def _find_key(platform: lti.Platform, kid: str | None) -> RSAKey:
    """The platform key that signed a token, within the configured timeout."""
    return lti_http.platform_key(platform, kid, current_app.config["LTI_HTTP_TIMEOUT"])


def _spend_nonce(platform_id: int, nonce: str, expires: float) -> None:
    """Record a launch's nonce as used; Refused("replayed") when it was used before."""
    until = datetime.fromtimestamp(expires, UTC) + timedelta(seconds=lti.LEEWAY)
    if not lti_pending.spend_once(f"{platform_id}:{nonce}", until):
        raise Refused("replayed")


def complete_launch(id_token: str, sealed_state: str) -> Launched | Unconfirmed:
    """Check a launch and sign its person in: the user, and what the launch opens; or,
    for a first launch naming a staff account's e-mail, the link waiting for its owner."""
    payload = lti.open_state(current_app.config["SECRET_KEY"], sealed_state)
    platform = db.session.get(LtiPlatform, payload.get("p"))
    if platform is None or not platform.active:
        raise Refused("unknown_platform")
    claims = lti.verify_id_token(id_token, as_protocol(platform), str(payload.get("n")), _find_key)
    _spend_nonce(platform.id, claims["nonce"], float(claims["exp"]))
    launch = read_launch(claims)
    person = lti_identity.Person(
        launch.subject, launch.roles, launch.email, launch.name, launch.locale
    )
    try:
        user, account = lti_identity.user_for(platform, person)
    except lti_identity.OwnerMustConfirm as waiting:
        owner = db.session.get_one(User, waiting.user_id)
        wanted = lti_identity.granted_roles(platform, launch.roles)
        pending = lti_pending.make(
            platform, launch.subject, owner, wanted, _opens(platform, launch, owner)
        )
        # For the administrators: who asked to link to the account (no account, no role).
        audit.record(
            SYSTEM,
            "lti.account_link_requested",
            "user",
            owner.id,
            platform=platform.id,
            subject=launch.subject,
        )
        db.session.commit()
        return Unconfirmed(owner, pending)
    account.last_launch_at = user.last_login_at = utcnow()
    opens = _opens(platform, launch, user)
    db.session.commit()
    return Launched(user, platform.id, **opens)


def _opens(platform: LtiPlatform, launch: Launch, user: User) -> dict[str, Any]:
    """Record the launch's course, and its link or deep linking request for the user:
    Launched's link_id, context_id, teaches and deep_link."""
    context = _record_course(platform, launch)
    teaches = lti_identity.teaches(platform, launch.roles)
    opens: dict[str, Any] = {
        "context_id": context.id if context else None,
        "teaches": teaches,
        "link_id": None,
        "deep_link": None,
    }
    if launch.is_deep_linking:
        opens["deep_link"] = _deep_link_grant(platform, launch, user, teaches)
    else:
        opens["link_id"] = _record_link(platform, launch, context).id
    return opens


def confirm_link(actor: User, pending: object) -> Launched:
    """Link the platform account a first launch waited with to the actor's account, the
    one its e-mail names, whose owner has just signed in (or confirmed, signed in
    already); then open what the launch opened. PermissionDenied when nothing waits, it
    expired or the actor is someone else; Conflict when it was used already."""
    waiting = lti_pending.read(pending)
    lti_pending.check_owner(actor, waiting)
    platform = db.session.get(LtiPlatform, waiting.platform_id)
    if platform is None or not platform.active:
        raise PermissionDenied(_("The platform of this course is no longer registered."))
    with db.session.begin_nested():  # a refusal below writes nothing
        lti_pending.spend(waiting)
        account = lti_identity.link_confirmed(platform, waiting.subject, actor, waiting.wanted())
        account.last_launch_at = utcnow()
    db.session.commit()
    return Launched(
        actor,
        platform.id,
        waiting.link_id,
        waiting.context_id,
        waiting.teaches,
        waiting.deep_link,
    )


def _get_or_add(model: type[Row], **keys: Any) -> Row:
    """The row of `model` with these unique keys, added (in a savepoint) when missing.
    When another launch adds it first, the insert fails on the unique key: the savepoint
    goes back and the row the other launch committed is read."""
    query = select(model).filter_by(**keys)
    found = db.session.scalars(query).first()
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            row = model(**keys)
            db.session.add(row)
            db.session.flush()
            return row
    except IntegrityError:
        return db.session.scalars(query).one()


def _record_course(platform: LtiPlatform, launch: Launch) -> LtiContext | None:
    """The launch's course, added or brought up to date (title, roster service)."""
    if launch.course is None:
        return None
    context = _get_or_add(
        LtiContext,
        platform_id=platform.id,
        deployment_id=launch.deployment_id,
        context_id=launch.course.id,
    )
    context.title = launch.course.title or context.title or launch.course.id
    context.label = launch.course.label
    if launch.memberships_url:
        context.memberships_url = launch.memberships_url
    db.session.flush()
    return context


def _activity(launch: Launch) -> dict[str, object] | None:
    """The activity the link's custom parameters name; InvalidInput when malformed."""
    try:
        activity = from_custom(launch.custom)
    except ActivityError as err:
        raise InvalidInput(
            _(
                "This link's custom parameters do not name an activity Clausewise offers "
                "(%(reason)s). Ask the course author to choose the activity again.",
                reason=render(err.message),
            )
        ) from None
    return None if activity is None else activity.as_dict()


def _record_link(platform: LtiPlatform, launch: Launch, context: LtiContext | None) -> LtiLink:
    """The resource link, added or brought up to date: activity, line item, scope."""
    activity = _activity(launch)
    link = _get_or_add(
        LtiLink,
        platform_id=platform.id,
        deployment_id=launch.deployment_id,
        resource_link_id=launch.resource_link_id,
    )
    link.context_ref = context.id if context else None
    link.title = launch.resource_link_title or link.title
    link.activity = activity
    # A learner's launch names the link's line item when there is exactly one.
    if launch.lineitem_url:
        link.lineitem_url = launch.lineitem_url
        link.may_score = launch.may_score
    db.session.flush()
    return link


def _deep_link_grant(
    platform: LtiPlatform, launch: Launch, user: User, teaches: bool
) -> dict[str, object]:
    """What the picker needs to answer a deep linking request, kept in the signed session
    for the user who launched; refused to anyone but the course's instructors."""
    settings = launch.deep_link
    if not teaches:
        raise PermissionDenied(_("Only the course's instructors choose Clausewise activities."))
    if settings is None or not settings.return_url.startswith(("https://", "http://")):
        raise Refused("claims", "no deep linking return URL")
    if settings.data is not None and len(settings.data) > MAX_DEEP_LINK_DATA:
        raise Refused("claims", "deep linking data too long to keep")  # the session cookie
    return {
        "platform": platform.id,
        "deployment": launch.deployment_id,
        "user": user.id,
        "return_url": settings.return_url,
        "data": settings.data,
        "multiple": settings.accept_multiple,
        "lineitem": settings.accept_lineitem,
        "issued": int(utcnow().timestamp()),
    }
