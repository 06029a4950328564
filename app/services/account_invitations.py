"""Invitations to new accounts: an administrator creates the account without a password,
and its owner chooses one through a link that lives INVITATION_DAYS.

With mail on, the link goes out by e-mail once the account is committed. With mail off
the administrator is given the link to hand over (they could set a password anyway).
Sending a fresh invitation gives the account a new no-password state, so an older link
dies; so does every link once the password is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from app.errors import Conflict
from app.extensions import db
from app.models import Actor, Role, User
from app.services import account_links, audit, mail, users


@dataclass(frozen=True)
class Invited:
    """An invited account, its set-password link, and whether the link was mailed."""

    user: User
    link: str
    mailed: bool


def _inviter_name(actor: Actor) -> str:
    """Who the letter says invited the person."""
    return getattr(actor, "display_name", "") or _("Your administrator")


def _letter(user: User, inviter: str, link: str) -> mail.Letter:
    """The invitation, in the new account's language."""
    days = (account_links.max_age("invite") or 86400) // 86400
    with mail.in_language(user.language) as language:
        return mail.Letter(
            to=user.email,
            name=user.display_name,
            language=language,
            subject=_("You are invited to Clausewise"),
            paragraphs=(
                _(
                    "%(inviter)s has created a Clausewise account for you, to practise for "
                    "ISO/IEC 20000 qualifications. Your sign-in is this e-mail address.",
                    inviter=inviter,
                ),
                ngettext(
                    "Choose your password with the link below. It works once, for %(num)d day.",
                    "Choose your password with the link below. It works once, for %(num)d days.",
                    days,
                ),
            ),
            action=(_("Choose your password"), link),
            small_print=(
                _(
                    "If you did not expect this, ignore this e-mail; nobody can sign in to "
                    "the account until a password is chosen."
                ),
            ),
        )


def stage_invitation(actor: Actor, user: User) -> Invited:
    """Make a set-password link for an account without a password and, with mail on,
    send it after the caller's commit (no commit here)."""
    link = mail.external_url("auth.welcome", token=account_links.make_token(user, "invite"))
    mailed = mail.mail_is_on()
    if mailed:
        mail.send_after_commit(_letter(user, _inviter_name(actor), link))
    audit.record(actor, "user.invited", "user", user.id, mailed=mailed)
    return Invited(user, link, mailed)


def invite_user(
    actor: Actor,
    email: str,
    name: str,
    roles: set[Role],
    language: str | None = None,
    time_zone: str | None = None,
) -> Invited:
    """Create an account without a password and invite its owner to choose one; its time
    zone is `time_zone`, else the organization's."""
    user = users.stage_user(actor, email, name, None, roles, language, time_zone)
    invited = stage_invitation(actor, user)
    db.session.commit()
    return invited


def resend_invitation(actor: Actor, user_id: int) -> Invited:
    """A fresh invitation for an account still without a password; older links die."""
    user = users.get_user(actor, user_id)
    if users.has_password(user):
        raise Conflict(
            _(
                "%(email)s has chosen a password already; if it is forgotten, they can ask "
                "for a new one on the sign-in page.",
                email=user.email,
            )
        )
    if not user.active:
        raise Conflict(_("%(email)s is deactivated; activate the account first.", email=user.email))
    user.password_hash = users.no_password_hash()
    invited = stage_invitation(actor, user)
    db.session.commit()
    return invited
