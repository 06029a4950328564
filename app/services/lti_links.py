"""What an LTI link opens: its page for someone who launched it, and attempts started
from it, tied to the link so that their scores go to its grade book column.

Only people with an account at the link's platform see a link (anyone else gets
NotFound). Starting again while an attempt from the link is open resumes that one.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.domain.lti import Activity, make_activity
from app.errors import NotFound
from app.extensions import db
from app.models import (
    Attempt,
    AttemptMode,
    AttemptStatus,
    LtiAccount,
    LtiContext,
    LtiLink,
    Scheme,
    User,
)
from app.services import answering, attempts

MODES = {"mock": AttemptMode.MOCK, "drill": AttemptMode.DRILL, "practice": AttemptMode.PRACTICE}
RECENT = 5  # closed attempts from the link shown on its page


@dataclass(frozen=True)
class LinkPage:
    """A link as its page shows it to one person."""

    link: LtiLink
    activity: Activity | None
    scheme: Scheme | None
    open_attempt: Attempt | None
    recent: list[Attempt]
    graded: bool
    context: LtiContext | None


def _link_and_account(actor: User, link_id: int) -> tuple[LtiLink, LtiAccount]:
    """The link and the actor's account at its platform (of several, linked by one
    e-mail, the one that launched last: its grade book gets the score); NotFound for
    anyone without one."""
    link = db.session.get(LtiLink, link_id)
    account = None
    if link is not None:
        account = db.session.scalars(
            select(LtiAccount)
            .where(LtiAccount.platform_id == link.platform_id, LtiAccount.user_id == actor.id)
            .order_by(LtiAccount.last_launch_at.desc().nulls_last(), LtiAccount.id.desc())
        ).first()
    if link is None or account is None:
        raise NotFound(_("No such course link."))
    return link, account


def _activity(link: LtiLink) -> Activity | None:
    """The link's stored activity, read back (it was checked when stored)."""
    stored = link.activity
    if not stored:
        return None
    return make_activity(stored["kind"], stored["scheme"], stored["clauses"], stored["count"])


def _scheme(activity: Activity | None) -> Scheme | None:
    """The active scheme the activity draws from, if there is one."""
    if activity is None:
        return None
    scheme = db.session.scalars(select(Scheme).where(Scheme.code == activity.scheme)).first()
    return scheme if scheme is not None and scheme.active else None


def _attempts_from(actor: User, link: LtiLink, scheme: Scheme, kind: str) -> list[Attempt]:
    """The actor's attempts started from this link, newest first."""
    stmt = (
        select(Attempt)
        .where(
            Attempt.user_id == actor.id,
            Attempt.scheme_id == scheme.id,
            Attempt.mode == MODES[kind],
        )
        .order_by(Attempt.id.desc())
        .limit(200)
    )
    return [
        a for a in db.session.scalars(stmt) if (a.settings.get("lti") or {}).get("link") == link.id
    ]


def link_page(actor: User, link_id: int) -> LinkPage:
    """The link, its activity and the actor's open and latest attempts from it."""
    link, _account = _link_and_account(actor, link_id)
    activity = _activity(link)
    scheme = _scheme(activity)
    mine = _attempts_from(actor, link, scheme, activity.kind) if scheme and activity else []
    for attempt in mine:  # an attempt past its deadline is closed, never offered to resume
        answering.expire_if_overdue(attempt)
    return LinkPage(
        link=link,
        activity=activity,
        scheme=scheme,
        open_attempt=next((a for a in mine if a.status == AttemptStatus.OPEN), None),
        recent=[a for a in mine if a.status in AttemptStatus.closed()][:RECENT],
        graded=bool(link.lineitem_url and link.may_score),
        context=link.context,
    )


def start_from_link(actor: User, link_id: int) -> Attempt:
    """Start the link's activity for the actor, or resume their open attempt from it."""
    link, account = _link_and_account(actor, link_id)
    activity = _activity(link)
    scheme = _scheme(activity)
    if activity is None or scheme is None:
        raise NotFound(_("This link opens no activity Clausewise offers now."))
    for attempt in _attempts_from(actor, link, scheme, activity.kind):
        if attempt.status == AttemptStatus.OPEN and not answering.expire_if_overdue(attempt):
            return attempt
    options = attempts.StartOptions(
        mode=MODES[activity.kind],
        clauses=list(activity.clauses),
        count=activity.count or 20,
        lti={"link": link.id, "account": account.id},
    )
    return attempts.start_attempt(actor, scheme.code, options)
