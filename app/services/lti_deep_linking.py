"""Deep linking: a course author picks a Clausewise activity, and the platform gets it
back as a signed LtiDeepLinkingResponse with one `ltiResourceLink` item.

The request's settings (the grant) were kept in the author's signed session at launch;
they hold only for the user who launched, for an hour. The item carries the activity in
its custom parameters (app.domain.lti) and, when graded, a line item for the grade
book, scored out of 100 (scores are sent as given and maximum; the platform scales).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.domain.lti import Activity, ActivityError, make_activity, to_custom
from app.errors import InvalidInput, PermissionDenied
from app.extensions import db
from app.integrations import lti
from app.messages import render
from app.models import LtiPlatform, Role, Scheme, User
from app.services import lti_keys
from app.services.lti_platforms import as_protocol

GRANT_LIFETIME = 3600  # seconds a deep linking request may wait for the author's pick
SCORE_MAXIMUM = 100
MAX_TITLE = 255


@dataclass(frozen=True)
class Choice:
    """What the author picked on the page."""

    kind: str
    scheme: str
    clauses: list[str] = field(default_factory=list)
    count: int | None = None
    title: str = ""
    graded: bool = True


@dataclass(frozen=True)
class Reply:
    """The deep linking response and where the browser posts it."""

    return_url: str
    jwt: str
    title: str


def check_grant(actor: User, grant: Mapping[str, object] | None) -> LtiPlatform:
    """The platform of a deep linking request the actor may answer now; PermissionDenied
    for anyone but the instructor who launched it, or once it is an hour old."""
    if not grant or grant.get("user") != actor.id:
        raise PermissionDenied(
            _("Open this page from your course: add a Clausewise activity there.")
        )
    issued = grant.get("issued")
    if not isinstance(issued, int) or time.time() - issued > GRANT_LIFETIME:
        raise PermissionDenied(
            _("This request from your course has expired: add the activity again from there.")
        )
    if not actor.has_any_role(Role.TRAINER, Role.MANAGER, Role.ADMIN):
        raise PermissionDenied(_("Only the course's instructors choose Clausewise activities."))
    platform = db.session.get(LtiPlatform, grant.get("platform"))
    if platform is None or not platform.active:
        raise PermissionDenied(_("The platform of this course is no longer registered."))
    return platform


def _activity(choice: Choice) -> tuple[Activity, Scheme]:
    """The checked activity and its active scheme; InvalidInput when either is wrong."""
    try:
        activity = make_activity(choice.kind, choice.scheme, choice.clauses, choice.count)
    except ActivityError as err:
        raise InvalidInput(render(err.message)) from None
    scheme = db.session.scalars(select(Scheme).where(Scheme.code == activity.scheme)).first()
    if scheme is None or not scheme.active:
        raise InvalidInput(_("Choose one of the qualification schemes listed."))
    return activity, scheme


def default_title(activity: Activity, scheme: Scheme) -> str:
    """The link's title when the author gives none, in the author's language."""
    if activity.kind == "mock":
        return scheme.title  # the scheme's title names its mock exam
    if activity.kind == "drill":
        return _(
            "Clause drill on %(clauses)s (%(scheme)s)",
            clauses=", ".join(activity.clauses),
            scheme=scheme.title,
        )
    return _("Practice set (%(scheme)s)", scheme=scheme.title)


def _title(text: str, activity: Activity, scheme: Scheme) -> str:
    """The author's title without control characters, or the default one."""
    clean = "".join(ch for ch in text if ch.isprintable()).strip()
    if len(clean) > MAX_TITLE:
        raise InvalidInput(_("Keep the title under %(n)d characters.", n=MAX_TITLE))
    return clean or default_title(activity, scheme)


def respond(
    actor: User, grant: Mapping[str, object] | None, choice: Choice | None, launch_url: str
) -> Reply:
    """The signed response carrying the author's pick (no item when `choice` is None: the
    author cancelled)."""
    platform = check_grant(actor, grant)
    assert grant is not None  # checked above
    items = []
    title = ""
    if choice is not None:
        activity, scheme = _activity(choice)
        title = _title(choice.title, activity, scheme)
        graded = choice.graded and bool(grant.get("lineitem"))
        items.append(
            lti.resource_link_item(
                title, launch_url, to_custom(activity), SCORE_MAXIMUM if graded else None
            )
        )
    data = grant.get("data")
    token = lti.deep_linking_response(
        as_protocol(platform),
        lti_keys.signing_key(),
        str(grant["deployment"]),
        items,
        data if isinstance(data, str) else None,
    )
    return Reply(return_url=str(grant["return_url"]), jwt=token, title=title)
