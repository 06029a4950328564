"""Invitations to join a team: a manager invites by e-mail; the invitee accepts or declines.

The rule: a manager cannot put anybody in a team. They invite an e-mail address; the
invitation gives them nothing — no name, no results — until the person with that e-mail
accepts it on their home page (learners, for `member`) or Teams page (managers, for
`manager`). An invitation is kept for whatever address was typed, whether or not an
account has it and whatever roles that account holds, and every reply to the manager is
the same in all those cases: inviting reveals nothing about who has an account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.models import Role, Team, TeamInvitation, TeamMembership, User
from app.services import audit, notifications, teams, users

Outcome = Literal["added", "invited", "unchanged"]
# Which roles of the invitee make an invitation for each team role theirs to answer.
ELIGIBLE = {"member": (Role.LEARNER,), "manager": (Role.MANAGER, Role.ADMIN)}


@dataclass(frozen=True)
class InvitationView:
    """An invitation as its invitee sees it."""

    id: int
    team_id: int
    team_name: str
    role: str
    invited_by: str
    created_at: datetime


def normalise(email: str) -> str:
    """The stored form of an invited e-mail: trimmed and lower-cased."""
    return email.strip().lower()


def check_invitable(email: str, role: str) -> str | None:
    """Why this e-mail and role cannot be invited (from their form alone), or None."""
    if role not in ELIGIBLE:
        return _("The role must be member or manager.")
    if not users.valid_email(email) or len(email.strip()) > 254:
        return _("%(e)s is not an e-mail address", e=email.strip())
    return None


def _in_team(team_id: int, email: str, role: str) -> bool:
    """True when an account with this e-mail already holds this role in the team."""
    stmt = (
        select(TeamMembership.id)
        .join(User, User.id == TeamMembership.user_id)
        .where(
            TeamMembership.team_id == team_id,
            TeamMembership.role == role,
            func.lower(User.email) == email,
        )
    )
    return db.session.scalar(stmt) is not None


def stage(actor: User, team_id: int, email: str, role: str) -> Outcome:
    """Add an invitation to the session (no commit); the team's access is the caller's check."""
    problem = check_invitable(email, role)
    if problem:
        raise InvalidInput(problem)
    email = normalise(email)
    pending = db.session.scalar(
        select(TeamInvitation.id).where(
            TeamInvitation.team_id == team_id,
            TeamInvitation.email == email,
            TeamInvitation.role == role,
        )
    )
    if pending is not None or _in_team(team_id, email, role):
        return "unchanged"
    db.session.add(TeamInvitation(team_id=team_id, email=email, role=role, invited_by_id=actor.id))
    audit.record(actor, "team.invitation_sent", "team", team_id, email=email, role=role)
    team = db.session.get(Team, team_id)
    if team is not None:
        notifications.team_invitation(actor, team, email, role)  # mailed once committed
    return "invited"


def drop_for(team_id: int, email: str, role: str) -> None:
    """Remove a pending invitation that a direct addition made needless (no commit)."""
    for invitation in db.session.scalars(
        select(TeamInvitation).where(
            TeamInvitation.team_id == team_id,
            TeamInvitation.email == normalise(email),
            TeamInvitation.role == role,
        )
    ):
        db.session.delete(invitation)


def for_team(actor: User, team_id: int) -> list[TeamInvitation]:
    """A team's pending invitations, oldest first, for those who manage it."""
    teams.get_team(actor, team_id)
    stmt = (
        select(TeamInvitation)
        .where(TeamInvitation.team_id == team_id)
        .order_by(TeamInvitation.created_at, TeamInvitation.id)
    )
    return list(db.session.scalars(stmt))


def _roles_answerable_by(user: User) -> list[str]:
    """The team roles whose invitations this user may answer."""
    return [role for role, needs in ELIGIBLE.items() if user.has_any_role(*needs)]


def for_invitee(user: User, role: str | None = None) -> list[InvitationView]:
    """The invitations addressed to this user's e-mail that they may answer (of one role)."""
    roles = [r for r in _roles_answerable_by(user) if role in (None, r)]
    if not roles:
        return []
    stmt = (
        select(TeamInvitation, Team.name, User.display_name)
        .join(Team, Team.id == TeamInvitation.team_id)
        .outerjoin(User, User.id == TeamInvitation.invited_by_id)
        .where(TeamInvitation.email == normalise(user.email), TeamInvitation.role.in_(roles))
        .order_by(TeamInvitation.created_at, TeamInvitation.id)
    )
    return [
        InvitationView(inv.id, inv.team_id, name, inv.role, inviter or "", inv.created_at)
        for inv, name, inviter in db.session.execute(stmt)
    ]


def _own(user: User, invitation_id: int) -> TeamInvitation:
    """An invitation this user may answer; any other looks missing."""
    invitation = db.session.get(TeamInvitation, invitation_id)
    if (
        invitation is None
        or invitation.email != normalise(user.email)
        or invitation.role not in _roles_answerable_by(user)
    ):
        raise NotFound(_("No such invitation."))
    return invitation


def accept(user: User, invitation_id: int) -> Team:
    """Join the team the invitation is for; from now on its managers see your results."""
    invitation = _own(user, invitation_id)
    team, role = invitation.team, invitation.role
    exists = db.session.scalar(
        select(TeamMembership.id).where(
            TeamMembership.team_id == team.id,
            TeamMembership.user_id == user.id,
            TeamMembership.role == role,
        )
    )
    if exists is None:
        db.session.add(TeamMembership(team_id=team.id, user_id=user.id, role=role))
    db.session.delete(invitation)
    audit.record(user, "team.invitation_accepted", "team", team.id, role=role)
    db.session.commit()
    return team


def decline(user: User, invitation_id: int) -> None:
    """Turn an invitation down; the inviting manager learns nothing else about you."""
    invitation = _own(user, invitation_id)
    db.session.delete(invitation)
    audit.record(user, "team.invitation_declined", "team", invitation.team_id)
    db.session.commit()


def withdraw(actor: User, invitation_id: int) -> int:
    """Withdraw a pending invitation of a team the actor manages; returns the team id."""
    invitation = db.session.get(TeamInvitation, invitation_id)
    if invitation is None:
        raise NotFound(_("No such invitation."))
    team_id = invitation.team_id
    teams.get_team(actor, team_id)
    db.session.delete(invitation)
    audit.record(actor, "team.invitation_withdrawn", "team", team_id, email=invitation.email)
    db.session.commit()
    return team_id
