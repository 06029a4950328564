"""E-mails that tell people about their teams: an invitation to join one, a drill assigned
to one; and the learner's choice to get drill e-mails or not.

Each letter is composed in its reader's language and sent once the change it describes
is committed (`mail.send_after_commit`). A drill e-mail carries a signed unsubscribe link
(and a List-Unsubscribe header) that works without signing in.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_skeleton
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.domain import time_zones
from app.errors import InvalidInput
from app.extensions import db
from app.models import SYSTEM, DrillAssignment, Role, Scheme, Team, TeamMembership, User
from app.services import account_links, audit, mail


def _account_for(email: str) -> User | None:
    """The account with this e-mail, if any (the invitee's language comes from it)."""
    stmt = select(User).where(func.lower(User.email) == email.strip().lower())
    return db.session.scalars(stmt).first()


def team_invitation(inviter: User, team: Team, email: str, role: str) -> None:
    """Tell the invitee of a team invitation, once it is committed.

    The letter goes to the typed address whether or not an account has it, so the manager
    learns nothing from it; it is written in the account's language, else the inviter's.
    """
    account = _account_for(email)
    language = account.language if account is not None else inviter.language
    with mail.in_language(language) as chosen:
        if role == "manager":
            what = _(
                "%(inviter)s invited you to manage the team %(team)s on Clausewise.",
                inviter=inviter.display_name,
                team=team.name,
            )
        else:
            what = _(
                "%(inviter)s invited you to join the team %(team)s on Clausewise. Once you "
                "join, the team's managers see your practice results and readiness.",
                inviter=inviter.display_name,
                team=team.name,
            )
        how = (
            _("Sign in with this e-mail address to accept or decline the invitation.")
            if account is not None
            else _(
                "Clausewise has no account for this e-mail address yet: ask your "
                "organisation's administrator for one, then sign in with this address to "
                "accept or decline."
            )
        )
        letter = mail.Letter(
            to=email,
            name=account.display_name if account is not None else email,
            language=chosen,
            subject=_("Invitation to the team %(team)s", team=team.name),
            paragraphs=(what, how),
            action=(_("Sign in to Clausewise"), mail.external_url("auth.login")),
            small_print=(_("If you do not know this team, ignore this e-mail."),),
        )
    mail.send_after_commit(letter)


def _drill_readers(team_id: int) -> list[User]:
    """The team's active learners who have not turned drill e-mails off."""
    stmt = (
        select(User)
        .join(TeamMembership, TeamMembership.user_id == User.id)
        .where(
            TeamMembership.team_id == team_id,
            TeamMembership.role == "member",
            User.active.is_(True),
            User.drill_emails.is_(True),
        )
        .order_by(User.id)
    )
    return [user for user in db.session.scalars(stmt) if Role.LEARNER in user.roles]


def drill_assigned(drill: DrillAssignment) -> int:
    """Tell the team's learners of a new drill once it is committed; how many letters."""
    team = db.session.get(Team, drill.team_id)
    scheme = db.session.get(Scheme, drill.scheme_id)
    if team is None or scheme is None:
        return 0
    readers = _drill_readers(team.id)
    for user in readers:
        mail.send_after_commit(_drill_letter(user, drill, team, scheme))
    return len(readers)


def _drill_letter(user: User, drill: DrillAssignment, team: Team, scheme: Scheme) -> mail.Letter:
    """One learner's drill e-mail, in their language, with their unsubscribe link."""
    unsubscribe = mail.external_url(
        "auth.unsubscribe", token=account_links.make_token(user, "unsubscribe")
    )
    with mail.in_language(user.language) as language:
        paragraphs = [
            ngettext(
                "Your team %(team)s has a new drill: %(num)d question on clause %(clause)s "
                "for %(scheme)s.",
                "Your team %(team)s has a new drill: %(num)d questions on clause %(clause)s "
                "for %(scheme)s.",
                drill.questions,
                team=team.name,
                clause=drill.clause,
                scheme=scheme.title,
            )
        ]
        if drill.due_at is not None:
            paragraphs.append(_deadline_sentence(drill.due_at, user.time_zone))
        if drill.note:
            paragraphs.append(_("Your manager's note: %(note)s", note=drill.note))
        return mail.Letter(
            to=user.email,
            name=user.display_name,
            language=language,
            subject=_("New drill on clause %(clause)s", clause=drill.clause),
            paragraphs=tuple(paragraphs),
            action=(_("Open your Clausewise home page"), mail.external_url("learner.home")),
            small_print=(
                _(
                    "You get this e-mail because you are a member of %(team)s. You can turn "
                    "drill e-mails off on your profile page, or with the link below.",
                    team=team.name,
                ),
            ),
            unsubscribe_url=unsubscribe,
        )


def _deadline_sentence(due_at: datetime, zone_name: str) -> str:
    """When to finish, on the reader's clocks and in the language in force: the day alone
    when the deadline ends that day there, else the time and the day with the zone."""
    name = zone_name if time_zones.is_zone(zone_name) else time_zones.DEFAULT
    local = time_zones.local_time(due_at, name)
    locale = get_locale()
    day = format_skeleton("yMMMd", local, locale=locale)
    if time_zones.ends_the_day(due_at, name):
        return _("Please finish it by %(day)s.", day=day)
    return _(
        "Please finish it by %(time)s on %(day)s (%(zone)s time).",
        time=format_skeleton("Hm", local, locale=locale),
        day=day,
        zone=name,
    )


def set_drill_emails(user: User, wanted: bool) -> None:
    """Turn one's own drill e-mails on or off."""
    if user.drill_emails != wanted:
        user.drill_emails = wanted
        audit.record(user, "user.drill_emails_changed", "user", user.id, on=wanted)
    db.session.commit()


def unsubscribe_user(token: str) -> User | None:
    """The account an unsubscribe link is for, or None when the link is not valid."""
    return account_links.user_for_token(token, "unsubscribe")


def unsubscribe(token: str) -> User:
    """Turn drill e-mails off for the account an unsubscribe link names (no sign-in)."""
    user = unsubscribe_user(token)
    if user is None:
        raise InvalidInput(_("This unsubscribe link is not valid."))
    if user.drill_emails:
        user.drill_emails = False
        audit.record(SYSTEM, "user.drill_emails_changed", "user", user.id, on=False, via="link")
    db.session.commit()
    return user
